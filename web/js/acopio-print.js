// Print views of the acopio forms, laid out like the guide's paper forms:
// /acopio/imprimir/{recepcion|nota|sticker|liquidacion}/{id} and /acopio/imprimir/lpa/{campaign}.
import * as api from './api.js';
import { el, replace } from './ui.js';
import { num, date, statusLabel, programs } from './fmt.js';
import { docHref, loadAll, problem } from './acopio-util.js';
import {
  box, line, pairs, statusBoxes, sign, signs, cols, td, th, kg, pct, orgBlock, annulMark, sheet,
} from './print-kit.js';

const STICKERS_PER_PAGE = 8; // 2 × 4 on A4

function analysis(s, first, names) {
  const rows = [[names[0], s.exportable_g, s.exportable_pct], [names[1], s.discard_g, s.discard_pct], ['Cáscara', s.husk_g, s.husk_pct]];
  return el('table', { class: 'p-table' },
    el('thead', null, el('tr', null, th(first), el('th', { scope: 'col', class: 'n' }, 'Gramos'), el('th', { scope: 'col', class: 'n' }, '%'))),
    el('tbody', null, rows.map(([l, g, p]) => el('tr', null, th(l, 'row'), td(String(g), 1), td(pct(p), 1))),
      el('tr', { class: 'total' }, th('Total', 'row'), td(String(s.total_g), 1), td(s.total_g ? '100' : '0', 1))));
}

function reception(r) {
  const p = r.producer;
  return sheet(r, 'a5 ticket', 'Control de recepción de materia prima', [`n.º ${r.number_text}`, `Fecha: ${date(r.issued_on)}`],
    cols([line('Socio', p.full_name), line('Caserío', p.caserio), line('Fundo', r.plot && r.plot.name)],
      [line('Código', p.dni), line('Cultivo', `Café ${statusLabel(r.status).toLowerCase()}`), line('Estatus', ...statusBoxes(r.status))]),
    cols(el('section', null, el('h2', null, 'Pesado del café'), el('table', { class: 'p-table kv' }, el('tbody', null,
      [['Sacos', String(r.sacks)], ['Kilos brutos', kg(r.gross_kg)], ['Tara de saco', kg(r.tare_kg)], ['Kilos netos', kg(r.net_kg)], ['QQ55,2/kg', num(r.qq)]]
        .map(([l, v]) => el('tr', null, th(l, 'row'), td(v, 1)))))),
    el('section', null, el('h2', null, 'Análisis físico del café'), analysis(r.sample, 'Detalle', ['Café exportación', 'Descarte']),
      line('Humedad (%)', num(r.humidity, 1)))),
    line('Observaciones', r.observations || 'Ninguna'),
    signs(sign('Responsable de pesado', r.weighed_by)));
}

function note(n) {
  const p = n.producer;
  const r = n.reception;
  const st = r.status;
  return sheet(n, 'a4 note', 'Nota de ingreso a almacén de acopio', [`Nota de ingreso n.º ${n.number_text}`, `Fecha: ${date(n.issued_on)}`],
    cols([line('Socio', p.full_name), line('Código', p.dni), line('Caserío', p.caserio), line('Fundo', n.plot && n.plot.name)],
      el('div', { class: 'framed' }, el('h2', null, 'Tipo de certificación'),
        line('Orgánico', st === 'organic' ? n.certification_program || programs(p.programs) : box(false)),
        st === 'transition' && line('En transición', box(true)),
        line('Convencional', box(st === 'conventional')),
        line('Certificadora', st === 'conventional' ? '' : n.certifier), line('Otros', ''))),
    line('Referencia (ticket de recepción MP)', r.number),
    cols([line('Peso total', `${kg(r.gross_kg)} kg`), line('QQ55,2/kg', num(r.qq))],
      [line('Sacos', r.sacks), line('Tara', `${kg(r.tare_kg)} kg`), line('Peso neto', `${kg(r.net_kg)} kg`)]),
    el('section', null, el('h2', null, 'Resultado de análisis físico de café'), analysis(r.sample, 'Tipo de café', ['Exportable', 'Segunda y descarte'])),
    cols([line('Rendimiento', pct(n.yield_pct)), line('Precio QQ/Pergamino S/', num(n.price_per_qq)), line('Humedad (%)', num(r.humidity, 1))],
      [el('p', { class: 'pay' }, `Total a pagar S/: ${num(n.total)}`)]),
    line('Observaciones', n.observations || 'Ninguna'),
    signs(sign('Firma del socio'), sign('Responsable de almacén')));
}

function sticker(n, i, count) {
  const p = n.producer;
  const r = n.reception;
  const o = n.organization;
  const organic = r.status === 'organic';
  return el('article', { class: 'sticker' }, annulMark(n),
    el('div', { class: 's-org' }, el('div', null, el('strong', null, o.name), el('br'),
      [o.address, o.phone && `Teléf.: ${o.phone}`].filter(Boolean).join(' · ')), el('span', { class: 's-count' }, `${i + 1}/${count}`)),
    el('h1', { class: 's-title' }, 'Sticker de acopio de café pergamino'),
    line('Socio', p.full_name),
    pairs(['Código', p.dni], ['Procedencia', p.caserio || p.district]),
    line('Tipo de producto', ...statusBoxes(r.status)),
    line('Nombre de la certificadora', organic ? n.certifier : ''),
    pairs(['Programa de certificación', organic ? `Orgánico ${n.certification_program || programs(p.programs)}` : ''], ['Otras', box(false)]),
    line('Ticket de pesado n.º', r.number),
    pairs(['Sacos n.º', r.sacks], ['H.º', `${num(r.humidity, 1)} %`]),
    organic && el('p', { class: 's-rule' }, 'Este producto cumple con el Reglamento Técnico para Productos Orgánicos'));
}

function settlement(s) {
  const p = s.producer;
  const money = (l, v, cls) => el('tr', { class: cls }, el('th', { scope: 'row', colspan: 5 }, l), td(v, 1));
  return sheet(s, 'a4 settlement', 'Liquidación de compra', [`RUC: ${s.organization.ruc}`, `Liquidación n.º ${s.number_text}`, `Fecha: ${date(s.issued_on)}`],
    cols([line('Socio', p.full_name), line('Dirección', p.address || [p.caserio && `Caserío ${p.caserio}`, p.district].filter(Boolean).join(' - ')),
      line('Lugar de venta', s.place_of_sale)], [line('DNI', p.dni)]),
    el('table', { class: 'p-table grid' },
      el('thead', null, el('tr', null, ['Cantidad QQS', 'Total kg', 'Calidad de café', 'Humedad', 'Precio unitario/qq', 'Valor de venta S/'].map((t) => th(t)))),
      el('tbody', null,
        el('tr', null, td(num(s.qq), 1), td(kg(s.net_kg), 1), td(s.quality), td(num(s.humidity, 1), 1), td(num(s.price_per_qq), 1), td(num(s.subtotal), 1)),
        el('tr', null, td(), td(), td(`Ref: nota de ingreso ${s.note.number}`), td(), td(), td())),
      el('tfoot', null, money('Subtotal', num(s.subtotal)), money(`IGV (${pct(s.igv_rate_pct)} %)`, num(s.igv)), money('TOTAL S/', num(s.total), 'total'))),
    el('p', { class: 'words' }, `Son: ${s.amount_words}`),
    cols([el('p', { class: 'ln' }, box(true, 'Café con liquidación')), el('p', { class: 'ln' }, box(false, 'Café sin liquidación'))],
      [line('Rendimiento de café (%)', pct(s.yield_pct))]),
    signs(sign('Firma de comprador'), sign('Firma del socio')));
}

function lpa(org, campaign, items) {
  return el('article', { class: 'sheet a4 lpa' },
    el('header', { class: 'p-head' }, orgBlock(org), el('div', { class: 'p-num' }, `Campaña ${campaign}`)),
    el('h1', { class: 'p-title' }, 'Lista de productores aprobados (LPA)'),
    el('table', { class: 'p-table grid' },
      el('thead', null, el('tr', null, ['N.º', 'DNI', 'Productor', 'Caserío', 'Estatus', 'Programas', 'Aprobado el', 'Observación'].map((t) => th(t)))),
      el('tbody', null, items.map((x, i) => el('tr', { class: x.withdrawn ? 'withdrawn' : null },
        td(String(i + 1), 1), td(x.dni), td(x.full_name), td(x.caserio), td(statusLabel(x.status)), td(programs(x.programs)), td(date(x.approved_on)),
        td(x.withdrawn ? `Retirado el ${date(x.withdrawn_on)}: ${x.withdrawn_reason}` : ''))))),
    el('p', null, `Productores aprobados vigentes: ${items.filter((x) => !x.withdrawn).length}.`),
    signs(sign('Responsable del sistema interno de control')));
}

/** One sheet per organization of the list (an auditor may see several). */
async function lpaSheets(me, campaign) {
  const items = await loadAll(`/lpa?campaign=${encodeURIComponent(campaign)}`);
  const own = me.user.organization || {};
  const byOrg = new Map([[own.id, []]]);
  for (const x of items) byOrg.set(x.organization_id, [...(byOrg.get(x.organization_id) || []), x]);
  if (items.length && !items.some((x) => x.organization_id === own.id)) byOrg.delete(own.id);
  return Promise.all([...byOrg].map(async ([id, list]) =>
    lpa(id === own.id ? own : await api.get(`/organizations/${api.seg(id)}`).catch(() => ({ name: '' })), campaign, list)));
}

const PRINTERS = { recepcion: ['recepcion', reception], nota: ['nota', note], liquidacion: ['liquidacion', settlement], sticker: ['nota', null] };
const PATHS = { recepcion: '/receptions', nota: '/warehouse-notes', liquidacion: '/purchase-settlements' };

export function printView(ctx, kind, id) {
  const pages = el('div', { class: 'sheets' }, el('p', { class: 'muted' }, 'Cargando…'));
  const tools = el('div', { class: 'print-tools' },
    el('a', { class: 'btn', href: kind === 'lpa' ? `/acopio/lpa?campana=${id}` : docHref(PRINTERS[kind][0], id) }, 'Volver'),
    el('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, 'Imprimir'));
  (async () => {
    try {
      if (kind === 'lpa') { replace(pages, await lpaSheets(ctx.me, id)); return; }
      const [docKind, draw] = PRINTERS[kind];
      const d = await api.get(`${PATHS[docKind]}/${api.seg(id)}`);
      if (draw) { replace(pages, draw(d)); return; }
      const count = el('input', { type: 'number', id: 'sticker-count', min: 1, max: 500, value: String(d.reception.sacks) });
      const drawStickers = () => {
        const n = Math.max(1, Math.min(500, Number(count.value) || 1));
        const all = Array.from({ length: n }, (_, i) => sticker(d, i, n));
        const sheets = [];
        for (let i = 0; i < n; i += STICKERS_PER_PAGE) sheets.push(el('div', { class: 'sheet a4 stickers' }, all.slice(i, i + STICKERS_PER_PAGE)));
        replace(pages, sheets);
      };
      count.addEventListener('input', drawStickers);
      tools.prepend(el('div', { class: 'field' }, el('label', { for: 'sticker-count' }, 'Cantidad de stickers (uno por saco)'), count));
      drawStickers();
    } catch (err) {
      replace(pages, problem(err.status === 404 ? null : err, 'El documento no existe o no tiene acceso a él.'));
    }
  })();
  return el('section', { class: 'print-view' }, el('h1', { class: 'sr-only', tabindex: '-1' }, 'Vista de impresión'), tools, pages);
}
