// Trazabilidad: the trace explorer (one search box: lot, ICO mark, contract, DNI,
// document number), the chain of any document (/trazabilidad/{kind}/{id}, kind as
// the API names it), a producer's forward view, recall, mass balance, the lot
// report and the registers, as tabs under /trazabilidad.
import * as api from './api.js';
import { el, replace, pageHeading } from './ui.js';
import { date } from './fmt.js';
import { input, qs, val, onSubmit, problem } from './acopio-util.js';
import { traceView, producerView, TRACE_KINDS } from './trazabilidad-views.js';
import { recallView, massBalanceView, registersView, lotReportView } from './reportes.js';

/** /trazabilidad?q=…: the search box and what it found, each result opening its chain. */
function searchView(ctx) {
  const q = new URLSearchParams(location.search).get('q') || '';
  const results = el('div', { class: 'search-results', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Buscar');
  const form = el('form', { class: 'trace-search', role: 'search', novalidate: true },
    input({ label: 'Buscar', name: 'q', value: q, maxlength: 60, noOpt: true, hint: 'Lote orgánico (004-17), marca ICO (30/861/1544), contrato (P17446), DNI del productor o n.º de documento (guía 5469, LOP 1204, nota 10685…).' }),
    el('div', { class: 'actions' }, submit));
  const run = async (text) => {
    replace(results, el('p', { class: 'muted' }, 'Buscando…'));
    const r = await api.get(`/trace/search${qs({ q: text })}`);
    const items = Array.isArray(r) ? r : r.items || r.results || [];
    replace(results, items.length
      ? [el('p', { class: 'muted' }, `${items.length} ${items.length === 1 ? 'resultado' : 'resultados'} para «${text}»:`),
        el('ul', { class: 'results' }, items.map((x) => el('li', null, el('a', { href: `/trazabilidad/${x.kind}/${x.id}` },
          el('span', { class: 'kind' }, (TRACE_KINDS[x.kind] || {}).name || x.kind), el('strong', null, x.label),
          x.date && el('span', { class: 'muted' }, date(x.date))))))]
      : el('p', { class: 'empty' }, `No se encontró nada para «${text}» en los documentos a su alcance.`));
  };
  onSubmit(form, submit, async () => {
    const text = val(form, 'q');
    if (!text) { replace(results); return undefined; }
    history.replaceState(null, '', `/trazabilidad${qs({ q: text })}`);
    await run(text);
    return undefined;
  });
  if (q) run(q).catch((err) => replace(results, problem(err, 'No se pudo buscar.')));
  return el('section', { 'aria-label': 'Explorador de trazabilidad' },
    el('p', { class: 'lead' }, 'Reconstruya el recorrido del café en ambos sentidos: de un lote de exportación o embarque hasta cada productor y su parcela, o de un productor hasta los lotes y embarques donde terminó su café.'),
    form, results);
}

const TABS = [
  ['buscar', 'Explorador', searchView],
  ['retiro', 'Retiro de producto', recallView],
  ['balance', 'Balance de masa', massBalanceView],
  ['registros', 'Registros', registersView],
];

const missing = () => el('section', null, pageHeading('Trazabilidad'),
  el('p', null, 'Esta página no existe o su rol no tiene acceso a ella.'), el('p', null, el('a', { href: '/trazabilidad' }, 'Volver a Trazabilidad')));

export function trazabilidadView(ctx, path) {
  const [sub, a] = path.split('/').slice(2);
  let current = sub || 'buscar';
  let content;
  if (TRACE_KINDS[sub] || sub === 'reporte') {
    if (!/^\d+$/.test(a || '')) return missing();
    current = 'buscar';
    content = [el('p', { class: 'no-print' }, el('a', { href: '/trazabilidad' }, '← Volver al explorador')),
      sub === 'reporte' ? lotReportView(ctx, a) : sub === 'producers' ? producerView(ctx, a) : traceView(ctx, sub, a)];
  } else {
    const tab = TABS.find((t) => t[0] === current);
    if (!tab) return missing();
    content = tab[2](ctx);
  }
  const nav = el('nav', { class: 'tabs', 'aria-label': 'Secciones de trazabilidad' }, el('ul', null, TABS.map(([k, label]) =>
    el('li', null, el('a', { href: k === 'buscar' ? '/trazabilidad' : `/trazabilidad/${k}`, 'aria-current': k === current && !a ? 'page' : false }, label)))));
  return el('section', { class: `trazabilidad trazabilidad-${current}` }, pageHeading('Trazabilidad'), nav, content);
}
