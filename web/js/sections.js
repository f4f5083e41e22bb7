// The sections behind the shell and how their code is loaded: on first
// visit, by dynamic import (through index.html's import map, like every
// module), so the login form and each screen fetch only their own code.
// Each section lists its own imports, fetched at once instead of one level
// per round trip: a name missing here costs time, never correctness.
//
// No static imports on purpose: index.html also loads this file as an
// async module, which runs as soon as it arrives (before the app's module
// graph is complete) and starts fetching the section the address names
// (a deep link or a reload) while the rest of the app still downloads.

/** "/acopio/" -> "/acopio"; "/" stays. */
export function normalize(path) {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** A route whose view is loaded once: route.load() -> Promise<view>; route.view once loaded. */
function section(route, main, pick, ...deps) {
  let pending = null;
  route.load = () => {
    pending ||= Promise.all([main(), ...deps.map((d) => d())])
      .then(([m]) => { route.view = pick(m); return route.view; })
      .catch((err) => { pending = null; throw err; });
    return pending;
  };
  return route;
}

const under = (base) => (p) => p === base || p.startsWith(`${base}/`);

export const sectionRoutes = [
  section({ match: under('/acopio'), nav: 'acopio', title: 'Acopio' },
    () => import('./acopio.js'), (m) => m.acopioView,
    () => import('./acopio-util.js'), () => import('./acopio-reception.js'), () => import('./acopio-docs.js'),
    () => import('./fmt.js')),
  section({ match: under('/planta'), nav: 'planta', title: 'Planta' },
    () => import('./planta.js'), (m) => m.plantaView,
    () => import('./planta-forms.js'), () => import('./planta-print.js'), () => import('./planta-util.js'),
    () => import('./acopio-util.js'), () => import('./print-kit.js'), () => import('./fmt.js')),
  section({ match: under('/exportacion'), nav: 'exportacion', title: 'Exportación' },
    () => import('./exportacion.js'), (m) => m.exportacionView,
    () => import('./exportacion-forms.js'), () => import('./exportacion-print.js'), () => import('./exportacion-util.js'),
    () => import('./planta-forms.js'), () => import('./planta-util.js'), () => import('./acopio-util.js'),
    () => import('./print-kit.js'), () => import('./fmt.js')),
  section({ match: under('/trazabilidad'), nav: 'trazabilidad', title: 'Trazabilidad' },
    () => import('./trazabilidad.js'), (m) => m.trazabilidadView,
    () => import('./trazabilidad-views.js'), () => import('./reportes.js'), () => import('./map.js'),
    () => import('./acopio-util.js'), () => import('./exportacion-util.js'), () => import('./planta-util.js'),
    () => import('./fmt.js')),
  section({ match: (p) => p === '/auditoria', nav: 'auditoria', title: 'Auditoría' },
    () => import('./audit.js'), (m) => m.auditView),
  section({ match: under('/administracion'), nav: 'administracion', title: 'Administración' },
    () => import('./admin.js'), (m) => m.adminView,
    () => import('./admin-users.js'), () => import('./admin-grants.js'), () => import('./admin-orgs.js')),
  section({ match: (p) => p === '/cuenta', title: 'Mi cuenta' },
    () => import('./account.js'), (m) => m.accountView),
];

const first = sectionRoutes.find((r) => r.match(normalize(location.pathname)));
if (first) first.load().catch(() => { /* the router shows the failure when it renders */ });
