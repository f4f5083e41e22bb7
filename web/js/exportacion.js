// Exportación: export lots (lote de exportación with its ICO mark) and shipments
// (registro de exportaciones) as tabs under /exportacion; documents under
// /exportacion/{lote|embarque}/{id}; print views under /exportacion/imprimir/{form}/{id}.
import * as api from './api.js';
import { el, replace, pageHeading, pagedTable, table } from './ui.js';
import { num, date } from './fmt.js';
import { input, qs, val, onSubmit, facts, problem, docState, reasonDialog } from './acopio-util.js';
import { docLink, lazyPanel } from './planta-util.js';
import { lotForm, shipmentForm, lotAvailable } from './exportacion-forms.js';
import { printView, PRINTS } from './exportacion-print.js';
import {
  exportWrite, isExporter, EXPORT_KINDS, exportHref, exportPrintHref, exportLink, certText, sacksKg, kilosOf, CATEGORY, countryName,
} from './exportacion-util.js';

const printLink = (form, id, text) => el('a', { class: 'btn btn-small', href: exportPrintHref(form, id), target: '_blank', rel: 'noopener' }, text);
const traceLink = (l) => el('a', { class: 'btn btn-small', href: `/trazabilidad/export-lots/${l.id}` }, 'Trazabilidad del lote');

const COLS = {
  lote: [['Lote orgánico', (d) => d.organic_lot], ['Marca ICO', (d) => d.ico_mark], ['Contrato', (d) => d.contract], ['Comprador', (d) => d.buyer],
    ['Sacos', (d) => String(d.sacks), 'num'], ['Kilos', (d) => num(kilosOf(d)), 'num'], ['Por embarcar', (d) => `${lotAvailable(d).sacks} sacos`, 'num']],
  embarque: [['Contrato', (d) => d.contract], ['Comprador', (d) => d.buyer_name], ['Factura', (d) => d.invoice_number], ['BL', (d) => d.bl_number],
    ['Destino', (d) => d.port_destination], ['Sacos', (d) => String(d.sacks), 'num'], ['Kilos', (d) => num(kilosOf(d)), 'num']],
};

/** A document list with filters and paging. */
function listing(kind, title) {
  let filter = {};
  const opt = (o) => input({ noOpt: true, ...o });
  const submit = el('button', { type: 'submit', class: 'btn' }, 'Filtrar');
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': `Filtros: ${title}` },
    opt({ label: 'Desde', name: 'from', type: 'date' }), opt({ label: 'Hasta', name: 'to', type: 'date' }),
    opt({ label: 'Buscar', name: 'q', maxlength: 40, hint: kind === 'lote' ? 'Lote orgánico, marca ICO o contrato.' : 'Contrato, factura, BL, contenedor o comprador.' }),
    opt({ label: 'Estado', name: 'annulled', options: [['', 'Todos'], ['0', 'Vigentes'], ['1', 'Anulados']] }),
    el('div', { class: 'actions' }, submit));
  const list = pagedTable({
    caption: title, emptyText: 'No hay documentos con estos filtros.',
    columns: [
      { label: 'N.º', cell: (d) => el('a', { href: exportHref(kind, d.id) }, d.number_text) },
      { label: 'Fecha', class: 'nowrap', cell: (d) => date(d.issued_on) },
      ...COLS[kind].map(([label, cell, cls]) => ({ label, cell, class: cls })),
      { label: 'Estado', cell: docState },
      { label: 'Imprimir', cell: (d) => el('a', { href: exportPrintHref(EXPORT_KINDS[kind].prints[0][0], d.id), target: '_blank', rel: 'noopener' }, 'Imprimir') }],
    load: (cursor) => api.get(`${EXPORT_KINDS[kind].path}${qs({ ...filter, limit: 50, cursor })}`),
  });
  onSubmit(form, submit, async () => ({ from: val(form, 'from'), to: val(form, 'to'), q: val(form, 'q'), annulled: val(form, 'annulled') }),
    (f) => { filter = f; list.reload(); });
  return el('section', { class: 'docs', 'aria-label': title }, el('h2', null, title), form, list.node);
}

const kardexNote = () => el('p', { class: 'downloads' },
  el('a', { href: '/planta/kardex' }, 'Kárdex de café de exportación (ingresos de las LOP, salidas de planta y embarques)'));

const TABS = [
  ['lotes', 'Lotes de exportación', (ctx) => [
    exportWrite(ctx.me) && lazyPanel('Nuevo lote de exportación', () => lotForm(ctx, (d) => ctx.navigate(exportHref('lote', d.id)))),
    kardexNote(), listing('lote', 'Lotes de exportación')]],
  ['embarques', 'Embarques', (ctx) => [
    exportWrite(ctx.me) && lazyPanel('Nuevo embarque', () => shipmentForm(ctx, (d) => ctx.navigate(exportHref('embarque', d.id)))),
    listing('embarque', 'Registro de exportaciones')]],
];

const FACTS = {
  lote: (d) => [['Fecha', date(d.issued_on)], ['Exportador', d.organization.name], ['Lote orgánico', d.organic_lot], ['Marca ICO', d.ico_mark],
    ['Certificación', certText(d)], ['Contrato', d.contract], ['Comprador', d.buyer], ['Preparación', d.preparation],
    ['Defectos', d.defects == null ? '' : String(d.defects)], ['Puntaje en taza', num(d.cup_score, 2, true)],
    ['Sacos', `${d.sacks} × ${num(d.net_per_sack_kg, 2, true)} kg`], ['Kilos netos', num(kilosOf(d))],
    ['Embarcado', sacksKg(d.shipped)], ['Por embarcar', sacksKg(lotAvailable(d))], ['Marcas', d.marks]],
  embarque: (d) => [['Fecha de registro', date(d.issued_on)], ['Exportador', d.organization.name], ['Contrato', d.contract],
    ['Comprador', [d.buyer_name, countryName(d.buyer_country)].filter(Boolean).join(' · ')], ['Certificación', certText(d)],
    ['Factura', [d.invoice_number, d.invoice_lot_ref && `lote ${d.invoice_lot_ref}`].filter(Boolean).join(' · ')],
    ['BL', [d.bl_number, d.bl_lot_ref && `lote ${d.bl_lot_ref}`].filter(Boolean).join(' · ')],
    ['Nave', [d.vessel, d.booking && `booking ${d.booking}`].filter(Boolean).join(' · ')],
    ['Contenedor', [d.container, d.seal && `precinto ${d.seal}`].filter(Boolean).join(' · ')],
    ['Puertos', [d.port_loading, d.port_destination].filter(Boolean).join(' → ')], ['Fecha de embarque', date(d.shipped_on)],
    ['Calidad', d.quality], ['Sacos', String(d.sacks)], ['Kilos netos', num(kilosOf(d))], ['Peso bruto kg', num(d.gross_kg)], ['Observaciones', d.observations]],
};

const lopRef = (s) => ({ id: s.process_settlement_id, number_text: s.number_text });
const DETAILS = {
  lote: (d) => [el('h3', null, 'Café de las LOP'), table([
    { label: 'LOP', cell: (s) => docLink('lop', lopRef(s)) }, { label: 'Fecha', cell: (s) => date(s.issued_on) },
    { label: 'Planta', cell: (s) => s.plant_name }, { label: 'Salida', cell: (s) => CATEGORY[s.category] || s.category },
    { label: 'Kilos', class: 'num', cell: (s) => num(kilosOf(s)) }], (d.sources || []).filter((s) => s.live !== false), 'Salidas de exportación de las LOP'),
  (d.shipments || []).length ? [el('h3', null, 'Embarques'), table([
    { label: 'Embarque', cell: (s) => exportLink('embarque', s) }, { label: 'Fecha', cell: (s) => date(s.shipped_on || s.issued_on) },
    { label: 'Factura', cell: (s) => s.invoice }, { label: 'BL', cell: (s) => s.bl }, { label: 'Sacos', class: 'num', cell: (s) => String(s.sacks) },
    { label: 'Kilos', class: 'num', cell: (s) => num(kilosOf(s)) }], d.shipments, 'Embarques del lote')] : null],
  embarque: (d) => [el('h3', null, 'Lotes embarcados'), table([
    { label: 'Lote orgánico', cell: (x) => exportLink('lote', { id: x.export_lot_id, number_text: x.organic_lot }) },
    { label: 'Marca ICO', cell: (x) => x.ico_mark }, { label: 'Sacos', class: 'num', cell: (x) => String(x.sacks) },
    { label: 'Kilos', class: 'num', cell: (x) => num(kilosOf(x)) }], (d.lots || []).filter((x) => x.live !== false), 'Lotes del embarque')],
};

function docView(ctx, kind, id) {
  const node = el('div', { class: 'delivery' }, el('p', { class: 'muted' }, 'Cargando…'));
  const k = EXPORT_KINDS[kind];
  const draw = (d) => {
    const annul = isExporter(ctx.me, d) && !d.annulled && el('button', {
      type: 'button', class: 'btn btn-small btn-danger-outline',
      onclick: async () => {
        const send = api.submission();
        const r = await reasonDialog(`Anular ${k.name.toLowerCase()} n.º ${d.number_text}`,
          'El documento conserva su número y queda marcado como anulado en los registros y al imprimirlo.', 'Anular',
          (reason) => send(`${k.path}/${api.seg(d.id)}/annul`, { reason }));
        if (r) draw(r);
      },
    }, 'Anular');
    const title = kind === 'lote' ? `${k.name} ${d.organic_lot} (n.º ${d.number_text})` : `${k.name} n.º ${d.number_text}`;
    replace(node, el('h2', null, title),
      el('article', { class: `doc-card${d.annulled ? ' annulled' : ''}`, 'aria-label': title },
        el('header', null, el('h3', null, kind === 'lote' ? `Marca ICO ${d.ico_mark}` : certText(d)), docState(d)),
        d.annulled && el('p', { class: 'alert alert-error' }, `Anulado el ${date(d.annulled.at)} por ${d.annulled.by}: ${d.annulled.reason}`),
        facts(FACTS[kind](d)),
        el('div', { class: 'row-actions' }, k.prints.map(([f, text]) => printLink(f, d.id, text)),
          kind === 'lote' && traceLink(d), kind === 'lote' && el('a', { class: 'btn btn-small', href: `/trazabilidad/reporte/${d.id}` }, 'Reporte del lote'), annul)),
      DETAILS[kind](d));
  };
  api.get(`${k.path}/${api.seg(id)}`).then(draw, (err) => replace(node, problem(err.status === 404 ? null : err, 'El documento no existe o no tiene acceso a él.')));
  return node;
}

const missing = () => el('section', null, pageHeading('Exportación'),
  el('p', null, 'Esta página no existe o su rol no tiene acceso a ella.'), el('p', null, el('a', { href: '/exportacion' }, 'Volver a Exportación')));

export function exportacionView(ctx, path) {
  const [sub, a, b] = path.split('/').slice(2);
  if (sub === 'imprimir') return PRINTS[a] && /^\d+$/.test(b || '') ? printView(ctx, a, b) : missing();
  const doc = EXPORT_KINDS[sub];
  if (doc && !/^\d+$/.test(a || '')) return missing();
  const current = doc ? { lote: 'lotes', embarque: 'embarques' }[sub] : sub || 'lotes';
  const tab = TABS.find((t) => t[0] === current);
  if (!tab) return missing();
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Secciones de exportación' }, el('ul', null, TABS.map(([k, label]) =>
    el('li', null, el('a', { href: `/exportacion/${k}`, 'aria-current': k === current && !doc ? 'page' : false }, label)))));
  const content = doc ? [el('p', null, el('a', { href: `/exportacion/${current}` }, '← Volver a la lista')), docView(ctx, sub, a)] : tab[2](ctx);
  return el('section', { class: `exportacion exportacion-${current}` }, pageHeading('Exportación'), nav, content);
}
