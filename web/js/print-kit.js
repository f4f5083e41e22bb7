// Building blocks of the printed forms (laid out like the guide's paper forms),
// shared by the acopio and plant print views.
import { el, replace } from './ui.js';
import { num, date } from './fmt.js';
import { problem } from './acopio-util.js';

export const box = (checked, label) => el('span', { class: 'opt' }, label && `${label} `,
  el('span', { class: 'box', role: 'img', 'aria-label': checked ? 'marcado' : 'sin marcar' }, checked ? 'X' : ''));
/** "Label: value" pairs on one line (values that are nodes, such as boxes, go as they are). */
export const pair = (label, ...values) => [el('span', { class: 'lb' }, `${label}: `),
  values.map((v) => (v instanceof Node ? v : el('strong', null, v == null ? '' : String(v))))];
export const line = (label, ...values) => el('p', { class: 'ln' }, pair(label, ...values));
export const pairs = (...list) => el('p', { class: 'ln pairs' }, list.map((x) => el('span', null, pair(...x))));
export const statusBoxes = (s) => [box(s === 'organic', 'Orgánico'), s === 'transition' && box(true, 'En transición'), box(s === 'conventional', 'Convencional')].filter(Boolean);
export const sign = (label, name = '') => el('div', { class: 'sign' }, el('span', { class: 'sign-name' }, name), el('span', { class: 'sign-label' }, label));
export const signs = (...s) => el('div', { class: 'signs' }, s);
export const cols = (...c) => el('div', { class: 'cols' }, c.map((x) => (Array.isArray(x) ? el('div', null, x) : x)));
export const td = (v, n) => el('td', { class: n ? 'n' : null }, v);
export const th = (t, scope = 'col') => el('th', { scope }, t);
export const kg = (v) => num(v, 2);
export const pct = (v) => num(v, 2, true);

export function orgBlock(o, withRuc = true) {
  return el('div', { class: 'p-org' }, el('strong', null, o.name), o.address && el('span', null, o.address),
    o.phone && el('span', null, `Teléf.: ${o.phone}`), withRuc && o.ruc && el('span', null, `RUC: ${o.ruc}`));
}

export const annulMark = (d) => d.annulled && el('div', { class: 'annul-mark', 'aria-hidden': 'true' }, 'ANULADO');

/** A sheet: organization header, number box, title, the annulment, body. */
export function sheet(d, cls, title, numberBox, ...body) {
  return el('article', { class: `sheet ${cls}` }, annulMark(d),
    el('header', { class: 'p-head' }, orgBlock(d.organization, !cls.includes('settlement')), el('div', { class: 'p-num' }, numberBox.map((t) => el('div', null, t)))),
    el('h1', { class: 'p-title' }, title),
    d.annulled && el('p', { class: 'annul-note' }, `ANULADO el ${date(d.annulled.at)} por ${d.annulled.by}. Motivo: ${d.annulled.reason}`),
    body);
}

/**
 * The print page: "Volver" and "Imprimir" tools over the sheets; load() resolves
 * to the sheets (nodes), shown when ready. extraTools are put before the buttons.
 */
export function printFrame(backHref, load, ...extraTools) {
  const pages = el('div', { class: 'sheets' }, el('p', { class: 'muted' }, 'Cargando…'));
  const tools = el('div', { class: 'print-tools' }, extraTools,
    el('a', { class: 'btn', href: backHref }, 'Volver'),
    el('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, 'Imprimir'));
  Promise.resolve().then(load).then((sheets) => replace(pages, sheets),
    (err) => replace(pages, problem(err.status === 404 ? null : err, 'El documento no existe o no tiene acceso a él.')));
  return el('section', { class: 'print-view' }, el('h1', { class: 'sr-only', tabindex: '-1' }, 'Vista de impresión'), tools, pages);
}
