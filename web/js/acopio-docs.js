// Acopio › Documentos: the three documents of a delivery (ticket, nota de
// ingreso, liquidación) as a chain with issue forms, their lists and registers.
import * as api from './api.js';
import { el, replace, busy, clearFormError, pagedTable, notice } from './ui.js';
import { scaled, show, mulDiv, num, date, today, statusLabel, programs } from './fmt.js';
import {
  canWrite, DOCS, docHref, printHref, qs, input, formError, enterAdvances, docState, annul,
} from './acopio-util.js';

let lastPrice = ''; // the price of the day, kept between deliveries

const fact = (label, value) => (value === '' || value == null ? null : el('div', null, el('dt', null, label), el('dd', null, value)));
const who = (p) => `${p.full_name} · DNI ${p.dni}`;
const printLink = (kind, id, text) => el('a', { class: 'btn btn-small', href: printHref(kind, id), target: '_blank', rel: 'noopener' }, text);

function facts(kind, d) {
  if (kind === 'recepcion') {
    return [fact('Fecha', date(d.issued_on)), fact('Productor', who(d.producer)), fact('Estatus', statusLabel(d.status)),
      fact('Código de entrega', d.delivery_code), fact('Sacos', String(d.sacks)), fact('Kilos netos', num(d.net_kg)),
      fact('QQ', num(d.qq)), fact('Humedad %', num(d.humidity, 1)), fact('Rendimiento %', num(d.sample && d.sample.exportable_pct, 2, true))];
  }
  if (kind === 'nota') {
    return [fact('Fecha', date(d.issued_on)), fact('Productor', who(d.producer)), fact('Ticket', String(d.reception.number)),
      fact('Precio QQ S/', num(d.price_per_qq)), fact('Rendimiento', num(d.yield_pct, 2, true)),
      fact('Certificación', [d.certification_program, d.certifier].filter(Boolean).join(' · ')), fact('Total a pagar S/', num(d.total))];
  }
  return [fact('Fecha', date(d.issued_on)), fact('Productor', who(d.producer)), fact('Nota de ingreso', String(d.note.number)),
    fact('QQ', num(d.qq)), fact('Precio QQ S/', num(d.price_per_qq)), fact('Total S/', num(d.total)), fact('Son', d.amount_words)];
}

/** One document of the chain: figures, print links and (write roles) annul. */
function docCard(ctx, kind, d, onAnnulled) {
  const links = [printLink(kind, d.id, `Imprimir ${DOCS[kind].short.toLowerCase()}`)];
  if (kind === 'nota') links.push(printLink('sticker', d.id, 'Imprimir stickers'));
  const annulBtn = canWrite(ctx.me) && !d.annulled
    ? el('button', { type: 'button', class: 'btn btn-small btn-danger-outline' }, 'Anular') : null;
  if (annulBtn) {
    annulBtn.addEventListener('click', async () => {
      const r = await annul(kind, d);
      if (r) onAnnulled(r);
    });
  }
  return el('article', { class: `doc-card${d.annulled ? ' annulled' : ''}`, 'aria-labelledby': `doc-${kind}-${d.id}` },
    el('header', null,
      el('h3', { id: `doc-${kind}-${d.id}` }, el('a', { href: docHref(kind, d.id) }, `${DOCS[kind].name} n.º ${d.number_text}`)),
      docState(d)),
    d.annulled ? el('p', { class: 'alert alert-error' }, `Anulado el ${date(String(d.annulled.at).slice(0, 10))} por ${d.annulled.by}: ${d.annulled.reason}`) : null,
    el('dl', { class: 'facts' }, facts(kind, d)),
    el('div', { class: 'row-actions' }, links, annulBtn));
}

function noteForm(r, onIssued) {
  const send = api.submission();
  const total = el('output', { class: 'big' }, '—');
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Emitir nota de ingreso');
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-label': 'Emitir nota de ingreso' },
    el('h3', null, 'Nota de ingreso a almacén'),
    el('div', { class: 'grid3' },
      input({ label: 'Precio por QQ (S/)', name: 'price_per_qq', required: true, inputmode: 'decimal', maxlength: 12, value: lastPrice }),
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: r.issued_on || today() }),
      input({ label: 'Observaciones', name: 'observations', maxlength: 500 })),
    el('div', { class: 'computed' }, el('div', null, el('span', null, `Total a pagar S/ (${num(r.qq)} QQ)`), total)),
    el('div', { class: 'actions' }, submit));
  const F = form.elements;
  const qq = scaled(r.qq, 2);
  const update = () => {
    const p = scaled(F.price_per_qq.value, 2);
    total.value = p === null || qq === null ? '—' : show(mulDiv(qq, p, 100n), 2);
  };
  form.addEventListener('input', update);
  update();
  enterAdvances(form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const price = F.price_per_qq.value.trim().replace(',', '.');
    if (!scaled(price, 2) || scaled(price, 2) <= 0n) {
      formError(form, { detail: 'Revise el precio.', errors: [{ field: 'price_per_qq', detail: 'Soles por QQ con hasta 2 decimales, por ejemplo 412,00.' }] });
      return;
    }
    busy(submit, async () => {
      try {
        const n = await send('/warehouse-notes', { reception_id: r.id, issued_on: F.issued_on.value, price_per_qq: price, observations: F.observations.value.trim() });
        lastPrice = F.price_per_qq.value.trim();
        onIssued(n);
      } catch (err) { formError(form, err); }
    });
  });
  return form;
}

function settlementForm(n, onIssued, place) {
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Emitir liquidación');
  const form = el('form', { class: 'issue-form', novalidate: true, 'aria-label': 'Emitir liquidación de compra' },
    el('h3', null, 'Liquidación de compra'),
    el('p', { class: 'muted' }, `Total a pagar: S/ ${num(n.total)}`),
    el('div', { class: 'grid3' },
      input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: n.issued_on || today() }),
      input({ label: 'Lugar de venta', name: 'place_of_sale', maxlength: 120, value: place || '' })),
    el('div', { class: 'actions' }, submit));
  enterAdvances(form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const b = { note_id: n.id, issued_on: form.elements.issued_on.value };
    if (form.elements.place_of_sale.value.trim()) b.place_of_sale = form.elements.place_of_sale.value.trim();
    busy(submit, async () => {
      try { onIssued(await send('/purchase-settlements', b)); } catch (err) { formError(form, err); }
    });
  });
  return form;
}

/**
 * The documents of one delivery: ticket, then the note (or its issue form),
 * then the settlement (or its issue form). docs: {reception, note?, settlement?}.
 */
export function chain(ctx, docs, opts = {}) {
  const node = el('div', { class: 'chain' });
  const write = canWrite(ctx.me);
  function draw(focus) {
    const { reception: r, note: n, settlement: s } = docs;
    const set = (k) => (d) => { docs[k] = d; draw(k); };
    replace(node,
      docCard(ctx, 'recepcion', r, set('reception')),
      n ? docCard(ctx, 'nota', n, set('note'))
        : write && !r.annulled ? noteForm(r, set('note')) : null,
      !n ? null : s ? docCard(ctx, 'liquidacion', s, set('settlement'))
        : write && !n.annulled ? settlementForm(n, set('settlement'), opts.placeOfSale) : null);
    if (focus) {
      const target = node.querySelector(focus === 'note' ? '.issue-form input, .doc-card:nth-child(2) a' : '.issue-form input') ||
        node.querySelector('.doc-card:last-of-type a');
      if (target) target.focus();
    }
  }
  draw();
  return node;
}

/** /acopio/documentos/{kind}/{id}: the whole delivery around one document. */
export function deliveryView(ctx, kind, id) {
  const node = el('div', { class: 'delivery' }, el('p', { class: 'muted' }, 'Cargando…'));
  (async () => {
    try {
      const doc = await api.get(`${DOCS[kind].path}/${api.seg(id)}`);
      const docs = {};
      docs[{ recepcion: 'reception', nota: 'note', liquidacion: 'settlement' }[kind]] = doc;
      if (kind === 'liquidacion') docs.note = await api.get(`/warehouse-notes/${api.seg(doc.note.id)}`);
      if (kind !== 'recepcion') docs.reception = await api.get(`/receptions/${api.seg((docs.note || doc).reception.id)}`);
      if (!docs.note && docs.reception.note) docs.note = await api.get(`/warehouse-notes/${api.seg(docs.reception.note.id)}`);
      if (!docs.settlement && docs.note && docs.note.settlement && kind !== 'nota') {
        docs.settlement = await api.get(`/purchase-settlements/${api.seg(docs.note.settlement.id)}`);
      } else if (!docs.settlement && kind === 'nota' && doc.settlement) {
        docs.settlement = await api.get(`/purchase-settlements/${api.seg(doc.settlement.id)}`);
      }
      replace(node, el('h2', null, `${DOCS[kind].name} n.º ${doc.number_text}`),
        el('p', null, el('a', { href: '/acopio/documentos' }, '← Volver a los documentos')),
        chain(ctx, docs));
    } catch (err) {
      replace(node, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo cargar el documento.'));
    }
  })();
  return node;
}

const LISTS = {
  recepciones: {
    kind: 'recepcion', label: 'Recepciones',
    columns: [
      { label: 'Estatus', cell: (d) => statusLabel(d.status) },
      { label: 'Sacos', class: 'num', cell: (d) => String(d.sacks) },
      { label: 'Kilos netos', class: 'num', cell: (d) => num(d.net_kg) },
      { label: 'QQ', class: 'num', cell: (d) => num(d.qq) },
      { label: 'Hum. %', class: 'num', cell: (d) => num(d.humidity, 1) },
      { label: 'Nota', cell: (d) => (d.note ? el('a', { href: docHref('nota', d.note.id) }, String(d.note.number)) : '') },
    ],
  },
  notas: {
    kind: 'nota', label: 'Notas de ingreso',
    columns: [
      { label: 'Ticket', cell: (d) => el('a', { href: docHref('recepcion', d.reception.id) }, String(d.reception.number)) },
      { label: 'QQ', class: 'num', cell: (d) => num(d.reception.qq) },
      { label: 'Precio S/', class: 'num', cell: (d) => num(d.price_per_qq) },
      { label: 'Total S/', class: 'num', cell: (d) => num(d.total) },
      { label: 'Liquidación', cell: (d) => (d.settlement ? el('a', { href: docHref('liquidacion', d.settlement.id) }, String(d.settlement.number)) : 'Sin liquidación') },
    ],
  },
  liquidaciones: {
    kind: 'liquidacion', label: 'Liquidaciones',
    columns: [
      { label: 'Nota', cell: (d) => el('a', { href: docHref('nota', d.note.id) }, String(d.note.number)) },
      { label: 'QQ', class: 'num', cell: (d) => num(d.qq) },
      { label: 'Precio S/', class: 'num', cell: (d) => num(d.price_per_qq) },
      { label: 'Total S/', class: 'num', cell: (d) => num(d.total) },
    ],
  },
};

/** /acopio/documentos[?tipo=notas|liquidaciones]: lists with filters, paging and the CSV registers. */
export function docsView(ctx) {
  const params = new URLSearchParams(location.search);
  const tipo = LISTS[params.get('tipo')] ? params.get('tipo') : 'recepciones';
  const L = LISTS[tipo];
  const msg = notice();
  let filter = {};
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Filtrar');
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': 'Filtros' },
    input({ label: 'Desde', name: 'from', type: 'date', noOpt: true }),
    input({ label: 'Hasta', name: 'to', type: 'date', noOpt: true }),
    input({ label: 'DNI del productor', name: 'dni', inputmode: 'numeric', maxlength: 8, noOpt: true }),
    input({ label: 'N.º', name: 'number', inputmode: 'numeric', maxlength: 10, noOpt: true }),
    input({ label: 'Estatus', name: 'status', noOpt: true, options: [['', 'Todos'], ['organic', 'Orgánico'], ['transition', 'En transición'], ['conventional', 'Convencional']] }),
    input({ label: 'Estado', name: 'annulled', noOpt: true, options: [['', 'Todos'], ['0', 'Vigentes'], ['1', 'Anulados']] }),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'flagged', value: '1' }), ' Solo observadas'),
    el('div', { class: 'actions' }, submit));
  const csv = el('p', { class: 'downloads' });
  const drawCsv = () => replace(csv,
    el('a', { href: `/api/v1/receptions.csv${qs({ ...filter })}`, download: 'registro-de-acopio.csv' }, 'Descargar registro de acopio (CSV)'),
    el('a', { href: `/api/v1/purchase-settlements.csv${qs({ producer_id: filter.producer_id })}`, download: 'registro-de-ventas.csv' },
      filter.producer_id ? 'Registro de ventas del productor (CSV)' : 'Descargar registro de ventas (CSV)'));

  const columns = [
    { label: 'N.º', cell: (d) => el('a', { href: docHref(L.kind, d.id) }, d.number_text) },
    { label: 'Fecha', class: 'nowrap', cell: (d) => date(d.issued_on) },
    { label: 'Productor', cell: (d) => el('span', null, d.producer.full_name, el('br'), el('small', { class: 'muted' }, `DNI ${d.producer.dni}`)) },
    ...L.columns,
    { label: 'Estado', cell: docState },
    { label: 'Imprimir', cell: (d) => el('a', { href: printHref(L.kind, d.id), target: '_blank', rel: 'noopener' }, 'Imprimir') },
  ];
  const list = pagedTable({
    columns, caption: L.label, emptyText: 'No hay documentos con estos filtros.',
    load: (cursor) => api.get(`${DOCS[L.kind].path}${qs({ ...filter, limit: 50, cursor })}`),
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const F = form.elements;
    busy(submit, async () => {
      const f = { from: F.from.value, to: F.to.value, status: F.status.value, annulled: F.annulled.value, flagged: F.flagged.checked ? 1 : '', number: F.number.value.trim() };
      const dni = F.dni.value.trim();
      if (dni) {
        try { f.producer_id = (await api.get(`/producers/by-dni/${api.seg(dni)}`)).id; } catch (err) {
          formError(form, { detail: 'Revise el DNI.', errors: [{ field: 'dni', detail: err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail }] });
          return;
        }
      }
      filter = f;
      drawCsv();
      list.reload();
    });
  });
  drawCsv();

  const tabs = el('nav', { class: 'subtabs', 'aria-label': 'Tipo de documento' }, el('ul', null, Object.entries(LISTS).map(([k, v]) =>
    el('li', null, el('a', { href: `/acopio/documentos?tipo=${k}`, 'aria-current': k === tipo ? 'page' : false }, v.label)))));
  return el('div', { class: 'docs' }, tabs, form, csv, msg, list.node);
}

