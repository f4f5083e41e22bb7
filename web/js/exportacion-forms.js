// The export issue forms: lote de exportación (from LOP export outputs, one status
// and program set) and embarque (registro de exportaciones: contract, buyer, invoice,
// bill of lading, ports and dates, with the sacks and kilos of each export lot).
import * as api from './api.js';
import { el, replace } from './ui.js';
import { num, date, today, show, mulDiv } from './fmt.js';
import { input, onSubmit, enterAdvances, loadAll, val, fail, problem } from './acopio-util.js';
import { grams, kgShow, dec, SACK_G, QQ_EXPORT_G } from './planta-util.js';
import { num0, kgIn, out, submitBtn, needKg, follow, picker, loading } from './planta-forms.js';
import { CATEGORY, COUNTRIES, certText, certLower, kilosOf } from './exportacion-util.js';

const key = (x) => `${x.status}|${(x.programs || []).join(',')}`;
const why = (x, first) => `No se puede agregar: es café ${certLower(x)} y el lote es ${certLower(first)}.`;
/** A text box for kilos (or sacks) inside a picker row, remembered per item. */
const rowInput = (map, item, value, label, numeric) => {
  const c = el('input', { type: 'text', inputmode: numeric ? 'numeric' : 'decimal', maxlength: 16, value, 'aria-label': label });
  map.set(item, c);
  return c;
};
const plain = (kgText) => num(kgText).replace(/ /g, '');

/** What a source (a LOP export output) still has for export lots. */
export const sourceAvailable = (s) => s.available_kg ?? (s.available && s.available.kilos) ?? s.kilos;
const lop = (s) => s.process_settlement || { id: s.process_settlement_id, number_text: s.number_text, issued_on: s.issued_on, contract: s.contract };

/** Lote de exportación: the exporter picks LOP export outputs with kilos still free. */
export function lotForm(ctx, onIssued) {
  const node = el('div', { class: 'builder' }, loading('Cargando las salidas de exportación de las LOP…'));
  api.get('/export-lots/available-sources').then((r) => {
    const items = (Array.isArray(r) ? r : r.items || []).filter((s) => grams(sourceAvailable(s)) > 0n);
    replace(node, build(items));
  }).catch((err) => replace(node, problem(err, 'No se pudieron cargar las LOP con café de exportación.')));

  function build(items) {
    const send = api.submission();
    const kilos = new Map();
    const [oKg, cKg] = out('Kilos del lote');
    const [oSacks, cSacks] = out('Sacos posibles');
    const [oQq, cQq] = out('QQ (46 kg)');
    const pick = picker({
      name: 'fuente', items, key, why, caption: 'Café de exportación de las LOP',
      empty: 'No hay LOP con café de exportación libre. El café de una LOP se puede tomar hasta lo que produjo en exportación y exportación MC.',
      label: (s) => `LOP ${lop(s).number_text} · ${CATEGORY[s.category] || s.category}`,
      columns: [
        { label: 'Fecha', cell: (s) => date(lop(s).issued_on), class: 'nowrap' },
        { label: 'Planta', cell: (s) => (s.plant || {}).name },
        { label: 'Contrato', cell: (s) => s.contract },
        { label: 'Lote orgánico', cell: (s) => (s.marking_order || {}).organic_lot },
        { label: 'Certificación', cell: (s) => certText(s) },
        { label: 'Libre kg', cell: (s) => num(sourceAvailable(s)), class: 'num' },
        { label: 'Kilos al lote', cell: (s) => rowInput(kilos, s, plain(sourceAvailable(s)), `Kilos al lote de la LOP ${lop(s).number_text} ${CATEGORY[s.category] || ''}`) },
      ],
      onChange: () => update(),
    });
    const form = el('form', { class: 'issue-form export-lot-form', novalidate: true, 'aria-labelledby': 'el-title' },
      el('h2', { id: 'el-title' }, 'Nuevo lote de exportación'),
      el('p', { class: 'rule' }, 'Un lote de exportación lleva café de un solo estatus y programa, tomado de las salidas de exportación de una o más LOP; nunca más de lo que queda libre en cada una.'),
      pick.node,
      el('div', { class: 'computed', 'aria-live': 'polite' }, cKg, cSacks, cQq),
      el('div', { class: 'grid3' },
        input({ label: 'Fecha', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Lote orgánico', name: 'organic_lot', required: true, maxlength: 40, hint: 'Número del lote asignado por exportaciones, por ejemplo 004-17.' }),
        input({ label: 'Contrato', name: 'contract', maxlength: 40 }),
        input({ label: 'Comprador', name: 'buyer', maxlength: 200 }),
        input({ label: 'Preparación', name: 'preparation', maxlength: 200, value: 'Preparación a 10 defectos' }),
        num0({ label: 'Defectos', name: 'defects', maxlength: 4 }),
        kgIn({ label: 'Puntaje en taza (SCAA)', name: 'cup_score', maxlength: 6 }),
        kgIn({ label: 'Neto por saco kg', name: 'net_per_sack_kg', required: true, value: '69' }),
        num0({ label: 'Sacos', name: 'sacks', required: true }),
        input({ label: 'Marca ICO', name: 'ico_mark', maxlength: 24, hint: 'Déjela vacía: se asigna la siguiente del exportador (30/código/correlativo).' }),
        input({ label: 'Marcas de los sacos', name: 'marks', tag: 'textarea', rows: 3, maxlength: 500, wide: true, hint: 'Lo que se imprime en cada saco: marca ICO, lote, contrato, destino.' })),
      el('div', { class: 'actions' }, submitBtn('Emitir lote de exportación')));
    const els = form.elements;
    const setSacks = follow(els.sacks);
    /*
     * The first source's LOP fills contract, preparation and net per sack until the user
     * types; its marking order's lot and ICO mark are only shown (another lot may hold them).
     */
    const fill = ['contract', 'preparation', 'net_per_sack_kg'].map((n) => [n, follow(els[n])]);
    const fromSource = (x) => {
      const m = x.marking_order || {};
      return { contract: x.contract, preparation: x.characteristics, net_per_sack_kg: m.net_per_sack_kg && num(m.net_per_sack_kg, 2, true).replace(/ /g, '') };
    };
    function update() {
      const list = pick.picked();
      const first = list.length ? fromSource(list[0]) : {};
      for (const [n, set] of fill) if (first[n] || n === 'contract') set(first[n] || '');
      const total = list.reduce((s, x) => s + (grams(kilos.get(x).value) || 0n), 0n);
      const perSack = grams(val(form, 'net_per_sack_kg')) || SACK_G;
      const sacks = total / perSack;
      oKg.value = kgShow(total);
      oSacks.value = `${sacks}${total % perSack ? ` + ${kgShow(total % perSack)} kg` : ''}`;
      oQq.value = show(mulDiv(total, 100n, QQ_EXPORT_G), 2);
      setSacks(list.length ? String(sacks) : '');
    }
    form.addEventListener('input', update);
    pick.refresh();
    enterAdvances(form);
    const opt = (n) => dec(val(form, n)) || undefined;
    onSubmit(form, form.querySelector('[type=submit]'), () => {
      const list = pick.picked();
      if (!list.length) throw fail('Elija el café de exportación de las LOP.', null, 'Elija al menos una salida de exportación.');
      const bad = list.find((s) => !grams(kilos.get(s).value));
      if (bad) throw fail(`Revise los kilos de la LOP ${lop(bad).number_text}.`, null, 'Kilos mayores que cero, con hasta 3 decimales.');
      if (!val(form, 'organic_lot')) throw fail('Indique el lote orgánico.', 'organic_lot', 'Escriba el número del lote, por ejemplo 004-17.');
      needKg(form, 'net_per_sack_kg', 'Neto por saco');
      return send('/export-lots', {
        issued_on: val(form, 'issued_on'), organic_lot: val(form, 'organic_lot'), contract: val(form, 'contract'), buyer: val(form, 'buyer'),
        preparation: val(form, 'preparation'), defects: val(form, 'defects') ? Number(val(form, 'defects')) : undefined, cup_score: opt('cup_score'),
        marks: val(form, 'marks'), net_per_sack_kg: dec(val(form, 'net_per_sack_kg')), sacks: Number(val(form, 'sacks')),
        ico_mark: val(form, 'ico_mark') || undefined,
        sources: list.map((s) => ({ process_settlement_id: lop(s).id, category: s.category, kilos: dec(kilos.get(s).value) })),
      });
    }, onIssued);
    return form;
  }
  return node;
}

/** What an export lot still has for shipments: {sacks, kilos}. */
export function lotAvailable(l) {
  if (l.available) return { sacks: l.available.sacks, kilos: kilosOf(l.available) };
  const shipped = l.shipped || { sacks: 0, kilos: '0' };
  return { sacks: l.sacks - shipped.sacks, kilos: kgShow(grams(kilosOf(l)) - grams(kilosOf(shipped))).replace(/ /g, '').replace(',', '.') };
}

/** Embarque: export lots of one status with sacks and kilos, and the invoice, BL, vessel and ports. */
export function shipmentForm(ctx, onIssued) {
  const node = el('div', { class: 'builder' }, loading('Cargando los lotes de exportación…'));
  loadAll('/export-lots?annulled=0').then((all) => {
    replace(node, build(all.filter((l) => !l.annulled && lotAvailable(l).sacks > 0)));
  }).catch((err) => replace(node, problem(err, 'No se pudieron cargar los lotes de exportación.')));

  function build(items) {
    const send = api.submission();
    const sacks = new Map();
    const kilos = new Map();
    const [oSacks, cSacks] = out('Sacos embarcados');
    const [oKg, cKg] = out('Kilos netos');
    const pick = picker({
      name: 'lote', items, key, why, caption: 'Lotes de exportación por embarcar',
      empty: 'No hay lotes de exportación con sacos por embarcar.',
      label: (l) => `Lote ${l.organic_lot}`,
      columns: [
        { label: 'Marca ICO', cell: (l) => l.ico_mark },
        { label: 'Contrato', cell: (l) => l.contract },
        { label: 'Por embarcar', cell: (l) => `${lotAvailable(l).sacks} sacos · ${num(lotAvailable(l).kilos)} kg`, class: 'num' },
        { label: 'Sacos', cell: (l) => rowInput(sacks, l, String(lotAvailable(l).sacks), `Sacos del lote ${l.organic_lot}`, true) },
        { label: 'Kilos', cell: (l) => rowInput(kilos, l, plain(lotAvailable(l).kilos), `Kilos del lote ${l.organic_lot}`) },
      ],
      onChange: () => update(),
    });
    const country = el('datalist', { id: 'buyer-countries' }, COUNTRIES.map(([c, n]) => el('option', { value: c }, n)));
    const form = el('form', { class: 'issue-form shipment-form', novalidate: true, 'aria-labelledby': 'sh-title' },
      el('h2', { id: 'sh-title' }, 'Nuevo embarque (registro de exportaciones)'),
      el('p', { class: 'rule' }, 'Para el certificado de transacción, la factura y el conocimiento de embarque (BL) deben llevar el número de lote orgánico. Un embarque nunca lleva más sacos ni kilos que los que quedan en cada lote.'),
      pick.node,
      el('div', { class: 'computed', 'aria-live': 'polite' }, cSacks, cKg),
      el('fieldset', { class: 'block' }, el('legend', null, 'Contrato y comprador'), el('div', { class: 'grid3' },
        input({ label: 'Fecha de registro', name: 'issued_on', type: 'date', required: true, value: today() }),
        input({ label: 'Contrato n.º', name: 'contract', maxlength: 40 }),
        input({ label: 'Comprador', name: 'buyer_name', required: true, maxlength: 200 }),
        input({ label: 'País del comprador', name: 'buyer_country', maxlength: 2, hint: 'Código de dos letras: DE, US, BE…' }),
        input({ label: 'Calidad embarcada', name: 'quality', maxlength: 200 }))),
      el('fieldset', { class: 'block' }, el('legend', null, 'Factura y conocimiento de embarque'), el('div', { class: 'grid3' },
        input({ label: 'Factura comercial n.º', name: 'invoice_number', maxlength: 40 }),
        input({ label: 'Lote orgánico en la factura', name: 'invoice_lot_ref', maxlength: 120, hint: 'Tal como lo imprime la factura.' }),
        input({ label: 'BL n.º', name: 'bl_number', maxlength: 40 }),
        input({ label: 'Lote orgánico en el BL', name: 'bl_lot_ref', maxlength: 120, hint: 'Tal como lo imprime el BL.' }))),
      el('fieldset', { class: 'block' }, el('legend', null, 'Transporte'), el('div', { class: 'grid3' },
        input({ label: 'Nave', name: 'vessel', maxlength: 80 }),
        input({ label: 'Booking', name: 'booking', maxlength: 40 }),
        input({ label: 'Contenedor n.º', name: 'container', maxlength: 20 }),
        input({ label: 'Precinto', name: 'seal', maxlength: 40 }),
        input({ label: 'Puerto de embarque', name: 'port_loading', maxlength: 80, value: 'Paita, Perú' }),
        input({ label: 'Puerto de destino', name: 'port_destination', maxlength: 80 }),
        input({ label: 'Fecha de embarque', name: 'shipped_on', type: 'date' }),
        kgIn({ label: 'Peso bruto kg', name: 'gross_kg' }),
        input({ label: 'Observaciones', name: 'observations', maxlength: 500 }))),
      country,
      el('div', { class: 'actions' }, submitBtn('Registrar embarque')));
    form.elements.buyer_country.setAttribute('list', 'buyer-countries');
    const setContract = follow(form.elements.contract);
    const setRef = [follow(form.elements.invoice_lot_ref), follow(form.elements.bl_lot_ref)];
    function update() {
      const list = pick.picked();
      oSacks.value = String(list.reduce((s, l) => s + (Number(sacks.get(l).value) || 0), 0));
      oKg.value = kgShow(list.reduce((s, l) => s + (grams(kilos.get(l).value) || 0n), 0n));
      setContract(list.length ? list[0].contract || '' : '');
      for (const f of setRef) f(list.map((l) => l.organic_lot).join(' / '));
    }
    form.addEventListener('input', update);
    pick.refresh();
    enterAdvances(form);
    onSubmit(form, form.querySelector('[type=submit]'), () => {
      const list = pick.picked();
      if (!list.length) throw fail('Elija los lotes de exportación del embarque.', null, 'Elija al menos un lote.');
      const bad = list.find((l) => !/^\d+$/.test(sacks.get(l).value.trim()) || !grams(kilos.get(l).value));
      if (bad) throw fail(`Revise los sacos y kilos del lote ${bad.organic_lot}.`, null, 'Sacos enteros y kilos mayores que cero.');
      if (!val(form, 'buyer_name')) throw fail('Indique el comprador.', 'buyer_name', 'Escriba el nombre del comprador.');
      const g = val(form, 'gross_kg');
      if (g) needKg(form, 'gross_kg', 'Peso bruto');
      const v = (n) => val(form, n);
      return send('/shipments', {
        issued_on: v('issued_on'), contract: v('contract'), buyer_name: v('buyer_name'), buyer_country: v('buyer_country').toUpperCase(),
        invoice_number: v('invoice_number'), invoice_lot_ref: v('invoice_lot_ref'), bl_number: v('bl_number'), bl_lot_ref: v('bl_lot_ref'),
        vessel: v('vessel'), booking: v('booking'), container: v('container'), seal: v('seal'), port_loading: v('port_loading'),
        port_destination: v('port_destination'), shipped_on: v('shipped_on') || undefined, quality: v('quality'),
        gross_kg: g ? dec(g) : undefined, observations: v('observations'),
        lots: list.map((l) => ({ export_lot_id: l.id, sacks: Number(sacks.get(l).value), kilos: dec(kilos.get(l).value) })),
      });
    }, onIssued);
    return form;
  }
  return node;
}
