// The trace of a document as a readable chain from the farms to the ship, the
// producers' shares, the plots' map with the EUDR GeoJSON, and a producer's forward
// view. Every document links to its printed form (acopio, planta, exportación).
import * as api from './api.js';
import { el, replace, table } from './ui.js';
import { num, date, statusLabel } from './fmt.js';
import { problem } from './acopio-util.js';
import { plotMap, plotInfo } from './map.js';
import { kilosOf, certText } from './exportacion-util.js';
import { grams, kgShow } from './planta-util.js';

/** The kinds a trace starts from (API segment -> Spanish name). */
export const TRACE_KINDS = {
  'export-lots': { name: 'Lote de exportación' }, shipments: { name: 'Embarque' },
  'process-settlements': { name: 'LOP' }, 'process-orders': { name: 'Orden de proceso' },
  'plant-receipts': { name: 'Guía de ingreso' }, dispatches: { name: 'Guía de remisión' },
  'warehouse-notes': { name: 'Nota de ingreso' }, receptions: { name: 'Recepción' },
  producers: { name: 'Productor' }, plots: { name: 'Parcela' },
};

/**
 * The steps of the chain, farm to ship: the keys the answer may use for the step's
 * documents, the Spanish title, the printed form of a document and how to name it.
 */
const STEPS = [
  { keys: ['producers'], title: 'Productores', href: (d) => `/trazabilidad/producers/${d.id}`, label: (d) => `${d.full_name || d.name}${d.dni ? ` (DNI ${d.dni})` : ''}` },
  { keys: ['receptions'], title: 'Recepciones (ticket de pesado)', href: (d) => `/acopio/imprimir/recepcion/${d.id}` },
  { keys: ['notes', 'warehouse_notes'], title: 'Notas de ingreso a almacén', href: (d) => `/acopio/imprimir/nota/${d.id}` },
  { keys: ['settlements', 'purchase_settlements'], title: 'Liquidaciones de compra', href: (d) => `/acopio/imprimir/liquidacion/${d.id}` },
  { keys: ['dispatches'], title: 'Guías de remisión', href: (d) => `/planta/imprimir/remision/${d.id}` },
  { keys: ['plant_receipts', 'receipts'], title: 'Guías de ingreso a planta', href: (d) => `/planta/imprimir/ingreso/${d.id}` },
  { keys: ['process_orders', 'orders'], title: 'Órdenes de proceso', href: (d) => `/planta/imprimir/proceso/${d.id}` },
  { keys: ['process_settlements', 'lops'], title: 'Liquidaciones de proceso (LOP)', href: (d) => `/planta/imprimir/lop/${d.id}` },
  { keys: ['plant_exits', 'exits'], title: 'Guías de salida de planta', href: (d) => `/planta/imprimir/salida/${d.id}` },
  { keys: ['export_lots', 'lots'], title: 'Lotes de exportación', href: (d) => `/exportacion/imprimir/lote/${d.id}`, label: (d) => `${d.organic_lot} · ICO ${d.ico_mark}` },
  { keys: ['shipments'], title: 'Embarques', href: (d) => `/exportacion/imprimir/packing/${d.id}`, label: (d) => `n.º ${d.number_text}${d.bl_number ? ` · BL ${d.bl_number}` : ''}` },
];
const INLINE_MAX = 20;

/** A collection of the answer (array, or object id -> node) as an array. */
const listOf = (x) => (Array.isArray(x) ? x : x && typeof x === 'object' ? Object.values(x) : []);
/** Distinct documents by id, in order, leaving out empty ones. */
const distinct = (list) => [...new Map(list.filter(Boolean).map((d) => [d.id, d])).values()];
const deliveries = (t) => listOf(t.deliveries);
/** The documents of a step: the answer's own list, or what its deliveries and LOPs carry. */
function collection(t, keys) {
  const k = keys[0];
  if (k === 'producers') return distinct(listOf(t.producers).map((p) => p.producer || p));
  if (k === 'receptions') return distinct(deliveries(t).map((d) => d.reception));
  if (k === 'notes') return distinct(deliveries(t).map((d) => d.note));
  if (k === 'settlements') return distinct(deliveries(t).map((d) => d.settlement));
  if (k === 'plant_exits') return distinct(listOf(t.process_settlements).flatMap((l) => l.exits || []));
  for (const key of keys) if (t[key]) return listOf(t[key]);
  return [];
}

const kgOf = (d) => kilosOf(d) ?? d.declared_kg ?? d.input_kg;
const docText = (step, d) => [step.label ? step.label(d) : `n.º ${d.number_text ?? d.number}`,
  d.issued_on && date(d.issued_on), d.sacks != null && `${d.sacks} sacos`, kgOf(d) != null && `${num(kgOf(d))} kg`].filter(Boolean).join(' · ');
const docAnchor = (step, d) => el('a', { href: step.href(d), target: step.keys[0] === 'producers' ? null : '_blank', rel: 'noopener' }, docText(step, d));

/** The readable chain: one numbered step per document kind, every document a link. */
export function chainSteps(t) {
  return el('ol', { class: 'chain-steps', 'aria-label': 'Cadena del productor al embarque' }, STEPS.map((step) => {
    const docs = collection(t, step.keys);
    const inline = docs.slice(0, INLINE_MAX);
    const rest = docs.slice(INLINE_MAX);
    return el('li', { dataset: { step: step.keys[0] }, class: docs.length ? null : 'empty-step' },
      el('h3', null, `${step.title} (${docs.length})`),
      docs.length ? el('p', { class: 'docs-line' }, inline.map((d) => docAnchor(step, d))) : el('p', { class: 'docs-line' }, 'Ninguno en esta cadena.'),
      rest.length ? el('details', { class: 'more-docs' }, el('summary', null, `${rest.length} más`),
        el('p', { class: 'docs-line' }, rest.map((d) => docAnchor(step, d)))) : null);
  }));
}

/** The producers' shares: kilos of pergamino delivered, the part in this chain and its green equivalent. */
export function sharesTable(t) {
  const rows = listOf(t.producers).filter((p) => p && p.producer);
  const tot = t.totals || {};
  return el('section', { class: 'shares', 'aria-label': 'Participación de los productores' },
    el('h2', null, `Participación de los productores (${rows.length})`),
    el('p', { class: 'muted' }, 'Kilos de café pergamino que cada productor entregó, la parte que llegó a este documento (reparto proporcional en cada paso) y su equivalente en café verde según el rendimiento de la LOP.'),
    rows.length ? table([
      { label: 'Productor', cell: (p) => el('a', { href: `/trazabilidad/producers/${p.producer.id}` }, p.producer.full_name) },
      { label: 'DNI', cell: (p) => p.producer.dni },
      { label: 'Entregas', class: 'num', cell: (p) => String(Array.isArray(p.deliveries) ? p.deliveries.length : p.deliveries ?? '') },
      { label: 'Entregado kg', class: 'num', cell: (p) => num(p.delivered_kg) },
      { label: 'Pergamino en el lote kg', class: 'num', cell: (p) => num(p.pergamino_kg) },
      { label: 'Equivalente verde kg', class: 'num', cell: (p) => num(p.green_kg) },
      { label: '%', class: 'num', cell: (p) => (p.share_pct != null ? `${num(p.share_pct)} %` : '') },
    ], rows, 'Participación de los productores') : el('p', { class: 'empty' }, 'Ningún productor a su alcance en esta cadena.'),
    rows.length && tot.delivered_kg ? el('p', { class: 'shares-total' },
      `Total: ${tot.producers} productores, ${tot.deliveries} entregas, ${num(tot.delivered_kg)} kg entregados, ${num(tot.pergamino_kg)} kg de pergamino en el lote`,
      tot.green_kg ? `, ${num(tot.green_kg)} kg de café verde.` : '.') : null);
}

/** The lot's (or shipment's) plots on the map, the blocking ones listed, the GeoJSON download. */
export function mapSection(kind, id) {
  const node = el('section', { class: 'eudr', 'aria-label': 'Parcelas y geolocalización' }, el('h2', null, 'Parcelas (geolocalización EUDR)'),
    el('p', { class: 'muted' }, 'Cargando las parcelas…'));
  const url = `/trace/${kind}/${api.seg(id)}/geojson`;
  api.get(url).then((fc) => {
    const blocking = listOf(fc.blocking);
    const what = (b) => {
      const i = plotInfo(b.plot || b);
      const p = b.producer || {};
      return [p.full_name || i.producer, (p.dni || i.dni) && `DNI ${p.dni || i.dni}`, (b.plot || {}).name || i.plot].filter(Boolean).join(' · ');
    };
    replace(node, el('h2', null, 'Parcelas (geolocalización EUDR)'),
      plotMap(fc, { label: 'Mapa de las parcelas que aportaron café' }),
      blocking.length ? el('div', { class: 'alert alert-warn blocking' },
        el('p', null, el('strong', null, `${blocking.length} ${blocking.length === 1 ? 'parcela o entrega bloquea' : 'parcelas o entregas bloquean'} la declaración EUDR:`)),
        el('ul', null, blocking.map((b) => el('li', null, `${what(b)}${b.reason || b.detail ? ` — ${b.reason || b.detail}` : ''}`))))
        : el('p', { class: 'alert alert-ok' }, 'Todas las parcelas tienen geolocalización: el lote está listo para la declaración EUDR.'),
      el('p', { class: 'downloads no-print' }, el('a', { href: `/api/v1${url}`, download: `eudr-${kind}-${id}.geojson` }, 'Descargar GeoJSON (EUDR)')));
  }, (err) => replace(node, el('h2', null, 'Parcelas (geolocalización EUDR)'), problem(err, 'No se pudo cargar la geolocalización.')));
  return node;
}

/** The document the trace starts from, in one line. */
function rootLine(kind, r) {
  if (!r) return '';
  if (kind === 'export-lots') return `Lote de exportación ${r.organic_lot} · marca ICO ${r.ico_mark} · contrato ${r.contract || '—'} · ${r.sacks} sacos · ${num(kilosOf(r))} kg · ${certText(r)}`;
  if (kind === 'shipments') return `Embarque n.º ${r.number_text} · ${r.buyer_name} · BL ${r.bl_number || '—'} · ${r.sacks} sacos · ${num(kilosOf(r))} kg`;
  return `${TRACE_KINDS[kind].name} n.º ${r.number_text ?? r.number ?? r.id}${r.issued_on ? ` · ${date(r.issued_on)}` : ''}${r.status ? ` · ${statusLabel(r.status)}` : ''}`;
}

/** /trazabilidad/{kind}/{id}: the chain through any document. */
export function traceView(ctx, kind, id) {
  const node = el('div', { class: 'trace' }, el('p', { class: 'muted' }, 'Cargando la trazabilidad…'));
  api.get(`/trace/${kind}/${api.seg(id)}`).then((t) => {
    const r = (t.root && (t.root.document || t.root)) || null;
    const export_ = kind === 'export-lots' || kind === 'shipments';
    replace(node, el('h2', null, `Trazabilidad: ${TRACE_KINDS[kind].name} ${r ? r.organic_lot || r.number_text || r.full_name || '' : ''}`.trim()),
      el('p', { class: 'lead' }, rootLine(kind, r)),
      el('p', { class: 'downloads no-print' },
        kind === 'export-lots' && el('a', { href: `/trazabilidad/reporte/${id}` }, 'Reporte del lote'),
        ['receptions', 'plant-receipts'].includes(kind) && el('a', { href: `/trazabilidad/retiro?${kind === 'receptions' ? 'reception_id' : 'plant_receipt_id'}=${id}` }, 'Retiro de producto desde aquí'),
        el('button', { type: 'button', class: 'btn btn-small', onclick: () => window.print() }, 'Imprimir')),
      chainSteps(t), sharesTable(t), export_ && mapSection(kind, id));
  }, (err) => replace(node, problem(err.status === 404 ? null : err, 'El documento no existe o no tiene acceso a él.')));
  return node;
}

/** One delivery of a producer and every path it took (a note may go on through several LOPs or lots). */
function forwardRow(d) {
  const a = (href, text) => el('a', { href, target: '_blank', rel: 'noopener' }, text);
  const flows = listOf(d.flows);
  const along = (pick, href, text) => distinct(flows.map(pick)).map((x, i) => [i ? ', ' : '', a(href(x), text(x))]);
  return {
    reception: a(`/acopio/imprimir/recepcion/${d.reception.id}`, d.reception.number_text),
    date: date(d.reception.issued_on),
    kilos: num(d.delivered_kg ?? d.reception.net_kg),
    note: d.note ? a(`/acopio/imprimir/nota/${d.note.id}`, d.note.number_text) : '',
    settlement: d.settlement ? a(`/acopio/imprimir/liquidacion/${d.settlement.id}`, d.settlement.number_text) : '',
    dispatch: along((f) => f.dispatch, (x) => `/planta/imprimir/remision/${x.id}`, (x) => x.number_text),
    receipt: along((f) => f.plant_receipt, (x) => `/planta/imprimir/ingreso/${x.id}`, (x) => x.number_text),
    lop: along((f) => f.process_settlement, (x) => `/planta/imprimir/lop/${x.id}`, (x) => x.number_text),
    lot: distinct(flows.map((f) => f.export_lot)).map((x, i) => [i ? ', ' : '', el('a', { href: `/trazabilidad/export-lots/${x.id}` }, x.organic_lot)]),
    shipment: distinct(flows.flatMap((f) => listOf(f.shipments).map((s) => s.shipment || s))).map((x, i) => [i ? ', ' : '', el('a', { href: `/trazabilidad/shipments/${x.id}` }, `n.º ${x.number_text}`)]),
    green: num(d.green_kg ?? (flows.some((f) => f.green_kg) ? kgShow(flows.reduce((g, f) => g + (grams(f.green_kg) || 0n), 0n)).replace(/ /g, '').replace(',', '.') : null)),
  };
}

const FORWARD_COLS = [['Recepción', 'reception'], ['Fecha', 'date'], ['Kilos', 'kilos', 'num'], ['Nota', 'note'], ['Liquidación', 'settlement'],
  ['Guía de remisión', 'dispatch'], ['Guía de ingreso', 'receipt'], ['LOP', 'lop'], ['Lote de exportación', 'lot'], ['Embarque', 'shipment'],
  ['Verde exportado kg', 'green', 'num']];

/** /trazabilidad/producers/{id}: where every delivery of the producer went, per campaign. */
export function producerView(ctx, id) {
  const node = el('div', { class: 'trace producer-trace' }, el('p', { class: 'muted' }, 'Cargando…'));
  api.get(`/trace/producers/${api.seg(id)}`).then((t) => {
    const p = t.producer || (t.root && t.root.document) || {};
    const lots = listOf(t.export_lots);
    replace(node, el('h2', null, `Productor: ${p.full_name || ''}`),
      el('p', { class: 'lead' }, [p.dni && `DNI ${p.dni}`, p.caserio, p.district, p.status && statusLabel(p.status)].filter(Boolean).join(' · ')),
      el('p', { class: 'downloads no-print' },
        el('a', { href: `/trazabilidad/retiro?producer_id=${id}` }, 'Retiro de producto desde este productor'),
        el('button', { type: 'button', class: 'btn btn-small', onclick: () => window.print() }, 'Imprimir')),
      lots.length ? el('p', { class: 'ends-in' }, 'Su café terminó en: ', lots.map((l, i) => [i ? ', ' : '',
        el('a', { href: `/trazabilidad/export-lots/${l.id}` }, `lote ${l.organic_lot} (ICO ${l.ico_mark})`)]),
      listOf(t.shipments).length ? ['; embarques ', listOf(t.shipments).map((s, i) => [i ? ', ' : '', el('a', { href: `/trazabilidad/shipments/${s.id}` }, `n.º ${s.number_text}`)])] : null, '.')
        : el('p', { class: 'muted' }, 'Su café aún no está en ningún lote de exportación.'),
      listOf(t.campaigns).map((c) => el('section', { class: 'campaign', 'aria-label': `Campaña ${c.campaign}` },
        el('h3', null, `Campaña ${c.campaign}: ${num(c.delivered_kg)} kg entregados${c.exported_green_kg ? `, ${num(c.exported_green_kg)} kg de café verde exportado` : ''}`),
        table(FORWARD_COLS.map(([label, k, cls]) => ({ label, class: cls, cell: (r) => r[k] })),
          listOf(c.receptions).map(forwardRow), `Entregas de la campaña ${c.campaign}`))),
      el('h3', null, 'Los documentos por los que pasó su café'), chainSteps(t));
  }, (err) => replace(node, problem(err.status === 404 ? null : err, 'El productor no existe o no tiene acceso a él.')));
  return node;
}
