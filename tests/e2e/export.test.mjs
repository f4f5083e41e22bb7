// Browser tests of the export and trace screens against the real server started with
// --demo (the guide's story to export lot 004-17, ICO 30/861/1544, and its shipment):
// an inspector traces lot 004-17 to Juan Pérez Vargas (08754611) and back, sees the plots
// on the map, the recall and the mass balance; the exporter issues a second lot and a
// shipment whose CoT request flags the missing organic lot on the BL; print views.
// Run: cd tests/e2e && PERGAMINO_BIN=/work/main/build/pergamino node --test --test-concurrency=1 export.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(HERE, 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

let server;
let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function open(t, viewport = DESKTOP) {
  const context = await browser.newContext({ baseURL: server.baseURL, viewport, locale: 'es-PE', timezoneId: 'America/Lima' });
  context.setDefaultTimeout(10000);
  const problems = [];
  context.on('page', (page) => {
    page.on('pageerror', (e) => problems.push(`error de script: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`consola: ${m.text()}`);
    });
  });
  const page = await context.newPage();
  t.after(async () => {
    await context.close();
    assert.deepEqual(problems, [], 'la página no debe tener errores de script ni violaciones de CSP');
  });
  return page;
}

async function loginAs(page, username) {
  const a = server.account(username);
  await page.goto('/login');
  await page.getByLabel('Usuario', { exact: true }).fill(a.username);
  await page.getByLabel('Contraseña', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('button', { name: 'Salir' }).waitFor();
}

const text = (loc) => loc.innerText().then((s) => s.replace(/\s+/g, ' ').trim());
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The row of a data table whose text contains `needle`, as text. */
const row = (scope, needle) => text(scope.locator('tr', { hasText: needle }).first());

test('el inspector abre la trazabilidad del lote 004-17, llega a Juan Pérez Vargas y vuelve al lote', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  await page.goto('/exportacion/lotes');
  await page.getByRole('link', { name: '1', exact: true }).click();
  await page.getByRole('link', { name: 'Trazabilidad del lote' }).click();
  await page.waitForURL(/\/trazabilidad\/export-lots\/1$/);

  // The chain from the farms to the ship, every step with its documents.
  const steps = page.locator('.chain-steps');
  await steps.waitFor();
  const step = (k) => text(steps.locator(`li[data-step="${k}"] h3`));
  assert.equal(await step('producers'), 'Productores (15)');
  assert.equal(await step('receptions'), 'Recepciones (ticket de pesado) (15)');
  assert.equal(await step('notes'), 'Notas de ingreso a almacén (15)');
  assert.equal(await step('settlements'), 'Liquidaciones de compra (15)');
  assert.match(await text(steps.locator('li[data-step="dispatches"]')), /n\.º 5469 · 23\/06\/2017 · 300 sacos · 23 400,00 kg/);
  assert.match(await text(steps.locator('li[data-step="plant_receipts"]')), /n\.º 3052 · 24\/06\/2017 · 300 sacos · 23 400,00 kg/);
  assert.match(await text(steps.locator('li[data-step="process_settlements"]')), /n\.º 1204 · 25\/06\/2017/);
  assert.match(await text(steps.locator('li[data-step="plant_exits"]')), /n\.º 4512 · 30\/06\/2017 · 250 sacos · 17 250,00 kg/);
  assert.match(await text(steps.locator('li[data-step="export_lots"]')), /004-17 · ICO 30\/861\/1544 · 26\/06\/2017 · 250 sacos · 17 250,00 kg/);
  assert.match(await text(steps.locator('li[data-step="shipments"]')), /BL HLCUPAI170712345/);
  // Each step links to its printed form.
  assert.equal(await steps.getByRole('link', { name: /^n\.º 8727 / }).getAttribute('href'), '/acopio/imprimir/recepcion/1');
  assert.equal(await steps.getByRole('link', { name: /^n\.º 1204 / }).getAttribute('href'), '/planta/imprimir/lop/1');

  // Shares: delivered, pergamino in the lot and its green equivalent (the LOP's 17 250 kg).
  const shares = page.locator('section.shares');
  assert.equal(await shares.locator('tbody tr').count(), 15);
  assert.equal(await row(shares, '08754611'), 'Juan Pérez Vargas 08754611 1 472,60 444,56 348,12 2,02 %');
  assert.match(await text(shares.locator('.shares-total')), /15 productores, 15 entregas, 23 417,95 kg entregados, 22 028,56 kg de pergamino en el lote, 17 250,00 kg de café verde/);

  // The plots on the map (no tiles), or listed as blocking.
  const map = page.locator('.plot-map');
  await map.waitFor();
  await page.locator('.plot-map[data-ready="1"], .eudr .map-status.alert').first().waitFor();
  const points = await page.locator('.plot-map path.plot-point').count();
  const blocking = await page.locator('.eudr .blocking li').count();
  assert.equal(points + blocking, 15, `15 parcelas: ${points} en el mapa y ${blocking} bloqueantes`);
  assert.ok(await page.locator('.grid-label').count() >= 4, 'la cuadrícula de longitud y latitud tiene etiquetas');
  assert.equal(await page.locator('.leaflet-tile').count(), 0, 'sin teselas de internet');
  await page.locator('.plot-map path.plot-point').first().click({ force: true });
  assert.match(await text(page.locator('.leaflet-popup-content')), /Parcela: /);
  assert.equal(await page.getByRole('link', { name: 'Descargar GeoJSON (EUDR)' }).getAttribute('href'), '/api/v1/trace/export-lots/1/geojson');
  await shot(page, 'traza-lote-004-17');

  // Juan Pérez Vargas' coffee, forward: it ends in lot 004-17.
  await shares.getByRole('link', { name: 'Juan Pérez Vargas' }).click();
  await page.waitForURL(/\/trazabilidad\/producers\/\d+$/);
  await page.locator('.ends-in').waitFor();
  assert.match(await text(page.locator('.lead')), /DNI 08754611 · La Palma/);
  assert.match(await text(page.locator('.ends-in')), /Su café terminó en: lote 004-17 \(ICO 30\/861\/1544\)/);
  const delivery = await row(page.locator('section.campaign'), '8727');
  assert.equal(delivery, '8727 10/06/2017 472,60 10685 34795 5469 3052 1204 004-17 n.º 1 348,12');
  await shot(page, 'traza-productor-08754611');
  // And back to the lot.
  await page.locator('.ends-in').getByRole('link', { name: /lote 004-17/ }).click();
  await page.waitForURL(/\/trazabilidad\/export-lots\/\d+$/);
  assert.equal(await text(page.locator('li[data-step="producers"] h3')), 'Productores (15)');
});

test('retiro desde Juan Pérez Vargas: el lote, el embarque y los 14 productores mezclados', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  await page.goto('/trazabilidad/retiro');
  await page.getByLabel('DNI o n.º', { exact: true }).fill('08754611');
  await page.getByRole('button', { name: 'Buscar afectados' }).click();
  const res = page.locator('.recall-result');
  await res.locator('table').first().waitFor();
  assert.match(await text(res.locator('.figures')), /Lotes de exportación 1 Embarques 1 Otros productores mezclados 14/);
  assert.match(await row(res, '30/861/1544'), /004-17 30\/861\/1544 P17446 250 17 250,00 444,56 348,12/);
  assert.match(await row(res, 'Pedro Suárez'), /Pedro Suárez 41235871 Mezclado 2 000,00 1 473,23 kg en 004-17/);
  assert.match(await res.getByRole('link', { name: 'Descargar CSV' }).getAttribute('href'), /\/api\/v1\/recall\?producer_id=1&format=csv/);
  await shot(page, 'traza-retiro');
});

test('balance de masa 2017 de la asociación: cifras por estatus', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  await page.goto('/trazabilidad/balance');
  await page.getByLabel('Organización', { exact: true }).selectOption({ label: 'Asociación San Ignacio-Tabaconas' });
  await page.getByLabel('Desde', { exact: true }).fill('2017-01-01');
  await page.getByLabel('Hasta', { exact: true }).fill('2017-12-31');
  await page.getByRole('button', { name: 'Calcular' }).click();
  const organic = page.locator('.status-block[data-status="organic"]');
  await organic.waitFor();
  const fig = (key) => text(organic.locator(`.figures [data-key="${key}"] dd`));
  assert.equal(await fig('received'), '23 417,95 kg');
  assert.equal(await fig('plant_received'), '23 400,00 kg');
  assert.equal(await fig('shipped'), '17 250,00 kg');
  assert.match(await row(organic, 'Café exportación MC'), /Café exportación MC 1 088,00/);
  assert.match(await row(organic, 'Merma de transporte'), /Merma de transporte 17,95/);
  assert.match(await text(organic), /El balance cuadra/);
  assert.match(await page.getByRole('link', { name: 'Descargar CSV' }).getAttribute('href'), /mass-balance\?organization_id=1&from=2017-01-01&to=2017-12-31&format=csv/);
  await shot(page, 'traza-balance-2017');
});

test('el auditor ve exportación y trazabilidad sin controles de escritura', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  for (const tab of ['lotes', 'embarques']) {
    await page.goto(`/exportacion/${tab}`);
    await page.locator('table.data').first().waitFor();
    assert.equal(await page.locator('.new-doc').count(), 0, `sin formularios en ${tab}`);
  }
  for (const doc of ['lote', 'embarque']) {
    await page.goto(`/exportacion/${doc}/1`);
    await page.locator('.doc-card').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Anular' }).count(), 0, `sin anular en ${doc}`);
  }
  await page.goto('/trazabilidad/export-lots/1');
  await page.locator('.chain-steps').waitFor();
  assert.equal(await page.locator('button', { hasText: /Anular|Emitir|Registrar/ }).count(), 0);
});

test('el exportador emite un segundo lote y un embarque; la solicitud de CoT marca lo que falta', async (t) => {
  const page = await open(t);
  await loginAs(page, 'coop-export');
  await page.goto('/exportacion/lotes');
  await page.getByRole('button', { name: 'Nuevo lote de exportación' }).click();
  const form = page.locator('form.export-lot-form');
  await form.waitFor();
  await form.getByLabel('LOP 1204 · Café exportación MC', { exact: true }).check();
  assert.match(await text(form.locator('.computed')), /Kilos del lote 1 088,00 Sacos posibles 15 \+ 53,00 kg QQ \(46 kg\) 23,65/);
  assert.equal(await form.getByLabel('Sacos', { exact: true }).inputValue(), '15');
  assert.equal(await form.getByLabel('Contrato (opcional)', { exact: true }).inputValue(), 'P17446');
  await form.getByLabel('Fecha', { exact: true }).fill('2017-07-10');
  await form.getByLabel('Lote orgánico', { exact: true }).fill('005-17');
  await form.getByLabel('Comprador (opcional)').fill('Hanseatic Organic Coffee Importers GmbH');
  await form.getByRole('button', { name: 'Emitir lote de exportación' }).click();
  await page.waitForURL(/\/exportacion\/lote\/\d+$/);
  const card = page.locator('.doc-card');
  await card.waitFor();
  const ico = (await text(card.locator('header h3'))).replace('Marca ICO ', '');
  assert.match(ico, /^30\/861\/\d+$/);
  assert.notEqual(ico, '30/861/1544', 'una marca ICO nunca se repite');
  assert.match(await text(card), /Sacos 15 × 69 kg Kilos netos 1 088,00/);
  const lotUrl = page.url();

  await page.goto('/exportacion/embarques');
  await page.getByRole('button', { name: 'Nuevo embarque' }).click();
  const ship = page.locator('form.shipment-form');
  await ship.waitFor();
  assert.equal(await ship.getByLabel('Lote 004-17').count(), 0, 'el lote 004-17 ya está embarcado entero');
  await ship.getByLabel('Lote 005-17', { exact: true }).check();
  assert.match(await text(ship.locator('.computed')), /Sacos embarcados 15 Kilos netos 1 088,00/);
  assert.equal(await ship.getByLabel('Lote orgánico en la factura (opcional)').inputValue(), '005-17');
  await ship.getByLabel('Fecha de registro', { exact: true }).fill('2017-07-20');
  await ship.getByLabel('Comprador', { exact: true }).fill('Hanseatic Organic Coffee Importers GmbH');
  await ship.getByLabel('País del comprador (opcional)').fill('DE');
  await ship.getByLabel('Factura comercial n.º (opcional)').fill('001-000301');
  await ship.getByLabel('BL n.º (opcional)').fill('HLCUPAI170799999');
  await ship.getByLabel('Lote orgánico en el BL (opcional)').fill('');
  await ship.getByLabel('Puerto de destino (opcional)').fill('Hamburgo');
  await ship.getByLabel('Fecha de embarque (opcional)').fill('2017-07-20');
  await ship.getByRole('button', { name: 'Registrar embarque' }).click();
  await page.waitForURL(/\/exportacion\/embarque\/\d+$/);
  const shipId = page.url().split('/').pop();
  await page.locator('.doc-card').waitFor();
  assert.match(await text(page.locator('.doc-card')), /Factura 001-000301 · lote 005-17/);

  // The CoT request lists what the certifier needs; the BL without the organic lot is in red.
  await page.goto(`/exportacion/imprimir/certificado/${shipId}`);
  const cot = page.locator('.sheet.cot-request');
  await cot.waitFor();
  const missing = cot.locator('tr.missing');
  assert.equal(await missing.count(), 1, 'solo falta el lote orgánico en el BL');
  assert.equal(await missing.getAttribute('data-field'), 'bl_lot_ref');
  assert.match(await text(missing), /Lote orgánico impreso en el BL FALTA: El conocimiento de embarque \(BL\) no indica el n\.º de lote orgánico/);
  assert.equal(await missing.locator('th').evaluate((e) => getComputedStyle(e).color), 'rgb(176, 0, 0)', 'lo que falta va en rojo');
  assert.match(await text(cot.locator('.cot-not-ready')), /Expediente incompleto: 1 dato falta/);
  assert.match(await text(cot.locator('tr[data-field="invoice_lot_ref"]')), /Lote orgánico impreso en la factura 005-17$/);
  await shot(page, 'print-export-certificado-falta');

  // Back on the lot: shipped whole.
  await page.goto(lotUrl);
  assert.match(await text(page.locator('.doc-card')), /Por embarcar 0 sacos · 0,00 kg/);
});

test('vistas de impresión de exportación (capturas)', async (t) => {
  const page = await open(t);
  await loginAs(page, 'coop-export');
  await page.emulateMedia({ media: 'print' });
  for (const form of ['lote', 'packing', 'pesos', 'certificado']) {
    await page.goto(`/exportacion/imprimir/${form}/1`);
    await page.locator('.sheet').first().waitFor();
    assert.equal(await page.locator('.print-tools').isVisible(), false);
    await shot(page, `print-export-${form}`);
  }
  assert.match(await text(page.locator('.sheet')), /SOLICITUD DE CERTIFICADO DE TRANSACCIÓN.*Expediente completo/);
  assert.equal(await page.locator('tr.missing').count(), 0);
  await page.goto('/exportacion/imprimir/packing/1');
  assert.match(await text(page.locator('.sheet tbody tr').first()), /^30\/861\/1544 004-17 Café verde orgánico EU 250 69 17 250,00$/);
  await page.goto('/exportacion/imprimir/pesos/1');
  assert.match(await text(page.locator('.sheet tfoot')), /TOTAL 250 17 425,00 175,00 17 250,00/);
  await page.goto('/exportacion/imprimir/lote/1');
  assert.match(await text(page.locator('.sack-mark')), /30\/861\/1544\/ LOT NO 004-17.*NET WEIGHT 69 KG/);
  await page.goto('/trazabilidad/reporte/1');
  await page.locator('.chain-steps').waitFor();
  await shot(page, 'print-traza-reporte-004-17');
});

test('trazabilidad y exportación en 360 px sin desplazamiento horizontal', async (t) => {
  const page = await open(t, PHONE);
  await loginAs(page, 'auditor');
  for (const [url, ready, name] of [['/trazabilidad/export-lots/1', '.shares table', 'traza-lote-360'],
    ['/trazabilidad/producers/1', '.ends-in', 'traza-productor-360'], ['/exportacion/embarque/1', '.doc-card', 'export-embarque-360'],
    ['/trazabilidad/balance', 'form.period', 'traza-balance-360']]) {
    await page.goto(url);
    await page.locator(ready).first().waitFor();
    await page.waitForTimeout(300);
    assert.ok(await overflow(page) <= 0, `${url}: sin desplazamiento horizontal (sobran ${await overflow(page)} px)`);
    await shot(page, name);
  }
});

// Last: the search is the inspector's way in (lot, ICO mark, DNI).
test('el explorador encuentra el lote 004-17 por su número y por la marca ICO, y al productor por su DNI', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  await page.goto('/trazabilidad');
  await page.getByLabel('Buscar', { exact: true }).fill('004-17');
  await page.getByRole('button', { name: 'Buscar', exact: true }).click();
  const result = page.locator('.results a', { hasText: '004-17' }).first();
  await result.waitFor();
  await result.click();
  await page.waitForURL(/\/trazabilidad\/export-lots\/1$/);
  assert.equal(await text(page.locator('li[data-step="producers"] h3')), 'Productores (15)');
  await page.goto('/trazabilidad?q=30%2F861%2F1544');
  await page.locator('.results a[href="/trazabilidad/export-lots/1"]').waitFor();
  await page.goto('/trazabilidad?q=08754611');
  await page.locator('.results a', { hasText: 'Juan Pérez Vargas' }).first().click();
  await page.waitForURL(/\/trazabilidad\/producers\/1$/);
  assert.match(await text(page.locator('.ends-in')), /lote 004-17/);
  await shot(page, 'traza-busqueda');
});
