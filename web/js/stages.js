// Home page: one card per section the user's role opens.
import { el, pageHeading, kindLabel, roleLabel } from './ui.js';
import { NAV_LABELS, navHref } from './shell.js';

export const STAGES = {
  acopio: {
    // Built: js/acopio.js (no placeholder page).
    summary: 'Recepción del café pergamino, notas de ingreso, liquidaciones, productores y LPA.',
  },
  planta: {
    // Built: js/planta.js (no placeholder page).
    summary: 'Guías de remisión, ingreso a planta, órdenes de proceso y marcado, LOP, guías de salida y kárdex.',
  },
  exportacion: {
    // Built: js/exportacion.js.
    summary: 'Lotes de exportación con marca ICO, embarques, packing list, nota de pesos y solicitud de certificado de transacción.',
  },
  trazabilidad: {
    // Built: js/trazabilidad.js.
    summary: 'El recorrido de un lote en ambos sentidos, retiro de producto, balance de masa, reportes y registros.',
  },
};

const OTHER_SECTIONS = {
  auditoria: 'Registro de auditoría encadenado y verificación de su integridad.',
  administracion: 'Usuarios de la organización y accesos de auditores.',
};

export function homeView(ctx) {
  const { user, nav } = ctx.me;
  const org = user.organization;
  const describe = (key) => {
    if (STAGES[key]) return STAGES[key].summary;
    if (key === 'administracion' && user.role === 'superadmin') return 'Organizaciones de la instancia y sus usuarios.';
    return OTHER_SECTIONS[key] || '';
  };
  const cards = [...(nav || []).filter((k) => NAV_LABELS[k]).map((k) => [navHref(k), NAV_LABELS[k], describe(k)]),
    ['/cuenta', 'Mi cuenta', 'Cambio de contraseña y tokens de acceso a la API.']];
  return el('section', { class: 'home' },
    pageHeading(`Bienvenido, ${user.display_name || user.username}`),
    el('p', { class: 'lead' },
      org ? `${org.name} · ${kindLabel(org.kind)}${org.ruc ? ` · RUC ${org.ruc}` : ''}` : 'Administración de la instancia',
      el('br'), `Rol: ${roleLabel(user.role)}`),
    el('ul', { class: 'cards' }, cards.map(([href, title, text]) =>
      el('li', null, el('a', { href, class: 'card' }, el('strong', null, title), el('span', null, text))))));
}
