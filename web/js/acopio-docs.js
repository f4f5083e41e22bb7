// Acopio › Documentos: the documents of a delivery (ticket, nota de ingreso,
// liquidación) as a chain with their issue forms; lists with filters and registers.
import * as api from './api.js';
import { el, replace, pagedTable } from './ui.js';
import { scaled, show, mulDiv, num, date, today, statusLabel } from './fmt.js';
import {
  canWrite, DOCS, docHref, printHref, qs, input, enterAdvances, docState, annul, onSubmit, facts, problem, val, fail,
} from './acopio-util.js';

let lastPrice = ''; // the day's price, kept between deliveries

const who = (p) => `${p.full_name} · DNI ${p.dni}`;
const printLink = (kind, id, text) => el('a', { class: 'btn btn-small', href: printHref(kind, id), target: '_blank', rel: 'noopener' }, text);

const FACTS = {
  recepcion: (d) => [['Fecha', date(d.issued_on)], ['Productor', who(d.producer)], ['Estatus', statusLabel(d.status)],
    ['Código de entrega', d.delivery_code], ['Sacos', String(d.sacks)], ['Kilos netos', num(d.net_kg)], ['QQ', num(d.qq)],
    ['Humedad %', num(d.humidity, 1)], ['Rendimiento %', num(d.sample.exportable_pct, 2, true)]],
  nota: (d) => [['Fecha', date(d.issued_on)], ['Productor', who(d.producer)], ['Ticket', String(d.reception.number)],
    ['Precio QQ S/', num(d.price_per_qq)], ['Rendimiento', num(d.yield_pct, 2, true)],
    ['Certificación', [d.certification_program, d.certifier].filter(Boolean).join(' · ')], ['Total a pagar S/', num(d.total)]],
  liquidacion: (d) => [['Fecha', date(d.issued_on)], ['Productor', who(d.producer)], ['Nota de ingreso', String(d.note.number)],
    ['QQ', num(d.qq)], ['Precio QQ S/', num(d.price_per_qq)], ['Total S/', num(d.total)], ['Son', d.amount_words]],
};

/** One document of the chain: figures, print links and (write roles) annul. */
function docCard(ctx, kind, d, onAnnulled) {
  const id = `doc-${kind}-${d.id}`;
  const annulBtn = canWrite(ctx.me) && !d.annulled ? el('button', {
    type: 'button', class: 'btn btn-small btn-danger-outline',
    onclick: async () => { const r = await annul(kind, d); if (r) onAnnulled(r); },
  }, 'Anular') : null;
  return el('article', { class: `doc-card${d.annulled ? ' annulled' : ''}`, 'aria-labelledby': id },
    el('header', null, el('h3', { id }, el('a', { href: docHref(kind, d.id) }, `${DOCS[kind].name} n.º ${d.number_text}`)), docState(d)),
    d.annulled ? el('p', { class: 'alert alert-error' }, `Anulado el ${date(d.annulled.at)} por ${d.annulled.by}: ${d.annulled.reason}`) : null,
    facts(FACTS[kind](d)),
    el('div', { class: 'row-actions' }, printLink(kind, d.id, `Imprimir ${DOCS[kind].short}`),
      kind === 'nota' ? printLink('sticker', d.id, 'Imprimir stickers') : null, annulBtn));
}

function noteForm(r, onIssued) {
  const send = api.submission();
  const total = el('output', { class: 'big', 'aria-label': 'Total a pagar' }, '—');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Emitir nota de ingreso');
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': `nf-${r.id}` },
    el('h3', { id: `nf-${r.id}` }, 'Nota de ingreso a almacén'),
    el('div', { class: 'grid3' },
      input({ label: 'Precio por QQ (S/)', name: 'price_per_qq', required: true, inputmode: 'decimal', maxlength: 12, value: lastPrice }),
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: r.issued_on }),
      input({ label: 'Observaciones', name: 'observations', maxlength: 500 })),
    el('div', { class: 'computed' }, el('div', null, el('span', null, `Total a pagar S/ (${num(r.qq)} QQ)`), total)),
    el('div', { class: 'actions' }, submit));
  const price = () => scaled(val(form, 'price_per_qq'), 2);
  const update = () => { total.value = price() ? show(mulDiv(scaled(r.qq, 2), price(), 100n), 2) : '—'; };
  form.addEventListener('input', update);
  update();
  enterAdvances(form);
  onSubmit(form, submit, () => {
    if (!price()) throw fail('Revise el precio.', 'price_per_qq', 'Soles por QQ con hasta 2 decimales, por ejemplo 412,00.');
    lastPrice = val(form, 'price_per_qq');
    return send('/warehouse-notes', { reception_id: r.id, issued_on: val(form, 'issued_on'), price_per_qq: lastPrice.replace(',', '.'), observations: val(form, 'observations') });
  }, onIssued);
  return form;
}

function settlementForm(n, onIssued, place) {
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Emitir liquidación');
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-labelledby': `sf-${n.id}` },
    el('h3', { id: `sf-${n.id}` }, 'Liquidación de compra'),
    el('p', { class: 'muted' }, `Total a pagar: S/ ${num(n.total)}`),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: n.issued_on || today() }),
      input({ label: 'Lugar de venta', name: 'place_of_sale', maxlength: 120, value: place || '' })),
    el('div', { class: 'actions' }, submit));
  enterAdvances(form);
  onSubmit(form, submit, () => send('/purchase-settlements',
    { note_id: n.id, issued_on: val(form, 'issued_on'), place_of_sale: val(form, 'place_of_sale') || undefined }), onIssued);
  return form;
}

/**
 * The documents of one delivery: the ticket, then the note (or its issue form),
 * then the settlement (or its issue form). docs: {reception, note?, settlement?}.
 */
export function chain(ctx, docs, placeOfSale) {
  const node = el('div', { class: 'chain' });
  const write = canWrite(ctx.me);
  const draw = (focus) => {
    const { reception: r, note: n, settlement: s } = docs;
    const set = (k) => (d) => {
      if (k === 'note' && s && s.note.id !== d.id) docs.settlement = null;
      docs[k] = d;
      draw(true);
    };
    // An annulled note or settlement can be issued again, unless the server
    // already knows a valid one (r.note, n.settlement) other than the one shown.
    const other = (ref, d) => (ref && (!d || (d.annulled && ref.id !== d.id)) ? ref : null);
    const oNote = other(r.note, n);
    const oStl = n && other(n.settlement, s);
    const current = (kind, ref) => el('p', { class: 'alert alert-info' }, `${DOCS[kind].name} vigente: `, el('a', { href: docHref(kind, ref.id) }, `n.º ${ref.number}`));
    replace(node,
      docCard(ctx, 'recepcion', r, set('reception')),
      n && docCard(ctx, 'nota', n, set('note')),
      oNote ? current('nota', oNote) : write && !r.annulled && (!n || n.annulled) && noteForm(r, set('note')),
      s && docCard(ctx, 'liquidacion', s, set('settlement')),
      oStl ? current('liquidacion', oStl) : write && n && !n.annulled && (!s || s.annulled) && settlementForm(n, set('settlement'), placeOfSale));
    const target = focus && (node.querySelector('.issue-form input') || node.querySelector('.doc-card:last-child h3 a'));
    if (target) target.focus();
  };
  draw(false);
  return node;
}

/** /acopio/documentos/{kind}/{id}: the whole delivery around one document. */
export function deliveryView(ctx, kind, id) {
  const node = el('div', { class: 'delivery' }, el('p', { class: 'muted' }, 'Cargando…'));
  const get = (k, i) => api.get(`${DOCS[k].path}/${api.seg(i)}`);
  (async () => {
    try {
      const doc = await get(kind, id);
      const docs = { [{ recepcion: 'reception', nota: 'note', liquidacion: 'settlement' }[kind]]: doc };
      if (kind === 'liquidacion') docs.note = await get('nota', doc.note.id);
      if (kind !== 'recepcion') docs.reception = await get('recepcion', docs.note.reception.id);
      if (!docs.note && docs.reception.note) docs.note = await get('nota', docs.reception.note.id);
      if (!docs.settlement && docs.note && docs.note.settlement) docs.settlement = await get('liquidacion', docs.note.settlement.id);
      replace(node, el('h2', null, `${DOCS[kind].name} n.º ${doc.number_text}`),
        el('p', null, el('a', { href: '/acopio/documentos' }, '← Volver a los documentos')), chain(ctx, docs));
    } catch (err) { replace(node, problem(err, 'No se pudo cargar el documento.')); }
  })();
  return node;
}

const link = (kind, d) => (d ? el('a', { href: docHref(kind, d.id) }, String(d.number)) : '');
const LISTS = {
  recepciones: ['recepcion', 'Recepciones', [
    ['Estatus', (d) => statusLabel(d.status)], ['Sacos', (d) => String(d.sacks), 'num'], ['Kilos netos', (d) => num(d.net_kg), 'num'],
    ['QQ', (d) => num(d.qq), 'num'], ['Hum. %', (d) => num(d.humidity, 1), 'num'], ['Nota', (d) => link('nota', d.note)]]],
  notas: ['nota', 'Notas de ingreso', [
    ['Ticket', (d) => link('recepcion', d.reception)], ['QQ', (d) => num(d.reception.qq), 'num'], ['Precio S/', (d) => num(d.price_per_qq), 'num'],
    ['Total S/', (d) => num(d.total), 'num'], ['Liquidación', (d) => link('liquidacion', d.settlement) || 'Sin liquidación']]],
  liquidaciones: ['liquidacion', 'Liquidaciones', [
    ['Nota', (d) => link('nota', d.note)], ['QQ', (d) => num(d.qq), 'num'], ['Precio S/', (d) => num(d.price_per_qq), 'num'], ['Total S/', (d) => num(d.total), 'num']]],
};

/** /acopio/documentos[?tipo=notas|liquidaciones]: lists with filters, paging and the CSV registers. */
export function docsView() {
  const q = new URLSearchParams(location.search).get('tipo');
  const tipo = LISTS[q] ? q : 'recepciones';
  const [kind, label, cols] = LISTS[tipo];
  let filter = {};
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Filtrar');
  const opt = (o) => input({ noOpt: true, ...o });
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': 'Filtros' },
    opt({ label: 'Desde', name: 'from', type: 'date' }), opt({ label: 'Hasta', name: 'to', type: 'date' }),
    opt({ label: 'DNI del productor', name: 'dni', inputmode: 'numeric', maxlength: 8 }),
    opt({ label: 'N.º', name: 'number', inputmode: 'numeric', maxlength: 10 }),
    opt({ label: 'Estatus', name: 'status', options: [['', 'Todos'], ['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']] }),
    opt({ label: 'Estado', name: 'annulled', options: [['', 'Todos'], ['0', 'Vigentes'], ['1', 'Anulados']] }),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'flagged' }), ' Solo observadas'),
    el('div', { class: 'actions' }, submit));
  const csv = el('p', { class: 'downloads' });
  const drawCsv = () => replace(csv,
    el('a', { href: `/api/v1/receptions.csv${qs(filter)}`, download: 'registro-de-acopio.csv' }, 'Descargar registro de acopio (CSV)'),
    el('a', { href: `/api/v1/purchase-settlements.csv${qs({ producer_id: filter.producer_id })}`, download: 'registro-de-ventas.csv' },
      filter.producer_id ? 'Registro de ventas del productor (CSV)' : 'Descargar registro de ventas (CSV)'));
  const list = pagedTable({
    caption: label,
    emptyText: 'No hay documentos con estos filtros.',
    columns: [
      { label: 'N.º', cell: (d) => el('a', { href: docHref(kind, d.id) }, d.number_text) },
      { label: 'Fecha', class: 'nowrap', cell: (d) => date(d.issued_on) },
      { label: 'Productor', cell: (d) => el('span', null, d.producer.full_name, el('br'), el('small', { class: 'muted' }, `DNI ${d.producer.dni}`)) },
      ...cols.map(([l, cell, cls]) => ({ label: l, cell, class: cls })),
      { label: 'Estado', cell: docState },
      { label: 'Imprimir', cell: (d) => el('a', { href: printHref(kind, d.id), target: '_blank', rel: 'noopener' }, 'Imprimir') },
    ],
    load: (cursor) => api.get(`${DOCS[kind].path}${qs({ ...filter, limit: 50, cursor })}`),
  });
  onSubmit(form, submit, async () => {
    const f = { from: val(form, 'from'), to: val(form, 'to'), status: val(form, 'status'), annulled: val(form, 'annulled'), number: val(form, 'number'), flagged: form.elements.flagged.checked && 1 };
    if (val(form, 'dni')) {
      try { f.producer_id = (await api.get(`/producers/by-dni/${api.seg(val(form, 'dni'))}`)).id; } catch (err) {
        throw fail('Revise el DNI.', 'dni', err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail);
      }
    }
    return f;
  }, (f) => { filter = f; drawCsv(); list.reload(); });
  drawCsv();
  const tabs = el('nav', { class: 'subtabs', 'aria-label': 'Tipo de documento' }, el('ul', null, Object.entries(LISTS).map(([k, [, l]]) =>
    el('li', null, el('a', { href: `/acopio/documentos?tipo=${k}`, 'aria-current': k === tipo && 'page' }, l)))));
  return el('div', { class: 'docs' }, tabs, form, csv, list.node);
}

