// Print views of the export documents: lote de exportación with its sack marks,
// packing list, nota de pesos and the solicitud de certificado de transacción
// (what the certifier needs, missing items in red):
// /exportacion/imprimir/{lote|packing|pesos|certificado}/{id}.
import * as api from './api.js';
import { el } from './ui.js';
import { num, date, show, mulDiv } from './fmt.js';
import { line, sign, signs, cols, td, th, kg, sheet, printFrame } from './print-kit.js';
import { EXPORT_KINDS, exportHref, certText, certLower, kilosOf, CATEGORY, countryName } from './exportacion-util.js';
import { grams, kgShow, QQ_EXPORT_G } from './planta-util.js';

const numBox = (d, label) => [d.organization.ruc && `RUC N.º: ${d.organization.ruc}`, `${label}: ${d.number_text}`, `Fecha: ${date(d.issued_on)}`].filter(Boolean);
const grid = (head, rows, foot) => el('table', { class: 'p-table grid' },
  el('thead', null, el('tr', null, head.map(([t, n]) => el('th', { scope: 'col', class: n ? 'n' : null }, t)))),
  el('tbody', null, rows), foot && el('tfoot', null, foot));
const qq = (kilos) => (grams(kilos) === null ? '' : show(mulDiv(grams(kilos), 100n, QQ_EXPORT_G), 2));
const sumKg = (rows, f) => kgShow(rows.reduce((s, r) => s + (grams(f(r)) || 0n), 0n));

/** The marks stencilled on each sack, as a framed block. */
function sackMark(l) {
  const lines = (l.marks || '').split('\n').map((s) => s.trim()).filter(Boolean);
  return el('div', { class: 'sack-mark', 'aria-label': 'Marcas de los sacos' },
    (lines.length ? lines : [`ICO ${l.ico_mark}`, `LOT ${l.organic_lot}`, l.contract && `CONTRACT ${l.contract}`].filter(Boolean))
      .map((t) => el('span', null, t)),
    el('span', { class: 'sm-weight' }, `NET WEIGHT ${num(l.net_per_sack_kg, 2, true)} KG`),
    el('span', { class: 'sm-origin' }, 'PRODUCT OF PERU'));
}

function lot(l) {
  const sources = (l.sources || []).filter((s) => s.live !== false);
  return sheet(l, 'a4 export-lot', 'Lote de exportación', numBox(l, 'Lote N.º'),
    cols([line('Lote orgánico', l.organic_lot), line('Marca ICO', l.ico_mark), line('Contrato', l.contract), line('Comprador', l.buyer)],
      [line('Certificación', certText(l)), line('Preparación', l.preparation), line('Defectos', l.defects == null ? '' : String(l.defects)),
        line('Puntaje en taza', num(l.cup_score, 2, true))]),
    el('h2', null, 'Café de las liquidaciones de proceso (LOP)'),
    grid([['LOP n.º'], ['Fecha'], ['Producto'], ['Kilos netos', 1], ['QQ', 1]],
      sources.map((s) => el('tr', null, td(s.number_text), td(date(s.issued_on)),
        td(CATEGORY[s.category] || s.category), td(kg(kilosOf(s)), 1), td(qq(kilosOf(s)), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 3 }, 'TOTAL'), td(sumKg(sources, kilosOf), 1), td(qq(kilosOf(l)), 1))),
    el('h2', null, 'Sacos'),
    grid([['Sacos n.º', 1], ['Neto por saco kg', 1], ['Kilos netos', 1], ['QQ (46 kg)', 1]],
      [el('tr', null, td(String(l.sacks), 1), td(num(l.net_per_sack_kg, 2, true), 1), td(kg(kilosOf(l)), 1), td(qq(kilosOf(l)), 1))]),
    el('section', { class: 'marks-block' }, el('h2', null, 'Marcas de los sacos'), sackMark(l)),
    l.observations && line('Observaciones', l.observations),
    signs(sign('Jefe de exportaciones'), sign('Control de calidad')));
}

const shipHead = (s) => [
  cols([line('Exportador', s.organization.name), line('Comprador', s.buyer_name), line('País', countryName(s.buyer_country)), line('Contrato n.º', s.contract)],
    [line('Factura n.º', s.invoice_number), line('BL n.º', s.bl_number), line('Nave', s.vessel), line('Booking', s.booking)]),
  cols([line('Contenedor n.º', s.container), line('Precinto', s.seal)],
    [line('Puerto de embarque', s.port_loading), line('Puerto de destino', s.port_destination), line('Fecha de embarque', date(s.shipped_on))]),
];

/** Rows of the packing list (per lot: marks, sacks, net and, for one lot, gross), with each lot's net per sack. */
const packingRows = (s) => ((s.packing_list && s.packing_list.lines) || s.lots || []).map((r) => ({
  ...r, net_per_sack_kg: r.net_per_sack_kg || ((s.lots || []).find((l) => l.organic_lot === r.organic_lot) || {}).net_per_sack_kg }));

function packing(s) {
  const rows = packingRows(s);
  const sacks = rows.reduce((n, r) => n + Number(r.sacks || 0), 0);
  return sheet(s, 'a4 packing', 'Packing list', numBox(s, 'Embarque N.º'), shipHead(s),
    grid([['Marca ICO'], ['Lote orgánico'], ['Descripción'], ['Sacos n.º', 1], ['Neto por saco kg', 1], ['Kilos netos', 1]],
      rows.map((r) => el('tr', null, td(r.ico_mark), td(r.organic_lot),
        td(`Café verde ${certLower(s)}`), td(String(r.sacks), 1),
        td(num(r.net_per_sack_kg, 2, true), 1), td(kg(kilosOf(r)), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 3 }, 'TOTAL'), td(String(sacks), 1), td(''), td(sumKg(rows, kilosOf), 1))),
    line('Calidad', s.quality), s.gross_kg && line('Peso bruto total kg', kg(s.gross_kg)),
    signs(sign('Jefe de exportaciones')));
}

function weights(s) {
  const w = s.weight_note || {};
  const rows = packingRows(s);
  const net = w.net_kg ?? kilosOf(s);
  const gross = w.gross_kg ?? s.gross_kg;
  const tare = w.tare_kg ?? (gross && net ? kgShow(grams(gross) - grams(net)).replace(/ /g, '').replace(',', '.') : '');
  return sheet(s, 'a4 weight-note', 'Nota de pesos', numBox(s, 'Embarque N.º'), shipHead(s),
    grid([['Lote orgánico'], ['Marca ICO'], ['Sacos n.º', 1], ['Kilos brutos', 1], ['Tara', 1], ['Kilos netos', 1]],
      rows.map((r) => el('tr', null, td(r.organic_lot), td(r.ico_mark), td(String(r.sacks), 1),
        td(r.gross_kg ? kg(r.gross_kg) : '', 1), td(r.gross_kg ? kgShow(grams(r.gross_kg) - grams(kilosOf(r))) : '', 1), td(kg(kilosOf(r)), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 2 }, 'TOTAL'), td(String(w.sacks ?? s.sacks), 1),
        td(gross ? kg(gross) : '', 1), td(tare ? kg(tare) : '', 1), td(kg(net), 1))),
    line('Peso neto en QQ (46 kg)', qq(net)),
    signs(sign('Balanza / supervisor'), sign('Jefe de exportaciones')));
}

/** A missing item of the CoT answer as {field, text}. */
const missingItem = (m) => (typeof m === 'string' ? { field: m, text: m } : { field: m.field || m.code || '', text: m.detail_es || m.detail || m.code || m.field });

/** What the certifier needs for the certificate of transaction, with the value or what is missing. */
function cotRequirements(s, cot) {
  const lots = cot.lots || s.lots || [];
  const certs = (cot.certifications || []).filter((c) => c.valid_at_shipment && (s.programs || []).includes(c.program));
  return [
    ['lots', 'Lote(s) orgánico(s)', `${lots.map((x) => x.organic_lot).join(' / ')} · ${certText(s)}`],
    ['ico_mark', 'Marca(s) ICO', lots.map((x) => x.ico_mark).filter(Boolean).join(' / ')],
    ['certifications', 'Certificación del exportador', certs.map((c) => `${c.certifier} ${c.program} ${c.code}, vigente hasta ${date(c.valid_to)}`).join('; ')],
    ['buyer', 'Comprador y país', [s.buyer_name, countryName(s.buyer_country)].filter(Boolean).join(' · ')],
    ['contract', 'Contrato n.º', s.contract],
    ['invoice_number', 'Factura comercial n.º', s.invoice_number],
    ['invoice_lot_ref', 'Lote orgánico impreso en la factura', s.invoice_lot_ref],
    ['bl_number', 'Conocimiento de embarque (BL) n.º', s.bl_number],
    ['bl_lot_ref', 'Lote orgánico impreso en el BL', s.bl_lot_ref],
    ['vessel', 'Nave', s.vessel], ['container', 'Contenedor y precinto', [s.container, s.seal].filter(Boolean).join(' · ')],
    ['port', 'Puertos de embarque y destino', [s.port_loading, s.port_destination].filter(Boolean).join(' → ')],
    ['shipped_on', 'Fecha de embarque', date(s.shipped_on)],
    ['quantity', 'Cantidad embarcada', `${s.sacks} sacos · ${kg(kilosOf(s))} kg`],
    ['packing_list', 'Packing list', 'Adjunto (impreso desde Pergamino)'],
    ['weight_note', 'Nota de pesos', 'Adjunta (impresa desde Pergamino)'],
  ];
}

function certificate(s, cot) {
  const missing = (cot.missing || []).map(missingItem);
  const used = new Set();
  const flag = (field) => missing.filter((m) => m.field === field || m.field.startsWith(`${field}.`) ||
    (field === 'buyer' && m.field.startsWith('buyer')) || (field === 'port' && m.field.startsWith('port')) ||
    (field === 'container' && ['container', 'seal'].includes(m.field)));
  const rows = cotRequirements(s, cot).map(([field, label, value]) => {
    const m = flag(field);
    m.forEach((x) => used.add(x));
    return el('tr', { class: m.length ? 'missing' : null, dataset: { field } }, th(label, 'row'),
      td(m.length ? [value && el('span', null, value, ' '), el('strong', { class: 'flag' }, `FALTA: ${m.map((x) => x.text).join('; ')}`)] : value || ''));
  });
  const rest = missing.filter((m) => !used.has(m));
  return sheet(s, 'a4 cot-request', 'Solicitud de certificado de transacción', numBox(s, 'Embarque N.º'),
    line('Señores', [...new Set((cot.certifications || []).map((c) => c.certifier))].join(', ') || 'Entidad de certificación'),
    el('p', null, `Por medio del presente, ${s.organization.name} solicita la emisión del certificado de transacción (CoT) para el embarque de café verde ${certLower(s)} que se detalla, y adjunta los documentos que lo sustentan.`),
    el('table', { class: 'p-table kv cot' }, el('tbody', null, rows)),
    rest.length ? el('ul', { class: 'cot-missing' }, rest.map((m) => el('li', null, `FALTA: ${m.text}`))) : null,
    el('p', { class: cot.ready ? 'cot-ready' : 'cot-not-ready' }, cot.ready
      ? 'Expediente completo: la factura y el BL llevan el número de lote orgánico.'
      : `Expediente incompleto: ${missing.length} ${missing.length === 1 ? 'dato falta' : 'datos faltan'} (en rojo). Complete y registre de nuevo el embarque antes de enviar la solicitud.`),
    el('h2', null, 'Documentos adjuntos'),
    el('ul', { class: 'p-notes' }, ['Factura comercial', 'Conocimiento de embarque (BL)', 'Packing list', 'Nota de pesos', 'Certificado de lote / reporte de trazabilidad del lote']
      .map((t) => el('li', null, t))),
    signs(sign('Jefe de exportaciones', s.organization.name)));
}

/** form -> [document kind, draw(doc, extra)]. */
export const PRINTS = { lote: ['lote', lot], packing: ['embarque', packing], pesos: ['embarque', weights], certificado: ['embarque', certificate] };

export function printView(ctx, form, id) {
  const [kind, draw] = PRINTS[form];
  return printFrame(exportHref(kind, id), async () => {
    const d = await api.get(`${EXPORT_KINDS[kind].path}/${api.seg(id)}`);
    if (form !== 'certificado') return draw(d);
    return draw(d, await api.get(`/shipments/${api.seg(id)}/transaction-certificate`));
  });
}
