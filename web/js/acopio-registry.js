// Acopio › Productores (with plots, estimates, deliveries), LPA, Certificaciones,
// Importar (CSV with upload progress) and Configuración.
import * as api from './api.js';
import { el, replace, busy, pagedTable, notice, revealPanel, table } from './ui.js';
import { num, date, today, statusLabel, programs } from './fmt.js';
import {
  canWrite, isAdmin, qs, input, choices, badge, docHref, printHref, onSubmit, val, fail, actions, facts, problem, reasonDialog,
} from './acopio-util.js';

const STATUSES = [['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']];
const PROGRAMS = [['EU', 'EU'], ['NOP', 'NOP'], ['JAS', 'JAS'], ['OTHER', 'Otro']];
const page = (path, extra) => (cursor) => api.get(`${path}${qs({ ...extra, limit: 50, cursor })}`);
const dot = (s) => s.replace(',', '.');
const ha = (a) => num(a, 4).replace(/,?0+$/, '');
const csvLink = (href, text) => el('a', { href: `/api/v1${href}`, download: '' }, text);
/** PATCH with the ETag of a fresh GET (If-Match). */
const patch = async (path, body) => api.patch(path, body, { ifMatch: (await api.getWithEtag(path)).etag });
/** A "Nuevo …" panel for write roles only (null otherwise). */
const panel = (ctx, label, build) => (canWrite(ctx.me) ? revealPanel(label, build) : null);
const head = (title, p) => el('div', { class: 'section-head' }, el('h2', null, title), p && p.button);

// ---------- producers ----------

function producerForm(p, onSaved, onCancel) {
  const send = api.submission();
  const x = p || { status: 'organic', sex: 'M', programs: ['EU'] };
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, p ? 'Guardar cambios' : 'Registrar productor');
  const text = (label, name, more) => input({ label, name, value: x[name], maxlength: 120, ...more });
  const form = el('form', { class: 'form-grid', novalidate: true },
    text('DNI', 'dni', { required: true, inputmode: 'numeric', maxlength: 8 }),
    text('Nombres', 'first_names', { required: true }),
    text('Apellidos', 'last_names', { required: true }),
    text('Sexo', 'sex', { required: true, options: [['M', 'Masculino'], ['F', 'Femenino']] }),
    text('Estatus', 'status', { required: true, options: STATUSES }),
    choices('programs', 'Programas de certificación', PROGRAMS, x.programs || [], 'checkbox'),
    input({ label: 'Otras certificaciones', name: 'other_certifications', hint: 'Separadas por comas: Fairtrade, Rainforest…', value: (x.other_certifications || []).join(', ') }),
    text('Caserío', 'caserio'), text('Distrito', 'district'), text('Provincia', 'province'), text('Región', 'region'),
    text('Dirección', 'address', { maxlength: 300 }), text('Teléfono', 'phone', { type: 'tel', maxlength: 40 }),
    p ? el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'active', checked: p.active !== false }), ' Activo') : null,
    actions(submit, onCancel));
  onSubmit(form, submit, () => {
    const b = Object.fromEntries(['dni', 'first_names', 'last_names', 'sex', 'status', 'caserio', 'district', 'province', 'region', 'address', 'phone'].map((n) => [n, val(form, n)]));
    b.programs = [...form.querySelectorAll('input[name="programs"]:checked')].map((c) => c.value);
    b.other_certifications = val(form, 'other_certifications').split(',').map((s) => s.trim()).filter(Boolean);
    if (!p) return send('/producers', b);
    b.active = form.elements.active.checked;
    return patch(`/producers/${api.seg(p.id)}`, b);
  }, onSaved);
  return form;
}

export function producersView(ctx) {
  let filter = {};
  const list = pagedTable({
    caption: 'Productores',
    emptyText: 'No hay productores con esa búsqueda.',
    columns: [
      { label: 'DNI', cell: (p) => el('a', { href: `/acopio/productores/${p.id}`, class: 'mono' }, p.dni) },
      { label: 'Productor', cell: (p) => el('a', { href: `/acopio/productores/${p.id}` }, p.full_name) },
      { label: 'Caserío', cell: (p) => p.caserio },
      { label: 'Estatus', cell: (p) => statusLabel(p.status) },
      { label: 'Programas', cell: (p) => programs(p.programs) },
      { label: 'Estado', cell: (p) => (p.active ? badge('Activo', 'ok') : badge('Inactivo')) },
    ],
    load: (cursor) => page('/producers', filter)(cursor),
  });
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Buscar');
  const form = el('form', { class: 'filters', novalidate: true, role: 'search' },
    input({ label: 'DNI o nombre', name: 'q', type: 'search', noOpt: true }),
    input({ label: 'Estatus', name: 'status', noOpt: true, options: [['', 'Todos'], ...STATUSES] }),
    input({ label: 'Estado', name: 'active', noOpt: true, options: [['', 'Todos'], ['1', 'Activos'], ['0', 'Inactivos']] }),
    el('div', { class: 'actions' }, submit));
  onSubmit(form, submit, () => ({ q: val(form, 'q'), status: val(form, 'status'), active: val(form, 'active') }), (f) => { filter = f; list.reload(); });
  const create = panel(ctx, 'Nuevo productor', (close) => producerForm(null, (p) => ctx.navigate(`/acopio/productores/${p.id}`), close));
  return el('div', null, head('Productores', create), create && create.panel, form,
    el('p', { class: 'downloads' }, csvLink('/producers.csv', 'Exportar productores (CSV)'), csvLink('/plots.csv', 'Exportar parcelas (CSV)')),
    list.node);
}

function plotForm(producer, plot, onSaved, onCancel) {
  const send = api.submission();
  const x = plot || { crop: 'café' };
  const loc = x.location || {};
  const pt = loc.type === 'Point' ? loc.coordinates : ['', ''];
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, plot ? 'Guardar parcela' : 'Registrar parcela');
  const form = el('form', { class: 'form-grid', novalidate: true },
    input({ label: 'Nombre del fundo o parcela', name: 'name', required: true, maxlength: 120, value: x.name }),
    input({ label: 'Área (ha)', name: 'area_ha', required: true, inputmode: 'decimal', value: x.area_ha && ha(x.area_ha) }),
    input({ label: 'Cultivo', name: 'crop', value: x.crop }),
    input({ label: 'Variedad', name: 'variety', value: x.variety }),
    input({ label: 'Altitud (m)', name: 'altitude_m', inputmode: 'numeric', value: x.altitude_m == null ? '' : String(x.altitude_m) }),
    input({ label: 'Latitud', name: 'lat', inputmode: 'decimal', value: pt[1], hint: 'Punto, para parcelas de menos de 4 ha; al menos 6 decimales: -5.141873' }),
    input({ label: 'Longitud', name: 'lon', inputmode: 'decimal', value: pt[0] }),
    input({ label: 'Polígono', name: 'location', tag: 'textarea', rows: 3, wide: true, hint: 'Parcelas de 4 ha o más: un vértice por línea, «latitud longitud» con punto decimal.',
      value: loc.type === 'Polygon' ? loc.coordinates[0].map(([lo, la]) => `${la} ${lo}`).join('\n') : '' }),
    input({ label: 'Riesgos y notas', name: 'risk_notes', tag: 'textarea', rows: 2, wide: true, value: x.risk_notes }),
    actions(submit, onCancel));
  onSubmit(form, submit, () => {
    const b = { name: val(form, 'name'), area_ha: dot(val(form, 'area_ha')), crop: val(form, 'crop'), variety: val(form, 'variety'), risk_notes: val(form, 'risk_notes') };
    if (val(form, 'altitude_m')) b.altitude_m = Number(val(form, 'altitude_m'));
    const ring = val(form, 'location').split('\n').map((l) => l.trim().split(/[\s;,]+/)).filter((a) => a.length === 2).map(([la, lo]) => [lo, la]);
    if (ring.length && ring[0].join() !== ring.at(-1).join()) ring.push(ring[0]);
    if (ring.length) b.location = { type: 'Polygon', coordinates: [ring] };
    else if (val(form, 'lat') || val(form, 'lon')) b.location = { type: 'Point', coordinates: [val(form, 'lon'), val(form, 'lat')] };
    else if (plot) b.location = null;
    return plot ? patch(`/plots/${api.seg(plot.id)}`, b) : send('/plots', { ...b, producer_id: producer.id });
  }, onSaved);
  return form;
}

function estimateForm(plot, onSaved) {
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-small' }, 'Guardar estimado');
  const form = el('form', { class: 'inline-form compact', novalidate: true, 'aria-label': `Producción estimada de ${plot.name}` },
    input({ label: 'Campaña', name: 'campaign', inputmode: 'numeric', maxlength: 4, value: today().slice(0, 4), noOpt: true }),
    input({ label: 'Kilos estimados', name: 'estimated_kg', inputmode: 'decimal', noOpt: true }),
    el('div', { class: 'actions' }, submit));
  onSubmit(form, submit, () => send(`/plots/${api.seg(plot.id)}/estimates`,
    { campaign: Number(val(form, 'campaign')), estimated_kg: dot(val(form, 'estimated_kg')) }), onSaved);
  return form;
}

export function producerView(ctx, id) {
  const node = el('div', null, el('p', { class: 'muted' }, 'Cargando…'));
  const msg = notice();
  async function load(text) {
    let p;
    try { p = await api.get(`/producers/${api.seg(id)}`); } catch (err) { replace(node, problem(err, 'No se pudo cargar el productor.')); return; }
    const edit = panel(ctx, 'Editar productor', (close) => producerForm(p, () => load('Productor actualizado.'), close));
    const newPlot = panel(ctx, 'Nueva parcela', (close) => plotForm(p, null, () => load('Parcela registrada.'), close));
    const plots = (p.plots || []).map((pl) => {
      const editPlot = panel(ctx, 'Editar parcela', (close) => plotForm(p, pl, () => load('Parcela actualizada.'), close));
      const l = pl.location;
      return el('article', { class: 'plot-card' },
        el('header', null, el('h3', null, pl.name), pl.active === false ? badge('Inactiva') : null, editPlot && editPlot.button),
        facts([['Área', `${ha(pl.area_ha)} ha`], ['Variedad', pl.variety], ['Altitud', pl.altitude_m == null ? '' : `${pl.altitude_m} m`],
          ['Ubicación', !l ? 'Sin ubicación' : l.type === 'Point' ? `Punto ${l.coordinates[1]}, ${l.coordinates[0]}` : `Polígono de ${l.coordinates[0].length - 1} vértices`],
          ['Producción estimada', (pl.estimates || []).map((e) => `${e.campaign}: ${num(e.estimated_kg)} kg`).join(' · ') || 'Sin estimado']]),
        pl.risk_notes ? el('p', { class: 'muted' }, pl.risk_notes) : null,
        editPlot && editPlot.panel,
        canWrite(ctx.me) ? estimateForm(pl, () => load('Estimado guardado.')) : null);
    });
    const deliveries = pagedTable({
      caption: 'Entregas',
      emptyText: 'Este productor no tiene entregas.',
      columns: [
        { label: 'Ticket', cell: (r) => el('a', { href: docHref('recepcion', r.id) }, r.number_text) },
        { label: 'Fecha', cell: (r) => date(r.issued_on) },
        { label: 'Entrega', cell: (r) => r.delivery_code },
        { label: 'Estatus', cell: (r) => statusLabel(r.status) },
        { label: 'Kilos netos', class: 'num', cell: (r) => num(r.net_kg) },
        { label: 'QQ', class: 'num', cell: (r) => num(r.qq) },
        { label: 'Nota', cell: (r) => (r.note ? el('a', { href: docHref('nota', r.note.id) }, String(r.note.number)) : '') },
        { label: 'Estado', cell: (r) => (r.annulled ? badge('Anulado', 'bad') : r.over_estimate ? badge('Sobre lo estimado', 'warn') : badge('Vigente', 'ok')) },
      ],
      load: page('/receptions', { producer_id: p.id }),
    });
    replace(node,
      el('p', null, el('a', { href: '/acopio/productores' }, '← Volver a productores')),
      head(p.full_name, edit), msg, edit && edit.panel,
      facts([['DNI', p.dni], ['Sexo', p.sex === 'F' ? 'Femenino' : 'Masculino'], ['Estatus', statusLabel(p.status)],
        ['Programas', programs(p.programs) || '—'], ['Otras certificaciones', (p.other_certifications || []).join(', ') || '—'],
        ['Caserío', p.caserio], ['Distrito', p.district], ['Provincia', p.province], ['Región', p.region], ['Dirección', p.address],
        ['Teléfono', p.phone], ['Estado', p.active ? 'Activo' : 'Inactivo']]),
      head('Parcelas', newPlot), newPlot && newPlot.panel,
      plots.length ? el('div', { class: 'plots' }, plots) : el('p', { class: 'empty' }, 'Sin parcelas registradas.'),
      head('Entregas'),
      el('p', { class: 'downloads' }, csvLink(`/purchase-settlements.csv?producer_id=${p.id}`, 'Registro de ventas del productor (CSV)')),
      deliveries.node);
    if (text) msg.show(text);
  }
  load();
  return node;
}

// ---------- LPA ----------

export function lpaView(ctx) {
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
    { label: 'Estado', cell: (x) => (x.withdrawn ? el('span', null, badge('Retirado', 'bad'), ` ${date(x.withdrawn_on)}: ${x.withdrawn_reason}`) : badge('Aprobado', 'ok')) },
  ];
  if (canWrite(ctx.me)) {
    columns.push({ label: 'Acciones', cell: (x) => !x.withdrawn && el('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: () => withdraw(x) }, 'Retirar') });
  }
  const list = pagedTable({ caption: 'Lista de productores aprobados', key: (x) => x.producer_id, emptyText: 'Nadie aprobado en esta campaña.', columns, load: (c) => page('/lpa', { campaign })(c) });
  const drawLinks = () => replace(links,
    el('a', { href: printHref('lpa', campaign), target: '_blank', rel: 'noopener' }, `Imprimir LPA ${campaign}`),
    csvLink(`/lpa.csv?campaign=${encodeURIComponent(campaign)}`, 'Exportar LPA (CSV)'));
  const go = el('button', { type: 'submit', class: 'btn' }, 'Ver campaña');
  const pick = el('form', { class: 'filters', novalidate: true },
    input({ label: 'Campaña', name: 'campaign', inputmode: 'numeric', maxlength: 4, value: campaign, noOpt: true }), el('div', { class: 'actions' }, go));
  onSubmit(pick, go, () => val(pick, 'campaign'), (c) => {
    campaign = c;
    history.replaceState(null, '', `/acopio/lpa?campana=${encodeURIComponent(c)}`);
    drawLinks();
    list.reload();
  });
  drawLinks();

  const withdraw = (x) => reasonDialog(`Retirar a ${x.full_name} de la LPA ${campaign}`, null, 'Retirar',
    (reason) => api.post('/lpa/withdraw', { campaign: Number(campaign), producer_id: x.producer_id, reason }))
    .then((r) => { if (r) { list.replaceRow(r); msg.show(`${x.full_name} retirado de la LPA ${campaign}.`); } });

  const approve = panel(ctx, 'Aprobar productor', (close) => {
    const send = api.submission();
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Aprobar en la LPA');
    const form = el('form', { class: 'form-grid', novalidate: true },
      input({ label: 'DNI del productor', name: 'dni', required: true, inputmode: 'numeric', maxlength: 8 }),
      input({ label: 'Fecha de aprobación', name: 'approved_on', type: 'date', required: true, value: today() }),
      actions(submit, close));
    onSubmit(form, submit, async () => {
      let p;
      try { p = await api.get(`/producers/by-dni/${api.seg(val(form, 'dni'))}`); } catch (err) {
        throw fail('Revise el DNI.', 'dni', err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail);
      }
      try { return await send('/lpa', { campaign: Number(campaign), producer_id: p.id, approved_on: val(form, 'approved_on') }); } catch (err) {
        throw Object.assign(err, { errors: err.errors.map((e) => (e.field === 'producer_id' ? { ...e, field: 'dni' } : e)) });
      }
    }, (r) => { form.reset(); close(); msg.show(`${r.full_name} aprobado en la LPA ${campaign}.`); list.reload(); });
    return form;
  });
  return el('div', null, head('Lista de productores aprobados', approve), approve && approve.panel, msg, pick, links, list.node);
}

// ---------- certifications ----------

export function certsView(ctx) {
  const msg = notice();
  const list = pagedTable({
    caption: 'Certificaciones',
    emptyText: 'No hay certificaciones registradas.',
    columns: [
      { label: 'Certificadora', cell: (c) => c.certifier },
      { label: 'Programa', cell: (c) => programs([c.program]) },
      { label: 'Código', cell: (c) => el('span', { class: 'mono' }, c.code) },
      { label: 'Desde', cell: (c) => date(c.valid_from) },
      { label: 'Hasta', cell: (c) => date(c.valid_to) },
      { label: 'Hoy', cell: (c) => (c.valid_from <= today() && today() <= c.valid_to ? badge('Vigente', 'ok') : badge('No vigente')) },
    ],
    load: page('/certifications'),
  });
  const create = panel(ctx, 'Nueva certificación', (close) => {
    const send = api.submission();
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Registrar certificación');
    const form = el('form', { class: 'form-grid', novalidate: true },
      input({ label: 'Certificadora', name: 'certifier', required: true, maxlength: 120 }),
      input({ label: 'Programa', name: 'program', required: true, options: PROGRAMS }),
      input({ label: 'Código del certificado', name: 'code', required: true, maxlength: 60, placeholder: 'CU835641' }),
      input({ label: 'Válida desde', name: 'valid_from', type: 'date', required: true }),
      input({ label: 'Válida hasta', name: 'valid_to', type: 'date', required: true }),
      actions(submit, close));
    onSubmit(form, submit, () => send('/certifications', Object.fromEntries(['certifier', 'program', 'code', 'valid_from', 'valid_to'].map((n) => [n, val(form, n)]))),
      (c) => { form.reset(); close(); msg.show(`Certificación ${c.code} registrada.`); list.reload(); });
    return form;
  });
  return el('div', null, head('Certificaciones de la organización', create), create && create.panel, msg, list.node);
}

// ---------- CSV import ----------

function importBox(title, path, hint) {
  const file = el('input', { type: 'file', accept: '.csv,text/csv', 'aria-label': `Archivo CSV de ${title.toLowerCase()}` });
  const bar = el('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Progreso de la subida' });
  const out = el('div', { 'aria-live': 'polite' });
  const say = (t) => replace(out, el('p', { class: 'muted' }, t));
  const go = el('button', { type: 'button', class: 'btn btn-primary' }, `Importar ${title.toLowerCase()}`);
  go.addEventListener('click', () => busy(go, async () => {
    const f = file.files[0];
    if (!f) { replace(out, problem(null, 'Elija un archivo CSV.')); return; }
    bar.hidden = false;
    bar.value = 0;
    say(`Subiendo ${f.name}…`);
    try {
      const r = await api.upload(path, f, 'text/csv', (x) => { bar.value = Math.round(x * 100); if (x >= 1) say('Procesando en el servidor…'); });
      bar.value = 100;
      replace(out, el('div', { class: 'alert alert-ok', role: 'status' },
        `Importación completa: ${r.rows} filas · ${r.created} nuevos · ${r.updated} actualizados · ${r.unchanged || 0} sin cambios.`));
    } catch (err) {
      bar.hidden = true;
      replace(out, problem(err, 'No se pudo importar.'), err.errors.length ? table([
        { label: 'Línea', class: 'num', cell: (e) => String(e.line ?? '') },
        { label: 'Columna', class: 'num', cell: (e) => String(e.column ?? '') },
        { label: 'Campo', cell: (e) => e.field || '' },
        { label: 'Problema', cell: (e) => e.detail || e.code },
      ], err.errors, 'Errores del archivo') : null);
    }
  }));
  return el('section', { class: 'panel import' }, el('h3', null, title), el('p', { class: 'hint' }, hint), el('div', { class: 'actions' }, file, go), bar, out);
}

export function importView() {
  return el('div', null, el('h2', null, 'Importar desde CSV'),
    el('p', { class: 'lead' }, 'Archivos guardados desde Excel (UTF-8 o Latin-1, separados por «;» o «,»), con los encabezados de la exportación. Todo o nada: si una línea tiene errores no se importa ninguna y se listan los problemas.'),
    el('p', { class: 'downloads' }, csvLink('/producers.csv', 'Plantilla: exportar productores (CSV)'), csvLink('/plots.csv', 'Plantilla: exportar parcelas (CSV)')),
    importBox('Productores', '/producers/import', 'Se actualiza el productor con el mismo DNI; los demás se crean.'),
    importBox('Parcelas', '/plots/import', 'Se actualiza la parcela del mismo DNI y nombre; las demás se crean.'));
}

// ---------- settings (admin) ----------

export function settingsView(ctx) {
  const node = el('div', null, el('p', { class: 'muted' }, 'Cargando…'));
  const msg = notice();
  if (!isAdmin(ctx.me)) return node;
  api.getWithEtag('/settings').then(({ data: s, etag }) => {
    let tag = etag;
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Guardar configuración');
    const field = (label, name, more) => input({ label, name, value: String(s[name]), noOpt: true, inputmode: 'decimal', ...more });
    const form = el('form', { class: 'form-grid', novalidate: true },
      field('Humedad mínima de compra (%)', 'humidity_min'), field('Humedad máxima de compra (%)', 'humidity_max'),
      field('Fuera de rango', 'humidity_policy', { options: [['warn', 'Advertir y pedir confirmación'], ['refuse', 'Rechazar']] }),
      field('Tolerancia sobre lo estimado (%)', 'estimate_tolerance_pct', { inputmode: 'numeric' }),
      field('IGV de las liquidaciones (%)', 'igv_rate_pct'),
      field('Lugar de venta', 'place_of_sale', { inputmode: undefined, hint: 'Se imprime en la liquidación de compra.' }),
      actions(submit));
    onSubmit(form, submit, async () => {
      const b = { humidity_policy: val(form, 'humidity_policy'), place_of_sale: val(form, 'place_of_sale'), estimate_tolerance_pct: Number(val(form, 'estimate_tolerance_pct')) };
      for (const n of ['humidity_min', 'humidity_max', 'igv_rate_pct']) b[n] = dot(val(form, n));
      const r = await api.request('PATCH', '/settings', { body: b, ifMatch: tag });
      tag = r.headers.get('ETag');
      return r.data;
    }, () => msg.show('Configuración guardada. Rige para las recepciones nuevas.'));
    replace(node, el('h2', null, 'Configuración de compra'), msg, form);
  }, (err) => replace(node, problem(err, 'No se pudo cargar la configuración.')));
  return node;
}
