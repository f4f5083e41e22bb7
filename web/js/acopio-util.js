// Helpers shared by the acopio screens.
import * as api from './api.js';
import { el, openDialog, showFormError, busy } from './ui.js';

/** Admin and clerk of a cooperative write; auditors and the rest only read. */
export const canWrite = (me) => ['admin', 'clerk'].includes(me.user.role) &&
  !!me.user.organization && me.user.organization.kind === 'cooperative';
export const isAdmin = (me) => canWrite(me) && me.user.role === 'admin';

/** The document kinds: route word, API collection, Spanish names. */
export const DOCS = {
  recepcion: { path: '/receptions', name: 'Control de recepción', short: 'Ticket' },
  nota: { path: '/warehouse-notes', name: 'Nota de ingreso', short: 'Nota' },
  liquidacion: { path: '/purchase-settlements', name: 'Liquidación de compra', short: 'Liquidación' },
};

export const docHref = (kind, id) => `/acopio/documentos/${kind}/${id}`;
export const printHref = (kind, id) => `/acopio/imprimir/${kind}/${id}`;

/** '?a=1&b=x' from an object, leaving out empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== false) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every item of a paged collection (bounded). */
export async function loadAll(path, max = 40) {
  const out = [];
  let cursor = null;
  const sep = path.includes('?') ? '&' : '?';
  for (let i = 0; i < max; i += 1) {
    const r = await api.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...((r && r.items) || []));
    cursor = r && r.next_cursor;
    if (!cursor) break;
  }
  return out;
}

let seq = 0;
const nextId = (name) => `a-${name}-${++seq}`;

/**
 * A labelled text input, textarea or select with its hint and error slots
 * (same ids as ui.field, so showFormError finds them).
 */
export function input(o) {
  const id = nextId(o.name);
  const attrs = {
    id, name: o.name, required: !!o.required, value: o.value,
    autocomplete: o.autocomplete || 'off', inputmode: o.inputmode, maxlength: o.maxlength,
    placeholder: o.placeholder, type: o.type || (o.tag ? undefined : 'text'), rows: o.rows,
    'aria-describedby': `${o.hint ? `${id}-hint ` : ''}${id}-err`, class: o.cls,
  };
  const control = o.options
    ? el('select', attrs, o.options.map(([v, l]) => el('option', { value: v }, l)))
    : el(o.tag || 'input', attrs);
  if (o.options && o.value !== undefined) control.value = o.value;
  return el('div', { class: `field${o.wide ? ' wide' : ''}` },
    el('label', { for: id }, o.label, o.required || o.noOpt ? null : el('span', { class: 'optional' }, ' (opcional)')),
    control,
    o.hint ? el('p', { class: 'hint', id: `${id}-hint` }, o.hint) : null,
    el('p', { class: 'field-error', id: `${id}-err`, hidden: true }));
}

/** A radio group in a fieldset; the fieldset carries the error slot for `name`. */
export function radios(name, legend, options, value) {
  const id = nextId(name);
  return el('fieldset', { class: 'field radios', id, 'data-field': name, 'aria-describedby': `${id}-err` },
    el('legend', null, legend),
    el('div', { class: 'radio-row' }, options.map(([v, l]) => el('label', { class: 'check' },
      el('input', { type: 'radio', name, value: v, checked: v === value }), ` ${l}`))),
    el('p', { class: 'field-error', id: `${id}-err`, hidden: true }));
}

/** showFormError, plus errors for fields shown as fieldsets (radio groups). */
export function formError(form, err, rename = {}) {
  const errors = ((err && err.errors) || []).map((e) => ({ ...e, field: rename[e.field] || e.field }));
  const sets = errors.filter((e) => form.querySelector(`fieldset[data-field="${e.field}"]`));
  showFormError(form, { ...err, detail: err.detail || err.message, errors: errors.filter((e) => !sets.includes(e)) });
  for (const e of sets) {
    const fs = form.querySelector(`fieldset[data-field="${e.field}"]`);
    const p = document.getElementById(`${fs.id}-err`);
    p.textContent = e.detail || e.code;
    p.hidden = false;
    fs.setAttribute('aria-invalid', 'true');
  }
}

export const badge = (text, kind = 'off') => el('span', { class: `badge badge-${kind}` }, text);

/** "Vigente" / "Anulado" and the flags of a document. */
export const docState = (d) => el('span', { class: 'badges' },
  d.annulled ? badge('Anulado', 'bad') : badge('Vigente', 'ok'),
  d.over_estimate ? badge('Sobre lo estimado', 'warn') : null,
  d.humidity_warning ? badge('Humedad observada', 'warn') : null);

/** Dialog asking the reason, then POST …/annul. Resolves with the annulled document or null. */
export function annul(kind, doc) {
  const send = api.submission();
  return openDialog(`Anular ${DOCS[kind].name.toLowerCase()} n.º ${doc.number_text || doc.number}`, (close) => {
    const submit = el('button', { type: 'submit', class: 'btn btn-danger' }, 'Anular');
    const form = el('form', { novalidate: true },
      el('p', null, 'El documento conserva su número y queda marcado como anulado en los registros y al imprimirlo.'),
      input({ label: 'Motivo de la anulación', name: 'reason', required: true, tag: 'textarea', rows: 3, maxlength: 500 }),
      el('div', { class: 'actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancelar')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const reason = form.elements.reason.value.trim();
      if (!reason) { formError(form, { detail: 'Indique el motivo.', errors: [{ field: 'reason', detail: 'Escriba el motivo de la anulación.' }] }); return; }
      busy(submit, async () => {
        try { close(await send(`${DOCS[kind].path}/${api.seg(doc.id)}/annul`, { reason })); } catch (err) { formError(form, err); }
      });
    });
    return form;
  });
}

/** Moves focus to the next control when Enter is pressed in a field (fast keyboard entry). */
export function enterAdvances(form, onEnter) {
  form.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key !== 'Enter' || e.isComposing || e.shiftKey || e.ctrlKey || e.altKey) return;
    if (!(t instanceof HTMLInputElement || t instanceof HTMLSelectElement)) return;
    if (t.type === 'checkbox' && t.dataset.enter !== 'next') return;
    e.preventDefault();
    if (onEnter && onEnter(t) === false) return;
    focusNext(form, t);
  });
}

export function focusNext(form, from) {
  const list = [...form.querySelectorAll('input, select, textarea, button[type=submit]')]
    .filter((c) => !c.disabled && !c.closest('[hidden]') && c.type !== 'hidden' && (c.type !== 'radio' || c.checked ||
      (!form.querySelector(`input[name="${c.name}"]:checked`) && form.querySelector(`input[name="${c.name}"]`) === c)));
  const i = list.indexOf(from);
  const next = list[i + 1];
  if (next) { next.focus(); if (next.select && next.type !== 'radio' && next.tagName === 'INPUT') next.select(); }
}
