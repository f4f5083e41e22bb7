// Reports of the trace section: recall (retiro de producto), mass balance per
// certification status for a period, the lot report, and the registers as CSV.
// Each is printable (the tabs and forms are left out of the print).
import * as api from './api.js';
import { el, replace, table } from './ui.js';
import { num, date, today, statusLabel } from './fmt.js';
import { input, qs, val, onSubmit, fail, problem, loadAll } from './acopio-util.js';
import { chainSteps, sharesTable, mapSection } from './trazabilidad-views.js';
import { kilosOf, certText } from './exportacion-util.js';
import { OUTPUTS } from './planta-util.js';

const listOf = (x) => (Array.isArray(x) ? x : x && typeof x === 'object' ? Object.values(x) : []);
const printBtn = () => el('button', { type: 'button', class: 'btn btn-small no-print', onclick: () => window.print() }, 'Imprimir');
const csvLink = (href, file, text) => el('a', { href: `/api/v1${href}`, download: file }, text);

const RECALL_FROM = [['producer_id', 'Productor (DNI)'], ['plot_id', 'Parcela (DNI del productor y parcela)'], ['reception_id', 'Recepción (n.º de ticket)'], ['plant_receipt_id', 'Guía de ingreso a planta (n.º)']];

/** The id the recall needs, from what the user types (DNI, ticket or guía number). */
async function recallOrigin(form) {
  const from = val(form, 'from');
  const v = val(form, 'value');
  if (from === 'producer_id' || from === 'plot_id') {
    if (!/^\d{8}$/.test(v)) throw fail('Revise el DNI.', 'value', 'El DNI tiene 8 dígitos.');
    const p = await api.get(`/producers/by-dni/${api.seg(v)}`).catch((err) => { throw fail('Revise el DNI.', 'value', err.status === 404 ? 'No hay un productor con ese DNI.' : err.detail); });
    if (from === 'producer_id') return { producer_id: p.id };
    const plot = val(form, 'plot');
    if (!plot) {
      const plots = await loadAll(`/plots?producer_id=${p.id}`);
      const sel = form.elements.plot;
      replace(sel, el('option', { value: '' }, 'Elija la parcela'), plots.map((x) => el('option', { value: String(x.id) }, x.name)));
      sel.closest('.field').hidden = false;
      throw fail('Elija la parcela.', 'plot', `${p.full_name} tiene ${plots.length} parcelas.`);
    }
    return { plot_id: plot };
  }
  if (!/^\d+$/.test(v)) throw fail('Revise el número.', 'value', 'Escriba el número del documento.');
  const path = from === 'reception_id' ? '/receptions' : '/plant-receipts';
  const r = await api.get(`${path}${qs({ number: v, limit: 5 })}`);
  const doc = (r.items || []).find((x) => String(x.number) === v || x.number_text === v);
  if (!doc) throw fail('No se encontró el documento.', 'value', 'No hay un documento con ese número a su alcance.');
  return { [from]: doc.id };
}

/** /trazabilidad/retiro[?producer_id=…]: export lots, shipments and producers mixed with the origin. */
export function recallView() {
  const params = Object.fromEntries([...new URLSearchParams(location.search)].filter(([k]) => RECALL_FROM.some(([f]) => f === k)));
  const result = el('div', { class: 'recall-result' });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Buscar afectados');
  const plotField = input({ label: 'Parcela', name: 'plot', options: [['', 'Elija la parcela']], noOpt: true });
  plotField.hidden = true;
  const form = el('form', { class: 'filters', novalidate: true, 'aria-label': 'Origen del retiro' },
    input({ label: 'Origen', name: 'from', options: RECALL_FROM, noOpt: true }),
    input({ label: 'DNI o n.º', name: 'value', maxlength: 12, inputmode: 'numeric', noOpt: true }),
    plotField, el('div', { class: 'actions' }, submit));
  form.elements.from.addEventListener('change', () => { plotField.hidden = true; form.elements.plot.value = ''; });
  const show = (p) => {
    replace(result, el('p', { class: 'muted' }, 'Buscando…'));
    api.get(`/recall${qs(p)}`).then((r) => replace(result, recallResult(r, p)), (err) => replace(result, problem(err, 'No se pudo calcular el retiro.')));
  };
  onSubmit(form, submit, () => recallOrigin(form), (p) => { history.replaceState(null, '', `/trazabilidad/retiro${qs(p)}`); show(p); });
  if (Object.keys(params).length) show(params);
  return el('section', { class: 'recall', 'aria-label': 'Retiro de producto' },
    el('p', { class: 'lead' }, 'Desde un productor, una parcela, una recepción o una guía de ingreso a planta: los lotes de exportación y embarques que contienen algo de ese café y todos los otros productores mezclados con él.'),
    form, result);
}

function recallResult(r, p) {
  const lots = listOf(r.export_lots);
  const ships = listOf(r.shipments);
  const producers = listOf(r.producers);
  const src = (r.source && r.source.document) || {};
  const origin = src.full_name ? `${src.full_name} (DNI ${src.dni})` : src.organic_lot || (src.number_text ? `n.º ${src.number_text}` : src.name || '');
  const others = producers.filter((x) => !x.is_source);
  const lotOf = (x) => x.export_lot || x;
  const greenIn = (x) => listOf(x.export_lots).map((e) => {
    const l = lots.map(lotOf).find((y) => y.id === e.export_lot_id);
    return `${num(e.green_kg)} kg en ${l ? l.organic_lot : `lote ${e.export_lot_id}`}`;
  }).join('; ');
  return el('div', null,
    el('h2', null, 'Resultado del retiro'),
    el('p', { class: 'lead' }, `Origen: ${{ producers: 'productor', plots: 'parcela', receptions: 'recepción', 'plant-receipts': 'guía de ingreso' }[(r.source || {}).kind] || ''} ${origin}`.trim()),
    el('dl', { class: 'figures' }, [['Lotes de exportación', lots.length], ['Embarques', ships.length], ['Otros productores mezclados', others.length],
      ['Guías de remisión', listOf(r.dispatches).length], ['LOP', listOf(r.process_settlements).length]]
      .map(([l, v]) => el('div', null, el('dt', null, l), el('dd', null, String(v))))),
    el('p', { class: 'downloads no-print' }, csvLink(`/recall${qs({ ...p, format: 'csv' })}`, 'retiro.csv', 'Descargar CSV'), printBtn()),
    el('h3', null, 'Lotes de exportación'),
    lots.length ? table([
      { label: 'Lote orgánico', cell: (x) => el('a', { href: `/trazabilidad/export-lots/${lotOf(x).id}` }, lotOf(x).organic_lot) }, { label: 'Marca ICO', cell: (x) => lotOf(x).ico_mark },
      { label: 'Contrato', cell: (x) => lotOf(x).contract }, { label: 'Sacos', class: 'num', cell: (x) => String(lotOf(x).sacks ?? '') },
      { label: 'Kilos del lote', class: 'num', cell: (x) => num(kilosOf(lotOf(x))) },
      { label: 'Pergamino del origen kg', class: 'num', cell: (x) => num(x.source_pergamino_kg) },
      { label: 'Verde del origen kg', class: 'num', cell: (x) => num(x.source_green_kg) }], lots, 'Lotes afectados')
      : el('p', { class: 'empty' }, 'Ningún lote de exportación contiene café de este origen.'),
    el('h3', null, 'Embarques'),
    ships.length ? table([
      { label: 'Embarque', cell: (x) => el('a', { href: `/exportacion/embarque/${x.id}` }, `n.º ${x.number_text}`) }, { label: 'Comprador', cell: (x) => x.buyer_name },
      { label: 'Contenedor', cell: (x) => x.container }, { label: 'BL', cell: (x) => x.bl_number }, { label: 'Fecha', cell: (x) => date(x.shipped_on || x.issued_on) },
      { label: 'Kilos', class: 'num', cell: (x) => num(kilosOf(x)) }], ships, 'Embarques afectados')
      : el('p', { class: 'empty' }, 'Ningún embarque contiene café de este origen.'),
    el('h3', null, 'Productores mezclados'),
    producers.length ? table([
      { label: 'Productor', cell: (x) => el('a', { href: `/trazabilidad/producers/${x.producer.id}` }, x.producer.full_name) },
      { label: 'DNI', cell: (x) => x.producer.dni }, { label: 'Origen', cell: (x) => (x.is_source ? 'Origen del retiro' : 'Mezclado') },
      { label: 'Pergamino en las guías kg', class: 'num', cell: (x) => num(listOf(x.dispatches).reduce((t, d) => t + Number(d.pergamino_kg || 0), 0).toFixed(3)) },
      { label: 'Verde en los lotes', cell: greenIn }],
    producers, 'Productores mezclados') : el('p', { class: 'empty' }, 'Ningún otro productor.'));
}

/** Where a mass-balance line's documents open, by the kind the API gives. */
const DOC_PAGES = {
  receptions: (id) => `/acopio/documentos/recepcion/${id}`, dispatches: (id) => `/planta/doc/remision/${id}`,
  'plant-receipts': (id) => `/planta/doc/ingreso/${id}`, 'process-settlements': (id) => `/planta/doc/lop/${id}`,
  'export-lots': (id) => `/exportacion/lote/${id}`, shipments: (id) => `/exportacion/embarque/${id}`,
};
const DOC_LINKS_MAX = 12;
function docLinks(x) {
  const ids = listOf(x.ids);
  const page = DOC_PAGES[x.kind];
  if (!page || !ids.length) return x.count ? `${x.count} documentos` : '';
  return [ids.slice(0, DOC_LINKS_MAX).map((id, i) => [i ? ' ' : '', el('a', { href: page(id) }, `#${id}`)]),
    ids.length > DOC_LINKS_MAX ? ` y ${ids.length - DOC_LINKS_MAX} más` : ''];
}
const mbRows = (rows, caption) => table([
  { label: 'Concepto', cell: (x) => x.label_es || (OUTPUTS.find((o) => o[0] === x.category) || [])[1] || x.category || x.key },
  { label: 'Kilos', class: 'num', cell: (x) => num(x.kg) },
  { label: 'Documentos', cell: (x) => docLinks(x) }], rows, caption);

function statusBlock(s) {
  const label = s.status_label || statusLabel(s.status);
  const warnings = listOf(s.warnings);
  const moved = [...listOf(s.lines), ...listOf(s.stock), ...listOf(s.shrinkage)].some((x) => Number(x.kg) !== 0);
  if (!moved && !warnings.length) {
    return el('section', { class: 'status-block', dataset: { status: s.status }, 'aria-label': label },
      el('h3', null, label), el('p', { class: 'muted' }, 'Sin movimientos en el período.'));
  }
  const grades = listOf(s.processed_by_grade).filter((g) => Number(g.kg) > 0);
  return el('section', { class: 'status-block', dataset: { status: s.status }, 'aria-label': label },
    el('h3', null, label),
    el('dl', { class: 'figures' }, listOf(s.lines).map((x) => el('div', { dataset: { key: x.key } },
      el('dt', null, x.label_es), el('dd', null, `${num(x.kg)} kg`)))),
    s.consistent === false || warnings.length
      ? el('div', { class: 'alert alert-error' }, el('p', null, 'El balance no cuadra:'), el('ul', null, warnings.map((w) => el('li', null, w.detail_es || w.detail || w.code || String(w)))))
      : el('p', { class: 'alert alert-ok' }, 'El balance cuadra: lo que sale no supera lo que entró.'),
    el('h4', null, 'Movimientos'), mbRows(listOf(s.lines), `Movimientos ${label}`),
    grades.length ? [el('h4', null, 'Procesado por calidad'), mbRows(grades, `Procesado por calidad ${label}`)] : null,
    el('h4', null, 'Existencias al cierre'), mbRows(listOf(s.stock), `Existencias ${label}`),
    el('h4', null, 'Merma'), mbRows(listOf(s.shrinkage), `Merma ${label}`));
}

/** The organizations whose balance the user may ask for (an auditor: the ones that granted access). */
async function balanceOrgs(me) {
  const own = me.user.organization;
  if (own && own.kind !== 'certifier') return [own];
  const r = await api.get('/organizations?limit=200');
  return (r.items || []).filter((o) => o.kind !== 'certifier');
}

/** /trazabilidad/balance: the period and organization pickers and the balance per certification status. */
export function massBalanceView(ctx) {
  const q = new URLSearchParams(location.search);
  const year = today().slice(0, 4);
  const result = el('div', { class: 'mb-result', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Calcular');
  const orgField = input({ label: 'Organización', name: 'organization_id', options: [], noOpt: true });
  const form = el('form', { class: 'period', novalidate: true, 'aria-label': 'Período' },
    orgField,
    input({ label: 'Desde', name: 'from', type: 'date', required: true, value: q.get('from') || `${year}-01-01` }),
    input({ label: 'Hasta', name: 'to', type: 'date', required: true, value: q.get('to') || today() }),
    el('div', { class: 'actions' }, submit));
  balanceOrgs(ctx.me).then((orgs) => {
    const sel = form.elements.organization_id;
    replace(sel, orgs.map((o) => el('option', { value: String(o.id) }, o.name)));
    if (q.get('organization_id')) sel.value = q.get('organization_id');
    orgField.hidden = orgs.length < 2;
  }, () => {});
  const run = (p) => {
    replace(result, el('p', { class: 'muted' }, 'Calculando…'));
    return api.get(`/reports/mass-balance${qs(p)}`).then((r) => {
      replace(result, el('h2', null, `Balance de masa de ${(r.organization || {}).name || ''} del ${date(r.from)} al ${date(r.to)}`),
        el('p', { class: 'downloads no-print' }, csvLink(`/reports/mass-balance${qs({ ...p, format: 'csv' })}`, `balance-de-masa-${p.from}-${p.to}.csv`, 'Descargar CSV'), printBtn()),
        listOf(r.statuses).map(statusBlock));
    }, (err) => replace(result, problem(err, 'No se pudo calcular el balance de masa.')));
  };
  onSubmit(form, submit, async () => {
    const p = { organization_id: val(form, 'organization_id'), from: val(form, 'from'), to: val(form, 'to') };
    if (!p.from || !p.to || p.from > p.to) throw fail('Revise el período.', 'to', 'La fecha final debe ser igual o posterior a la inicial.');
    return p;
  }, (p) => { history.replaceState(null, '', `/trazabilidad/balance${qs(p)}`); run(p); });
  if (q.get('from') && q.get('to')) run({ organization_id: q.get('organization_id') || '', from: q.get('from'), to: q.get('to') });
  return el('section', { class: 'massbal', 'aria-label': 'Balance de masa' },
    el('p', { class: 'lead' }, 'Lo recibido, despachado, recibido en planta, procesado por calidad, exportado, en existencia y la merma, por estatus de certificación: lo orgánico vendido nunca supera lo orgánico comprado.'),
    form, result);
}

/** The registers of the whole chain as CSV (name -> Spanish title). */
const REGISTERS = [['receptions', 'Registro de acopio (recepciones)'], ['warehouse-notes', 'Notas de ingreso'], ['purchase-settlements', 'Registro de ventas (liquidaciones)'],
  ['dispatches', 'Guías de remisión'], ['plant-receipts', 'Registro de recepción en planta'], ['process-settlements', 'Registro de café procesado (LOP)'],
  ['plant-exits', 'Guías de salida de planta'], ['export-lots', 'Lotes de exportación'], ['shipments', 'Registro de exportaciones (embarques)']];

export function registersView() {
  const list = el('ul', { class: 'registers' }, REGISTERS.map(([name, title]) =>
    el('li', null, csvLink(`/reports/registers/${name}.csv`, `registro-${name}.csv`, title))));
  return el('section', { class: 'registers-view', 'aria-label': 'Registros' },
    el('p', { class: 'lead' }, 'Los registros de toda la cadena en CSV (UTF-8, se abren en Excel).'), list);
}

/** /trazabilidad/reporte/{id}: everything about one export lot, printable, and its CSV. */
export function lotReportView(ctx, id) {
  const node = el('div', { class: 'lot-report' }, el('p', { class: 'muted' }, 'Cargando el reporte…'));
  api.get(`/reports/export-lots/${api.seg(id)}`).then((r) => {
    const l = (r.root && r.root.document) || {};
    replace(node, el('h2', null, `Reporte del lote ${l.organic_lot || ''}`),
      el('p', { class: 'lead' }, [l.ico_mark && `Marca ICO ${l.ico_mark}`, l.contract && `contrato ${l.contract}`, l.buyer, l.sacks != null && `${l.sacks} sacos`,
        kilosOf(l) != null && `${num(kilosOf(l))} kg`, l.status && certText(l)].filter(Boolean).join(' · ')),
      el('p', { class: 'downloads no-print' }, csvLink(`/reports/export-lots/${api.seg(id)}?format=csv`, `reporte-lote-${l.organic_lot || id}.csv`, 'Descargar CSV'),
        el('a', { href: `/trazabilidad/export-lots/${id}` }, 'Trazabilidad del lote'), printBtn()),
      chainSteps(r), sharesTable(r), mapSection('export-lots', id));
  }, (err) => replace(node, problem(err.status === 404 ? null : err, 'El lote no existe o no tiene acceso a él.')));
  return node;
}
