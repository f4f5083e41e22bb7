// Acopio: reception, documents, producer registry, LPA, certifications,
// import and settings as tabs under /acopio, and the print views.
import { el, pageHeading } from './ui.js';
import { canWrite, isAdmin, DOCS } from './acopio-util.js';
import { receptionView } from './acopio-reception.js';
import { docsView, deliveryView } from './acopio-docs.js';
import { producersView, producerView, lpaView, certsView, importView, settingsView } from './acopio-registry.js';
import { printView } from './acopio-print.js';

const TABS = [
  ['recepcion', 'Recepción', receptionView, canWrite],
  ['documentos', 'Documentos', docsView],
  ['productores', 'Productores', producersView],
  ['lpa', 'LPA', lpaView],
  ['certificaciones', 'Certificaciones', certsView],
  ['importar', 'Importar', importView, canWrite],
  ['configuracion', 'Configuración', settingsView, isAdmin],
];

const PRINTS = ['recepcion', 'nota', 'sticker', 'liquidacion', 'lpa'];

const missing = () => el('section', null, pageHeading('Acopio'),
  el('p', null, 'Esta página no existe o su rol no tiene acceso a ella.'),
  el('p', null, el('a', { href: '/acopio' }, 'Volver a Acopio')));

export function acopioView(ctx, path) {
  const [sub, a, b] = path.split('/').slice(2);
  if (sub === 'imprimir') return PRINTS.includes(a) && /^\d+$/.test(b || '') ? printView(ctx, a, b) : missing();
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
