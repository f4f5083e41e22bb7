// Print views of the acopio forms, laid out like the guide's paper forms:
// /acopio/imprimir/{recepcion|nota|sticker|liquidacion}/{id} and /acopio/imprimir/lpa/{campaign}.
import * as api from './api.js';
import { el, replace } from './ui.js';
import { num, date, statusLabel, programs } from './fmt.js';
import { docHref, loadAll } from './acopio-util.js';

const box = (checked, label) => el('span', { class: 'opt' }, label ? `${label} ` : null,
  el('span', { class: 'box', role: 'img', 'aria-label': checked ? 'marcado' : 'sin marcar' }, checked ? 'X' : ''));
const line = (label, value, cls) => el('p', { class: `ln${cls ? ` ${cls}` : ''}` }, el('span', { class: 'lb' }, `${label}: `), el('strong', null, value || ''));
const sign = (...items) => el('div', { class: 'signs' }, items.map((it) => {
  const [label, name] = Array.isArray(it) ? it : [it, ''];
  return el('div', { class: 'sign' }, el('span', { class: 'sign-name' }, name || ''), el('span', { class: 'sign-label' }, label));
}));
const kg = (v) => num(v, 2);
const pct = (v) => num(v, 2, true);
const cultivo = (s) => `Café ${statusLabel(s).toLowerCase()}`;

function orgBlock(o, withRuc = true) {
  return el('div', { class: 'p-org' }, el('strong', null, o.name),
    o.address ? el('span', null, o.address) : null,
    o.phone ? el('span', null, `Teléf.: ${o.phone}`) : null,
    withRuc && o.ruc ? el('span', null, `RUC: ${o.ruc}`) : null);
}

/** A sheet: organization header, number box, title, body; the ANULADO mark when annulled. */
function sheet(d, cls, title, numberBox, ...body) {
  return el('article', { class: `sheet ${cls}${d.annulled ? ' annulled' : ''}` },
    d.annulled ? el('div', { class: 'annul-mark', 'aria-hidden': 'true' }, 'ANULADO') : null,
    el('header', { class: 'p-head' }, orgBlock(d.organization, cls !== 'settlement'), el('div', { class: 'p-num' }, numberBox)),
    el('h1', { class: 'p-title' }, title),
    d.annulled ? el('p', { class: 'annul-note' },
      `ANULADO el ${date(String(d.annulled.at).slice(0, 10))} por ${d.annulled.by}. Motivo: ${d.annulled.reason}`) : null,
    body);
}

function analysis(s, first = 'Detalle') {
  const rows = [['Café exportación', s.exportable_g, s.exportable_pct], ['Descarte', s.discard_g, s.discard_pct],
    ['Cáscara', s.husk_g, s.husk_pct]];
  if (first === 'Tipo de café') { rows[0][0] = 'Exportable'; rows[1][0] = 'Segunda y descarte'; }
  return el('table', { class: 'p-table' },
    el('thead', null, el('tr', null, el('th', { scope: 'col' }, first), el('th', { scope: 'col', class: 'n' }, 'Gramos'), el('th', { scope: 'col', class: 'n' }, '%'))),
    el('tbody', null, rows.map(([l, g, p]) => el('tr', null, el('th', { scope: 'row' }, l), el('td', { class: 'n' }, String(g)), el('td', { class: 'n' }, pct(p)))),
      el('tr', { class: 'total' }, el('th', { scope: 'row' }, 'Total'), el('td', { class: 'n' }, String(s.total_g)), el('td', { class: 'n' }, s.total_g ? '100' : '0'))));
}

const kv = (rows) => el('table', { class: 'p-table kv' }, el('tbody', null, rows.map(([l, v]) =>
  el('tr', null, el('th', { scope: 'row' }, l), el('td', { class: 'n' }, v)))));

function reception(r) {
  const p = r.producer;
  return sheet(r, 'ticket a5', 'Control de recepción de materia prima', [`n.º ${r.number_text}`, el('br'), `Fecha: ${date(r.issued_on)}`],
    el('div', { class: 'cols' },
      el('div', null, line('Socio', p.full_name), line('Caserío', p.caserio), line('Fundo', r.plot ? r.plot.name : '')),
      el('div', null, line('Código', p.dni), line('Cultivo', cultivo(r.status)),
        el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Estatus: '), box(r.status === 'organic', 'Orgánico'),
          r.status === 'transition' ? box(true, 'En transición') : null, box(r.status === 'conventional', 'Convencional')))),
    el('div', { class: 'cols' },
      el('section', null, el('h2', null, 'Pesado del café'),
        kv([['Sacos', String(r.sacks)], ['Kilos brutos', kg(r.gross_kg)], ['Tara de saco', kg(r.tare_kg)], ['Kilos netos', kg(r.net_kg)], ['QQ55,2/kg', num(r.qq)]])),
      el('section', null, el('h2', null, 'Análisis físico del café'), analysis(r.sample), line('Humedad (%)', num(r.humidity, 1)))),
    line('Observaciones', r.observations || 'Ninguna'),
    sign(['Responsable de pesado', r.weighed_by]));
}

function note(n) {
  const p = n.producer;
  const r = n.reception;
  return sheet(n, 'note a4', 'Nota de ingreso a almacén de acopio', [`Nota de ingreso n.º ${n.number_text}`, el('br'), `Fecha: ${date(n.issued_on)}`],
    el('div', { class: 'cols' },
      el('div', null, line('Socio', p.full_name), line('Código', p.dni), line('Caserío', p.caserio), line('Fundo', n.plot ? n.plot.name : '')),
      el('div', { class: 'framed' }, el('h2', null, 'Tipo de certificación'),
        el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Orgánico: '), r.status === 'organic' ? el('strong', null, n.certification_program || programs(p.programs)) : box(false)),
        r.status === 'transition' ? line('En transición', 'X') : null,
        el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Convencional: '), box(r.status === 'conventional')),
        line('Certificadora', r.status === 'conventional' ? '' : n.certifier),
        line('Otros', ''))),
    line('Referencia (ticket de recepción MP)', String(r.number)),
    el('div', { class: 'cols' },
      el('div', null, line('Peso total', `${kg(r.gross_kg)} kg`), line('QQ55,2/kg', num(r.qq))),
      el('div', null, line('Sacos', String(r.sacks)), line('Tara', `${kg(r.tare_kg)} kg`), line('Peso neto', `${kg(r.net_kg)} kg`))),
    el('section', null, el('h2', null, 'Resultado de análisis físico de café'), analysis(r.sample, 'Tipo de café')),
    el('div', { class: 'cols' },
      el('div', null, line('Rendimiento', pct(n.yield_pct)), line('Precio QQ/Pergamino S/', num(n.price_per_qq)), line('Humedad (%)', num(r.humidity, 1))),
      el('div', null, line('Total a pagar S/', num(n.total), 'big'))),
    line('Observaciones', n.observations || 'Ninguna'),
    sign(['Firma del socio', ''], 'Responsable de almacén'));
}

function sticker(n, i, count) {
  const p = n.producer;
  const r = n.reception;
  const organic = r.status === 'organic';
  return el('article', { class: `sticker${n.annulled ? ' annulled' : ''}` },
    n.annulled ? el('div', { class: 'annul-mark', 'aria-hidden': 'true' }, 'ANULADO') : null,
    el('div', { class: 's-org' }, orgBlock(n.organization, false), el('span', { class: 's-count' }, `${i + 1}/${count}`)),
    el('h1', { class: 's-title' }, 'Sticker de acopio de café pergamino'),
    el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Socio: '), el('strong', null, p.full_name)),
    el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Código: '), el('strong', null, p.dni), el('span', { class: 'lb gap' }, ' Procedencia: '), el('strong', null, p.caserio || p.district || '')),
    el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Tipo de producto: '), box(organic, 'Orgánico'), r.status === 'transition' ? box(true, 'En transición') : null, box(r.status === 'conventional', 'Convencional')),
    line('Nombre de la certificadora', r.status === 'conventional' ? '' : n.certifier),
    el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Programa de certificación: '), organic ? el('strong', null, `Orgánico ${n.certification_program || programs(p.programs)}`) : null, el('span', { class: 'lb gap' }, ' Otras: '), box(false)),
    line('Ticket de pesado n.º', String(r.number)),
    el('p', { class: 'ln' }, el('span', { class: 'lb' }, 'Sacos n.º: '), el('strong', null, String(r.sacks)), el('span', { class: 'lb gap' }, ' H.º: '), el('strong', null, `${num(r.humidity, 1)} %`)),
    organic ? el('p', { class: 's-rule' }, 'Este producto cumple con el Reglamento Técnico para Productos Orgánicos') : null);
}

function settlement(s) {
  const p = s.producer;
  const th = (t) => el('th', { scope: 'col' }, t);
  const money = (l, v, cls) => el('tr', { class: cls }, el('th', { scope: 'row', colspan: 5 }, l), el('td', { class: 'n' }, v));
  return sheet(s, 'settlement a4', 'Liquidación de compra',
    [`RUC: ${s.organization.ruc || ''}`, el('br'), `Liquidación n.º ${s.number_text}`, el('br'), `Fecha: ${date(s.issued_on)}`],
    el('div', { class: 'cols' },
      el('div', null, line('Socio', p.full_name), line('Dirección', p.address || p.caserio), line('Lugar de venta', s.place_of_sale)),
      el('div', null, line('DNI', p.dni))),
    el('table', { class: 'p-table grid' },
      el('thead', null, el('tr', null, th('Cantidad QQS'), th('Total kg'), th('Calidad de café'), th('Humedad'), th('Precio unitario/qq'), th('Valor de venta S/'))),
      el('tbody', null,
        el('tr', null, el('td', { class: 'n' }, num(s.qq)), el('td', { class: 'n' }, kg(s.net_kg)), el('td', null, s.quality),
          el('td', { class: 'n' }, num(s.humidity, 1)), el('td', { class: 'n' }, num(s.price_per_qq)), el('td', { class: 'n' }, num(s.subtotal))),
        el('tr', null, el('td'), el('td'), el('td', null, `Ref: nota de ingreso ${s.note.number}`), el('td'), el('td'), el('td'))),
      el('tfoot', null,
        money('Subtotal', num(s.subtotal)),
        money(`IGV (${num(s.igv_rate_pct, 2, true)} %)`, num(s.igv)),
        money('TOTAL S/', num(s.total), 'total'))),
    el('p', { class: 'words' }, `Son: ${s.amount_words}`),
    el('div', { class: 'cols' },
      el('div', null, el('p', { class: 'ln' }, box(true, 'Café con liquidación')), el('p', { class: 'ln' }, box(false, 'Café sin liquidación'))),
      el('div', null, line('Rendimiento de café (%)', pct(s.yield_pct)))),
    sign(['Firma de comprador', ''], 'Firma del socio'));
}

function lpa(org, campaign, items) {
  const active = items.filter((x) => !x.withdrawn);
  return el('article', { class: 'sheet lpa a4' },
    el('header', { class: 'p-head' }, org ? orgBlock(org) : el('div'), el('div', { class: 'p-num' }, `Campaña ${campaign}`)),
    el('h1', { class: 'p-title' }, 'Lista de productores aprobados (LPA)'),
    el('table', { class: 'p-table grid' },
      el('thead', null, el('tr', null, ['N.º', 'DNI', 'Productor', 'Caserío', 'Estatus', 'Programas', 'Aprobado el', 'Observación'].map((t) => el('th', { scope: 'col' }, t)))),
      el('tbody', null, items.map((x, i) => el('tr', { class: x.withdrawn ? 'withdrawn' : null },
        el('td', { class: 'n' }, String(i + 1)), el('td', null, x.dni), el('td', null, x.full_name), el('td', null, x.caserio || ''),
        el('td', null, statusLabel(x.status)), el('td', null, programs(x.programs)), el('td', null, date(x.approved_on)),
        el('td', null, x.withdrawn ? `Retirado el ${date(x.withdrawn_on)}: ${x.withdrawn_reason || ''}` : ''))))),
    el('p', null, `Productores aprobados vigentes: ${active.length}.`),
    sign(['Responsable del sistema interno de control', '']));
}

const PRINTERS = {
  recepcion: ['/receptions', (d) => [reception(d)], 'recepcion'],
  nota: ['/warehouse-notes', (d) => [note(d)], 'nota'],
  liquidacion: ['/purchase-settlements', (d) => [settlement(d)], 'liquidacion'],
  sticker: ['/warehouse-notes', null, 'nota'],
};

export function printView(ctx, kind, id) {
  const pages = el('div', { class: 'sheets' }, el('p', { class: 'muted' }, 'Cargando…'));
  const tools = el('div', { class: 'print-tools' });
  const printBtn = el('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print() }, 'Imprimir');
  const back = el('a', { class: 'btn', href: kind === 'lpa' ? '/acopio/lpa' : docHref(PRINTERS[kind] ? PRINTERS[kind][2] : 'recepcion', id) }, 'Volver');
  tools.append(back, printBtn);
  (async () => {
    try {
      if (kind === 'lpa') {
        const items = await loadAll(`/lpa?campaign=${encodeURIComponent(id)}`);
        replace(pages, lpa(ctx.me.user.organization, id, items));
        return;
      }
      const [path, draw] = PRINTERS[kind];
      const d = await api.get(`${path}/${api.seg(id)}`);
      if (kind !== 'sticker') { replace(pages, draw(d)); return; }
      const count = el('input', { type: 'number', id: 'sticker-count', min: 1, max: 500, value: String(d.reception.sacks), inputmode: 'numeric' });
      const drawStickers = () => {
        const n = Math.max(1, Math.min(500, Number(count.value) || 1));
        replace(pages, el('div', { class: 'sheet stickers a4' }, Array.from({ length: n }, (_, i) => sticker(d, i, n))));
      };
      count.addEventListener('input', drawStickers);
      tools.prepend(el('div', { class: 'field inline' }, el('label', { for: 'sticker-count' }, 'Cantidad de stickers (uno por saco)'), count));
      drawStickers();
    } catch (err) {
      replace(pages, el('div', { class: 'alert alert-error', role: 'alert' }, err.status === 404 ? 'El documento no existe o no tiene acceso a él.' : err.detail || 'No se pudo cargar.'));
    }
  })();
  return el('section', { class: 'print-view' }, el('h1', { class: 'sr-only', tabindex: '-1' }, 'Vista de impresión'), tools, pages);
}
