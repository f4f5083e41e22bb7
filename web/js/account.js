// Mi cuenta: own password and personal API tokens.
import * as api from './api.js';
import {
  el, field, formValues, showFormError, clearFormError, busy, notice, pagedTable, requireFields,
  pageHeading, confirmDialog, timeEl, roleLabel, replace, fieldError,
} from './ui.js';

function passwordForm() {
  const msg = notice();
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Cambiar contraseña');
  const form = el('form', { class: 'stack', novalidate: true },
    field({ label: 'Contraseña actual', name: 'current_password', type: 'password', required: true, autocomplete: 'current-password' }),
    field({ label: 'Nueva contraseña', name: 'new_password', type: 'password', required: true, autocomplete: 'new-password' }),
    field({ label: 'Repetir la nueva contraseña', name: 'new_password_repeat', type: 'password', required: true, autocomplete: 'new-password' }),
    el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    msg.clear();
    const v = formValues(form);
    if (!requireFields(form, v, {
      current_password: 'Escriba su contraseña actual.',
      new_password: 'Escriba la nueva contraseña.',
      new_password_repeat: 'Repita la nueva contraseña.',
    })) return;
    if (v.new_password !== v.new_password_repeat) {
      fieldError(form, 'new_password_repeat', 'Las contraseñas no coinciden.');
      return;
    }
    busy(submit, async () => {
      try {
        await send('/me/password', { current_password: v.current_password, new_password: v.new_password });
        form.reset();
        msg.show('Contraseña cambiada.');
      } catch (err) { showFormError(form, err); }
    });
  });
  return el('section', { class: 'section', 'aria-labelledby': 'pw-title' },
    el('h2', { id: 'pw-title' }, 'Cambiar contraseña'), msg, form);
}

function tokensSection() {
  const msg = notice();
  const created = el('div', { 'aria-live': 'polite' });
  const send = api.submission();

  const list = pagedTable({
    caption: 'Tokens de API',
    emptyText: 'No tiene tokens de API.',
    columns: [
      { label: 'Nombre', cell: (t) => t.name },
      { label: 'Creado', class: 'nowrap', cell: (t) => timeEl(t.created_at) },
      { label: 'Último uso', class: 'nowrap', cell: (t) => (t.last_used_at ? timeEl(t.last_used_at) : 'Nunca') },
      {
        label: 'Acciones',
        class: 'actions-cell',
        cell: (t) => el('button', { type: 'button', class: 'btn btn-small btn-danger-outline', onclick: (e) => revoke(t, e.currentTarget) }, 'Revocar'),
      },
    ],
    load: (cursor) => api.get(`/tokens${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  });

  async function revoke(t, button) {
    msg.clear();
    const ok = await confirmDialog('Revocar token',
      `¿Revocar el token «${t.name}»? Los programas que lo usen dejarán de tener acceso.`, 'Revocar', true);
    if (!ok) return;
    await busy(button, async () => {
      try {
        await api.del(`/tokens/${api.seg(t.id)}`);
        msg.show(`Token «${t.name}» revocado.`);
        list.reload();
      } catch (err) { msg.show(err.detail || 'No se pudo revocar el token.', 'error'); }
    });
  }

  function showToken(t) {
    const input = el('input', { type: 'text', readonly: true, value: t.token, class: 'token-value mono', 'aria-label': 'Token nuevo', spellcheck: 'false' });
    const copyStatus = el('span', { class: 'copy-status', 'aria-live': 'polite' });
    const canCopy = !!(navigator.clipboard && window.isSecureContext);
    const copy = canCopy ? el('button', {
      type: 'button',
      class: 'btn btn-small',
      onclick: async () => {
        try { await navigator.clipboard.writeText(t.token); copyStatus.textContent = 'Copiado.'; } catch { copyStatus.textContent = 'Cópielo manualmente (Ctrl+C).'; }
      },
    }, 'Copiar') : null;
    input.addEventListener('focus', () => input.select());
    replace(created, el('div', { class: 'alert alert-warn token-box', role: 'status' },
      el('p', null, el('strong', null, `Token «${t.name}» creado. `),
        'Cópielo ahora y guárdelo en un lugar seguro: no se volverá a mostrar.'),
      el('div', { class: 'token-row' }, input, copy, copyStatus),
      el('p', { class: 'hint' }, canCopy ? 'Use el botón «Copiar» o seleccione el texto.' : 'Seleccione el texto y cópielo con Ctrl+C.',
        ' Envíelo en la cabecera ', el('code', null, 'Authorization: Bearer …'), '.'),
      el('button', { type: 'button', class: 'btn btn-small', onclick: () => replace(created) }, 'Listo, ya lo guardé')));
    input.focus();
  }

  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear token');
  const form = el('form', { class: 'inline-form', novalidate: true },
    field({ label: 'Nombre del token', name: 'name', required: true, autocomplete: 'off', hint: 'Para reconocerlo, p. ej. «balanza almacén» o «respaldo nocturno».' }),
    el('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    msg.clear();
    const v = formValues(form);
    if (!requireFields(form, v, { name: 'Escriba un nombre para el token.' })) return;
    busy(submit, async () => {
      try {
        const t = await send('/tokens', { name: v.name });
        form.reset();
        showToken(t);
        list.reload();
      } catch (err) {
        if (err.replayed) {
          // The first attempt did create the token but its answer was lost; the
          // server never shows a secret twice.
          form.reset();
          replace(created, el('div', { class: 'alert alert-warn', role: 'alert' },
            el('p', null, el('strong', null, `El token «${v.name}» se creó, pero la respuesta no llegó. `),
              'Por seguridad su valor no se puede mostrar de nuevo: revóquelo en la lista y cree otro.'),
            err.detail ? el('p', { class: 'hint' }, err.detail) : null));
          list.reload();
          return;
        }
        showFormError(form, err);
      }
    });
  });

  return el('section', { class: 'section', 'aria-labelledby': 'tok-title' },
    el('h2', { id: 'tok-title' }, 'Tokens de API'),
    el('p', { class: 'muted' }, 'Los tokens permiten que otros programas (por ejemplo, una balanza o un respaldo) usen la API con su cuenta.'),
    form, created, msg, list.node);
}

export function accountView(ctx) {
  const u = ctx.me.user;
  return el('section', { class: 'account' },
    pageHeading('Mi cuenta'),
    el('dl', { class: 'facts' },
      el('div', null, el('dt', null, 'Usuario'), el('dd', { class: 'mono' }, u.username)),
      el('div', null, el('dt', null, 'Nombre'), el('dd', null, u.display_name)),
      el('div', null, el('dt', null, 'Rol'), el('dd', null, roleLabel(u.role))),
      el('div', null, el('dt', null, 'Organización'), el('dd', null, u.organization ? u.organization.name : 'Instancia'))),
    passwordForm(),
    tokensSection());
}
