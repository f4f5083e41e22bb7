// Acopio: reception, documents, producer registry, LPA, certifications,
// import and settings as tabs under /acopio, and the print views.
import { el, pageHeading } from './ui.js';
import { canWrite, isAdmin, DOCS } from './acopio-util.js';
import { receptionView } from './acopio-reception.js';
import { docsView, deliveryView } from './acopio-docs.js';

// The registry tabs and the print views load on first use: the reception
// screen (the clerk's first screen) does not wait for them.
const registry = () => import('./acopio-registry.js');
const prints = () => import('./acopio-print.js');

/** A placeholder that becomes make(module) once load() resolves. */
function later(load, make) {
  const box = el('p', { class: 'boot', role: 'status' }, 'Cargando…');
  load().then((m) => box.replaceWith(make(m)), () => box.replaceWith(
    el('div', { class: 'alert alert-error', role: 'alert' }, 'No se pudo cargar esta página. Revise la conexión y recargue.')));
  return box;
}
const fromRegistry = (name) => (ctx, ...args) => later(registry, (m) => m[name](ctx, ...args) || missingBody());

const TABS = [
  ['recepcion', 'Recepción', receptionView, canWrite],
  ['documentos', 'Documentos', docsView],
  ['productores', 'Productores', fromRegistry('producersView')],
  ['lpa', 'LPA', fromRegistry('lpaView')],
  ['certificaciones', 'Certificaciones', fromRegistry('certsView')],
  ['importar', 'Importar', fromRegistry('importView'), canWrite],
  ['configuracion', 'Configuración', fromRegistry('settingsView'), isAdmin],
];
const producerView = fromRegistry('producerView');

const PRINTS = ['recepcion', 'nota', 'sticker', 'liquidacion', 'lpa'];

const missingBody = () => el('div', null,
  el('p', null, 'Esta página no existe o su rol no tiene acceso a ella.'),
  el('p', null, el('a', { href: '/acopio' }, 'Volver a Acopio')));
const missing = () => el('section', null, pageHeading('Acopio'), missingBody());

export function acopioView(ctx, path) {
  const [sub, a, b] = path.split('/').slice(2);
  if (sub === 'imprimir') return PRINTS.includes(a) && /^\d+$/.test(b || '') ? later(prints, (m) => m.printView(ctx, a, b)) : missing();
  const tabs = TABS.filter((t) => !t[3] || t[3](ctx.me));
  const current = sub || tabs[0][0];
  const tab = tabs.find((t) => t[0] === current);
  if (!tab) return missing();
  let content;
  if (current === 'documentos' && a) content = DOCS[a] && /^\d+$/.test(b || '') ? deliveryView(ctx, a, b) : null;
  else if (current === 'productores' && a) content = /^\d+$/.test(a) ? producerView(ctx, a) : null;
  else content = tab[2](ctx);
  if (!content) return missing();
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Secciones de acopio' }, el('ul', null, tabs.map(([k, label]) =>
    el('li', null, el('a', { href: `/acopio/${k}`, 'aria-current': k === current ? 'page' : false }, label)))));
  return el('section', { class: `acopio acopio-${current}` }, pageHeading('Acopio'), nav, content);
}
