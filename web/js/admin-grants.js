// Administración › Accesos de auditores: which certifier auditors may read this organization.
import * as api from './api.js';
import {
  el, field, formValues, showFormError, clearFormError, busy, notice, pagedTable, requireFields,
  revealPanel, confirmDialog, timeEl,
} from './ui.js';

export function grantsSection() {
  const msg = notice();

  const list = pagedTable({
    caption: 'Accesos de auditores',
    emptyText: 'Ningún auditor tiene acceso a esta organización.',
    columns: [
      {
        label: 'Auditor',
        cell: (g) => el('span', null, g.auditor_display_name || g.auditor_username,
          g.auditor_display_name ? el('span', { class: 'muted mono' }, ` (${g.auditor_username})`) : null),
      },
      { label: 'Organización del auditor', cell: (g) => g.auditor_organization_name },
      {
        label: 'Otorgado el',
        class: 'nowrap',
        cell: (g) => el('span', null, timeEl(g.granted_at),
          g.granted_by_username ? el('span', { class: 'muted' }, ` por ${g.granted_by_username}`) : null),
      },
      {
        label: 'Acciones',
        class: 'actions-cell',
        cell: (g) => el('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: (e) => revoke(g, e.currentTarget) }, 'Revocar'),
      },
    ],
    load: (cursor) => api.get(`/auditor-grants?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  });

  async function revoke(g, button) {
    msg.clear();
    const who = g.auditor_display_name || g.auditor_username;
    const ok = await confirmDialog('Revocar acceso',
      `¿Revocar el acceso de ${who} (${g.auditor_organization_name || 'auditor'})? Dejará de ver los registros de esta organización.`,
      'Revocar', true);
    if (!ok) return;
    await busy(button, async () => {
      try {
        await api.del(`/auditor-grants/${api.seg(g.id)}`);
        msg.show(`Acceso de ${who} revocado.`);
        list.reload();
      } catch (err) {
        msg.show(err.detail || 'No se pudo revocar el acceso.', 'error');
      }
    });
  }

  const grant = revealPanel('Otorgar acceso', (close) => {
    const send = api.submission();
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Otorgar acceso');
    const form = el('form', { class: 'form-grid', novalidate: true },
      field({ label: 'Usuario del auditor', name: 'auditor_username', required: true, autocomplete: 'off', nocap: true, nospell: true,
        hint: 'El usuario con el que el auditor de la certificadora ingresa a Pergamino.' }),
      el('div', { class: 'actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: () => { form.reset(); clearFormError(form); close(); } }, 'Cancelar')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearFormError(form);
      const v = formValues(form);
      if (!requireFields(form, v, { auditor_username: 'Escriba el usuario del auditor.' })) return;
      busy(submit, async () => {
        try {
          await send('/auditor-grants', { auditor_username: v.auditor_username });
          form.reset();
          close();
          msg.show(`Acceso otorgado a ${v.auditor_username}.`);
          list.reload();
        } catch (err) { showFormError(form, err); }
      });
    });
    return form;
  });

  return el('div', { class: 'section' },
    el('div', { class: 'section-head' }, el('h2', null, 'Accesos de auditores'), grant.button),
    el('p', { class: 'muted' }, 'Los auditores con acceso pueden consultar, sin modificar, los registros y la auditoría de esta organización.'),
    grant.panel, msg, list.node);
}
