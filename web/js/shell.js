// Application shell: header (organization, user, logout) and navigation from me.nav.
import { el, roleLabel } from './ui.js';

export const NAV_LABELS = {
  acopio: 'Acopio',
  planta: 'Planta',
  exportacion: 'Exportación',
  trazabilidad: 'Trazabilidad',
  auditoria: 'Auditoría',
  administracion: 'Administración',
};

export const navHref = (key) => `/${key}`;

export function buildShell(me, { onLogout }) {
  const user = me.user || {};
  const org = user.organization;
  const keys = (me.nav || []).filter((k) => NAV_LABELS[k]);
  const items = [...keys.map((k) => [navHref(k), NAV_LABELS[k]]), ['/cuenta', 'Mi cuenta']];

  const links = items.map(([href, label]) => el('a', { href, class: 'nav-link' }, label));
  const nav = el('nav', { id: 'nav', class: 'nav', 'aria-label': 'Principal' },
    el('ul', null, links.map((a) => el('li', null, a))));

  const toggle = el('button', {
    type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav',
  }, el('span', { class: 'burger', 'aria-hidden': 'true' }), el('span', { class: 'nav-toggle-text' }, 'Menú'));

  const shellRoot = el('div', { class: 'shell' });
  const setOpen = (open) => {
    shellRoot.classList.toggle('nav-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(!shellRoot.classList.contains('nav-open')));
  nav.addEventListener('click', (e) => { if (e.target.closest('a')) setOpen(false); });
  shellRoot.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && shellRoot.classList.contains('nav-open')) { setOpen(false); toggle.focus(); }
  });

  const logout = el('button', { type: 'button', class: 'btn btn-ghost logout', onclick: onLogout }, 'Salir');

  const header = el('header', { class: 'topbar' },
    toggle,
    el('a', { href: '/', class: 'brand' }, el('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Pergamino'),
    el('div', { class: 'who' },
      el('span', { class: 'org-name' }, org ? org.name : 'Instancia'),
      el('span', { class: 'user' },
        el('span', { class: 'user-name' }, user.display_name || user.username || ''),
        el('span', { class: 'role' }, roleLabel(user.role)))),
    logout);

  const main = el('main', { id: 'main', class: 'content' });
  shellRoot.append(
    el('a', { href: '#main', class: 'skip-link' }, 'Saltar al contenido'),
    header,
    el('div', { class: 'layout' }, nav, main));

  function setActive(path) {
    for (const a of links) {
      const href = a.getAttribute('href');
      const active = path === href || path.startsWith(`${href}/`);
      if (active) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  return { root: shellRoot, main, setActive };
}
