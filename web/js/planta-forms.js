// The plant-stage issue forms: guía de remisión (picking notes), guía de ingreso,
// orden de proceso, orden de marcado, LOP with its live mass balance, guía de salida.
import * as api from './api.js';
import { el, replace, table } from './ui.js';
import { show, mulDiv, num, date, today, statusLabel } from './fmt.js';
import { input, choices, onSubmit, enterAdvances, loadAll, qs, val, fail, problem } from './acopio-util.js';
import {
  myOrg, grams, kgShow, pctSigned, pctShow, dec, REASONS, OUTPUTS, SACK_G, QQ_EXPORT_G,
} from './planta-util.js';

export const num0 = (v) => input({ inputmode: 'numeric', maxlength: 6, ...v });
export const kgIn = (v) => input({ inputmode: 'decimal', maxlength: 16, ...v });
export const out = (label) => { const o = el('output', { class: 'big' }, '—'); return [o, el('div', null, el('span', null, label), o)]; };
export const submitBtn = (text, disabled) => el('button', { type: 'submit', class: 'btn btn-primary btn-wide', disabled }, text);
const carrierFields = (plateRequired) => el('fieldset', { class: 'block' }, el('legend', null, 'Transportista'), el('div', { class: 'grid3' },
  input({ label: 'Nombre o razón social', name: 'carrier.name', required: true, maxlength: 120 }),
  input({ label: 'RUC o DNI', name: 'carrier.doc', required: true, inputmode: 'numeric', maxlength: 11 }),
  input({ label: 'Placa', name: 'carrier.plate', required: plateRequired, maxlength: 12 }),
  input({ label: 'Licencia n.º', name: 'carrier.licence', maxlength: 20 }),
  input({ label: 'Vehículo marca', name: 'carrier.brand', maxlength: 40 }),
  input({ label: 'Const. inscrip. MTC', name: 'carrier.mtc', maxlength: 20 })));
const carrierOf = (form) => Object.fromEntries(['name', 'doc', 'plate', 'licence', 'brand', 'mtc'].map((k) => [k, val(form, `carrier.${k}`)]));
export const needKg = (form, name, label) => {
  const g = grams(val(form, name));
  if (g === null) throw fail('Revise los kilos.', name, `${label}: kilos con hasta 3 decimales.`);
  return g;
};
/** Keeps a prefilled field following a computed value until the user types in it. */
export const follow = (control) => { control.addEventListener('input', () => { control.dataset.typed = '1'; }); return (v) => { if (!control.dataset.typed) control.value = v; }; };

/**
 * A list of documents to pick with checkboxes. Rows of another segregation key than
 * the first picked are disabled and say why. opts: {items, key(item), why(item, first),
 * columns, label(item), extra(item) -> control, onChange()}.
 */
export function picker(o) {
  const checks = new Map();
  const why = new Map();
  const picked = () => o.items.filter((x) => checks.get(x).checked);
  const refresh = () => {
    const first = picked()[0];
    for (const x of o.items) {
      const reason = first && o.key(x) !== o.key(first) ? o.why(x, first) : '';
      checks.get(x).disabled = !!reason;
      why.get(x).textContent = reason;
      why.get(x).hidden = !reason;
    }
    o.onChange();
  };
  const columns = [
    { label: 'Elegir', cell: (x) => {
      const id = `pick-${o.name}-${x.id}`;
      const c = el('input', { type: 'checkbox', id, value: String(x.id), 'aria-describedby': `${id}-why`, onchange: refresh });
      checks.set(x, c);
      why.set(x, el('small', { class: 'why', id: `${id}-why`, hidden: true }));
      return el('span', { class: 'pick-cell' }, el('label', { class: 'check', for: id }, c, ` ${o.label(x)}`), why.get(x));
    } },
    ...o.columns,
  ];
  return { node: o.items.length ? table(columns, o.items, o.caption) : el('p', { class: 'empty' }, o.empty), picked, refresh };
}

export const loading = (text) => el('p', { class: 'muted' }, text);

/** Guía de remisión: the cooperative picks live, undispatched notes of one status/program. */
export function dispatchForm(ctx, onIssued) {
  const node = el('div', { class: 'builder' }, loading('Cargando las notas de ingreso…'));
  (async () => {
    const notes = (await loadAll('/warehouse-notes?annulled=0'))
      .sort((a, b) => a.issued_on.localeCompare(b.issued_on) || a.number - b.number);
    const from = notes.length ? notes[0].issued_on : '';
    const [live, recent, orgs] = await Promise.all([
      notes.length ? loadAll(`/dispatches${qs({ annulled: 0, from })}`) : [],
      api.get('/dispatches?limit=50'), api.get('/organizations?limit=200').catch(() => ({ items: [] }))]);
    // The notes JSON does not say whether a note travels in a guía: read the live guías.
    const taken = new Set();
    await Promise.all(live.map(async (d) => {
      for (const r of (await api.get(`/dispatches/${api.seg(d.id)}`)).producer_list.rows) taken.add(r.note.id);
    }));
    const plants = new Map();
    for (const o of [...orgs.items, ...recent.items.map((d) => d.recipient)]) if (o && o.kind === 'plant') plants.set(o.id, o);
    replace(node, build(notes.filter((n) => !taken.has(n.id)), [...plants.values()]));
  })().catch((err) => replace(node, problem(err, 'No se pudieron cargar las notas de ingreso.')));

  function build(notes, plants) {
    const send = api.submission();
    const key = (n) => `${n.reception.status}|${n.certification_program || ''}`;
    const kind = (n, low) => `${low ? statusLabel(n.reception.status).toLowerCase() : statusLabel(n.reception.status)}${n.certification_program ? ` ${n.certification_program}` : ''}`;
    const [oNotes, cNotes] = out('Notas');
    const [oSacks, cSacks] = out('Sacos');
    const [oKg, cKg] = out('Kilos netos de las notas');
    const [oMerma, cMerma] = out('Merma (kg y %)');
    const pick = picker({
      name: 'nota', items: notes, key, caption: 'Notas de ingreso disponibles',
      empty: 'No hay notas de ingreso vigentes fuera de otra guía.',
      label: (n) => `Nota ${n.number_text}`,
      why: (n, first) => `No se puede agregar: es café ${kind(n, 1)} y el lote es ${kind(first, 1)}.`,
      columns: [
        { label: 'Productor', cell: (n) => n.producer.full_name },
        { label: 'Fecha', cell: (n) => date(n.issued_on), class: 'nowrap' },
        { label: 'Sacos', cell: (n) => String(n.reception.sacks), class: 'num' },
        { label: 'Kilos netos', cell: (n) => num(n.reception.net_kg), class: 'num' },
        { label: 'Estatus', cell: (n) => kind(n) },
      ],
      onChange: () => update(),
    });
    const plantOpts = [...plants.map((p) => [String(p.id), `${p.name}${p.ruc ? ` · RUC ${p.ruc}` : ''}`]), ['other', 'Otra organización (n.º de registro)']];
    const form = el('form', { class: 'issue-form dispatch-form', novalidate: true, 'aria-labelledby': 'df-title' },
      el('h2', { id: 'df-title' }, 'Nueva guía de remisión'),
      el('p', { class: 'rule' }, 'Segregación: una guía lleva café de un solo estatus y programa. Al elegir la primera nota, solo pueden agregarse notas del mismo estatus y programa.'),
      pick.node,
      el('div', { class: 'computed', 'aria-live': 'polite' }, cNotes, cSacks, cKg),
      el('div', { class: 'grid3' },
        input({ label: 'Destinatario', name: 'recipient_org_id', required: true, options: plantOpts }),
        num0({ label: 'N.º de registro del destinatario', name: 'recipient_other', maxlength: 9, hint: 'Número de la organización en Pergamino.' }),
        input({ label: 'Fecha de emisión', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Fecha inicio de traslado', name: 'transfer_on', type: 'date', required: true, value: today() })),
      choices('reason', 'Motivo del traslado', REASONS.map((r, i) => [String(i + 1), `${i + 1}. ${r}`]), '3'),
      input({ label: 'Otros: indique el motivo', name: 'reason_other', maxlength: 120, noOpt: true }),
      carrierFields(),
      el('div', { class: 'grid3' },
        input({ label: 'Código del lote', name: 'lot_code', required: true, maxlength: 30, hint: 'Por ejemplo CO-2365.' }),
        num0({ label: 'Sacos declarados', name: 'sacks', required: true }),
        kgIn({ label: 'Peso declarado kg', name: 'declared_kg', required: true }),
        input({ label: 'Descripción', name: 'description', maxlength: 120, hint: 'Por defecto: Café pergamino y el estatus del lote.' }),
        input({ label: 'Dirección punto de partida', name: 'departure_address', maxlength: 200 }),
        input({ label: 'Dirección punto de llegada', name: 'arrival_address', maxlength: 200 }),
        input({ label: 'Observaciones', name: 'observations', maxlength: 500, wide: true })),
      el('div', { class: 'computed', 'aria-live': 'polite' }, cMerma),
      el('div', { class: 'actions' }, submitBtn('Emitir guía de remisión')));
    const els = form.elements;
    const otherBox = els.recipient_other.closest('.field');
    const reasonOther = els.reason_other.closest('.field');
    const setSacks = follow(els.sacks);
    const setKg = follow(els.declared_kg);
    let notesG = 0n;
    function update() {
      const list = pick.picked();
      const sacks = list.reduce((s, n) => s + n.reception.sacks, 0);
      notesG = list.reduce((s, n) => s + grams(n.reception.net_kg), 0n);
      oNotes.value = String(list.length);
      oSacks.value = String(sacks);
      oKg.value = kgShow(notesG);
      setSacks(list.length ? String(sacks) : '');
      setKg(list.length ? kgShow(notesG).replace(/ /g, '') : '');
      otherBox.hidden = els.recipient_org_id.value !== 'other';
      reasonOther.hidden = form.querySelector('input[name=reason]:checked').value !== '8';
      const declared = grams(val(form, 'declared_kg'));
      if (declared === null || !list.length) { oMerma.value = '—'; return; }
      const p = pctSigned(notesG - declared, notesG);
      oMerma.value = `${kgShow(notesG - declared)} kg · ${pctShow(p)}${p > 50n || p < -50n ? ' · fuera de tolerancia (0,50 %)' : ''}`;
    }
    form.addEventListener('input', update);
    form.addEventListener('change', update);
    pick.refresh();
    enterAdvances(form);
    onSubmit(form, form.querySelector('[type=submit]'), () => {
      const list = pick.picked();
      if (!list.length) throw fail('Elija las notas de ingreso del lote.', null, 'Elija al menos una nota.');
      const other = els.recipient_org_id.value === 'other';
      const recipient = Number(other ? val(form, 'recipient_other') : els.recipient_org_id.value);
      if (!recipient) throw fail('Indique el destinatario.', other ? 'recipient_other' : 'recipient_org_id', 'Elija la planta o escriba su número.');
      needKg(form, 'declared_kg', 'Peso declarado');
      const reason = Number(form.querySelector('input[name=reason]:checked').value);
      return send('/dispatches', {
        issued_on: val(form, 'issued_on'), transfer_on: val(form, 'transfer_on'), recipient_org_id: recipient,
        reason, reason_other: reason === 8 ? val(form, 'reason_other') : undefined, carrier: carrierOf(form),
        lot_code: val(form, 'lot_code'), sacks: Number(val(form, 'sacks')), declared_kg: dec(val(form, 'declared_kg')),
        note_ids: list.map((n) => n.id), description: val(form, 'description') || undefined,
        departure_address: val(form, 'departure_address') || undefined, arrival_address: val(form, 'arrival_address') || undefined,
        observations: val(form, 'observations'),
      });
    }, onIssued);
    return form;
  }
  return node;
}

/** Guía de ingreso a planta for a guía de remisión addressed to the plant. */
export function intakeForm(d, onIssued) {
  const send = api.submission();
  const [oNet, cNet] = out('Kilos netos');
  const [oDiff, cDiff] = out(`Diferencia con la guía (${num(d.declared_kg)} kg, ${d.sacks} sacos)`);
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': 'if-title' },
    el('h2', { id: 'if-title' }, 'Registrar ingreso: guía de ingreso a planta'),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: d.transfer_on > today() ? d.transfer_on : today() }),
      num0({ label: 'Sacos', name: 'sacks', required: true, value: String(d.sacks) }),
      kgIn({ label: 'Kilos brutos', name: 'gross_kg', required: true }),
      kgIn({ label: 'Tara kg', name: 'tare_kg', required: true })),
    el('div', { class: 'computed', 'aria-live': 'polite' }, cNet, cDiff),
    el('fieldset', { class: 'block' }, el('legend', null, 'Registro de recepción: calidad'), el('div', { class: 'grid4' },
      kgIn({ label: 'Rendimiento %', name: 'yield_pct' }), kgIn({ label: 'Humedad %', name: 'humidity' }),
      kgIn({ label: 'Subproducto %', name: 'subproduct_pct' }), kgIn({ label: 'Cáscara %', name: 'husk_pct' }),
      kgIn({ label: 'Puntaje SCAA', name: 'cup_score' }))),
    el('div', { class: 'grid3' },
      input({ label: 'Transportista', name: 'carrier_name', maxlength: 120, value: d.carrier.name }),
      input({ label: 'Vehículo (placa)', name: 'vehicle_plate', maxlength: 12, value: d.carrier.plate }),
      input({ label: 'Observaciones', name: 'observations', maxlength: 500 })),
    el('div', { class: 'actions' }, submitBtn('Emitir guía de ingreso')));
  const update = () => {
    const g = grams(val(form, 'gross_kg'));
    const t = grams(val(form, 'tare_kg'));
    if (g === null || t === null) { oNet.value = '—'; oDiff.value = '—'; return; }
    const ref = grams(d.declared_kg);
    const sd = d.sacks - Number(val(form, 'sacks') || 0);
    oNet.value = kgShow(g - t);
    oDiff.value = `${kgShow(ref - (g - t))} kg · ${pctShow(pctSigned(ref - (g - t), ref))}${sd ? ` · ${sd} sacos` : ''}`;
  };
  form.addEventListener('input', update);
  enterAdvances(form);
  const opt = (n) => dec(val(form, n)) || undefined;
  onSubmit(form, form.querySelector('[type=submit]'), () => {
    needKg(form, 'gross_kg', 'Kilos brutos');
    needKg(form, 'tare_kg', 'Tara');
    return send('/plant-receipts', {
      dispatch_id: d.id, issued_on: val(form, 'issued_on'), sacks: Number(val(form, 'sacks')),
      gross_kg: dec(val(form, 'gross_kg')), tare_kg: dec(val(form, 'tare_kg')),
      yield_pct: opt('yield_pct'), humidity: opt('humidity'), subproduct_pct: opt('subproduct_pct'), husk_pct: opt('husk_pct'), cup_score: opt('cup_score'),
      carrier_name: val(form, 'carrier_name') || undefined, vehicle_plate: val(form, 'vehicle_plate') || undefined, observations: val(form, 'observations'),
    });
  }, onIssued);
  return form;
}

/** Orden de proceso: the cooperative picks its guías de ingreso with balance at one plant. */
export function processOrderForm(ctx, onIssued) {
  const node = el('div', { class: 'builder' }, loading('Cargando las guías de ingreso…'));
  loadAll('/plant-receipts?annulled=0').then((all) => {
    const items = all.filter((r) => r.client.id === myOrg(ctx.me) && grams(r.balance_kg) > 0n);
    const send = api.submission();
    const kilos = new Map();
    const key = (r) => `${r.organization.id}|${r.status}|${(r.programs || []).join(',')}`;
    const [oKg, cKg] = out('Kilos a procesar');
    const pick = picker({
      name: 'ingreso', items, key, caption: 'Guías de ingreso con saldo',
      empty: 'No hay guías de ingreso de su café con saldo por procesar.',
      label: (r) => `Guía de ingreso ${r.number_text}`,
      why: (r, f) => (r.organization.id !== f.organization.id ? `No se puede agregar: está en ${r.organization.name}.`
        : `No se puede agregar: es café ${r.coffee_type} y la orden es ${f.coffee_type}.`),
      columns: [
        { label: 'Planta', cell: (r) => r.organization.name },
        { label: 'Guía de remisión', cell: (r) => r.dispatch.number_text },
        { label: 'Tipo', cell: (r) => r.coffee_type },
        { label: 'Saldo kg', cell: (r) => num(r.balance_kg), class: 'num' },
        { label: 'Kilos a procesar', cell: (r) => {
          const c = el('input', { type: 'text', inputmode: 'decimal', maxlength: 16, value: num(r.balance_kg).replace(/ /g, ''), 'aria-label': `Kilos a procesar de la guía de ingreso ${r.number_text}` });
          kilos.set(r, c);
          return c;
        } },
      ],
      onChange: () => update(),
    });
    const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': 'po-title' },
      el('h2', { id: 'po-title' }, 'Nueva orden de proceso'),
      el('p', { class: 'rule' }, 'Una orden lleva café de una sola planta, estatus y programa, y como máximo el saldo de cada guía de ingreso.'),
      pick.node,
      el('div', { class: 'computed', 'aria-live': 'polite' }, cKg),
      el('div', { class: 'grid3' },
        input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Contrato', name: 'contract', maxlength: 40 }),
        input({ label: 'Tipo de proceso', name: 'process_type', maxlength: 20, value: 'ORG' }),
        input({ label: 'Calidad (parámetros)', name: 'quality', maxlength: 200, value: 'Preparación a 10 defectos' }),
        input({ label: 'Observaciones', name: 'observations', maxlength: 500 })),
      el('div', { class: 'actions' }, submitBtn('Emitir orden de proceso')));
    function update() {
      const total = pick.picked().reduce((s, r) => s + (grams(kilos.get(r).value) || 0n), 0n);
      oKg.value = kgShow(total);
    }
    form.addEventListener('input', update);
    pick.refresh();
    onSubmit(form, form.querySelector('[type=submit]'), () => {
      const list = pick.picked();
      if (!list.length) throw fail('Elija las guías de ingreso a procesar.', null, 'Elija al menos una guía de ingreso.');
      const bad = list.find((r) => !grams(kilos.get(r).value));
      if (bad) throw fail(`Revise los kilos de la guía de ingreso ${bad.number_text}.`, null, 'Kilos mayores que cero, con hasta 3 decimales.');
      return send('/process-orders', {
        issued_on: val(form, 'issued_on'), plant_org_id: list[0].organization.id, contract: val(form, 'contract'),
        process_type: val(form, 'process_type'), quality: val(form, 'quality'), observations: val(form, 'observations'),
        inputs: list.map((r) => ({ plant_receipt_id: r.id, kilos: dec(kilos.get(r).value) })),
      });
    }, onIssued);
    replace(node, form);
  }).catch((err) => replace(node, problem(err, 'No se pudieron cargar las guías de ingreso.')));
  return node;
}

/** Orden de marcado de sacos for a process order. */
export function markingForm(po, onIssued) {
  const send = api.submission();
  const [oKg, cKg] = out(`Kilos marcados (orden: ${num(po.input_kg)} kg)`);
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': 'mo-title' },
    el('h2', { id: 'mo-title' }, 'Orden de marcado de sacos'),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
      num0({ label: 'Cantidad de sacos', name: 'sacks', required: true }),
      kgIn({ label: 'Peso neto por saco kg', name: 'net_per_sack_kg', required: true, value: '69' }),
      input({ label: 'Marca ICO', name: 'ico_mark', maxlength: 40, hint: 'Por ejemplo 30/861/1544.' }),
      input({ label: 'Lote orgánico', name: 'organic_lot', maxlength: 40 }),
      input({ label: 'Contrato', name: 'contract', maxlength: 40, value: po.contract }),
      input({ label: 'Fecha de entrega', name: 'delivery_on', type: 'date' }),
      input({ label: 'Lugar de entrega', name: 'delivery_place', maxlength: 200, value: po.plant ? po.plant.name : '' }),
      input({ label: 'Observación', name: 'observation', maxlength: 200 }),
      input({ label: 'Marcas', name: 'marks', required: true, tag: 'textarea', rows: 3, maxlength: 1000, wide: true })),
    el('div', { class: 'computed', 'aria-live': 'polite' }, cKg),
    el('div', { class: 'actions' }, submitBtn('Emitir orden de marcado')));
  const update = () => {
    const per = grams(val(form, 'net_per_sack_kg'));
    const n = BigInt(Number(val(form, 'sacks')) || 0);
    oKg.value = per === null ? '—' : kgShow(per * n);
  };
  form.addEventListener('input', update);
  update();
  onSubmit(form, form.querySelector('[type=submit]'), () => send('/marking-orders', {
    process_order_id: po.id, issued_on: val(form, 'issued_on'), sacks: Number(val(form, 'sacks')),
    net_per_sack_kg: dec(val(form, 'net_per_sack_kg')), marks: val(form, 'marks'), ico_mark: val(form, 'ico_mark'),
    organic_lot: val(form, 'organic_lot'), contract: val(form, 'contract') || undefined,
    delivery_on: val(form, 'delivery_on') || undefined, delivery_place: val(form, 'delivery_place'), observation: val(form, 'observation'),
  }), onIssued);
  return form;
}

/**
 * LOP entry: the output lines with live sacks of 69 kg + remainder, QQ of 46 kg,
 * % of the input, TOTAL EN CAFÉ and the imbalance; issued only when it is zero.
 */
export function lopForm(po, onIssued) {
  const send = api.submission();
  const inputG = grams(po.input_kg);
  const cells = {};
  const row = (cls, item, label, control, key) => {
    const c = cells[key] = { sacks: el('td', { class: 'num', 'data-label': 'Sacos (69 kg)' }), rem: el('td', { class: 'num', 'data-label': 'Kilos' }),
      kg: el('td', { class: 'num', 'data-label': 'Kilos netos' }), qq: el('td', { class: 'num', 'data-label': 'QQ (46 kg)' }), pct: el('td', { class: 'num', 'data-label': '%' }) };
    return el('tr', { class: cls }, el('td', { 'data-label': 'Ítem' }, item), el('th', { scope: 'row' }, label),
      control ? el('td', { 'data-label': 'Kilos netos' }, control) : c.kg, c.sacks, c.rem, c.qq, c.pct);
  };
  const inputs = {};
  const lines = OUTPUTS.map(([key, label], i) => {
    inputs[key] = el('input', { type: 'text', name: `outputs.${key}`, inputmode: 'decimal', maxlength: 16, autocomplete: 'off', 'aria-label': `${label}, kilos netos` });
    return row(key === 'shrinkage' ? 'shrink' : null, String(i < 7 ? i + 1 : i + 2), label, inputs[key], key);
  });
  lines.splice(7, 0, row('total', '8', 'TOTAL EN CAFÉ', null, 'coffee'));
  lines.push(row('total', '', 'TOTALES', null, 'total'));
  const balance = el('p', { class: 'balance', role: 'status' });
  const submit = submitBtn('Emitir LOP', true);
  const form = el('form', { class: 'issue-form lop-form', novalidate: true, 'aria-labelledby': 'lop-title' },
    el('h2', { id: 'lop-title' }, 'Liquidación de proceso (LOP)'),
    el('p', null, `Ingresan al proceso ${num(po.input_kg)} kg. Las salidas, con la cáscara, las piedras y la merma declarada, deben sumar exactamente lo mismo.`),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
      input({ label: 'Lote de producto terminado', name: 'lot_code', maxlength: 40, hint: 'Por defecto LOP-número.' }),
      input({ label: 'Características', name: 'characteristics', maxlength: 200, value: po.quality }),
      input({ label: 'Observaciones', name: 'observations', maxlength: 500 })),
    el('div', { class: 'table-wrap' }, el('div', { class: 'table-box' }, el('table', { class: 'data lop-lines' },
      el('caption', { class: 'sr-only' }, 'Resultado de proceso'),
      el('thead', null, el('tr', null, ['Ítem', 'Producto', 'Kilos netos', 'Sacos (69 kg)', 'Kilos', 'QQ (46 kg)', '%'].map((t) => el('th', { scope: 'col' }, t)))),
      el('tbody', null, lines)))),
    el('div', { class: 'lop-foot' }, balance, submit));
  const set = (key, g, sacks) => {
    const c = cells[key];
    c.kg.textContent = kgShow(g);
    c.sacks.textContent = sacks === undefined ? '' : String(sacks);
    c.rem.textContent = sacks === undefined ? '' : kgShow(g - BigInt(sacks) * SACK_G);
    c.pct.textContent = pctShow(pctSigned(g, inputG));
    c.qq.textContent = key === 'export' ? show(mulDiv(g, 100n, QQ_EXPORT_G), 2) : '';
  };
  function update() {
    let bad = null;
    let sum = 0n;
    let coffee = 0n;
    let coffeeSacks = 0n;
    OUTPUTS.forEach(([key, label, isCoffee]) => {
      const text = inputs[key].value.trim();
      const g = text ? grams(text) : 0n;
      inputs[key].toggleAttribute('aria-invalid', g === null);
      if (g === null) { bad = bad || label; return; }
      sum += g;
      if (isCoffee) { coffee += g; coffeeSacks += g / SACK_G; set(key, g, g / SACK_G); } else set(key, g);
    });
    set('coffee', coffee, coffeeSacks);
    cells.coffee.rem.textContent = kgShow(coffee - coffeeSacks * SACK_G);
    set('total', sum);
    const diff = inputG - sum;
    submit.disabled = bad !== null || diff !== 0n;
    balance.className = `balance ${submit.disabled ? 'off' : 'ok'}`;
    balance.textContent = bad ? `Revise los kilos de «${bad}»: número con hasta 3 decimales.`
      : diff === 0n ? `Balance exacto: salidas ${kgShow(sum)} kg = ingreso ${kgShow(inputG)} kg.`
        : `Desbalance: ${diff > 0n ? 'faltan' : 'sobran'} ${kgShow(diff < 0n ? -diff : diff)} kg (ingreso ${kgShow(inputG)} kg, salidas ${kgShow(sum)} kg).`;
  }
  form.addEventListener('input', update);
  update();
  enterAdvances(form);
  onSubmit(form, submit, () => send('/process-settlements', {
    process_order_id: po.id, issued_on: val(form, 'issued_on'), lot_code: val(form, 'lot_code') || undefined,
    characteristics: val(form, 'characteristics') || undefined, observations: val(form, 'observations'),
    outputs: Object.fromEntries(OUTPUTS.map(([k]) => [k, dec(inputs[k].value) || '0'])),
  }), onIssued);
  return form;
}

/** Guía de salida from a LOP with export coffee left to ship. */
export function exitForm(s, onIssued) {
  const send = api.submission();
  const [oNet, cNet] = out(`Kilos netos (disponible: ${s.available.sacks} sacos, ${num(s.available.kilos)} kg)`);
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': 'ex-title' },
    el('h2', { id: 'ex-title' }, 'Guía de salida de planta procesadora'),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
      input({ label: 'Destino', name: 'destination', required: true, maxlength: 120 }),
      input({ label: 'Dirección de destino', name: 'destination_address', maxlength: 200 }),
      num0({ label: 'Sacos', name: 'sacks', required: true, value: String(s.available.sacks) }),
      kgIn({ label: 'Kilos brutos', name: 'gross_kg', required: true }),
      kgIn({ label: 'Tara kg', name: 'tare_kg', required: true })),
    el('div', { class: 'computed', 'aria-live': 'polite' }, cNet),
    carrierFields(true),
    el('div', { class: 'grid3' },
      input({ label: 'Lote', name: 'lot_code', maxlength: 40, hint: 'Por defecto el lote orgánico de la orden de marcado.' }),
      input({ label: 'Observaciones', name: 'observations', maxlength: 500, value: `LOP N.º ${s.number_text}` }),
      input({ label: 'Producto', name: 'product_description', tag: 'textarea', rows: 2, maxlength: 1000, wide: true, hint: 'Por defecto: café verde tipo exportación con las marcas.' })),
    el('div', { class: 'actions' }, submitBtn('Emitir guía de salida')));
  form.addEventListener('input', () => {
    const g = grams(val(form, 'gross_kg'));
    const t = grams(val(form, 'tare_kg'));
    oNet.value = g === null || t === null ? '—' : kgShow(g - t);
  });
  enterAdvances(form);
  onSubmit(form, form.querySelector('[type=submit]'), () => {
    needKg(form, 'gross_kg', 'Kilos brutos');
    needKg(form, 'tare_kg', 'Tara');
    return send('/plant-exits', {
      process_settlement_id: s.id, issued_on: val(form, 'issued_on'), destination: val(form, 'destination'),
      destination_address: val(form, 'destination_address'), carrier: carrierOf(form), sacks: Number(val(form, 'sacks')),
      gross_kg: dec(val(form, 'gross_kg')), tare_kg: dec(val(form, 'tare_kg')), lot_code: val(form, 'lot_code') || undefined,
      product_description: val(form, 'product_description') || undefined, observations: val(form, 'observations'),
    });
  }, onIssued);
  return form;
}

