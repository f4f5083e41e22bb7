// Acopio › Productores, LPA, Certificaciones, Importar, Configuración.
import * as api from './api.js';
import { el, replace, busy, clearFormError, pagedTable, notice, revealPanel, table, openDialog } from './ui.js';
import { num, date, today, statusLabel, programs } from './fmt.js';
import { canWrite, isAdmin, qs, input, formError, badge, docHref, printHref } from './acopio-util.js';

const STATUS_OPTS = [['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']];
const PROGRAMS = [['EU', 'EU'], ['NOP', 'NOP'], ['JAS', 'JAS'], ['OTHER', 'Otro']];
const page = (path, extra) => (cursor) => api.get(`${path}${qs({ ...extra, limit: 50, cursor })}`);
const v = (form, n) => (form.elements[n] ? form.elements[n].value.trim() : '');
const actions = (submit, cancel) => el('div', { class: 'actions' }, submit,
  cancel ? el('button', { type: 'button', class: 'btn', onclick: cancel }, 'Cancelar') : null);

/** Wires a form to a request; onOk(result) on success, server errors next to fields. */
function onSubmit(form, submit, run, onOk) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    busy(submit, async () => {
      try {
        const r = await run();
        if (r !== undefined) onOk(r);
      } catch (err) { formError(form, err); }
    });
  });
}

// ---------- producers ----------

function producerForm(p, onSaved, onCancel) {
  const send = api.submission();
  const x = p || { status: 'organic', sex: 'M', programs: ['EU'] };
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, p ? 'Guardar cambios' : 'Registrar productor');
  const progs = el('fieldset', { class: 'field checks', id: `progs-${Math.random().toString(36).slice(2)}`, 'data-field': 'programs' },
    el('legend', null, 'Programas de certificación'),
    el('div', { class: 'radio-row' }, PROGRAMS.map(([k, l]) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', name: 'programs', value: k, checked: (x.programs || []).includes(k) }), ` ${l}`))));
  progs.append(el('p', { class: 'field-error', id: `${progs.id}-err`, hidden: true }));
  const form = el('form', { class: 'form-grid', novalidate: true },
    input({ label: 'DNI', name: 'dni', required: true, inputmode: 'numeric', maxlength: 8, value: x.dni }),
    input({ label: 'Nombres', name: 'first_names', required: true, maxlength: 120, value: x.first_names }),
    input({ label: 'Apellidos', name: 'last_names', required: true, maxlength: 120, value: x.last_names }),
    input({ label: 'Sexo', name: 'sex', required: true, options: [['M', 'Masculino'], ['F', 'Femenino']], value: x.sex }),
    input({ label: 'Estatus', name: 'status', required: true, options: STATUS_OPTS, value: x.status }),
    progs,
    input({ label: 'Otras certificaciones', name: 'other_certifications', hint: 'Separadas por comas: Fairtrade, Rainforest…', value: (x.other_certifications || []).join(', ') }),
    input({ label: 'Caserío', name: 'caserio', value: x.caserio }),
    input({ label: 'Distrito', name: 'district', value: x.district }),
    input({ label: 'Provincia', name: 'province', value: x.province }),
    input({ label: 'Región', name: 'region', value: x.region }),
    input({ label: 'Dirección', name: 'address', value: x.address }),
    input({ label: 'Teléfono', name: 'phone', type: 'tel', value: x.phone }),
    p ? el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'active', checked: p.active !== false }), ' Activo') : null,
    actions(submit, onCancel));
  onSubmit(form, submit, async () => {
    const b = {};
    for (const n of ['dni', 'first_names', 'last_names', 'sex', 'status', 'caserio', 'district', 'province', 'region', 'address', 'phone']) b[n] = v(form, n);
    b.programs = [...form.querySelectorAll('input[name="programs"]:checked')].map((c) => c.value);
    b.other_certifications = v(form, 'other_certifications').split(',').map((s) => s.trim()).filter(Boolean);
    if (p) {
      b.active = form.elements.active.checked;
      const { etag } = await api.getWithEtag(`/producers/${api.seg(p.id)}`);
      return api.patch(`/producers/${api.seg(p.id)}`, b, { ifMatch: etag });
    }
    return send('/producers', b);
  }, onSaved);
  return form;
}

export function producersView(ctx) {
  const msg = notice();
  let filter = {};
  const list = pagedTable({
    caption: 'Productores', emptyText: 'No hay productores con esa búsqueda.',
    columns: [
      { label: 'DNI', cell: (p) => el('a', { href: `/acopio/productores/${p.id}`, class: 'mono' }, p.dni) },
      { label: 'Productor', cell: (p) => el('a', { href: `/acopio/productores/${p.id}` }, p.full_name) },
      { label: 'Caserío', cell: (p) => p.caserio },
      { label: 'Estatus', cell: (p) => statusLabel(p.status) },
      { label: 'Programas', cell: (p) => programs(p.programs) },
      { label: 'Estado', cell: (p) => (p.active === false ? badge('Inactivo') : badge('Activo', 'ok')) },
    ],
    load: (cursor) => api.get(`/producers${qs({ ...filter, limit: 50, cursor })}`),
  });
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Buscar');
  const form = el('form', { class: 'filters', novalidate: true, role: 'search' },
    input({ label: 'DNI o nombre', name: 'q', type: 'search', noOpt: true }),
    input({ label: 'Estatus', name: 'status', noOpt: true, options: [['', 'Todos'], ...STATUS_OPTS] }),
    input({ label: 'Estado', name: 'active', noOpt: true, options: [['', 'Todos'], ['1', 'Activos'], ['0', 'Inactivos']] }),
    el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filter = { q: v(form, 'q'), status: v(form, 'status'), active: v(form, 'active') };
    list.reload();
  });
  const create = canWrite(ctx.me) ? revealPanel('Nuevo productor', (close) => producerForm(null, (p) => {
    close();
    ctx.navigate(`/acopio/productores/${p.id}`);
  }, () => close())) : null;
  return el('div', null,
    el('div', { class: 'section-head' }, el('h2', null, 'Productores'), create && create.button),
    create && create.panel, msg, form,
    el('p', { class: 'downloads' }, el('a', { href: '/api/v1/producers.csv', download: 'productores.csv' }, 'Exportar productores (CSV)'),
      el('a', { href: '/api/v1/plots.csv', download: 'parcelas.csv' }, 'Exportar parcelas (CSV)')),
    list.node);
}

function plotForm(producer, plot, onSaved, onCancel) {
  const send = api.submission();
  const x = plot || { crop: 'café' };
  const loc = x.location || {};
  const pt = loc.type === 'Point' ? loc.coordinates : null;
  const ring = loc.type === 'Polygon' ? loc.coordinates[0].map(([lo, la]) => `${la} ${lo}`).join('\n') : '';
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, plot ? 'Guardar parcela' : 'Registrar parcela');
  const form = el('form', { class: 'form-grid', novalidate: true },
    input({ label: 'Nombre del fundo o parcela', name: 'name', required: true, maxlength: 120, value: x.name }),
    input({ label: 'Área (ha)', name: 'area_ha', required: true, inputmode: 'decimal', value: x.area_ha }),
    input({ label: 'Cultivo', name: 'crop', value: x.crop }),
    input({ label: 'Variedad', name: 'variety', value: x.variety }),
    input({ label: 'Altitud (m)', name: 'altitude_m', inputmode: 'numeric', value: x.altitude_m == null ? '' : String(x.altitude_m) }),
    input({ label: 'Latitud', name: 'lat', inputmode: 'decimal', hint: 'Punto (parcelas de menos de 4 ha), al menos 6 decimales: -5.123456', value: pt ? pt[1] : '' }),
    input({ label: 'Longitud', name: 'lon', inputmode: 'decimal', value: pt ? pt[0] : '' }),
    input({ label: 'Polígono', name: 'location', tag: 'textarea', rows: 3, wide: true, value: ring,
      hint: 'Parcelas de 4 ha o más: un vértice por línea, «latitud longitud» con punto decimal.' }),
    input({ label: 'Riesgos y notas', name: 'risk_notes', tag: 'textarea', rows: 2, wide: true, value: x.risk_notes }),
    actions(submit, onCancel));
  form.elements.location.value = ring;
  form.elements.risk_notes.value = x.risk_notes || '';
  onSubmit(form, submit, async () => {
    const b = { name: v(form, 'name'), area_ha: v(form, 'area_ha').replace(',', '.'), crop: v(form, 'crop'), variety: v(form, 'variety'), risk_notes: v(form, 'risk_notes') };
    if (v(form, 'altitude_m')) b.altitude_m = Number(v(form, 'altitude_m'));
    const poly = v(form, 'location');
    if (poly) {
      const pts = poly.split(/\n+/).map((l) => l.trim().split(/[\s;,]+/)).filter((a) => a.length === 2).map(([la, lo]) => [lo, la]);
      if (pts.length && pts[0].join() !== pts[pts.length - 1].join()) pts.push(pts[0]);
      b.location = { type: 'Polygon', coordinates: [pts] };
    } else if (v(form, 'lat') || v(form, 'lon')) {
      b.location = { type: 'Point', coordinates: [v(form, 'lon'), v(form, 'lat')] };
    } else if (plot) b.location = null;
    if (plot) {
      const { etag } = await api.getWithEtag(`/plots/${api.seg(plot.id)}`);
      return api.patch(`/plots/${api.seg(plot.id)}`, b, { ifMatch: etag });
    }
    return send('/plots', { ...b, producer_id: producer.id });
  }, onSaved);
  return form;
}

function estimateForm(plot, onSaved) {
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-small' }, 'Guardar estimado');
  const form = el('form', { class: 'inline-form compact', novalidate: true, 'aria-label': `Estimado de ${plot.name}` },
    input({ label: 'Campaña', name: 'campaign', inputmode: 'numeric', maxlength: 4, value: today().slice(0, 4), noOpt: true }),
    input({ label: 'Kilos estimados', name: 'estimated_kg', inputmode: 'decimal', noOpt: true }),
    el('div', { class: 'actions' }, submit));
  onSubmit(form, submit, () => send(`/plots/${api.seg(plot.id)}/estimates`,
    { campaign: Number(v(form, 'campaign')), estimated_kg: v(form, 'estimated_kg').replace(',', '.') }), onSaved);
  return form;
}

export function producerView(ctx, id) {
  const node = el('div', { class: 'producer' }, el('p', { class: 'muted' }, 'Cargando…'));
  const write = canWrite(ctx.me);
  const msg = notice();
  async function load(text) {
    let p;
    try { p = await api.get(`/producers/${api.seg(id)}`); } catch (err) {
      replace(node, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo cargar el productor.'));
      return;
    }
    const edit = write ? revealPanel('Editar productor', (close) => producerForm(p, () => load('Productor actualizado.'), () => close())) : null;
    const newPlot = write ? revealPanel('Nueva parcela', (close) => plotForm(p, () => load('Parcela registrada.'), () => close())) : null;
    const plots = (p.plots || []).map((pl) => {
      const editPlot = write ? revealPanel('Editar parcela', (close) => plotForm(p, pl, () => load('Parcela actualizada.'), () => close())) : null;
      if (editPlot) editPlot.button.className = 'btn btn-small';
      return el('article', { class: 'plot-card' },
        el('header', null, el('h3', null, pl.name), pl.active === false ? badge('Inactiva') : null, editPlot && editPlot.button),
        el('dl', { class: 'facts' },
          el('div', null, el('dt', null, 'Área'), el('dd', null, `${num(pl.area_ha, 4, true)} ha`)),
          pl.variety ? el('div', null, el('dt', null, 'Variedad'), el('dd', null, pl.variety)) : null,
          pl.altitude_m != null ? el('div', null, el('dt', null, 'Altitud'), el('dd', null, `${pl.altitude_m} m`)) : null,
          el('div', null, el('dt', null, 'Ubicación'), el('dd', null, pl.location ? (pl.location.type === 'Point' ? `Punto ${pl.location.coordinates[1]}, ${pl.location.coordinates[0]}` : `Polígono de ${pl.location.coordinates[0].length - 1} vértices`) : 'Sin ubicación')),
          el('div', null, el('dt', null, 'Producción estimada'), el('dd', null, (pl.estimates || []).length
            ? (pl.estimates || []).map((e) => `${e.campaign}: ${num(e.estimated_kg)} kg`).join(' · ') : 'Sin estimado'))),
        pl.risk_notes ? el('p', { class: 'muted' }, pl.risk_notes) : null,
        editPlot && editPlot.panel,
        write ? estimateForm(pl, () => load('Estimado guardado.')) : null);
    });
    const deliveries = pagedTable({
      caption: 'Entregas', emptyText: 'Este productor no tiene entregas.',
      columns: [
        { label: 'Ticket', cell: (r) => el('a', { href: docHref('recepcion', r.id) }, r.number_text) },
        { label: 'Fecha', cell: (r) => date(r.issued_on) },
        { label: 'Entrega', cell: (r) => r.delivery_code },
        { label: 'Estatus', cell: (r) => statusLabel(r.status) },
        { label: 'Kilos netos', class: 'num', cell: (r) => num(r.net_kg) },
        { label: 'QQ', class: 'num', cell: (r) => num(r.qq) },
        { label: 'Estado', cell: (r) => (r.annulled ? badge('Anulado', 'bad') : r.over_estimate ? badge('Sobre lo estimado', 'warn') : badge('Vigente', 'ok')) },
      ],
      load: page('/receptions', { producer_id: p.id }),
    });
    replace(node,
      el('p', null, el('a', { href: '/acopio/productores' }, '← Volver a productores')),
      el('div', { class: 'section-head' }, el('h2', null, p.full_name), edit && edit.button),
      msg, edit && edit.panel,
      el('dl', { class: 'facts' }, [['DNI', p.dni], ['Sexo', p.sex === 'F' ? 'Femenino' : 'Masculino'], ['Estatus', statusLabel(p.status)],
        ['Programas', programs(p.programs) || '—'], ['Otras certificaciones', (p.other_certifications || []).join(', ') || '—'],
        ['Caserío', p.caserio], ['Distrito', p.district], ['Provincia', p.province], ['Región', p.region], ['Dirección', p.address],
        ['Teléfono', p.phone], ['Estado', p.active === false ? 'Inactivo' : 'Activo']]
        .filter(([, x]) => x).map(([l, x]) => el('div', null, el('dt', null, l), el('dd', null, x)))),
      el('div', { class: 'section-head' }, el('h2', null, 'Parcelas'), newPlot && newPlot.button),
      newPlot && newPlot.panel,
      plots.length ? el('div', { class: 'plots' }, plots) : el('p', { class: 'empty' }, 'Sin parcelas registradas.'),
      el('div', { class: 'section-head' }, el('h2', null, 'Entregas')),
      el('p', { class: 'downloads' }, el('a', { href: `/api/v1/purchase-settlements.csv?producer_id=${p.id}`, download: `registro-de-ventas-${p.dni}.csv` }, 'Registro de ventas del productor (CSV)')),
      deliveries.node);
    if (text) msg.show(text);
  }
  load();
  return node;
}

// ---------- LPA ----------

export function lpaView(ctx) {
  const write = canWrite(ctx.me);
  const msg = notice();
  let campaign = new URLSearchParams(location.search).get('campana') || today().slice(0, 4);
  const links = el('p', { class: 'downloads' });
  const columns = [
    { label: 'DNI', cell: (x) => el('a', { class: 'mono', href: `/acopio/productores/${x.producer_id}` }, x.dni) },
    { label: 'Productor', cell: (x) => x.full_name },
    { label: 'Caserío', cell: (x) => x.caserio },
    { label: 'Estatus', cell: (x) => statusLabel(x.status) },
    { label: 'Programas', cell: (x) => programs(x.programs) },
    { label: 'Aprobado el', cell: (x) => date(x.approved_on) },
    { label: 'Estado', cell: (x) => (x.withdrawn ? el('span', null, badge('Retirado', 'bad'), ` ${date(x.withdrawn_on)}: ${x.withdrawn_reason || ''}`) : badge('Aprobado', 'ok')) },
  ];
  if (write) columns.push({ label: 'Acciones', class: 'actions-cell', cell: (x) => (x.withdrawn ? '' : el('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => withdraw(x) }, 'Retirar')) });
  const list = pagedTable({ caption: 'Lista de productores aprobados', key: (x) => x.producer_id, emptyText: 'Nadie aprobado en esta campaña.', columns, load: (c) => page('/lpa', { campaign })(c) });
  const drawLinks = () => replace(links,
    el('a', { href: printHref('lpa', campaign), target: '_blank', rel: 'noopener' }, `Imprimir LPA ${campaign}`),
    el('a', { href: `/api/v1/lpa.csv?campaign=${encodeURIComponent(campaign)}`, download: `lpa-${campaign}.csv` }, 'Exportar LPA (CSV)'));
  const pick = el('form', { class: 'filters', novalidate: true },
    input({ label: 'Campaña', name: 'campaign', inputmode: 'numeric', maxlength: 4, value: campaign, noOpt: true }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'btn' }, 'Ver campaña')));
  pick.addEventListener('submit', (e) => {
    e.preventDefault();
    campaign = v(pick, 'campaign');
    history.replaceState(null, '', `/acopio/lpa?campana=${encodeURIComponent(campaign)}`);
    drawLinks();
    list.reload();
  });
  drawLinks();

  function withdraw(x) {
    annulLike(`Retirar a ${x.full_name} de la LPA ${campaign}`, 'Retirar', (reason) =>
      api.post('/lpa/withdraw', { campaign: Number(campaign), producer_id: x.producer_id, reason }))
      .then((r) => { if (r) { list.replaceRow(r); msg.show(`${x.full_name} retirado de la LPA ${campaign}.`); } });
  }

  let approve = null;
  if (write) {
    approve = revealPanel('Aprobar productor', (close) => {
      const send = api.submission();
      const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Aprobar en la LPA');
      const form = el('form', { class: 'form-grid', novalidate: true },
        input({ label: 'DNI del productor', name: 'dni', required: true, inputmode: 'numeric', maxlength: 8 }),
        input({ label: 'Fecha de aprobación', name: 'approved_on', type: 'date', required: true, value: today() }),
        actions(submit, () => close()));
      onSubmit(form, submit, async () => {
        let p;
        try { p = await api.get(`/producers/by-dni/${api.seg(v(form, 'dni'))}`); } catch (err) {
          formError(form, { detail: 'Revise el DNI.', errors: [{ field: 'dni', detail: err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail }] });
          return undefined;
        }
        try {
          return await send('/lpa', { campaign: Number(campaign), producer_id: p.id, approved_on: v(form, 'approved_on') });
        } catch (err) { err.errors = (err.errors || []).map((e) => (e.field === 'producer_id' ? { ...e, field: 'dni' } : e)); throw err; }
      }, (r) => { form.reset(); close(); msg.show(`${r.full_name} aprobado en la LPA ${campaign}.`); list.reload(); });
      return form;
    });
  }
  return el('div', null,
    el('div', { class: 'section-head' }, el('h2', null, 'Lista de productores aprobados'), approve && approve.button),
    approve && approve.panel, msg, pick, links, list.node);
}

/** A reason dialog (like annulment) for other actions. */
function annulLike(title, label, run) {
  return openDialog(title, (close) => {
    const submit = el('button', { type: 'submit', class: 'btn btn-danger' }, label);
    const form = el('form', { novalidate: true },
      input({ label: 'Motivo', name: 'reason', required: true, tag: 'textarea', rows: 3, maxlength: 500 }),
      actions(submit, () => close(null)));
    onSubmit(form, submit, () => {
      if (!v(form, 'reason')) throw Object.assign(new Error(), { detail: 'Indique el motivo.', errors: [{ field: 'reason', detail: 'Escriba el motivo.' }] });
      return run(v(form, 'reason'));
    }, close);
    return form;
  });
}

// ---------- certifications ----------

export function certsView(ctx) {
  const msg = notice();
  const list = pagedTable({
    caption: 'Certificaciones', emptyText: 'No hay certificaciones registradas.',
    columns: [
      { label: 'Certificadora', cell: (c) => c.certifier },
      { label: 'Programa', cell: (c) => programs([c.program]) },
      { label: 'Código', cell: (c) => el('span', { class: 'mono' }, c.code) },
      { label: 'Desde', cell: (c) => date(c.valid_from) },
      { label: 'Hasta', cell: (c) => date(c.valid_to) },
      { label: 'Vigencia', cell: (c) => (c.valid_from <= today() && today() <= c.valid_to ? badge('Vigente', 'ok') : badge('No vigente hoy')) },
    ],
    load: page('/certifications'),
  });
  const create = canWrite(ctx.me) ? revealPanel('Nueva certificación', (close) => {
    const send = api.submission();
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Registrar certificación');
    const form = el('form', { class: 'form-grid', novalidate: true },
      input({ label: 'Certificadora', name: 'certifier', required: true, maxlength: 120 }),
      input({ label: 'Programa', name: 'program', required: true, options: PROGRAMS }),
      input({ label: 'Código del certificado', name: 'code', required: true, maxlength: 60, placeholder: 'CU835641' }),
      input({ label: 'Válida desde', name: 'valid_from', type: 'date', required: true }),
      input({ label: 'Válida hasta', name: 'valid_to', type: 'date', required: true }),
      actions(submit, () => close()));
    onSubmit(form, submit, () => send('/certifications', Object.fromEntries(['certifier', 'program', 'code', 'valid_from', 'valid_to'].map((n) => [n, v(form, n)]))),
      (c) => { form.reset(); close(); msg.show(`Certificación ${c.code} registrada.`); list.reload(); });
    return form;
  }) : null;
  return el('div', null,
    el('div', { class: 'section-head' }, el('h2', null, 'Certificaciones de la organización'), create && create.button),
    create && create.panel, msg, list.node);
}

// ---------- CSV import ----------

function importBox(title, path, hint) {
  const file = el('input', { type: 'file', accept: '.csv,text/csv', 'aria-label': `Archivo CSV de ${title.toLowerCase()}` });
  const bar = el('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Progreso de la subida' });
  const out = el('div', { 'aria-live': 'polite' });
  const go = el('button', { type: 'button', class: 'btn btn-primary' }, `Importar ${title.toLowerCase()}`);
  go.addEventListener('click', () => {
    const f = file.files[0];
    if (!f) { replace(out, el('p', { class: 'alert alert-error', role: 'alert' }, 'Elija un archivo CSV.')); return; }
    busy(go, async () => {
      bar.hidden = false;
      bar.value = 0;
      replace(out, el('p', { class: 'muted' }, `Subiendo ${f.name}…`));
      try {
        const r = await api.upload(path, f, 'text/csv', (x) => { bar.value = Math.round(x * 100); if (x >= 1) replace(out, el('p', { class: 'muted' }, 'Procesando en el servidor…')); });
        bar.value = 100;
        replace(out, el('div', { class: 'alert alert-ok', role: 'status' },
          `Importación completa: ${r.rows} filas · ${r.created} nuevos · ${r.updated} actualizados · ${r.unchanged || 0} sin cambios.`));
      } catch (err) {
        bar.hidden = true;
        const errs = err.errors || [];
        replace(out, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo importar.'),
          errs.length ? table([
            { label: 'Línea', class: 'num', cell: (e) => (e.line == null ? '' : String(e.line)) },
            { label: 'Columna', class: 'num', cell: (e) => (e.column == null ? '' : String(e.column)) },
            { label: 'Campo', cell: (e) => e.field || '' },
            { label: 'Problema', cell: (e) => e.detail || e.code },
          ], errs, 'Errores del archivo') : null);
      }
    });
  });
  return el('section', { class: 'panel import' }, el('h3', null, title), el('p', { class: 'hint' }, hint),
    el('div', { class: 'actions' }, file, go), bar, out);
}

export function importView() {
  return el('div', null,
    el('h2', null, 'Importar desde CSV'),
    el('p', { class: 'lead' }, 'Archivos guardados desde Excel (UTF-8 o Latin-1, separados por «;» o «,»), con los encabezados de la exportación. Todo o nada: si una línea tiene errores no se importa ninguna y se listan los problemas.'),
    el('p', { class: 'downloads' }, el('a', { href: '/api/v1/producers.csv', download: 'productores.csv' }, 'Plantilla: exportar productores (CSV)'),
      el('a', { href: '/api/v1/plots.csv', download: 'parcelas.csv' }, 'Plantilla: exportar parcelas (CSV)')),
    importBox('Productores', '/producers/import', 'Se actualiza el productor con el mismo DNI; los demás se crean.'),
    importBox('Parcelas', '/plots/import', 'Se actualiza la parcela del mismo DNI y nombre; las demás se crean.'));
}

// ---------- settings (admin) ----------

export function settingsView(ctx) {
  const node = el('div', null, el('p', { class: 'muted' }, 'Cargando…'));
  if (!isAdmin(ctx.me)) return el('p', { class: 'alert alert-info' }, 'Solo el administrador de la organización cambia la configuración.');
  const msg = notice();
  (async () => {
    let s;
    let etag;
    try { ({ data: s, etag } = await api.getWithEtag('/settings')); } catch (err) {
      replace(node, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo cargar la configuración.'));
      return;
    }
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Guardar configuración');
    const form = el('form', { class: 'form-grid', novalidate: true },
      input({ label: 'Humedad mínima de compra (%)', name: 'humidity_min', inputmode: 'decimal', value: s.humidity_min, noOpt: true }),
      input({ label: 'Humedad máxima de compra (%)', name: 'humidity_max', inputmode: 'decimal', value: s.humidity_max, noOpt: true }),
      input({ label: 'Fuera de rango', name: 'humidity_policy', noOpt: true, options: [['warn', 'Advertir y pedir confirmación'], ['refuse', 'Rechazar']], value: s.humidity_policy }),
      input({ label: 'Tolerancia sobre lo estimado (%)', name: 'estimate_tolerance_pct', inputmode: 'numeric', value: String(s.estimate_tolerance_pct), noOpt: true }),
      input({ label: 'IGV de las liquidaciones (%)', name: 'igv_rate_pct', inputmode: 'decimal', value: s.igv_rate_pct, noOpt: true }),
      input({ label: 'Lugar de venta', name: 'place_of_sale', value: s.place_of_sale, noOpt: true, hint: 'Se imprime en la liquidación de compra.' }),
      actions(submit));
    onSubmit(form, submit, async () => {
      const b = { humidity_policy: v(form, 'humidity_policy'), place_of_sale: v(form, 'place_of_sale'), estimate_tolerance_pct: Number(v(form, 'estimate_tolerance_pct')) };
      for (const n of ['humidity_min', 'humidity_max', 'igv_rate_pct']) b[n] = v(form, n).replace(',', '.');
      const r = await api.request('PATCH', '/settings', { body: b, ifMatch: etag });
      etag = r.headers.get('ETag');
      return r.data;
    }, () => msg.show('Configuración guardada.'));
    replace(node, el('h2', null, 'Configuración de compra'), msg, form);
  })();
  return node;
}

