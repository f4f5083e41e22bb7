// Acopio › Recepción: the clerk's screen. DNI first, Enter moves field to field,
// net kg, QQ and the sample percentages computed live with exact integers.
import * as api from './api.js';
import { el, replace, clear, busy, clearFormError } from './ui.js';
import { scaled, show, round, qqCenti, pctCenti, today, statusLabel, programs, num } from './fmt.js';
import { input, radios, formError, enterAdvances, focusNext, badge, qs } from './acopio-util.js';
import { chain } from './acopio-docs.js';

let policy = null; // {min, max, refuse} humidity range in tenths, from GET /settings

async function loadPolicy() {
  if (policy) return policy;
  let s = {};
  try { s = (await api.get('/settings')) || {}; } catch { /* defaults */ }
  const tenth = (v, d) => { const x = scaled(v == null ? '' : String(v), 1); return x === null ? d : x; };
  policy = { min: tenth(s.humidity_min, 100n), max: tenth(s.humidity_max, 135n), refuse: s.humidity_policy === 'refuse', place: s.place_of_sale || '' };
  return policy;
}

const STATUSES = [['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']];

export function receptionView(ctx) {
  const root = el('div', { class: 'reception' });
  let producer = null;   // GET /producers/by-dni answer (with plots)
  let onLpa = null;      // true | false | null (unknown)
  let touched = false;   // the clerk chose the status by hand
  let lookupSeq = 0;
  const weigher = ctx.me.user.display_name || ctx.me.user.username;

  const card = el('div', { class: 'producer-card', 'aria-live': 'polite' });
  const lookupBtn = el('button', { type: 'button', class: 'btn' }, 'Buscar');
  const nameBtn = el('button', { type: 'button', class: 'btn btn-link', 'aria-expanded': 'false' }, 'Buscar por nombre');
  const nameQ = el('input', { type: 'search', 'aria-label': 'Nombre o apellido del productor', placeholder: 'Nombre o apellido', autocomplete: 'off' });
  const nameList = el('ul', { class: 'pick-list', 'aria-live': 'polite' });
  const namePanel = el('div', { class: 'name-search', hidden: true }, nameQ, nameList);
  const plotField = input({ label: 'Parcela (fundo)', name: 'plot_id', options: [['', 'Sin parcela']] });
  const netOut = el('output', { class: 'big' }, '—');
  const qqOut = el('output', { class: 'big' }, '—');
  const weightWarn = el('p', { class: 'field-error', hidden: true });
  const pctOut = { exportable_g: el('output'), discard_g: el('output'), husk_g: el('output') };
  const sampleWarn = el('p', { class: 'alert alert-warn', role: 'status', hidden: true });
  const humWarn = el('p', { class: 'alert alert-warn', role: 'status', hidden: true });
  const confirm = el('label', { class: 'check confirm', hidden: true },
    el('input', { type: 'checkbox', name: 'confirm_humidity', 'data-enter': 'next' }), ' Confirmar humedad fuera de rango');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, 'Emitir ticket');

  const part = (name, label) => el('div', { class: 'part' },
    input({ label, name, inputmode: 'numeric', maxlength: 7, noOpt: true }), el('span', { class: 'pct' }, pctOut[name], ' %'));

  const form = el('form', { class: 'reception-form', novalidate: true, 'aria-label': 'Control de recepción de materia prima' },
    el('fieldset', { class: 'block' }, el('legend', null, 'Productor'),
      el('div', { class: 'dni-row' },
        input({ label: 'DNI', name: 'dni', required: true, inputmode: 'numeric', maxlength: 8, hint: '8 dígitos; Enter busca al productor.', cls: 'dni' }),
        lookupBtn, nameBtn),
      namePanel, card, plotField),
    el('fieldset', { class: 'block' }, el('legend', null, 'Entrega'),
      el('div', { class: 'grid3' },
        input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Código de entrega', name: 'delivery_code', maxlength: 40, placeholder: 'E01-17' })),
      radios('status', 'Estatus del café', STATUSES, 'conventional')),
    el('fieldset', { class: 'block' }, el('legend', null, 'Pesado del café'),
      el('div', { class: 'grid3' },
        input({ label: 'Sacos', name: 'sacks', required: true, inputmode: 'numeric', maxlength: 5 }),
        input({ label: 'Kilos brutos', name: 'gross_kg', required: true, inputmode: 'decimal', maxlength: 12 }),
        input({ label: 'Tara total (kg)', name: 'tare_kg', required: true, inputmode: 'decimal', maxlength: 12, value: '0' })),
      el('div', { class: 'computed' },
        el('div', null, el('span', null, 'Kilos netos'), netOut),
        el('div', null, el('span', null, 'QQ (55,2 kg)'), qqOut)),
      weightWarn),
    el('fieldset', { class: 'block' }, el('legend', null, 'Análisis físico (gramos)'),
      el('div', { class: 'grid4' },
        input({ label: 'Muestra total', name: 'sample_g', inputmode: 'numeric', maxlength: 7, hint: 'Vacío: la suma de las partes.' }),
        part('exportable_g', 'Exportable'), part('discard_g', 'Segunda y descarte'), part('husk_g', 'Cáscara')),
      sampleWarn),
    el('fieldset', { class: 'block' }, el('legend', null, 'Humedad y observaciones'),
      el('div', { class: 'grid3' },
        el('div', null, input({ label: 'Humedad (%)', name: 'humidity', required: true, inputmode: 'decimal', maxlength: 5 }), humWarn, confirm),
        input({ label: 'Observaciones', name: 'observations', maxlength: 500 }),
        input({ label: 'Pesado por', name: 'weighed_by', maxlength: 120, value: weigher })),
      el('div', { class: 'actions' }, submit)));

  const F = form.elements;
  const statusRadio = (v) => form.querySelector(`input[name="status"][value="${v}"]`);
  const campaign = () => (F.issued_on.value || today()).slice(0, 4);

  // ---- producer ----
  function setStatus() {
    if (touched || !producer) return;
    const v = producer.status === 'organic' && onLpa === true ? 'organic'
      : producer.status === 'transition' ? 'transition' : 'conventional';
    statusRadio(v).checked = true;
  }

  function drawCard() {
    if (!producer) { clear(card); return; }
    const p = producer;
    const lpa = onLpa === null ? badge('LPA: sin verificar')
      : onLpa ? badge(`En la LPA ${campaign()}`, 'ok') : badge(`No está en la LPA ${campaign()}`, 'bad');
    let note = null;
    if (!p.active) note = 'Productor inactivo: no puede entregar.';
    else if (p.status === 'organic' && onLpa === false) note = `No está en la Lista de Productores Aprobados de ${campaign()}: solo puede recibirse como convencional.`;
    else if (p.status === 'transition') note = 'Productor en transición: su café se recibe como en transición o convencional, nunca como orgánico.';
    replace(card, el('div', { class: 'pc-main' },
      el('strong', { class: 'pc-name' }, p.full_name || `${p.first_names} ${p.last_names}`),
      el('span', null, `DNI ${p.dni}`), p.caserio ? el('span', null, `Caserío ${p.caserio}`) : null),
    el('div', { class: 'badges' }, badge(statusLabel(p.status), p.status === 'organic' ? 'ok' : 'off'),
      (p.programs || []).length ? badge(programs(p.programs)) : null, lpa),
    note ? el('p', { class: 'alert alert-warn' }, note) : null);
  }

  async function checkLpa() {
    if (!producer) return;
    const mine = ++lookupSeq;
    onLpa = null;
    drawCard();
    try {
      const r = await api.get(`/producers${qs({ q: producer.dni, campaign: campaign(), lpa: 1, limit: 5 })}`);
      if (mine !== lookupSeq) return;
      onLpa = ((r && r.items) || []).some((x) => x.id === producer.id);
    } catch { if (mine !== lookupSeq) return; onLpa = null; }
    drawCard();
    setStatus();
  }

  function setProducer(p) {
    producer = p;
    touched = false;
    F.dni.value = p ? p.dni : F.dni.value;
    const sel = F.plot_id;
    const plots = ((p && p.plots) || []).filter((x) => x.active !== false);
    sel.replaceChildren(el('option', { value: '' }, 'Sin parcela'), ...plots.map((x) => el('option', { value: String(x.id) }, x.name)));
    if (plots.length === 1) sel.value = String(plots[0].id);
    drawCard();
    if (p) checkLpa();
  }

  async function lookup() {
    const dni = F.dni.value.trim();
    clearFormError(form);
    if (!/^\d{8}$/.test(dni)) { formError(form, { detail: 'Revise el DNI.', errors: [{ field: 'dni', detail: 'El DNI tiene 8 dígitos.' }] }); return false; }
    if (producer && producer.dni === dni) return true;
    producer = null;
    replace(card, el('p', { class: 'muted' }, 'Buscando…'));
    try {
      setProducer(await api.get(`/producers/by-dni/${api.seg(dni)}`));
      return true;
    } catch (err) {
      setProducer(null);
      formError(form, err.status === 404
        ? { detail: `No hay un productor con DNI ${dni} en el padrón.`, errors: [{ field: 'dni', detail: 'DNI no registrado. Búsquelo por nombre o regístrelo en Productores.' }] }
        : err);
      F.dni.focus();
      return false;
    }
  }

  lookupBtn.addEventListener('click', () => busy(lookupBtn, async () => { if (await lookup()) F.plot_id.focus(); }));
  F.dni.addEventListener('change', () => { if (/^\d{8}$/.test(F.dni.value.trim())) lookup(); });

  // Name search with a results list.
  nameBtn.addEventListener('click', () => {
    const open = namePanel.hidden;
    namePanel.hidden = !open;
    nameBtn.setAttribute('aria-expanded', String(open));
    if (open) nameQ.focus();
  });
  let timer = null;
  let nameSeq = 0;
  async function searchNames() {
    const q = nameQ.value.trim();
    const mine = ++nameSeq;
    if (q.length < 2) { clear(nameList); return; }
    try {
      const r = await api.get(`/producers${qs({ q, active: 1, limit: 10 })}`);
      if (mine !== nameSeq) return;
      const items = (r && r.items) || [];
      replace(nameList, items.length ? items.map((p) => el('li', null, el('button', {
        type: 'button', class: 'pick',
        onclick: async () => {
          namePanel.hidden = true;
          nameBtn.setAttribute('aria-expanded', 'false');
          try { setProducer(await api.get(`/producers/${api.seg(p.id)}`)); F.plot_id.focus(); } catch (err) { formError(form, err); }
        },
      }, el('strong', null, p.full_name), ` · DNI ${p.dni}${p.caserio ? ` · ${p.caserio}` : ''}`)))
        : el('li', { class: 'muted' }, 'Sin resultados.'));
    } catch (err) { replace(nameList, el('li', { class: 'field-error' }, err.detail)); }
  }
  nameQ.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(searchNames, 250); });
  nameQ.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); searchNames(); }
    if (e.key === 'Escape') { namePanel.hidden = true; nameBtn.focus(); }
  });

  // ---- live figures ----
  function compute() {
    const v = (n, s) => scaled(F[n].value, s);
    const gross = v('gross_kg', 3);
    const tare = F.tare_kg.value.trim() === '' ? 0n : v('tare_kg', 3);
    weightWarn.hidden = true;
    let net = null;
    if (gross !== null && tare !== null) {
      net = gross - tare;
      if (net <= 0n) { weightWarn.textContent = 'La tara debe ser menor que el peso bruto.'; weightWarn.hidden = false; net = null; }
    }
    netOut.value = net === null ? '—' : show(round(net, 3, 2), 2);
    qqOut.value = net === null ? '—' : show(qqCenti(net), 2);

    const parts = ['exportable_g', 'discard_g', 'husk_g'].map((n) => (F[n].value.trim() === '' ? 0n : v(n, 0)));
    const typed = F.sample_g.value.trim() !== '';
    const total = typed ? v('sample_g', 0) : null;
    const sum = parts.every((x) => x !== null) ? parts.reduce((a, b) => a + b, 0n) : null;
    const base = typed ? total : sum;
    F.sample_g.placeholder = sum !== null && sum > 0n ? String(sum) : '';
    ['exportable_g', 'discard_g', 'husk_g'].forEach((n, i) => {
      pctOut[n].value = base && parts[i] !== null ? show(pctCenti(parts[i], base), 2) : '—';
    });
    sampleWarn.hidden = !(typed && total !== null && sum !== null && total !== sum);
    if (!sampleWarn.hidden) sampleWarn.textContent = `Las partes suman ${show(sum, 0)} g, pero la muestra total es ${show(total, 0)} g.`;

    const h = v('humidity', 1);
    const out = h !== null && policy && (h < policy.min || h > policy.max);
    humWarn.hidden = !out;
    if (out) {
      humWarn.textContent = `Humedad fuera del rango de compra (${show(policy.min, 1)} – ${show(policy.max, 1)} %)${policy.refuse ? ': no se puede recibir.' : ': confirme para recibir.'}`;
      if (!policy.refuse) confirm.hidden = false;
    } else if (h !== null) {
      confirm.hidden = true;
      F.confirm_humidity.checked = false;
    }
    return { gross, tare, net, parts, total: base };
  }
  form.addEventListener('input', compute);
  F.issued_on.addEventListener('change', () => { if (producer) checkLpa(); });
  form.addEventListener('change', (e) => { if (e.target.name === 'status') touched = true; });

  enterAdvances(form, (t) => {
    if (t.name !== 'dni') return true;
    lookup().then((ok) => { if (ok) focusNext(form, t); });
    return false;
  });

  // ---- submit ----
  function body() {
    const errors = [];
    const need = (name, ok, detail) => { if (!ok) errors.push({ field: name, detail }); };
    const c = compute();
    const val = (n) => F[n].value.trim();
    need('dni', !!producer, 'Busque al productor por DNI o por nombre.');
    need('issued_on', /^\d{4}-\d{2}-\d{2}$/.test(val('issued_on')), 'Indique la fecha.');
    need('sacks', /^\d{1,5}$/.test(val('sacks')) && Number(val('sacks')) >= 1, 'Número entero de sacos, al menos 1.');
    need('gross_kg', c.gross !== null && c.gross > 0n, 'Kilos con hasta 3 decimales, por ejemplo 474 o 474,5.');
    need('tare_kg', c.tare !== null, 'Kilos con hasta 3 decimales, por ejemplo 1,4.');
    ['sample_g', 'exportable_g', 'discard_g', 'husk_g'].forEach((n) => need(n, val(n) === '' || /^\d{1,7}$/.test(val(n)), 'Gramos enteros.'));
    need('humidity', scaled(val('humidity'), 1) !== null, 'Porcentaje con un decimal, por ejemplo 12,5.');
    const status = (form.querySelector('input[name="status"]:checked') || {}).value;
    need('status', !!status, 'Elija el estatus.');
    if (errors.length) { formError(form, { detail: 'Revise los datos marcados.', errors }); return null; }
    const dot = (s) => s.replace(',', '.');
    const b = {
      producer_id: producer.id,
      issued_on: val('issued_on'),
      delivery_code: val('delivery_code'),
      status,
      sacks: Number(val('sacks')),
      gross_kg: dot(val('gross_kg')),
      tare_kg: dot(val('tare_kg') || '0'),
      humidity: dot(val('humidity')),
      observations: val('observations'),
      weighed_by: val('weighed_by'),
    };
    if (F.plot_id.value) b.plot_id = Number(F.plot_id.value);
    if (c.total !== null && c.total > 0n) {
      b.sample_g = Number(c.total);
      [b.exportable_g, b.discard_g, b.husk_g] = c.parts.map(Number);
    }
    if (!confirm.hidden && F.confirm_humidity.checked) b.confirm_humidity = true;
    return b;
  }

  const send = api.submission();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const b = body();
    if (!b) return;
    busy(submit, async () => {
      try {
        const r = await send('/receptions', b);
        done(r);
      } catch (err) {
        const code = err.errors && err.errors[0] && err.errors[0].code;
        if (code === 'humidity_confirmation_required') {
          confirm.hidden = false;
          humWarn.hidden = false;
          humWarn.textContent = err.errors[0].detail || err.detail;
        }
        formError(form, err, { producer_id: 'dni' });
        if (code === 'humidity_confirmation_required') F.confirm_humidity.focus();
      }
    });
  });

  // ---- after the ticket: note, stickers, settlement ----
  const after = el('div', { class: 'after', hidden: true });
  function done(reception) {
    form.hidden = true;
    after.hidden = false;
    const again = el('button', { type: 'button', class: 'btn btn-primary' }, 'Nueva recepción');
    again.addEventListener('click', reset);
    replace(after,
      el('div', { class: 'alert alert-ok', role: 'status' },
        el('strong', null, `Ticket n.º ${reception.number_text} emitido. `),
        `${reception.producer.full_name}: ${num(reception.net_kg)} kg netos, ${num(reception.qq)} QQ.`,
        reception.humidity_warning ? ' Humedad observada.' : '', reception.over_estimate ? ' Supera lo estimado de sus parcelas: queda observada.' : ''),
      chain(ctx, { reception }, { placeOfSale: policy && policy.place }),
      el('div', { class: 'actions' }, again));
    const first = after.querySelector('input');
    (first || again).focus();
  }

  function reset() {
    const keep = { issued_on: F.issued_on.value, weighed_by: F.weighed_by.value };
    form.reset();
    Object.assign(F.issued_on, { value: keep.issued_on });
    F.weighed_by.value = keep.weighed_by;
    confirm.hidden = true;
    setProducer(null);
    clearFormError(form);
    compute();
    after.hidden = true;
    form.hidden = false;
    F.dni.focus();
  }

  loadPolicy().then(compute);
  root.append(form, after);
  return root;
}
