// Administración: sub-sections depend on the role.
import { el, pageHeading } from './ui.js';
import { usersSection } from './admin-users.js';
import { grantsSection } from './admin-grants.js';
import { orgsSection } from './admin-orgs.js';

const SECTIONS = {
  usuarios: ['Usuarios', usersSection],
  accesos: ['Accesos de auditores', grantsSection],
  organizaciones: ['Organizaciones', orgsSection],
};

export function adminView(ctx, path) {
  const keys = ctx.me.user.role === 'superadmin' ? ['organizaciones', 'usuarios'] : ['usuarios', 'accesos'];
  let current = path.split('/')[2];
  if (!current) {
    current = keys[0];
    history.replaceState(null, '', `/administracion/${current}`);
  }
  if (!keys.includes(current)) {
    return el('section', null, pageHeading('Administración'),
      el('p', null, 'Esta sección no existe o su rol no tiene acceso a ella.'),
      el('p', null, el('a', { href: '/administracion' }, 'Volver a Administración')));
  }
  const tabs = el('nav', { class: 'tabs', 'aria-label': 'Secciones de administración' },
    el('ul', null, keys.map((k) => el('li', null,
      el('a', { href: `/administracion/${k}`, 'aria-current': k === current ? 'page' : false }, SECTIONS[k][0])))));
  const [, build] = SECTIONS[current];
  return el('section', { class: 'admin' }, pageHeading('Administración'), tabs, build(ctx));
}
