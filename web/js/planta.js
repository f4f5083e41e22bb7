// Planta: guías de remisión, guías de ingreso, órdenes de proceso y marcado, LOP,
// guías de salida and the kárdex as tabs under /planta; documents under
// /planta/doc/{kind}/{id}; print views under /planta/imprimir/{form}/{id}.
import * as api from './api.js';
import { el, replace, pageHeading, pagedTable, table } from './ui.js';
import { num, date, statusLabel, programs } from './fmt.js';
import { input, qs, val, onSubmit, facts, problem, docState, reasonDialog } from './acopio-util.js';
import { coopWrite, plantWrite, myOrg, isIssuer, KINDS, docHref, printHref, docLink, lazyPanel } from './planta-util.js';
import { dispatchForm, intakeForm, processOrderForm, markingForm, lopForm, exitForm } from './planta-forms.js';
import { printView, PRINTS } from './planta-print.js';

const printLink = (form, id, text) => el('a', { class: 'btn btn-small', href: printHref(form, id), target: '_blank', rel: 'noopener' }, text);
const kgPct = (kg, pct) => `${num(kg)} kg (${num(pct)} %)`;
const certOf = (d) => `${statusLabel(d.status)}${d.programs && d.programs.length ? ` ${programs(d.programs)}` : ''}`;

const COLS = {
  remision: [['Destinatario', (d) => d.recipient.name], ['Lote', (d) => d.lot_code], ['Tipo', (d) => d.coffee_type],
    ['Sacos', (d) => String(d.sacks), 'num'], ['Peso kg', (d) => num(d.declared_kg), 'num'],
    ['Merma', (d) => kgPct(d.reconciliation.shrinkage_kg, d.reconciliation.shrinkage_pct), 'num'], ['Ingreso', (d) => docLink('ingreso', d.plant_receipt) || 'Pendiente']],
  ingreso: [['Cliente', (d) => d.client.name], ['Guía de remisión', (d) => docLink('remision', d.dispatch)], ['Tipo', (d) => d.coffee_type],
    ['Sacos', (d) => String(d.sacks), 'num'], ['Kilos netos', (d) => num(d.net_kg), 'num'], ['Saldo kg', (d) => num(d.balance_kg), 'num']],
  proceso: [['Planta', (d) => d.plant.name], ['Contrato', (d) => d.contract], ['Kilos', (d) => num(d.input_kg), 'num'],
    ['Marcado', (d) => docLink('marcado', d.marking_order)], ['LOP', (d) => docLink('lop', d.settlement) || 'Pendiente']],
  marcado: [['Planta', (d) => d.plant.name], ['Orden de proceso', (d) => docLink('proceso', d.process_order)], ['Sacos', (d) => String(d.sacks), 'num'],
    ['Lote orgánico', (d) => d.organic_lot], ['Marca ICO', (d) => d.ico_mark]],
  lop: [['Cliente', (d) => d.client.name], ['Lote', (d) => d.lot_code], ['Ingreso kg', (d) => num(d.input_kg), 'num'],
    ['Exportación kg', (d) => num(d.export.kilos), 'num'], ['Rend. %', (d) => num(d.yield_pct), 'num'], ['Por despachar', (d) => `${d.available.sacks} sacos`, 'num']],
  salida: [['Cliente', (d) => d.client.name], ['Destino', (d) => d.destination], ['LOP', (d) => docLink('lop', d.process_settlement)],
    ['Lote', (d) => d.lot_code], ['Sacos', (d) => String(d.sacks), 'num'], ['Kilos netos', (d) => num(d.net_kg), 'num']],
};
const CSV = {
  remision: ['/dispatches.csv', 'guias-de-remision.csv', 'Descargar registro de guías de remisión (CSV)'],
  ingreso: ['/plant-receipts.csv', 'registro-de-recepcion.csv', 'Descargar registro de recepción (CSV)'],
  lop: ['/process-settlements.csv', 'registro-de-cafe-procesado.csv', 'Descargar registro de café procesado (CSV)'],
};

const columns = (kind, extra = []) => [
  { label: 'N.º', cell: (d) => el('a', { href: docHref(kind, d.id) }, d.number_text) },
  { label: 'Fecha', class: 'nowrap', cell: (d) => date(d.issued_on) },
  ...COLS[kind].map(([label, cell, cls]) => ({ label, cell, class: cls })),
  { label: 'Estado', cell: docState }, ...extra,
];

/** A document list with filters, paging and (when there is one) the CSV register. */
function listing(kind, title) {
  let filter = {};
  const opt = (o) => input({ noOpt: true, ...o });
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Filtrar');
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': `Filtros: ${title}` },
    opt({ label: 'Desde', name: 'from', type: 'date' }), opt({ label: 'Hasta', name: 'to', type: 'date' }),
    opt({ label: 'N.º', name: 'number', inputmode: 'numeric', maxlength: 10 }),
    opt({ label: 'Estado', name: 'annulled', options: [['', 'Todos'], ['0', 'Vigentes'], ['1', 'Anulados']] }),
    el('div', { class: 'actions' }, submit));
  const csv = CSV[kind] && el('p', { class: 'downloads' });
  const drawCsv = () => csv && replace(csv, el('a', { href: `/api/v1${CSV[kind][0]}${qs(filter)}`, download: CSV[kind][1] }, CSV[kind][2]));
  const list = pagedTable({
    caption: title, emptyText: 'No hay documentos con estos filtros.',
    columns: columns(kind, [{ label: 'Imprimir', cell: (d) => el('a', { href: printHref(KINDS[kind].prints[0][0], d.id), target: '_blank', rel: 'noopener' }, 'Imprimir') }]),
    load: (cursor) => api.get(`${KINDS[kind].path}${qs({ ...filter, limit: 50, cursor })}`),
  });
  onSubmit(form, submit, async () => ({ from: val(form, 'from'), to: val(form, 'to'), number: val(form, 'number'), annulled: val(form, 'annulled') }),
    (f) => { filter = f; drawCsv(); list.reload(); });
  drawCsv();
  return el('section', { class: 'docs', 'aria-label': title }, el('h2', null, title), form, csv, list.node);
}

/** A short list of documents waiting for the user's next step (filtered client-side). */
function todo(title, path, keep, kind, cols, action) {
  const list = pagedTable({
    caption: title, emptyText: 'No hay documentos pendientes.',
    columns: [...columns(kind).slice(0, 2), ...cols.map(([label, cell, cls]) => ({ label, cell, class: cls })),
      { label: 'Acción', cell: (d) => el('a', { class: 'btn btn-small btn-primary', href: docHref(kind, d.id) }, action) }],
    load: async (cursor) => { const r = await api.get(`${path}${path.includes('?') ? '&' : '?'}${qs({ limit: 100, cursor }).slice(1)}`); return { items: r.items.filter(keep), next_cursor: r.next_cursor }; },
  });
  return el('section', { class: 'todo', 'aria-label': title }, el('h2', null, title), list.node);
}

const TABS = [
  ['guias', 'Guías de remisión', (ctx) => [
    coopWrite(ctx.me) && lazyPanel('Nueva guía de remisión', () => dispatchForm(ctx, (d) => ctx.navigate(docHref('remision', d.id)))),
    plantWrite(ctx.me) && todo('Guías entrantes', '/dispatches?incoming=1', () => true, 'remision',
      [['Remitente', (d) => d.organization.name], ['Lote', (d) => d.lot_code], ['Sacos', (d) => String(d.sacks), 'num'], ['Peso kg', (d) => num(d.declared_kg), 'num']], 'Registrar ingreso'),
    listing('remision', 'Guías de remisión')]],
  ['ingresos', 'Guías de ingreso', () => [listing('ingreso', 'Guías de ingreso a planta')]],
  ['ordenes', 'Órdenes de proceso', (ctx) => [
    coopWrite(ctx.me) && lazyPanel('Nueva orden de proceso', () => processOrderForm(ctx, (d) => ctx.navigate(docHref('proceso', d.id)))),
    listing('proceso', 'Órdenes de proceso'), listing('marcado', 'Órdenes de marcado de sacos')]],
  ['lop', 'Liquidaciones (LOP)', (ctx) => [
    plantWrite(ctx.me) && todo('Órdenes de proceso por liquidar', '/process-orders?annulled=0', (d) => !d.settlement && d.plant.id === myOrg(ctx.me), 'proceso',
      [['Cliente', (d) => d.organization.name], ['Kilos', (d) => num(d.input_kg), 'num']], 'Registrar LOP'),
    listing('lop', 'Liquidaciones de proceso')]],
  ['salidas', 'Guías de salida', (ctx) => [
    plantWrite(ctx.me) && todo('LOP con café por despachar', '/process-settlements?annulled=0', (d) => d.available.sacks > 0 && d.organization.id === myOrg(ctx.me), 'lop',
      [['Cliente', (d) => d.client.name], ['Por despachar', (d) => `${d.available.sacks} sacos, ${num(d.available.kilos)} kg`, 'num']], 'Emitir guía de salida'),
    listing('salida', 'Guías de salida de planta')]],
  ['kardex', 'Kárdex', () => kardexView()],
];

const FACTS = {
  remision: (d) => [['Fecha de emisión', date(d.issued_on)], ['Inicio del traslado', date(d.transfer_on)], ['Remitente', d.organization.name],
    ['Destinatario', `${d.recipient.name}${d.recipient.ruc ? ` · RUC ${d.recipient.ruc}` : ''}`], ['Motivo', d.reason_other || d.reason_text],
    ['Lote', d.lot_code], ['Descripción', d.description], ['Tipo de café', d.coffee_type], ['Sacos declarados', String(d.sacks)],
    ['Peso declarado kg', num(d.declared_kg)], ['Notas: sacos y kilos', `${d.notes_sacks} sacos · ${num(d.notes_kg)} kg`],
    ['Merma', kgPct(d.reconciliation.shrinkage_kg, d.reconciliation.shrinkage_pct) + (d.reconciliation.flagged ? ' · fuera de tolerancia' : '')],
    ['Transportista', `${d.carrier.name} · ${d.carrier.doc_type === 'dni' ? 'DNI' : 'RUC'} ${d.carrier.doc}${d.carrier.plate ? ` · ${d.carrier.plate}` : ''}`],
    ['Guía de ingreso', docLink('ingreso', d.plant_receipt) || 'Pendiente']],
  ingreso: (d) => [['Fecha', date(d.issued_on)], ['Planta', d.organization.name], ['Cliente', d.client.name], ['Guía de remisión', docLink('remision', d.dispatch)],
    ['Producto', d.product], ['Tipo de café', d.coffee_type], ['Sacos', String(d.sacks)], ['Kilos brutos', num(d.gross_kg)], ['Tara', num(d.tare_kg)],
    ['Kilos netos', num(d.net_kg)], ['Diferencia con la guía', kgPct(d.reconciliation.difference_kg, d.reconciliation.difference_pct) + (d.reconciliation.flagged ? ' · fuera de tolerancia' : '')],
    ['Rendimiento %', num(d.yield_pct)], ['Humedad %', num(d.humidity, 1)], ['Subproducto %', num(d.subproduct_pct)], ['Cáscara %', num(d.husk_pct)],
    ['Puntaje SCAA', num(d.cup_score)], ['Consumido kg', num(d.consumed_kg)], ['Saldo kg', num(d.balance_kg)]],
  proceso: (d) => [['Fecha', date(d.issued_on)], ['Cliente', d.organization.name], ['Planta', d.plant.name], ['Contrato', d.contract],
    ['Tipo de proceso', d.process_type], ['Calidad', d.quality], ['Certificación', certOf(d)], ['Kilos a procesar', num(d.input_kg)],
    ['Orden de marcado', docLink('marcado', d.marking_order)], ['LOP', docLink('lop', d.settlement) || 'Pendiente']],
  marcado: (d) => [['Fecha', date(d.issued_on)], ['Planta', d.plant.name], ['Orden de proceso', docLink('proceso', d.process_order)],
    ['Sacos', String(d.sacks)], ['Neto por saco kg', num(d.net_per_sack_kg)], ['Total kg', num(d.total_kg)], ['Marca ICO', d.ico_mark],
    ['Lote orgánico', d.organic_lot], ['Contrato', d.contract], ['Entrega', [date(d.delivery_on), d.delivery_place].filter(Boolean).join(' · ')],
    ['Marcas', d.marks], ['Observación', d.observation]],
  lop: (d) => [['Fecha', date(d.issued_on)], ['Cliente', d.client.name], ['Orden de proceso', docLink('proceso', d.process_order)],
    ['Contrato', d.contract], ['Tipo de proceso', d.process_type], ['Características', d.characteristics], ['Lote de producto terminado', d.lot_code],
    ['Ingreso kg', num(d.input_kg)], ['Rendimiento %', num(d.yield_pct)], ['Exportación', `${d.export.sacks} sacos · ${num(d.export.kilos)} kg · ${num(d.export.qq)} QQ`],
    ['Despachado', `${d.exits.sacks} sacos · ${num(d.exits.kilos)} kg`], ['Por despachar', `${d.available.sacks} sacos · ${num(d.available.kilos)} kg`]],
  salida: (d) => [['Fecha', date(d.issued_on)], ['Cliente', d.client.name], ['LOP', docLink('lop', d.process_settlement)],
    ['Destino', [d.destination, d.destination_address].filter(Boolean).join(' · ')], ['Lote', d.lot_code], ['Sacos', String(d.sacks)],
    ['Kilos brutos', num(d.gross_kg)], ['Tara', num(d.tare_kg)], ['Kilos netos', num(d.net_kg)], ['Transportista', `${d.carrier.name} · ${d.carrier.plate || ''}`]],
};

const inputsTable = (d) => table([
  { label: 'Guía de remisión', cell: (x) => docLink('remision', x.dispatch) }, { label: 'Guía de ingreso', cell: (x) => docLink('ingreso', x.plant_receipt) },
  { label: 'Descripción', cell: (x) => x.description }, { label: 'Kilos', class: 'num', cell: (x) => num(x.net_kg) },
  { label: 'Saldo de la guía kg', class: 'num', cell: (x) => num(x.balance_kg) }], d.inputs, 'Producto que ingresa al proceso');

const DETAILS = {
  remision: (d) => [el('h3', null, `Lista de productores (${d.producer_list.rows.length})`), table([
    { label: 'N.º', cell: (r) => String(r.n) }, { label: 'Nota', cell: (r) => r.note.number_text }, { label: 'Productor', cell: (r) => r.producer.full_name },
    { label: 'Fecha', cell: (r) => date(r.date) }, { label: 'Sacos', class: 'num', cell: (r) => String(r.sacks) }, { label: 'Kilos netos', class: 'num', cell: (r) => num(r.net_kg) }],
  d.producer_list.rows, 'Lista de productores')],
  proceso: (d) => [el('h3', null, 'Guías de ingreso a procesar'), inputsTable(d)],
  lop: (d) => [el('h3', null, 'Resultado de proceso'), table([
    { label: 'Ítem', cell: (r) => (r.item ? String(r.item) : '') }, { label: 'Producto', cell: (r) => r.product },
    { label: 'Sacos (69 kg)', class: 'num', cell: (r) => (r.sacks == null ? '' : String(r.sacks)) }, { label: 'Kilos', class: 'num', cell: (r) => num(r.remainder_kg) },
    { label: 'Kilos netos', class: 'num', cell: (r) => num(r.kilos) }, { label: '%', class: 'num', cell: (r) => `${num(r.pct)} %` }], d.outputs, 'Resultado de proceso')],
};

/** The next step on a document, for the role that takes it. */
function nextStep(ctx, kind, d) {
  const me = ctx.me;
  const go = (k) => (x) => ctx.navigate(docHref(k, x.id));
  if (d.annulled) return null;
  if (kind === 'remision' && plantWrite(me) && d.recipient.id === myOrg(me) && !d.plant_receipt) return intakeForm(d, go('ingreso'));
  if (kind === 'proceso' && coopWrite(me) && isIssuer(me, d) && !d.marking_order) return markingForm(d, go('marcado'));
  if (kind === 'proceso' && plantWrite(me) && d.plant.id === myOrg(me) && !d.settlement) return lopForm(d, go('lop'));
  if (kind === 'lop' && plantWrite(me) && isIssuer(me, d) && d.available.sacks > 0) return exitForm(d, go('salida'));
  return null;
}

function docView(ctx, kind, id) {
  const node = el('div', { class: 'delivery' }, el('p', { class: 'muted' }, 'Cargando…'));
  const k = KINDS[kind];
  const draw = (d) => {
    const annul = isIssuer(ctx.me, d) && !d.annulled && el('button', {
      type: 'button', class: 'btn btn-small btn-danger-outline',
      onclick: async () => {
        const send = api.submission();
        const r = await reasonDialog(`Anular ${k.name.toLowerCase()} n.º ${d.number_text}`,
          'El documento conserva su número y queda marcado como anulado en los registros y al imprimirlo.', 'Anular',
          (reason) => send(`${k.path}/${api.seg(d.id)}/annul`, { reason }));
        if (r) draw(r);
      },
    }, 'Anular');
    replace(node, el('h2', null, `${k.name} n.º ${d.number_text}`),
      el('article', { class: `doc-card${d.annulled ? ' annulled' : ''}`, 'aria-label': `${k.name} n.º ${d.number_text}` },
        el('header', null, el('h3', null, certOf(d)), docState(d)),
        d.annulled && el('p', { class: 'alert alert-error' }, `Anulado el ${date(d.annulled.at)} por ${d.annulled.by}: ${d.annulled.reason}`),
        facts(FACTS[kind](d)),
        el('div', { class: 'row-actions' }, k.prints.map(([f, text]) => printLink(f, d.id, text)), annul)),
      DETAILS[kind] && DETAILS[kind](d), nextStep(ctx, kind, d));
  };
  api.get(`${k.path}/${api.seg(id)}`).then(draw, (err) => replace(node, problem(err.status === 404 ? null : err, 'El documento no existe o no tiene acceso a él.')));
  return node;
}

/** Kárdex de café tipo exportación, per client, with the running balance. */
function kardexView() {
  const node = el('div', { class: 'kardex' }, el('p', { class: 'muted' }, 'Cargando…'));
  api.get('/kardex').then((k) => replace(node, k.clients.length ? k.clients.map((c) => el('section', { class: 'kardex-client', 'aria-label': c.client.name },
    el('h2', null, `${c.client.name}${c.client.ruc ? ` · RUC ${c.client.ruc}` : ''}`),
    el('p', { class: 'downloads' },
      el('a', { href: printHref('kardex', c.client.id), target: '_blank', rel: 'noopener' }, 'Imprimir kárdex'),
      el('a', { href: `/api/v1/kardex.csv?client_org_id=${c.client.id}`, download: `kardex-${c.client.id}.csv` }, 'Descargar kárdex (CSV)')),
    kardexTable(c),
    el('p', { class: 'kardex-total' }, `Saldo: ${num(c.totals.balance_kg)} kg · ${c.totals.balance_sacks} sacos (ingresos ${num(c.totals.in_kg)} kg, salidas ${num(c.totals.out_kg)} kg)`)))
    : el('p', { class: 'empty' }, 'No hay movimientos de café de exportación.')),
  (err) => replace(node, problem(err, 'No se pudo cargar el kárdex.')));
  return node;
}

const kardexTable = (c) => table([
  { label: 'Fecha', cell: (r) => date(r.date), class: 'nowrap' }, { label: 'LOP n.º', cell: (r) => docLink('lop', r.process_settlement) },
  { label: 'Contrato', cell: (r) => r.contract }, { label: 'Lote org.', cell: (r) => r.organic_lot }, { label: 'Marca ICO', cell: (r) => r.ico_mark },
  { label: 'Entra kg', class: 'num', cell: (r) => (r.movement === 'in' ? num(r.kilos) : '') },
  { label: 'Sale kg', class: 'num', cell: (r) => (r.movement === 'out' ? num(r.kilos) : '') },
  { label: 'Sacos', class: 'num', cell: (r) => `${r.movement === 'out' ? '−' : '+'}${r.sacks}` },
  { label: 'Destino', cell: (r) => (r.exit ? r.exit.destination : '') }, { label: 'Guía de salida', cell: (r) => (r.exit ? docLink('salida', r.exit.guide) : '') },
  { label: 'Saldo kg', class: 'num', cell: (r) => num(r.balance_kg) }, { label: 'Saldo sacos', class: 'num', cell: (r) => String(r.balance_sacks) }],
c.rows, `Kárdex de ${c.client.name}`);

const missing = () => el('section', null, pageHeading('Planta'),
  el('p', null, 'Esta página no existe o su rol no tiene acceso a ella.'), el('p', null, el('a', { href: '/planta' }, 'Volver a Planta')));

export function plantaView(ctx, path) {
  const [sub, a, b] = path.split('/').slice(2);
  if (sub === 'imprimir') return PRINTS[a] && /^\d+$/.test(b || '') ? printView(ctx, a, b) : missing();
  const doc = sub === 'doc';
  if (doc && !(KINDS[a] && /^\d+$/.test(b || ''))) return missing();
  const current = doc ? { remision: 'guias', ingreso: 'ingresos', proceso: 'ordenes', marcado: 'ordenes', lop: 'lop', salida: 'salidas' }[a] : sub || 'guias';
  const tab = TABS.find((t) => t[0] === current);
  if (!tab) return missing();
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Secciones de planta' }, el('ul', null, TABS.map(([k, label]) =>
    el('li', null, el('a', { href: `/planta/${k}`, 'aria-current': k === current && !doc ? 'page' : false }, label)))));
  const content = doc ? [el('p', null, el('a', { href: `/planta/${current}` }, '← Volver a la lista')), docView(ctx, a, b)] : tab[2](ctx);
  return el('section', { class: `planta planta-${current}` }, pageHeading('Planta'), nav, content);
}
