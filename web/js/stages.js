// Home page and the stage pages whose documents are not built yet.
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
    summary: 'Lotes de café verde listos para exportar y sus embarques.',
    documents: [
      'Lote de exportación con marca ICO.',
      'Kárdex de café de exportación.',
      'Registro de exportaciones: contrato, comprador, factura, BL, puertos y fechas.',
      'Solicitud de certificado de transacción.',
    ],
  },
  trazabilidad: {
    summary: 'Reconstrucción del recorrido de un lote en ambos sentidos.',
    documents: [
      'Del embarque hacia atrás: lote de exportación, proceso en planta, guías y notas de ingreso hasta cada productor y su parcela.',
      'Del productor hacia adelante: sus entregas y los lotes y embarques en los que terminaron.',
      'Balance de masa en cada paso, con mermas y diferencias señaladas.',
    ],
  },
};

const OTHER_SECTIONS = {
  auditoria: 'Registro de auditoría encadenado y verificación de su integridad.',
  administracion: 'Usuarios de la organización y accesos de auditores.',
};

export function stageView(_ctx, key) {
  const stage = STAGES[key];
  return el('section', { class: 'stage' },
    pageHeading(NAV_LABELS[key]),
    el('p', { class: 'lead' }, stage.summary),
    el('h2', null, 'Documentos de esta etapa'),
    el('ul', { class: 'doc-list' }, stage.documents.map((d) => el('li', null, d))),
    el('p', { class: 'alert alert-info' },
      'Los formularios de esta etapa aún no están disponibles en esta versión de Pergamino.'));
}

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
