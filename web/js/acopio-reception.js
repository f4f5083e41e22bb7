// Acopio › Recepción: the clerk's screen. DNI first, Enter moves field to field,
// net kg, QQ and the sample percentages computed live with exact integers.
import * as api from './api.js';
import { el, replace, clear, busy, clearFormError } from './ui.js';
import { scaled, show, round, qqCenti, pctCenti, today, statusLabel, programs, num } from './fmt.js';
import { input, choices, formError, enterAdvances, focusNext, badge, qs, fail } from './acopio-util.js';
import { chain } from './acopio-docs.js';

let policy = null; // purchase settings: humidity range (tenths), refuse or warn, place of sale

async function loadPolicy() {
  if (!policy) {
    let s = {};
    try { s = (await api.get('/settings')) || {}; } catch { /* the defaults below */ }
    const tenths = (v, d) => scaled(v == null ? '' : String(v), 1) ?? d;
    policy = { min: tenths(s.humidity_min, 100n), max: tenths(s.humidity_max, 135n), refuse: s.humidity_policy === 'refuse', place: s.place_of_sale || '' };
  }
  return policy;
}

const PARTS = [['exportable_g', 'Exportable'], ['discard_g', 'Segunda y descarte'], ['husk_g', 'Cáscara']];

export function receptionView(ctx) {
  let producer = null; // GET /producers/by-dni answer, with plots
  let onLpa = null;    // on the LPA of the date's campaign: true | false | null (unknown)
  let touched = false; // the clerk chose the status by hand
  let lpaSeq = 0;

  const card = el('div', { class: 'producer-card', 'aria-live': 'polite' });
  const lookupBtn = el('button', { type: 'button', class: 'btn' }, 'Buscar');
  const nameBtn = el('button', { type: 'button', class: 'btn btn-link', 'aria-expanded': 'false' }, 'Buscar por nombre');
  const nameQ = el('input', { type: 'search', 'aria-label': 'Nombre o apellido del productor', placeholder: 'Nombre o apellido', autocomplete: 'off' });
  const nameList = el('ul', { class: 'pick-list', 'aria-live': 'polite' });
  const namePanel = el('div', { class: 'name-search', hidden: true }, nameQ, nameList);
  const out = (big) => el('output', { class: big && 'big' }, '—');
  const netOut = out(1);
  const qqOut = out(1);
  const pctOut = Object.fromEntries(PARTS.map(([n]) => [n, out()]));
  const weightWarn = el('p', { class: 'field-error', hidden: true });
  const sampleWarn = el('p', { class: 'alert alert-warn', role: 'status', hidden: true });
  const humWarn = el('p', { class: 'alert alert-warn', role: 'status', hidden: true });
  const confirm = el('label', { class: 'check confirm', hidden: true },
    el('input', { type: 'checkbox', name: 'confirm_humidity', 'data-enter': 'next' }), ' Confirmar humedad fuera de rango');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, 'Emitir ticket');
  const num5 = (label, name, more) => input({ label, name, inputmode: 'decimal', maxlength: 12, required: true, ...more });
  const block = (legend, ...body) => el('fieldset', { class: 'block' }, el('legend', null, legend), body);

  const form = el('form', { class: 'reception-form', novalidate: true, 'aria-label': 'Control de recepción de materia prima' },
    block('Productor',
      el('div', { class: 'dni-row' },
        input({ label: 'DNI', name: 'dni', required: true, inputmode: 'numeric', maxlength: 8, hint: '8 dígitos; Enter busca al productor.', cls: 'dni' }),
        lookupBtn, nameBtn),
      namePanel, card,
      input({ label: 'Parcela (fundo)', name: 'plot_id', options: [['', 'Sin parcela']] })),
    block('Entrega',
      el('div', { class: 'grid3' },
        input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Código de entrega', name: 'delivery_code', maxlength: 40, placeholder: 'E01-17' })),
      choices('status', 'Estatus del café', [['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']], 'conventional')),
    block('Pesado del café',
      el('div', { class: 'grid3' },
        num5('Sacos', 'sacks', { inputmode: 'numeric', maxlength: 5 }), num5('Kilos brutos', 'gross_kg'), num5('Tara total (kg)', 'tare_kg', { value: '0' })),
      el('div', { class: 'computed' }, el('div', null, el('span', null, 'Kilos netos'), netOut), el('div', null, el('span', null, 'QQ (55,2 kg)'), qqOut)),
      weightWarn),
    block('Análisis físico (gramos)',
      el('div', { class: 'grid4' },
        input({ label: 'Muestra total', name: 'sample_g', inputmode: 'numeric', maxlength: 7, hint: 'Vacío: la suma de las partes.' }),
        PARTS.map(([n, l]) => el('div', { class: 'part' }, input({ label: l, name: n, inputmode: 'numeric', maxlength: 7, noOpt: true }),
          el('span', { class: 'pct' }, pctOut[n], ' %')))),
      sampleWarn),
    block('Humedad y observaciones',
      el('div', { class: 'grid3' },
        el('div', null, num5('Humedad (%)', 'humidity', { maxlength: 5 }), humWarn, confirm),
        input({ label: 'Observaciones', name: 'observations', maxlength: 500 }),
        input({ label: 'Pesado por', name: 'weighed_by', maxlength: 120, value: ctx.me.user.display_name || ctx.me.user.username })),
      el('div', { class: 'actions' }, submit)));

  const F = form.elements;
  const campaign = () => (F.issued_on.value || today()).slice(0, 4);

  // ---- producer ----
  function drawCard() {
    const p = producer;
    if (!p) { clear(card); return; }
    let note = null;
    if (!p.active) note = 'Productor inactivo: no puede entregar.';
    else if (p.status === 'organic' && onLpa === false) note = `No está en la Lista de Productores Aprobados de ${campaign()}: solo puede recibirse como convencional.`;
    else if (p.status === 'transition') note = 'Productor en transición: su café se recibe como en transición o convencional, nunca como orgánico.';
    replace(card,
      el('div', { class: 'pc-main' }, el('strong', { class: 'pc-name' }, p.full_name), el('span', null, `DNI ${p.dni}`), p.caserio ? el('span', null, `Caserío ${p.caserio}`) : null),
      el('div', { class: 'badges' }, badge(statusLabel(p.status), p.status === 'organic' ? 'ok' : 'off'),
        (p.programs || []).length ? badge(programs(p.programs)) : null,
        onLpa === null ? badge('LPA: sin verificar') : onLpa ? badge(`En la LPA ${campaign()}`, 'ok') : badge(`No está en la LPA ${campaign()}`, 'bad')),
      note ? el('p', { class: 'alert alert-warn' }, note) : null);
    if (!touched) {
      const v = p.status === 'organic' && onLpa ? 'organic' : p.status === 'transition' ? 'transition' : 'conventional';
      form.querySelector(`input[name="status"][value="${v}"]`).checked = true;
    }
  }

  async function checkLpa() {
    const mine = ++lpaSeq;
    onLpa = null;
    drawCard();
    let on = null;
    try {
      const r = await api.get(`/producers${qs({ q: producer.dni, campaign: campaign(), lpa: 1, limit: 5 })}`);
      on = r.items.some((x) => x.id === producer.id);
    } catch { /* unknown */ }
    if (mine === lpaSeq && producer) { onLpa = on; drawCard(); }
  }

  function setProducer(p) {
    producer = p;
    touched = false;
    const plots = ((p && p.plots) || []).filter((x) => x.active !== false);
    F.plot_id.replaceChildren(el('option', { value: '' }, 'Sin parcela'), ...plots.map((x) => el('option', { value: String(x.id) }, x.name)));
    if (plots.length === 1) F.plot_id.value = String(plots[0].id);
    if (p) { F.dni.value = p.dni; checkLpa(); } else clear(card);
  }

  async function lookup() {
    const dni = F.dni.value.trim();
    clearFormError(form);
    if (!/^\d{8}$/.test(dni)) { formError(form, fail('Revise el DNI.', 'dni', 'El DNI tiene 8 dígitos.')); return false; }
    if (producer && producer.dni === dni) return true;
    producer = null;
    replace(card, el('p', { class: 'muted' }, 'Buscando…'));
    try {
      setProducer(await api.get(`/producers/by-dni/${api.seg(dni)}`));
      return true;
    } catch (err) {
      setProducer(null);
      formError(form, err.status === 404 ? fail(`No hay un productor con DNI ${dni} en el padrón.`, 'dni', 'DNI no registrado: búsquelo por nombre o regístrelo en Productores.') : err);
      return false;
    }
  }
  lookupBtn.addEventListener('click', () => busy(lookupBtn, async () => { if (await lookup()) F.plot_id.focus(); }));
  F.dni.addEventListener('change', () => { if (/^\d{8}$/.test(F.dni.value.trim())) lookup(); });

  // Name search with a results list.
  const openNames = (open) => { namePanel.hidden = !open; nameBtn.setAttribute('aria-expanded', String(open)); };
  nameBtn.addEventListener('click', () => { openNames(namePanel.hidden); if (!namePanel.hidden) nameQ.focus(); });
  let timer = null;
  let nameSeq = 0;
  async function searchNames() {
    const q = nameQ.value.trim();
    const mine = ++nameSeq;
    if (q.length < 2) { clear(nameList); return; }
    try {
      const items = (await api.get(`/producers${qs({ q, active: 1, limit: 10 })}`)).items || [];
      if (mine !== nameSeq) return;
      replace(nameList, items.length ? items.map((p) => el('li', null, el('button', {
        type: 'button', class: 'pick',
        onclick: async () => {
          openNames(false);
          try { setProducer(await api.get(`/producers/${api.seg(p.id)}`)); F.plot_id.focus(); } catch (err) { formError(form, err); }
        },
      }, el('strong', null, p.full_name), ` · DNI ${p.dni}${p.caserio ? ` · ${p.caserio}` : ''}`))) : el('li', { class: 'muted' }, 'Sin resultados.'));
    } catch (err) { replace(nameList, el('li', { class: 'field-error' }, err.detail)); }
  }
  nameQ.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(searchNames, 250); });
  nameQ.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); searchNames(); }
    if (e.key === 'Escape') { openNames(false); nameBtn.focus(); }
  });

  // ---- live figures (grams, tenths: BigInt) ----
  const g = (n, scale) => (F[n].value.trim() === '' ? null : scaled(F[n].value, scale));
  function compute() {
    const gross = g('gross_kg', 3);
    const tare = F.tare_kg.value.trim() === '' ? 0n : g('tare_kg', 3);
    let net = gross !== null && tare !== null ? gross - tare : null;
    weightWarn.hidden = net === null || net > 0n;
    weightWarn.textContent = 'La tara debe ser menor que el peso bruto.';
    if (net !== null && net <= 0n) net = null;
    netOut.value = net === null ? '—' : show(round(net, 3, 2), 2);
    qqOut.value = net === null ? '—' : show(qqCenti(net), 2);

    const parts = PARTS.map(([n]) => (F[n].value.trim() === '' ? 0n : g(n, 0)));
    const sum = parts.includes(null) ? null : parts.reduce((a, b) => a + b, 0n);
    const typed = g('sample_g', 0);
    const total = F.sample_g.value.trim() ? typed : sum;
    F.sample_g.placeholder = sum ? String(sum) : '';
    PARTS.forEach(([n], i) => { pctOut[n].value = total && parts[i] !== null ? show(pctCenti(parts[i], total), 2) : '—'; });
    sampleWarn.hidden = !(typed !== null && sum !== null && typed !== sum);
    sampleWarn.textContent = `Las partes suman ${sum} g, pero la muestra total es ${typed} g.`;

    const h = g('humidity', 1);
    const outside = h !== null && policy && (h < policy.min || h > policy.max);
    humWarn.hidden = !outside;
    if (outside) {
      humWarn.textContent = `Humedad fuera del rango de compra (${show(policy.min, 1)} – ${show(policy.max, 1)} %): ${policy.refuse ? 'no se puede recibir' : 'confirme para recibir'}.`;
      if (!policy.refuse) confirm.hidden = false;
    } else if (h !== null) {
      confirm.hidden = true;
      F.confirm_humidity.checked = false;
    }
    return { gross, tare, parts, total };
  }
  form.addEventListener('input', compute);
  form.addEventListener('change', (e) => {
    if (e.target.name === 'status') touched = true;
    if (e.target.name === 'issued_on' && producer) checkLpa();
  });
  enterAdvances(form, (t) => {
    if (t.name !== 'dni') return true;
    lookup().then((ok) => { if (ok) focusNext(form, t); });
    return false;
  });

  // ---- submit ----
  function body() {
    const c = compute();
    const v = (n) => F[n].value.trim();
    const status = (form.querySelector('input[name="status"]:checked') || {}).value;
    const checks = [
      ['dni', producer, 'Busque al productor por DNI o por nombre.'],
      ['issued_on', /^\d{4}-\d{2}-\d{2}$/.test(v('issued_on')), 'Indique la fecha.'],
      ['status', status, 'Elija el estatus.'],
      ['sacks', /^\d{1,5}$/.test(v('sacks')) && Number(v('sacks')) >= 1, 'Número entero de sacos, al menos 1.'],
      ['gross_kg', c.gross, 'Kilos con hasta 3 decimales, por ejemplo 474 o 474,5.'],
      ['tare_kg', c.tare !== null, 'Kilos con hasta 3 decimales, por ejemplo 1,4.'],
      ...['sample_g', ...PARTS.map(([n]) => n)].map((n) => [n, /^\d{0,7}$/.test(v(n)), 'Gramos enteros.']),
      ['humidity', g('humidity', 1) !== null, 'Porcentaje con un decimal, por ejemplo 12,5.'],
    ];
    const errors = checks.filter(([, ok]) => !ok).map(([field, , detail]) => ({ field, detail }));
    if (errors.length) { formError(form, { detail: 'Revise los datos marcados.', errors }); return null; }
    const dot = (n) => v(n).replace(',', '.');
    const b = {
      producer_id: producer.id, issued_on: v('issued_on'), delivery_code: v('delivery_code'), status, sacks: Number(v('sacks')),
      gross_kg: dot('gross_kg'), tare_kg: dot('tare_kg') || '0', humidity: dot('humidity'), observations: v('observations'), weighed_by: v('weighed_by'),
    };
    if (F.plot_id.value) b.plot_id = Number(F.plot_id.value);
    if (c.total) [b.sample_g, b.exportable_g, b.discard_g, b.husk_g] = [c.total, ...c.parts].map(Number);
    if (!confirm.hidden && F.confirm_humidity.checked) b.confirm_humidity = true;
    return b;
  }

  const send = api.submission();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const b = body();
    if (b) {
      busy(submit, async () => {
        try { done(await send('/receptions', b)); } catch (err) {
          const needConfirm = err.errors && err.errors.some((x) => x.code === 'humidity_confirmation_required');
          confirm.hidden = confirm.hidden && !needConfirm;
          formError(form, err, { producer_id: 'dni' });
          if (needConfirm) F.confirm_humidity.focus();
        }
      });
    }
  });

  // ---- after the ticket: note, stickers, settlement ----
  const after = el('div', { class: 'after', hidden: true });
  function done(r) {
    form.hidden = true;
    after.hidden = false;
    const again = el('button', { type: 'button', class: 'btn btn-primary', onclick: reset }, 'Nueva recepción');
    replace(after,
      el('div', { class: 'alert alert-ok', role: 'status' }, el('strong', null, `Ticket n.º ${r.number_text} emitido. `),
        `${r.producer.full_name}: ${num(r.net_kg)} kg netos, ${num(r.qq)} QQ.`,
        r.humidity_warning ? ' Humedad observada.' : '', r.over_estimate ? ' Supera lo estimado de sus parcelas: queda observada.' : ''),
      chain(ctx, { reception: r }, policy && policy.place),
      el('div', { class: 'actions' }, again));
    (after.querySelector('input') || again).focus();
  }

  function reset() {
    const keep = [F.issued_on.value, F.weighed_by.value];
    form.reset();
    [F.issued_on.value, F.weighed_by.value] = keep;
    confirm.hidden = true;
    setProducer(null);
    clearFormError(form);
    compute();
    after.hidden = true;
    form.hidden = false;
    F.dni.focus();
  }

  loadPolicy().then(compute);
  return el('div', { class: 'reception' }, form, after);
}
