// Helpers shared by the acopio screens.
import * as api from './api.js';
import { el, openDialog, showFormError, clearFormError, busy } from './ui.js';

/** Admin and clerk of a cooperative write; auditors and the rest only read. */
export const canWrite = (me) => ['admin', 'clerk'].includes(me.user.role) &&
  !!me.user.organization && me.user.organization.kind === 'cooperative';
export const isAdmin = (me) => canWrite(me) && me.user.role === 'admin';

/** The document kinds: route word, API collection, Spanish names. */
export const DOCS = {
  recepcion: { path: '/receptions', name: 'Control de recepción', short: 'ticket' },
  nota: { path: '/warehouse-notes', name: 'Nota de ingreso', short: 'nota' },
  liquidacion: { path: '/purchase-settlements', name: 'Liquidación de compra', short: 'liquidación' },
};
export const docHref = (kind, id) => `/acopio/documentos/${kind}/${id}`;
export const printHref = (kind, id) => `/acopio/imprimir/${kind}/${id}`;

/** '?a=1&b=x' from an object, leaving out empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null && v !== false) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every item of a paged collection (bounded). */
export async function loadAll(path, max = 40) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < max; i += 1) {
    const r = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...((r && r.items) || []));
    cursor = r && r.next_cursor;
    if (!cursor) break;
  }
  return out;
}

let seq = 0;

/**
 * A labelled input, textarea (tag) or select (options) with hint and error slots,
 * ids as ui.field() makes them so showFormError finds them.
 */
export function input(o) {
  const id = `a-${o.name}-${++seq}`;
  const attrs = {
    id, name: o.name, required: !!o.required, value: o.value, autocomplete: 'off', inputmode: o.inputmode,
    maxlength: o.maxlength, placeholder: o.placeholder, type: o.tag || o.options ? undefined : o.type || 'text',
    rows: o.rows, class: o.cls, 'aria-describedby': `${o.hint ? `${id}-hint ` : ''}${id}-err`,
  };
  const control = o.options ? el('select', attrs, o.options.map(([v, l]) => el('option', { value: v }, l))) : el(o.tag || 'input', attrs);
  if (o.value !== undefined && o.value !== null) control.value = o.value;
  return el('div', { class: `field${o.wide ? ' wide' : ''}` },
    el('label', { for: id }, o.label, o.required || o.noOpt ? null : el('span', { class: 'optional' }, ' (opcional)')),
    control,
    o.hint ? el('p', { class: 'hint', id: `${id}-hint` }, o.hint) : null,
    el('p', { class: 'field-error', id: `${id}-err`, hidden: true }));
}

/** Radio buttons or checkboxes in a fieldset carrying the error slot of `name`. */
export function choices(name, legend, options, checked, type = 'radio') {
  const id = `a-${name}-${++seq}`;
  return el('fieldset', { class: 'field choices', id, 'data-field': name, 'aria-describedby': `${id}-err` },
    el('legend', null, legend),
    el('div', { class: 'radio-row' }, options.map(([v, l]) => el('label', { class: 'check' },
      el('input', { type, name, value: v, checked: [].concat(checked).includes(v) }), ` ${l}`))),
    el('p', { class: 'field-error', id: `${id}-err`, hidden: true }));
}

/** showFormError, also placing errors of fields shown as fieldsets; rename maps API fields to form names. */
export function formError(form, err, rename = {}) {
  const errors = ((err && err.errors) || []).map((e) => ({ ...e, field: rename[e.field] || e.field }));
  const set = (e) => form.querySelector(`fieldset[data-field="${e.field}"]`);
  showFormError(form, { ...err, detail: err.detail || err.message, errors: errors.filter((e) => !set(e)) });
  for (const e of errors.filter(set)) {
    const p = document.getElementById(`${set(e).id}-err`);
    p.textContent = e.detail || e.code;
    p.hidden = false;
  }
}

/** Submit handler: run() -> onOk(result) (undefined: nothing to do), API errors shown on the form. */
export function onSubmit(form, submit, run, onOk) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    busy(submit, async () => {
      try {
        const r = await run();
        if (r !== undefined) onOk(r);
      } catch (err) { formError(form, err); }
    });
  });
}

export const fail = (detail, field, fieldDetail) => Object.assign(new Error(detail), { detail, errors: [{ field, detail: fieldDetail }] });
export const val = (form, n) => (form.elements[n] ? form.elements[n].value.trim() : '');
export const actions = (submit, cancel) => el('div', { class: 'actions' }, submit,
  cancel ? el('button', { type: 'button', class: 'btn', onclick: cancel }, 'Cancelar') : null);
export const badge = (text, kind = 'off') => el('span', { class: `badge badge-${kind}` }, text);
/** A definition list of [label, value] pairs, leaving out empty values. */
export const facts = (pairs) => el('dl', { class: 'facts' }, pairs.filter(([, x]) => x !== '' && x != null)
  .map(([l, x]) => el('div', null, el('dt', null, l), el('dd', null, x))));
export const problem = (err, text) => el('div', { class: 'alert alert-error', role: 'alert' }, (err && err.detail) || text);

/** "Vigente" / "Anulado" and the flags of a document. */
export const docState = (d) => el('span', { class: 'badges' },
  d.annulled ? badge('Anulado', 'bad') : badge('Vigente', 'ok'),
  d.over_estimate ? badge('Sobre lo estimado', 'warn') : null,
  d.humidity_warning ? badge('Humedad observada', 'warn') : null);

/** A dialog asking a reason; run(reason) is the request. Resolves with its answer, or null. */
export function reasonDialog(title, intro, label, run) {
  return openDialog(title, (close) => {
    const submit = el('button', { type: 'submit', class: 'btn btn-danger' }, label);
    const form = el('form', { novalidate: true }, intro ? el('p', null, intro) : null,
      input({ label: 'Motivo', name: 'reason', required: true, tag: 'textarea', rows: 3, maxlength: 500 }),
      actions(submit, () => close(null)));
    onSubmit(form, submit, () => {
      if (!val(form, 'reason')) throw fail('Indique el motivo.', 'reason', 'Escriba el motivo.');
      return run(val(form, 'reason'));
    }, close);
    return form;
  });
}

export function annul(kind, doc) {
  const send = api.submission();
  return reasonDialog(`Anular ${DOCS[kind].name.toLowerCase()} n.º ${doc.number_text}`,
    'El documento conserva su número y queda marcado como anulado en los registros y al imprimirlo.', 'Anular',
    (reason) => send(`${DOCS[kind].path}/${api.seg(doc.id)}/annul`, { reason }));
}

/** Enter in a field moves to the next one (fast keyboard entry); onEnter(control) === false stops it. */
export function enterAdvances(form, onEnter) {
  form.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.key !== 'Enter' || e.isComposing || e.shiftKey || e.ctrlKey || e.altKey) return;
    if (!(t instanceof HTMLInputElement || t instanceof HTMLSelectElement)) return;
    if (t.type === 'checkbox' && t.dataset.enter !== 'next') return;
    e.preventDefault();
    if (!onEnter || onEnter(t) !== false) focusNext(form, t);
  });
}

/** Focuses the control after `from` (one stop per radio group: the checked or the first radio). */
export function focusNext(form, from) {
  const list = [...form.querySelectorAll('input, select, textarea, button[type=submit]')]
    .filter((c) => !c.disabled && !c.closest('[hidden]') && (c.type !== 'radio' || c.checked ||
      (!form.querySelector(`input[name="${c.name}"]:checked`) && form.querySelector(`input[name="${c.name}"]`) === c)));
  const next = list[list.indexOf(from) + 1];
  if (next) {
    next.focus();
    if (next.tagName === 'INPUT' && next.select && !['radio', 'checkbox', 'date'].includes(next.type)) next.select();
  }
}
