// Administración › Organizaciones (operador de la instancia).
import * as api from './api.js';
import {
  el, field, formValues, showFormError, clearFormError, busy, notice, pagedTable, requireFields,
  revealPanel, kindLabel, KIND_LABELS,
} from './ui.js';

export function orgsSection() {
  const msg = notice();

  const list = pagedTable({
    caption: 'Organizaciones',
    emptyText: 'Todavía no hay organizaciones.',
    columns: [
      { label: 'Nombre', cell: (o) => o.name },
      { label: 'RUC', cell: (o) => el('span', { class: 'mono' }, o.ruc || '') },
      { label: 'Tipo', cell: (o) => kindLabel(o.kind) },
      { label: 'Dirección', cell: (o) => o.address || '' },
      { label: 'Teléfono', cell: (o) => o.phone || '' },
    ],
    load: (cursor) => api.get(`/organizations?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  });

  const create = revealPanel('Nueva organización', (close) => {
    const send = api.submission();
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear organización');
    const form = el('form', { class: 'form-grid', novalidate: true },
      field({ label: 'Nombre', name: 'name', required: true, autocomplete: 'organization' }),
      field({ label: 'RUC', name: 'ruc', required: true, inputmode: 'numeric', maxlength: 11, autocomplete: 'off',
        hint: '11 dígitos; se comprueba el dígito verificador.' }),
      field({ label: 'Tipo', name: 'kind', required: true, options: Object.entries(KIND_LABELS) }),
      field({ label: 'Dirección', name: 'address', autocomplete: 'street-address' }),
      field({ label: 'Teléfono', name: 'phone', type: 'tel', autocomplete: 'tel' }),
      el('div', { class: 'actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: () => { form.reset(); clearFormError(form); close(); } }, 'Cancelar')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearFormError(form);
      const v = formValues(form);
      if (!requireFields(form, v, { name: 'Escriba el nombre de la organización.', ruc: 'Escriba el RUC.' })) return;
      const body = { name: v.name, ruc: v.ruc, kind: v.kind, address: v.address, phone: v.phone };
      busy(submit, async () => {
        try {
          const org = await send('/organizations', body);
          form.reset();
          close();
          msg.show(`Organización ${(org && org.name) || body.name} creada.`);
          list.reload();
        } catch (err) { showFormError(form, err); }
      });
    });
    return form;
  });

  return el('div', { class: 'section' },
    el('div', { class: 'section-head' }, el('h2', null, 'Organizaciones'), create.button),
    create.panel, msg, list.node);
}
