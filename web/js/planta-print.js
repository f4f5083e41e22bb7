// Print views of the plant-stage forms, laid out like the guide's paper forms:
// /planta/imprimir/{remision|ingreso|sticker|proceso|marcado|lop|salida|transportista|kardex}/{id}.
import * as api from './api.js';
import { el } from './ui.js';
import { num, date, programs } from './fmt.js';
import { box, line, sign, signs, cols, td, th, kg, orgBlock, sheet, printFrame } from './print-kit.js';
import { KINDS, docHref, REASONS } from './planta-util.js';

const numBox = (d, label) => [d.organization.ruc && `RUC N.º: ${d.organization.ruc}`, `${label}: ${d.number_text}`, `Fecha: ${date(d.issued_on)}`].filter(Boolean);
const grid = (head, rows, foot) => el('table', { class: 'p-table grid' },
  el('thead', null, el('tr', null, head.map(([t, n]) => el('th', { scope: 'col', class: n ? 'n' : null }, t)))),
  el('tbody', null, rows), foot && el('tfoot', null, foot));
const kgOrBlank = (v) => (v && Number(v) !== 0 ? kg(v) : '');
/** The "Tipo de certificación" box of the plant forms. */
const certBox = (d) => el('table', { class: 'p-table kv cert' }, el('caption', null, 'Tipo de certificación'), el('tbody', null,
  [['Orgánico', d.status === 'organic' ? programs(d.programs) || 'X' : ''], ['En transición', d.status === 'transition' ? 'X' : ''],
    ['Convencional', d.status === 'conventional' ? 'X' : ''], ['Otros', '']]
    .filter(([l, v]) => l !== 'En transición' || v).map(([l, v]) => el('tr', null, th(l, 'row'), td(v)))));
const carrierRow = (c) => grid([['Transportista'], [c.doc && c.doc.length === 8 ? 'DNI n.º' : 'RUC n.º'], ['Placa'], ['Licencia n.º'], ['Vehículo marca'], ['Const. inscrip. MTC']],
  [el('tr', null, td(c.name), td(c.doc), td(c.plate), td(c.licence), td(c.brand), td(c.mtc))]);
const plantSigns = () => signs(sign('Jefe de planta'), sign('Administrador'), sign('Cliente'));

function dispatch(d) {
  const pl = d.producer_list;
  const guia = sheet(d, 'a4 guia', 'Guía de remisión', numBox(d, 'Guía de remisión n.º'),
    cols([line('Destinatario', d.recipient.name), line('RUC n.º', d.recipient.ruc), line('Dirección punto de partida', d.departure_address),
      line('Dirección punto de llegada', d.arrival_address)], [line('Fecha inicio de traslado', date(d.transfer_on)), line('Fecha de emisión', date(d.issued_on))]),
    grid([['Código'], ['Descripción'], ['Unidad de medida'], ['Cantidad', 1], ['Peso kg', 1]],
      d.items.map((i) => el('tr', null, td(i.code), td(i.description), td(i.unit), td(String(i.quantity), 1), td(kg(i.weight_kg), 1)))),
    el('section', { class: 'reasons' }, el('h2', null, 'Motivo del traslado:'), el('div', { class: 'reason-grid' },
      REASONS.map((r, i) => el('p', { class: 'ln' }, box(d.reason === i + 1, `${i + 1}. ${i === 7 ? `Otros: ${d.reason === 8 ? d.reason_other : '________'}` : r.replace(' de una misma empresa', '')}`))))),
    carrierRow(d.carrier),
    d.observations && line('Observaciones', d.observations),
    signs(sign('Remitente'), sign('Transportista'), sign('Destinatario')));
  const list = sheet(d, 'a4 land producers', 'Lista de productores que conforman el lote enviado',
    [`Lista N.º: ${pl.number}`, `Fecha de emisión: ${date(pl.issued_on)}`],
    cols([line('Guía de remisión N.º', d.number_text)],
      [el('p', { class: 'ln' }, 'Certificación: ', box(d.status === 'organic', `Orgánico ${programs(d.programs)}`), box(d.status === 'conventional', 'Convencional'),
        box(d.status === 'transition', 'Otros'))]),
    grid([['N.º', 1], ['Nota de ingreso'], ['Socio'], ['Código'], ['Fecha'], ['Ticket de pesado'], ['Sacos n.º', 1], ['Peso neto', 1], ['Liquidación de compra'], ['Observación']],
      pl.rows.map((r) => el('tr', null, td(String(r.n), 1), td(r.note.number_text), td(r.producer.full_name), td(r.producer.dni), td(date(r.date)),
        td(r.ticket.number_text), td(String(r.sacks), 1), td(kg(r.net_kg), 1), td(r.settlement ? r.settlement.number_text : ''), td(r.observation === 'Ninguna' ? '' : r.observation))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 6 }, 'TOTAL'), td(String(pl.total_sacks), 1), td(kg(pl.total_kg), 1), td(''), td(''))),
    signs(sign('Responsable de almacén')));
  return [guia, list];
}

const receiptTable = (r, tare = true) => grid([['Guía de remisión del cliente'], ['Producto'], ['Sacos n.º', 1], ['Kilos brutos', 1], ...(tare ? [['Tara', 1]] : []), ['Kilos netos', 1]],
  [el('tr', null, td(r.dispatch.number_text), td(r.product), td(String(r.sacks), 1), td(kg(r.gross_kg), 1), tare && td(kg(r.tare_kg), 1), td(kg(r.net_kg), 1))]);

function receipt(r) {
  const q = [['Rendimiento', num(r.yield_pct)], ['Hº', num(r.humidity, 1)], ['Subproducto', num(r.subproduct_pct)], ['Cáscara', num(r.husk_pct)], ['Puntaje SCAA', num(r.cup_score, 2, true)]];
  return sheet(r, 'a4 ingreso', 'Guía de ingreso de planta procesadora', numBox(r, 'Guía N.º'),
    line('Cliente', r.client.name), line('Dirección', r.client.address),
    el('p', { class: 'ln pairs' }, el('span', null, line('Transportista', r.carrier_name)), el('span', null, line('Vehículo', r.vehicle_plate))),
    receiptTable(r),
    certBox(r),
    el('section', null, el('h2', null, 'Registro de recepción: calidad en taza'),
      grid(q.map(([l]) => [l, 1]), [el('tr', null, q.map(([, v]) => td(v, 1)))]),
      line('Diferencia con la guía', `${kg(r.reconciliation.difference_kg)} kg (${num(r.reconciliation.difference_pct)} %)`)),
    r.observations && line('Observaciones', r.observations),
    plantSigns());
}

function sticker(r) {
  return el('article', { class: 'sheet a5 ticket plant-sticker' },
    el('header', { class: 'p-head' }, orgBlock(r.organization, false), el('div', { class: 'p-num' }, el('div', null, `Guía N.º: ${r.number_text}`), el('div', null, `Fecha: ${date(r.issued_on)}`))),
    el('p', { class: 'ln big-line' }, line('Cliente', r.client.name)),
    receiptTable(r, false),
    line('Tipo de café', r.coffee_type));
}

function order(o) {
  const t = o.inputs_total;
  return sheet(o, 'a4 orden', 'Orden de proceso', numBox(o, 'Orden N.º'),
    line('Señores', o.plant.name),
    cols([line('Contrato', o.contract), line('Tipo de proceso', o.process_type)], [line('Calidad', o.quality), line('Certificación', `${o.certification.label} ${programs(o.programs)}`)]),
    el('p', null, 'Por medio del presente, solicitamos se sirvan procesar el café de las siguientes guías de ingreso:'),
    grid([['Guía de remisión n.º'], ['Guía de ingreso n.º'], ['Descripción'], ['Sacos n.º', 1], ['Kilos a procesar', 1], ['Humedad %', 1], ['Rendimiento %', 1]],
      o.inputs.map((x) => el('tr', null, td(x.dispatch.number_text), td(x.plant_receipt.number_text), td(x.description), td(String(x.sacks), 1),
        td(kg(x.net_kg), 1), td(num(x.humidity, 1), 1), td(num(x.yield_pct), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 3 }, 'TOTALES'), td(String(t.sacks), 1), td(kg(t.net_kg), 1), td(''), td(''))),
    o.observations && line('Observaciones', o.observations),
    signs(sign('Jefe de exportaciones')));
}

function marking(m) {
  return sheet(m, 'a4 marcado', 'Orden de marcado de sacos', numBox(m, 'Orden N.º'),
    line('Señores', m.plant.name), el('p', null, 'Estimados Señores,'),
    el('p', null, 'Por medio del presente, solicitamos se sirvan realizar el siguiente proceso de marcado de sacos, según se detalla:'),
    grid([['Cantidad sacos n.º', 1], ['Marcas'], ['Fecha de entrega'], ['Lugar de entrega'], ['Observación']],
      [el('tr', null, td(String(m.sacks), 1), td(el('div', { class: 'marks' }, m.marks, el('br'), `Net Weight: ${num(m.net_per_sack_kg, 2, true)} kg`)),
        td(date(m.delivery_on)), td(m.delivery_place), td(m.observation))]),
    el('ul', { class: 'p-notes' }, el('li', null, `Marca ICO: ${m.ico_mark}`),
      el('li', null, `Lote asignado por el área de exportaciones de ${m.organization.name}: ${m.organic_lot}`), el('li', null, `Contrato n.º: ${m.contract}`)),
    signs(sign('Jefe de exportaciones')));
}

function lop(s) {
  const t = s.inputs_total;
  return sheet(s, 'a4 lop', 'Liquidación de proceso de planta procesadora', [`LOP N.º: ${s.number_text}`, `Fecha: ${date(s.issued_on)}`],
    cols([line('Cliente', s.client.name), line('Contrato', s.contract), line('Tipo de proceso', s.process_type), line('Características', s.characteristics)],
      [line('Lote de producto terminado', s.lot_code), line('Orden de proceso', s.process_order.number_text),
        s.marking_order && line('Lote orgánico', s.marking_order.organic_lot), s.marking_order && line('Marca ICO', s.marking_order.ico_mark)]),
    el('h2', null, 'Producto que ingresa al proceso'),
    grid([['Guía de remisión n.º'], ['Guía de ingreso n.º'], ['Descripción'], ['Sacos n.º', 1], ['Kilos netos', 1], ['Humedad %', 1], ['Rendimiento %', 1]],
      s.inputs.map((x) => el('tr', null, td(x.dispatch.number_text), td(x.plant_receipt.number_text), td(x.description), td(String(x.sacks), 1),
        td(kg(x.net_kg), 1), td(num(x.humidity, 1), 1), td(num(x.yield_pct, 2, true), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 3 }, 'TOTALES'), td(String(t.sacks), 1), td(kg(t.net_kg), 1), td(''), td(''))),
    el('h2', null, 'Resultado de proceso'),
    grid([['Ítem n.º', 1], ['Producto'], ['Sacos (69 kg)', 1], ['Kilos', 1], ['Kilos netos', 1], ['QQS', 1], ['%', 1]],
      s.outputs.map((r) => el('tr', { class: r.key === 'coffee_total' || r.key === 'total' ? 'total' : null, dataset: { key: r.key } },
        td(r.item ? String(r.item) : '', 1), r.key === 'total' || r.key === 'coffee_total' ? th(r.product, 'row') : td(r.product),
        td(r.sacks == null ? '' : String(r.sacks), 1), td(kgOrBlank(r.remainder_kg) && num(r.remainder_kg, 2, true), 1), td(kg(r.kilos), 1),
        td(r.qq ? num(r.qq) : '', 1), td(`${num(r.pct)} %`, 1)))),
    line('Rendimiento (café exportación / ingreso)', `${num(s.yield_pct)} %`),
    line('Observaciones', s.observations || ''),
    plantSigns());
}

function exit(x) {
  return sheet(x, 'a4 salida', 'Guía de salida de planta procesadora', numBox(x, 'Guía N.º'),
    cols([line('Cliente', x.client.name), line('Destino', x.destination), x.destination_address && line('Dirección', x.destination_address)],
      [line('Transportista', x.carrier.name), line('Vehículo', x.carrier.plate)]),
    grid([['Lote'], ['Producto'], ['Sacos n.º', 1], ['Kilos brutos', 1], ['Tara', 1], ['Kilos netos', 1]],
      [el('tr', null, td(x.lot_code), td(x.product_description), td(String(x.sacks), 1), td(kg(x.gross_kg), 1), td(kg(x.tare_kg), 1), td(kg(x.net_kg), 1))]),
    cols([certBox(x)], [line('Observación', x.observations), line('LOP', x.process_settlement.number_text)]),
    plantSigns());
}

function carrierGuide(x) {
  const g = x.carrier_guide;
  return el('article', { class: 'sheet a4 transportista' },
    el('header', { class: 'p-head' }, orgBlock({ name: g.carrier.name, ruc: g.carrier.doc }),
      el('div', { class: 'p-num' }, el('div', null, g.title), el('div', null, `Ref.: guía de salida N.º ${x.number_text}`))),
    el('h1', { class: 'p-title' }, 'Guía de remisión'),
    cols([line('Fecha de emisión', date(g.issued_on))], [line('Fecha inicio de traslado', date(g.transfer_on))]),
    line('Dirección punto de partida', g.departure_address), line('Dirección punto de llegada', g.arrival_address),
    cols([line('Remitente', g.sender.name)], [line('RUC N.º', g.sender.ruc)]),
    cols([line('Destinatario', g.recipient.name)], [g.recipient.ruc && line('RUC N.º', g.recipient.ruc)]),
    grid([['Código'], ['Descripción'], ['Cantidad', 1], ['Peso', 1], ['Unidad']],
      g.items.map((i) => el('tr', null, td(i.code), td(i.description), td(String(i.quantity), 1), td(kg(i.weight_kg), 1), td(i.unit)))),
    cols([line('Marca del vehículo', g.vehicle.brand), line('N.º certificado de inscripción', g.vehicle.mtc), line('Placa N.º', g.vehicle.plate)],
      [line('Nombre del conductor', g.driver.name), line('N.º licencia', g.driver.licence)]),
    line('Observaciones', ''),
    signs(sign(`P. ${g.carrier.name}`), sign('Conformidad del cliente')));
}

function kardex(me, c) {
  const plants = [...new Set(c.rows.map((r) => r.plant.name))];
  const own = me.user.organization || {};
  return el('article', { class: 'sheet a4 land kardex-sheet' },
    el('header', { class: 'p-head' }, orgBlock(plants.length === 1 && plants[0] === own.name ? own : { name: plants.join(', ') || own.name }, false),
      el('div', { class: 'p-num' }, `Saldo: ${kg(c.totals.balance_kg)} kg`)),
    el('h1', { class: 'p-title' }, 'Kárdex de café tipo exportación'),
    line('Cliente', c.client.name), line('RUC N.º', c.client.ruc),
    grid([['LOP n.º'], ['Defectos'], ['Contrato'], ['Kilos netos', 1], ['QQS', 1], ['Sacos n.º', 1], ['Lote org.'], ['Marca ICO'], ['Fecha de salida'], ['Destino'], ['Guía de salida'], ['Saldo kg', 1]],
      c.rows.map((r) => el('tr', null, td(r.process_settlement.number_text), td(r.characteristics), td(r.contract),
        td(`${r.movement === 'out' ? '−' : ''}${kg(r.kilos)}`, 1), td(num(r.qq), 1), td(`${r.movement === 'out' ? '−' : ''}${r.sacks}`, 1), td(r.organic_lot), td(r.ico_mark),
        td(r.exit ? date(r.date) : ''), td(r.exit ? r.exit.destination : ''), td(r.exit ? r.exit.guide.number_text : ''), td(kg(r.balance_kg), 1))),
      el('tr', { class: 'total' }, el('th', { scope: 'row', colspan: 3 }, 'SALDO'), td(kg(c.totals.balance_kg), 1), td(''), td(String(c.totals.balance_sacks), 1), el('td', { colspan: 6 }))));
}

/** form -> [document kind (API), draw]. */
export const PRINTS = {
  remision: ['remision', dispatch], ingreso: ['ingreso', receipt], sticker: ['ingreso', sticker], proceso: ['proceso', order],
  marcado: ['marcado', marking], lop: ['lop', lop], salida: ['salida', exit], transportista: ['salida', carrierGuide], kardex: [null, null],
};

export function printView(ctx, form, id) {
  const [kind, draw] = PRINTS[form];
  if (!kind) {
    return printFrame('/planta/kardex', async () => {
      const k = await api.get(`/kardex?client_org_id=${api.seg(id)}`);
      if (!k.clients.length) throw Object.assign(new Error(''), { status: 404 });
      return k.clients.map((c) => kardex(ctx.me, c));
    });
  }
  return printFrame(docHref(kind, id), async () => draw(await api.get(`${KINDS[kind].path}/${api.seg(id)}`)));
}
