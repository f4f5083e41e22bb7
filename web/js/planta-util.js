// Helpers shared by the plant-stage screens (guías, orders, LOP, exits, kárdex).
import { el } from './ui.js';
import { scaled, show, round, pctCenti } from './fmt.js';
import { canWrite as coopWrite } from './acopio-util.js';

export { coopWrite };
/** Admin and clerk of a plant write plant documents; everyone else reads. */
export const plantWrite = (me) => ['admin', 'clerk'].includes(me.user.role) &&
  !!me.user.organization && me.user.organization.kind === 'plant';
export const myOrg = (me) => (me.user.organization || {}).id;
/** Only the issuer annuls. */
export const isIssuer = (me, d) => ['admin', 'clerk'].includes(me.user.role) && !!d.organization && d.organization.id === myOrg(me);

/** The document kinds: route word, API collection, Spanish name, print views. */
export const KINDS = {
  remision: { path: '/dispatches', name: 'Guía de remisión', prints: [['remision', 'Imprimir guía y lista de productores']] },
  ingreso: { path: '/plant-receipts', name: 'Guía de ingreso a planta', prints: [['ingreso', 'Imprimir guía de ingreso'], ['sticker', 'Imprimir sticker del lote']] },
  proceso: { path: '/process-orders', name: 'Orden de proceso', prints: [['proceso', 'Imprimir orden de proceso']] },
  marcado: { path: '/marking-orders', name: 'Orden de marcado de sacos', prints: [['marcado', 'Imprimir orden de marcado']] },
  lop: { path: '/process-settlements', name: 'Liquidación de proceso (LOP)', prints: [['lop', 'Imprimir LOP']] },
  salida: { path: '/plant-exits', name: 'Guía de salida de planta', prints: [['salida', 'Imprimir guía de salida'], ['transportista', 'Imprimir guía del transportista']] },
};
export const docHref = (kind, id) => `/planta/doc/${kind}/${id}`;
export const printHref = (kind, id) => `/planta/imprimir/${kind}/${id}`;
export const docLink = (kind, ref) => (ref ? el('a', { href: docHref(kind, ref.id) }, ref.number_text || String(ref.number)) : '');

/** Kilos as typed ("23610", "472,6") -> integer grams (BigInt), or null. */
export const grams = (text) => scaled(text, 3);
/** Signed grams -> "23 400,00". */
export const kgShow = (g) => (g < 0n ? '-' : '') + show(round(g < 0n ? -g : g, 3, 2), 2);
/** Signed share of whole in hundredths of %, half up away from zero. */
export const pctSigned = (part, whole) => (part < 0n ? -pctCenti(-part, whole) : pctCenti(part, whole));
export const pctShow = (c) => `${show(c, 2)} %`;
/** Kilos for the API: "472,6" -> "472.6". */
export const dec = (text) => String(text || '').trim().replace(',', '.');

export const REASONS = ['Venta', 'Compra', 'Transformación', 'Consignación', 'Devolución',
  'Traslado entre establecimientos de una misma empresa', 'Venta sujeta a confirmación', 'Otros'];

/** The LOP's output lines in the guide's order; `coffee` lines add up to TOTAL EN CAFÉ. */
export const OUTPUTS = [
  ['export', 'Café exportación', true], ['export_mc', 'Café exportación MC', true], ['second', 'Café segunda', true],
  ['machine_discard', 'Café descarte máquina', true], ['sorting_discard', 'Café descarte de escojo', true],
  ['bola', 'Café bola', true], ['cisco', 'Café cisco', true],
  ['stones', 'Piedras y otros'], ['husk', 'Cáscara y otros'], ['shrinkage', 'Merma declarada'],
];
let panels = 0;
/** A button that builds its panel the first time it is opened (forms that load data). */
export function lazyPanel(label, build) {
  const panel = el('div', { class: 'panel', id: `new-doc-${++panels}`, hidden: true });
  const button = el('button', { type: 'button', class: 'btn btn-primary', 'aria-expanded': 'false', 'aria-controls': panel.id }, label);
  button.addEventListener('click', () => {
    if (!panel.firstChild) panel.append(build());
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) { const f = panel.querySelector('input, select'); if (f) f.focus(); }
  });
  return el('div', { class: 'new-doc' }, button, panel);
}

export const SACK_G = 69000n;
export const QQ_EXPORT_G = 46000n;
