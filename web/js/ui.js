// Small DOM helpers. Everything is built with createElement/textContent:
// data coming from the server is never parsed as HTML.

/**
 * el('button', {class: 'btn', type: 'button', onclick: fn}, 'Texto', child, [more])
 * attrs: class, for, dataset {}, on* functions, boolean true/false attributes,
 * everything else via setAttribute. Children: strings/numbers become text nodes,
 * null/undefined/false are skipped, arrays are flattened.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'for') node.htmlFor = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'value') node.value = value;
      else if (key.startsWith('on') && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

let fieldSeq = 0;

/**
 * A labelled form field. `name` is the API field name so that server
 * errors[].field can be matched to it.
 * opts: {label, name, type, required, autocomplete, options:[[value,label]],
 *        hint, value, minlength, maxlength, pattern, inputmode}
 */
export function field(opts) {
  const id = `f-${opts.name}-${++fieldSeq}`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  const common = {
    id,
    name: opts.name,
    required: !!opts.required,
    autocomplete: opts.autocomplete,
    'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
  };
  let control;
  if (opts.options) {
    control = el('select', common,
      opts.options.map(([value, label]) => el('option', { value }, label)));
    if (opts.value !== undefined) control.value = opts.value;
  } else {
    control = el('input', {
      ...common,
      type: opts.type || 'text',
      value: opts.value,
      minlength: opts.minlength,
      maxlength: opts.maxlength,
      pattern: opts.pattern,
      inputmode: opts.inputmode,
      spellcheck: opts.type === 'password' || opts.nospell ? 'false' : undefined,
      autocapitalize: opts.nocap ? 'none' : undefined,
    });
  }
  return el('div', { class: 'field' },
    el('label', { for: id }, opts.label, opts.required ? null : el('span', { class: 'optional' }, ' (opcional)')),
    control,
    hintId ? el('p', { class: 'hint', id: hintId }, opts.hint) : null,
    el('p', { class: 'field-error', id: errId, hidden: true }));
}

/** Values of a form's named controls as a plain object (strings, trimmed except passwords). */
export function formValues(form) {
  const out = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled) continue;
    out[control.name] = control.type === 'password' ? control.value : control.value.trim();
  }
  return out;
}

/** The alert box at the top of a form, created on demand. */
function formAlert(form) {
  let box = form.querySelector(':scope > .form-alert');
  if (!box) {
    box = el('div', { class: 'alert alert-error form-alert', role: 'alert', tabindex: '-1', hidden: true });
    form.prepend(box);
  }
  return box;
}

export function clearFormError(form) {
  const box = form.querySelector(':scope > .form-alert');
  if (box) { box.hidden = true; clear(box); }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
}

/**
 * Shows an API error on a form: the Spanish `detail` at the top and, for each
 * errors[] entry naming a field of this form, the message next to that field.
 */
export function showFormError(form, err, extra) {
  clearFormError(form);
  const box = formAlert(form);
  const unmatched = [];
  let firstInvalid = null;
  for (const fe of (err && err.errors) || []) {
    const control = fe.field ? form.elements.namedItem(fe.field) : null;
    const message = fe.detail || fe.detail_en || fe.code || 'Valor no válido.';
    if (control && control.id) {
      control.setAttribute('aria-invalid', 'true');
      const p = document.getElementById(`${control.id}-err`);
      if (p) {
        p.textContent = p.textContent ? `${p.textContent} ${message}` : message;
        p.hidden = false;
      }
      firstInvalid = firstInvalid || control;
    } else {
      unmatched.push(fe.field ? `${fe.field}: ${message}` : message);
    }
  }
  const detail = (err && (err.detail || err.message)) || 'Ocurrió un error.';
  replace(box, el('p', null, detail),
    unmatched.length ? el('ul', null, unmatched.map((m) => el('li', null, m))) : null,
    extra || null);
  box.hidden = false;
  if (firstInvalid) firstInvalid.focus();
  else box.focus();
}

/** Marks one field of a form invalid from client-side checks. */
export function fieldError(form, name, message) {
  showFormError(form, {
    detail: 'Revise los datos marcados.',
    errors: [{ field: name, detail: message }],
  });
}

/** Disables a button while a promise runs. */
export async function busy(button, fn) {
  const wasDisabled = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = wasDisabled;
    button.removeAttribute('aria-busy');
  }
}

const pad = (n) => String(n).padStart(2, '0');

/** ISO 8601 UTC -> local dd/mm/yyyy hh:mm ('' for empty, the input if unparsable). */
export function fmtDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function timeEl(iso) {
  return iso ? el('time', { datetime: iso }, fmtDate(iso)) : el('span', { class: 'muted' }, '—');
}

/** A status message region (aria-live) with a `show(text, kind)` method. */
export function notice() {
  const node = el('div', { class: 'notice', 'aria-live': 'polite' });
  node.show = (text, kind = 'ok') => {
    replace(node, el('div', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
  };
  node.clear = () => clear(node);
  return node;
}

/**
 * A table that becomes stacked cards on narrow screens.
 * columns: [{label, cell(row) -> Node|string, class?}]
 */
export function table(columns, rows, caption) {
  return el('div', { class: 'table-wrap' }, el('div', { class: 'table-box' },
    el('table', { class: 'data' },
      caption ? el('caption', { class: 'sr-only' }, caption) : null,
      el('thead', null, el('tr', null, columns.map((c) => el('th', { scope: 'col', class: c.class }, c.label)))),
      el('tbody', null, rows.map((row) => tableRow(columns, row))))));
}

export function tableRow(columns, row) {
  return el('tr', null, columns.map((c) => {
    const value = c.cell(row);
    return el('td', { 'data-label': c.label, class: c.class },
      value === '' || value === null || value === undefined ? el('span', { class: 'muted' }, '—') : value);
  }));
}

/**
 * Modal dialog built on <dialog>. content(close) returns the body node.
 * Resolves with whatever close(value) was called with (undefined on Esc).
 */
export function openDialog(title, content) {
  return new Promise((resolve) => {
    const titleId = `dlg-${++fieldSeq}`;
    const dialog = el('dialog', { class: 'dialog', 'aria-labelledby': titleId });
    let result;
    const close = (value) => { result = value; dialog.close(); };
    dialog.append(el('h2', { id: titleId }, title), content(close));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Confirmation dialog; resolves true when confirmed. */
export function confirmDialog(title, message, confirmLabel, danger = false) {
  return openDialog(title, (close) => el('div', null,
    el('p', null, message),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: danger ? 'btn btn-danger' : 'btn btn-primary', onclick: () => close(true) }, confirmLabel),
      el('button', { type: 'button', class: 'btn', onclick: () => close(false) }, 'Cancelar'))))
    .then((v) => v === true);
}

export const ROLE_LABELS = {
  admin: 'Administrador',
  clerk: 'Operador',
  exporter: 'Exportador',
  auditor: 'Auditor',
  superadmin: 'Operador de la instancia',
};

export const KIND_LABELS = {
  cooperative: 'Cooperativa',
  plant: 'Planta procesadora',
  exporter: 'Exportador',
  certifier: 'Certificadora',
};

export const roleLabel = (r) => ROLE_LABELS[r] || r || '';
export const kindLabel = (k) => KIND_LABELS[k] || k || '';

/** A page heading that receives focus after navigation. */
export function pageHeading(text) {
  return el('h1', { tabindex: '-1', class: 'page-title' }, text);
}

/**
 * A table fed page by page (keyset cursor) with a "Cargar más" button.
 * load(cursor) -> Promise<{items, next_cursor}>. Returns {node, reload, replaceRow}.
 */
export function pagedTable({ columns, load, emptyText, caption, key = (r) => r.id }) {
  const tbody = el('tbody');
  const rowsByKey = new Map();
  const tbl = el('table', { class: 'data' },
    caption ? el('caption', { class: 'sr-only' }, caption) : null,
    el('thead', null, el('tr', null, columns.map((c) => el('th', { scope: 'col', class: c.class }, c.label)))),
    tbody);
  const wrap = el('div', { class: 'table-wrap', hidden: true }, el('div', { class: 'table-box' }, tbl));
  const status = el('div', { class: 'list-status', 'aria-live': 'polite' });
  const more = el('button', { type: 'button', class: 'btn', hidden: true }, 'Cargar más');
  let cursor = null;
  let generation = 0;

  function addRows(items) {
    for (const item of items) {
      const tr = tableRow(columns, item);
      rowsByKey.set(key(item), tr);
      tbody.append(tr);
    }
  }

  async function page(first) {
    const gen = generation;
    more.disabled = true;
    if (first) replace(status, el('p', { class: 'muted' }, 'Cargando…'));
    try {
      const r = await load(first ? null : cursor);
      if (gen !== generation) return;
      const items = (r && r.items) || [];
      addRows(items);
      cursor = (r && r.next_cursor) || null;
      more.hidden = !cursor;
      wrap.hidden = rowsByKey.size === 0;
      if (rowsByKey.size === 0) replace(status, el('p', { class: 'empty' }, emptyText || 'No hay registros.'));
      else clear(status);
    } catch (err) {
      if (gen !== generation) return;
      replace(status, el('div', { class: 'alert alert-error', role: 'alert' },
        err.detail || 'No se pudo cargar la lista.', ' ',
        el('button', { type: 'button', class: 'btn btn-small', onclick: () => page(first) }, 'Reintentar')));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => page(false));

  function reload() {
    generation += 1;
    cursor = null;
    rowsByKey.clear();
    clear(tbody);
    more.hidden = true;
    return page(true);
  }

  function replaceRow(item) {
    const old = rowsByKey.get(key(item));
    if (!old) return;
    const tr = tableRow(columns, item);
    old.replaceWith(tr);
    rowsByKey.set(key(item), tr);
  }

  const node = el('div', { class: 'paged' }, wrap, status, el('div', { class: 'more' }, more));
  reload();
  return { node, reload, replaceRow };
}

/** Client-side "required" check; names -> Spanish message. Returns true when all present. */
export function requireFields(form, values, messages) {
  const errors = Object.entries(messages)
    .filter(([name]) => !values[name])
    .map(([name, detail]) => ({ field: name, detail }));
  if (errors.length) showFormError(form, { detail: 'Complete los datos marcados.', errors });
  return errors.length === 0;
}

/** A collapsible panel opened by a button (e.g. "Nuevo usuario"). */
export function revealPanel(label, buildBody) {
  const panelId = `panel-${++fieldSeq}`;
  const button = el('button', { type: 'button', class: 'btn btn-primary', 'aria-expanded': 'false', 'aria-controls': panelId }, label);
  const panel = el('div', { class: 'panel', id: panelId, hidden: true });
  const close = () => { panel.hidden = true; button.setAttribute('aria-expanded', 'false'); button.focus(); };
  panel.append(buildBody(close));
  button.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      const first = panel.querySelector('input, select, textarea');
      if (first) first.focus();
    }
  });
  return { button, panel, close };
}
