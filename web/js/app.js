// Entry point: session bootstrap and a small router on location.pathname.
import * as api from './api.js';
import { el, replace, pageHeading } from './ui.js';
import { loginView } from './login.js';
import { buildShell } from './shell.js';
import { homeView } from './stages.js';
import { sectionRoutes, normalize } from './sections.js';

const root = document.getElementById('app');

const state = {
  me: null,        // GET /me answer
  shell: null,     // {root, main, setActive}
  nextPath: null,  // where to go after login
};

const routes = [
  { match: (p) => p === '/', title: 'Inicio', view: homeView },
  ...sectionRoutes,
];

/** Only same-site absolute paths are accepted as a post-login destination. */
function safeNext(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') &&
    !path.startsWith('/login') && !path.startsWith('/api/') ? path : '/';
}

export function navigate(path, { replace: replaceState = false } = {}) {
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) { location.assign(url.href); return; }
  const target = url.pathname + url.search + url.hash;
  if (target !== location.pathname + location.search + location.hash) {
    if (replaceState) history.replaceState(null, '', target);
    else history.pushState(null, '', target);
  }
  render();
}

const ctx = {
  get me() { return state.me; },
  navigate,
  reloadMe,
};

async function reloadMe() {
  const me = await api.get('/me', { noAuthRedirect: true });
  api.setCsrfToken(me.csrf_token);
  state.me = me;
  return me;
}

function showLogin(message) {
  state.me = null;
  state.shell = null;
  api.setCsrfToken(null);
  document.title = 'Ingresar — Pergamino';
  replace(root, loginView({
    message,
    onLoggedIn: async (session) => {
      // The login answer may already be the full GET /me document; else ask for it.
      if (session && session.user && Array.isArray(session.nav) && session.csrf_token) {
        api.setCsrfToken(session.csrf_token);
        state.me = session;
      } else {
        await reloadMe();
      }
      const next = safeNext(state.nextPath);
      state.nextPath = null;
      navigate(next, { replace: true });
    },
  }));
  const first = root.querySelector('input');
  if (first) first.focus();
}

async function logout() {
  try { await api.del('/session', { noAuthRedirect: true }); } catch { /* leave anyway */ }
  state.me = null;
  state.shell = null;
  state.nextPath = null;
  api.setCsrfToken(null);
  navigate('/login');
}

function render() {
  const path = normalize(location.pathname);
  if (!state.me) {
    if (path !== '/login') {
      state.nextPath = location.pathname + location.search;
      history.replaceState(null, '', '/login');
    }
    showLogin();
    return;
  }
  if (path === '/login') {
    // Visiting /login while logged in: the account stays; go home.
    history.replaceState(null, '', '/');
    render();
    return;
  }
  if (!state.shell) {
    state.shell = buildShell(state.me, { onLogout: logout });
    replace(root, state.shell.root);
  }
  const route = routes.find((r) => r.match(path));
  const seq = ++renderSeq;
  let content;
  let title;
  if (!route) {
    title = 'Página no encontrada';
    content = el('section', null, pageHeading(title),
      el('p', null, 'La dirección no corresponde a ninguna sección.'),
      el('p', null, el('a', { href: '/' }, 'Volver al inicio')));
  } else if (route.nav && !(state.me.nav || []).includes(route.nav)) {
    title = 'Sin acceso';
    content = el('section', null, pageHeading(title),
      el('p', null, 'Su rol no tiene acceso a esta sección.'),
      el('p', null, el('a', { href: '/' }, 'Volver al inicio')));
  } else if (route.view) {
    title = route.title;
    content = route.view(ctx, path);
  } else {
    // A section not loaded yet: a placeholder now, the view when its code
    // arrives, unless the user has gone elsewhere meanwhile.
    title = route.title;
    content = el('p', { class: 'boot', role: 'status' }, 'Cargando…');
    route.load().then((view) => {
      if (seq === renderSeq) show(view(ctx, path));
    }, () => {
      if (seq !== renderSeq) return;
      show(el('section', null, pageHeading(title),
        el('div', { class: 'alert alert-error', role: 'alert' }, 'No se pudo cargar esta sección. Revise la conexión.'),
        el('button', { type: 'button', class: 'btn btn-primary', onclick: () => render() }, 'Reintentar')));
    });
  }
  document.title = `${title} — Pergamino`;
  state.shell.setActive(path);
  show(content);
}

function show(content) {
  replace(state.shell.main, content);
  const heading = state.shell.main.querySelector('h1');
  if (heading && navigated) heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

let renderSeq = 0;

let navigated = false;

// Client-side navigation for same-origin links (no modifier keys, no target).
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === location.pathname && url.hash) return; // in-page anchor (skip link)
  e.preventDefault();
  navigated = true;
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => { navigated = true; render(); });

api.onUnauthorized(() => {
  // Session expired or revoked while using the app.
  if (!state.me) return;
  state.nextPath = location.pathname + location.search;
  history.replaceState(null, '', '/login');
  showLogin('Su sesión terminó. Ingrese de nuevo.');
});

async function start() {
  try {
    await reloadMe();
  } catch (e) {
    if (e.status !== 401) {
      replace(root, el('main', { class: 'boot-error' },
        el('h1', null, 'Pergamino'),
        el('div', { class: 'alert alert-error', role: 'alert' }, e.detail || 'No se pudo cargar la aplicación.'),
        el('button', { type: 'button', class: 'btn btn-primary', onclick: () => location.reload() }, 'Reintentar')));
      return;
    }
  }
  render();
}

start();
