// Reports of the trace section: recall (retiro de producto), mass balance per
// certification status for a period, the lot report, and the registers as CSV.
// Each is printable (the tabs and forms are left out of the print).
import * as api from './api.js';
import { el, replace, table } from './ui.js';
import { num, date, today, statusLabel } from './fmt.js';
import { input, qs, val, onSubmit, fail, problem, loadAll } from './acopio-util.js';
import { chainSteps, sharesTable, mapSection } from './trazabilidad-views.js';
import { kilosOf, certText } from './exportacion-util.js';

const listOf = (x) => (Array.isArray(x) ? x : x && typeof x === 'object' ? Object.values(x) : []);
const printBtn = () => el('button', { type: 'button', class: 'btn btn-small no-print', onclick: () => window.print() }, 'Imprimir');
const csvLink = (href, file, text) => el('a', { href: `/api/v1${href}`, download: file }, text);

const RECALL_FROM = [['producer_id', 'Productor (DNI)'], ['plot_id', 'Parcela (DNI del productor y parcela)'], ['reception_id', 'Recepción (n.º de ticket)'], ['plant_receipt_id', 'Guía de ingreso a planta (n.º)']];

/** The id the recall needs, from what the user types (DNI, ticket or guía number). */
async function recallOrigin(form) {
  const from = val(form, 'from');
  const v = val(form, 'value');
  if (from === 'producer_id' || from === 'plot_id') {
    if (!/^\d{8}$/.test(v)) throw fail('Revise el DNI.', 'value', 'El DNI tiene 8 dígitos.');
    const p = await api.get(`/producers/by-dni/${api.seg(v)}`).catch((err) => { throw fail('Revise el DNI.', 'value', err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail); });
    if (from === 'producer_id') return { producer_id: p.id };
    const plot = val(form, 'plot');
    if (!plot) {
      const plots = await loadAll(`/plots?producer_id=${p.id}`);
      const sel = form.elements.plot;
      replace(sel, el('option', { value: '' }, 'Elija la parcela'), plots.map((x) => el('option', { value: String(x.id) }, x.name)));
      sel.closest('.field').hidden = false;
      throw fail('Elija la parcela.', 'plot', `${p.full_name} tiene ${plots.length} parcelas.`);
    }
    return { plot_id: plot };
  }
  if (!/^\d+$/.test(v)) throw fail('Revise el número.', 'value', 'Escriba el número del documento.');
  const path = from === 'reception_id' ? '/receptions' : '/plant-receipts';
  const r = await api.get(`${path}${qs({ number: v, limit: 5 })}`);
  const doc = (r.items || []).find((x) => String(x.number) === v || x.number_text === v);
  if (!doc) throw fail('No se encontró el documento.', 'value', 'No hay un documento con ese número a su alcance.');
  return { [from]: doc.id };
}

/** /trazabilidad/retiro[?producer_id=…]: export lots, shipments and producers mixed with the origin. */
export function recallView() {
  const params = Object.fromEntries([...new URLSearchParams(location.search)].filter(([k]) => RECALL_FROM.some(([f]) => f === k)));
  const result = el('div', { class: 'recall-result' });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Buscar afectados');
  const plotField = input({ label: 'Parcela', name: 'plot', options: [['', 'Elija la parcela']], noOpt: true });
  plotField.hidden = true;
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': 'Origen del retiro' },
    input({ label: 'Origen', name: 'from', options: RECALL_FROM, noOpt: true }),
    input({ label: 'DNI o n.º', name: 'value', maxlength: 12, inputmode: 'numeric', noOpt: true }),
    plotField, el('div', { class: 'actions' }, submit));
  form.elements.from.addEventListener('change', () => { plotField.hidden = true; form.elements.plot.value = ''; });
  const show = (p) => {
    replace(result, el('p', { class: 'muted' }, 'Buscando…'));
    api.get(`/recall${qs(p)}`).then((r) => replace(result, recallResult(r, p)), (err) => replace(result, problem(err, 'No se pudo calcular el retiro.')));
  };
  onSubmit(form, submit, () => recallOrigin(form), (p) => { history.replaceState(null, '', `/trazabilidad/retiro${qs(p)}`); show(p); });
  if (Object.keys(params).length) show(params);
  return el('section', { class: 'recall', 'aria-label': 'Retiro de producto' },
    el('p', { class: 'lead' }, 'Desde un productor, una parcela, una recepción o una guía de ingreso a planta: los lotes de exportación y embarques que contienen algo de ese café y todos los otros productores mezclados con él.'),
    form, result);
}

function recallResult(r, p) {
  const lots = listOf(r.export_lots || r.lots);
  const ships = listOf(r.shipments);
  const producers = listOf(r.producers || r.mixed_producers);
  const origin = r.origin || r.root || {};
  return el('div', null,
    el('h2', null, 'Resultado del retiro'),
    el('p', { class: 'lead' }, `Origen: ${origin.label || origin.full_name || origin.number_text || Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ')}`),
    el('dl', { class: 'figures' }, [['Lotes de exportación', lots.length], ['Embarques', ships.length], ['Productores mezclados', producers.length]]
      .map(([l, v]) => el('div', null, el('dt', null, l), el('dd', null, String(v))))),
    el('p', { class: 'downloads no-print' }, csvLink(`/recall${qs({ ...p, format: 'csv' })}`, 'retiro.csv', 'Descargar CSV'), printBtn()),
    el('h3', null, 'Lotes de exportación'),
    lots.length ? table([
      { label: 'Lote orgánico', cell: (l) => el('a', { href: `/trazabilidad/export-lots/${l.id}` }, l.organic_lot) }, { label: 'Marca ICO', cell: (l) => l.ico_mark },
      { label: 'Contrato', cell: (l) => l.contract }, { label: 'Sacos', class: 'num', cell: (l) => String(l.sacks ?? '') },
      { label: 'Kilos del lote', class: 'num', cell: (l) => num(kilosOf(l)) },
      { label: 'Kilos del origen', class: 'num', cell: (l) => num(l.affected_kg ?? l.origin_kg ?? l.share_kg) }], lots, 'Lotes afectados')
      : el('p', { class: 'empty' }, 'Ningún lote de exportación contiene café de este origen.'),
    el('h3', null, 'Embarques'),
    ships.length ? table([
      { label: 'Embarque', cell: (s) => el('a', { href: `/exportacion/embarque/${s.id}` }, `n.º ${s.number_text}`) }, { label: 'Comprador', cell: (s) => s.buyer_name },
      { label: 'BL', cell: (s) => s.bl_number }, { label: 'Fecha', cell: (s) => date(s.shipped_on || s.issued_on) },
      { label: 'Kilos', class: 'num', cell: (s) => num(kilosOf(s)) }], ships, 'Embarques afectados')
      : el('p', { class: 'empty' }, 'Ningún embarque contiene café de este origen.'),
    el('h3', null, 'Productores mezclados'),
    producers.length ? table([
      { label: 'Productor', cell: (x) => el('a', { href: `/trazabilidad/producers/${(x.producer || x).id}` }, (x.producer || x).full_name) },
      { label: 'DNI', cell: (x) => (x.producer || x).dni }, { label: 'Kilos pergamino', class: 'num', cell: (x) => num(x.pergamino_kg ?? x.delivered_kg ?? x.kg) }],
    producers, 'Productores mezclados') : el('p', { class: 'empty' }, 'Ningún otro productor.'));
}

const MB_LINES = [['received', 'Recibido (acopio)'], ['dispatched', 'Despachado a planta'], ['in_plant', 'En planta'], ['processed', 'Procesado'],
  ['exported', 'Exportado'], ['in_stock', 'En existencia'], ['shrinkage', 'Merma']];

/** A figure of the mass balance: "1 234,00 kg" from a number, a string or {kg}. */
const mbKg = (v) => (v == null ? '' : typeof v === 'object' ? num(kilosOf(v)) : num(v));

function statusBlock(s) {
  const lines = listOf(s.lines || s.rows);
  const grades = listOf(s.processed_by_grade || s.grades || (s.processed && s.processed.by_grade));
  const bad = s.ok === false || s.balanced === false || (s.flags && s.flags.length);
  return el('section', { class: 'status-block', dataset: { status: s.status } },
    el('h3', null, `${statusLabel(s.status)}${s.programs && s.programs.length ? ` ${s.programs.join(', ')}` : ''}`),
    el('dl', { class: 'figures' }, MB_LINES.filter(([k]) => s[k] !== undefined).map(([k, l]) => el('div', { class: k === 'shrinkage' && bad ? 'bad' : null },
      el('dt', null, l), el('dd', null, `${mbKg(s[k])} kg`)))),
    bad && el('p', { class: 'alert alert-error' }, (s.flags || []).map((f) => f.detail || f).join(' ') || 'El balance no cuadra: revise los documentos.'),
    grades.length ? table([{ label: 'Calidad', cell: (g) => g.label || g.product || g.category }, { label: 'Kilos', class: 'num', cell: (g) => mbKg(g.kg ?? g) }], grades, 'Procesado por calidad') : null,
    lines.length ? table([
      { label: 'Concepto', cell: (x) => x.label || x.line || x.kind }, { label: 'Kilos', class: 'num', cell: (x) => mbKg(x.kg ?? x) },
      { label: 'Documentos', cell: (x) => listOf(x.documents || x.docs).map((d, i) => [i ? ', ' : '', d.href ? el('a', { href: d.href }, d.label || d.number_text) : d.label || d.number_text]) }],
    lines, `Balance de masa ${statusLabel(s.status)}`) : null);
}

/** /trazabilidad/balance: the period picker and the mass balance per certification status. */
export function massBalanceView() {
  const q = new URLSearchParams(location.search);
  const year = today().slice(0, 4);
  const result = el('div', { class: 'mb-result', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Calcular');
  const form = el('form', { class: 'period', novalidate: true, 'aria-label': 'Período' },
    input({ label: 'Desde', name: 'from', type: 'date', required: true, value: q.get('from') || `${year}-01-01` }),
    input({ label: 'Hasta', name: 'to', type: 'date', required: true, value: q.get('to') || today() }),
    el('div', { class: 'actions' }, submit));
  const run = (p) => {
    replace(result, el('p', { class: 'muted' }, 'Calculando…'));
    return api.get(`/reports/mass-balance${qs(p)}`).then((r) => {
      const statuses = listOf(r.statuses || r.by_status || r.items);
      replace(result, el('h2', null, `Balance de masa del ${date(p.from)} al ${date(p.to)}`),
        el('p', { class: 'downloads no-print' }, csvLink(`/reports/mass-balance${qs({ ...p, format: 'csv' })}`, `balance-de-masa-${p.from}-${p.to}.csv`, 'Descargar CSV'), printBtn()),
        statuses.length ? statuses.map(statusBlock) : el('p', { class: 'empty' }, 'No hubo movimientos en el período.'));
    }, (err) => replace(result, problem(err, 'No se pudo calcular el balance de masa.')));
  };
  onSubmit(form, submit, async () => {
    const p = { from: val(form, 'from'), to: val(form, 'to') };
    if (!p.from || !p.to || p.from > p.to) throw fail('Revise el período.', 'to', 'La fecha final debe ser igual o posterior a la inicial.');
    return p;
  }, (p) => { history.replaceState(null, '', `/trazabilidad/balance${qs(p)}`); run(p); });
  if (q.get('from') && q.get('to')) run({ from: q.get('from'), to: q.get('to') });
  return el('section', { class: 'massbal', 'aria-label': 'Balance de masa' },
    el('p', { class: 'lead' }, 'Lo recibido, despachado, en planta, procesado por calidad, exportado, en existencia y la merma, por estatus de certificación: lo orgánico vendido nunca supera lo orgánico comprado.'),
    form, result);
}

/** The registers of the whole chain as CSV (name -> Spanish title). */
const REGISTERS = [['receptions', 'Registro de acopio (recepciones)'], ['warehouse-notes', 'Notas de ingreso'], ['purchase-settlements', 'Registro de ventas (liquidaciones)'],
  ['dispatches', 'Guías de remisión'], ['plant-receipts', 'Registro de recepción en planta'], ['process-settlements', 'Registro de café procesado (LOP)'],
  ['plant-exits', 'Guías de salida de planta'], ['export-lots', 'Lotes de exportación'], ['shipments', 'Registro de exportaciones (embarques)']];

export function registersView() {
  const list = el('ul', { class: 'registers' }, REGISTERS.map(([name, title]) =>
    el('li', null, csvLink(`/reports/registers/${name}.csv`, `registro-${name}.csv`, title))));
  api.get('/reports/registers').then((r) => {
    const items = listOf(r.items || r.registers || r);
    if (items.length) replace(list, items.map((x) => el('li', null, csvLink(x.href ? x.href.replace(/^\/api\/v1/, '') : `/reports/registers/${x.name}.csv`, `registro-${x.name}.csv`, x.title || x.label || x.name))));
  }, () => {});
  return el('section', { class: 'registers-view', 'aria-label': 'Registros' },
    el('p', { class: 'lead' }, 'Los registros de toda la cadena en CSV (UTF-8, se abren en Excel).'), list);
}

/** /trazabilidad/reporte/{id}: everything about one export lot, printable, and its CSV. */
export function lotReportView(ctx, id) {
  const node = el('div', { class: 'lot-report' }, el('p', { class: 'muted' }, 'Cargando el reporte…'));
  api.get(`/reports/export-lots/${api.seg(id)}`).then((r) => {
    const l = r.export_lot || r.lot || r.root || {};
    replace(node, el('h2', null, `Reporte del lote ${l.organic_lot || ''}`),
      el('p', { class: 'lead' }, [l.ico_mark && `Marca ICO ${l.ico_mark}`, l.contract && `contrato ${l.contract}`, l.buyer, l.sacks != null && `${l.sacks} sacos`,
        kilosOf(l) != null && `${num(kilosOf(l))} kg`, l.status && certText(l)].filter(Boolean).join(' · ')),
      el('p', { class: 'downloads no-print' }, csvLink(`/reports/export-lots/${api.seg(id)}?format=csv`, `reporte-lote-${l.organic_lot || id}.csv`, 'Descargar CSV'),
        el('a', { href: `/trazabilidad/export-lots/${id}` }, 'Trazabilidad del lote'), printBtn()),
      chainSteps(r.trace || r), sharesTable(r.trace || r), mapSection('export-lots', id));
  }, (err) => replace(node, problem(err.status === 404 ? null : err, 'El lote no existe o no tiene acceso a él.')));
  return node;
}
