// Administración › Usuarios: list, create, reset password, activate/deactivate.
import * as api from './api.js';
import {
  el, field, formValues, showFormError, clearFormError, busy, notice, pagedTable, requireFields,
  revealPanel, openDialog, confirmDialog, roleLabel, timeEl,
} from './ui.js';

const BASE_ROLES = ['admin', 'clerk', 'exporter'];

/** Roles that may be given to a user of an organization of this kind. */
export function rolesForKind(kind) {
  return kind === 'certifier' ? [...BASE_ROLES, 'auditor'] : BASE_ROLES;
}

async function allOrganizations() {
  const out = [];
  let cursor = null;
  for (let i = 0; i < 50; i += 1) {
    const q = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : '?limit=200';
    const r = await api.get(`/organizations${q}`);
    out.push(...(r.items || []));
    cursor = r.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export function usersSection(ctx) {
  const me = ctx.me.user;
  const isSuper = me.role === 'superadmin';
  const msg = notice();
  const orgNames = new Map();
  let orgs = [];
  const orgsLoaded = isSuper
    ? allOrganizations().then((items) => {
      orgs = items;
      for (const o of items) orgNames.set(o.id, o.name);
    }).catch((err) => msg.show(err.detail || 'No se pudieron cargar las organizaciones.', 'error'))
    : Promise.resolve();

  const columns = [
    { label: 'Usuario', cell: (u) => el('span', { class: 'mono' }, u.username) },
    { label: 'Nombre', cell: (u) => u.display_name },
    { label: 'Rol', cell: (u) => roleLabel(u.role) },
    isSuper ? {
      label: 'Organización',
      cell: (u) => u.organization_name || orgNames.get(u.organization_id) || (u.organization_id == null ? 'Instancia' : `#${u.organization_id}`),
    } : null,
    { label: 'Estado', cell: (u) => el('span', { class: u.active ? 'badge badge-ok' : 'badge badge-off' }, u.active ? 'Activo' : 'Inactivo') },
    { label: 'Creado', cell: (u) => timeEl(u.created_at) },
    { label: 'Acciones', class: 'actions-cell', cell: (u) => actions(u) },
  ].filter(Boolean);

  const list = pagedTable({
    columns,
    caption: 'Usuarios',
    emptyText: 'Todavía no hay usuarios.',
    load: async (cursor) => {
      await orgsLoaded; // organization names for the superadmin's column
      return api.get(`/users?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    },
  });

  function actions(u) {
    const self = u.id === me.id;
    return el('div', { class: 'row-actions' },
      el('button', { type: 'button', class: 'btn btn-small', onclick: () => resetPassword(u) }, 'Restablecer contraseña'),
      el('button', {
        type: 'button',
        class: u.active ? 'btn btn-small btn-danger-outline' : 'btn btn-small',
        disabled: self,
        title: self ? 'No puede desactivar su propia cuenta.' : undefined,
        onclick: (e) => toggleActive(u, e.currentTarget),
      }, u.active ? 'Desactivar' : 'Activar'));
  }

  async function toggleActive(u, button) {
    msg.clear();
    const activate = !u.active;
    if (!activate) {
      const ok = await confirmDialog('Desactivar usuario',
        `¿Desactivar a ${u.display_name} (${u.username})? No podrá ingresar hasta que se active de nuevo.`,
        'Desactivar', true);
      if (!ok) return;
    }
    await busy(button, async () => {
      try {
        const { data, etag } = await api.getWithEtag(`/users/${api.seg(u.id)}`);
        if (data && data.active === activate) { list.replaceRow(data); return; }
        const updated = await api.patch(`/users/${api.seg(u.id)}`, { active: activate }, { ifMatch: etag });
        list.replaceRow(updated || { ...u, active: activate });
        msg.show(activate ? `Usuario ${u.username} activado.` : `Usuario ${u.username} desactivado.`);
      } catch (err) {
        if (err.status === 412 || err.code === 'precondition_failed') {
          msg.show('Otra persona modificó este usuario mientras tanto. La lista se volvió a cargar: revise los datos e intente de nuevo.', 'error');
          list.reload();
          return;
        }
        msg.show(err.detail || 'No se pudo cambiar el estado del usuario.', 'error');
      }
    });
  }

  function resetPassword(u) {
    msg.clear();
    const send = api.submission();
    openDialog(`Restablecer contraseña de ${u.username}`, (close) => {
      const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Guardar contraseña');
      const form = el('form', { novalidate: true },
        el('p', null, `Defina una contraseña nueva para ${u.display_name}. Comuníquela por un medio seguro; el usuario podrá cambiarla en «Mi cuenta».`),
        field({ label: 'Nueva contraseña', name: 'password', type: 'password', required: true, autocomplete: 'new-password' }),
        el('div', { class: 'actions' }, submit,
          el('button', { type: 'button', class: 'btn', onclick: () => close(false) }, 'Cancelar')));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        clearFormError(form);
        const v = formValues(form);
        if (!requireFields(form, v, { password: 'Escriba la nueva contraseña.' })) return;
        busy(submit, async () => {
          try {
            await send(`/users/${api.seg(u.id)}/password`, { password: v.password });
            close(true);
          } catch (err) { showFormError(form, err); }
        });
      });
      return form;
    }).then((done) => { if (done) msg.show(`Contraseña de ${u.username} restablecida.`); });
  }

  // "Nuevo usuario" form.
  const create = revealPanel('Nuevo usuario', (close) => {
    const send = api.submission();
    const orgField = isSuper ? field({ label: 'Organización', name: 'organization_id', required: true, options: [['', 'Cargando…']] }) : null;
    const roleField = field({ label: 'Rol', name: 'role', required: true, options: [] });
    const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Crear usuario');
    const form = el('form', { class: 'form-grid', novalidate: true },
      orgField,
      field({ label: 'Usuario', name: 'username', required: true, autocomplete: 'off', nocap: true, nospell: true,
        hint: 'Con este nombre ingresará al sistema.' }),
      field({ label: 'Nombre', name: 'display_name', required: true, autocomplete: 'off' }),
      roleField,
      field({ label: 'Contraseña', name: 'password', type: 'password', required: true, autocomplete: 'new-password' }),
      el('div', { class: 'actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: () => { form.reset(); clearFormError(form); close(); } }, 'Cancelar')));

    const roleSelect = form.elements.namedItem('role');
    function setRoles(kind) {
      const prev = roleSelect.value;
      roleSelect.replaceChildren(...rolesForKind(kind).map((r) => el('option', { value: r }, roleLabel(r))));
      if ([...roleSelect.options].some((o) => o.value === prev)) roleSelect.value = prev;
      else roleSelect.value = 'clerk';
    }
    if (isSuper) {
      const orgSelect = form.elements.namedItem('organization_id');
      const kindOf = () => (orgs.find((o) => String(o.id) === orgSelect.value) || {}).kind;
      orgSelect.addEventListener('change', () => setRoles(kindOf()));
      orgsLoaded.then(() => {
        orgSelect.replaceChildren(el('option', { value: '' }, 'Seleccione…'),
          ...orgs.map((o) => el('option', { value: String(o.id) }, o.name)));
        setRoles(kindOf());
      });
      setRoles(null);
    } else {
      setRoles(me.organization && me.organization.kind);
    }

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearFormError(form);
      const v = formValues(form);
      const required = {
        username: 'Escriba el nombre de usuario.',
        display_name: 'Escriba el nombre de la persona.',
        password: 'Escriba una contraseña inicial.',
      };
      if (isSuper) required.organization_id = 'Elija la organización.';
      if (!requireFields(form, v, required)) return;
      const body = { username: v.username, display_name: v.display_name, role: v.role, password: v.password };
      if (isSuper) body.organization_id = Number(v.organization_id);
      busy(submit, async () => {
        try {
          const user = await send('/users', body);
          form.reset();
          setRoles(isSuper ? null : me.organization && me.organization.kind);
          close();
          msg.show(`Usuario ${(user && user.username) || body.username} creado.`);
          list.reload();
        } catch (err) { showFormError(form, err); }
      });
    });
    return form;
  });

  return el('div', { class: 'section' },
    el('div', { class: 'section-head' }, el('h2', null, 'Usuarios'), create.button),
    create.panel, msg, list.node);
}
