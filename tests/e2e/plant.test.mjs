// Browser tests of the plant-stage screens (guía de remisión, guía de ingreso,
// process and marking orders, LOP, guía de salida, kárdex) and their print views,
// against the real server started with --demo (the guide's story up to kárdex 0).
// Run: cd tests/e2e && PERGAMINO_BIN=/work/main/build/pergamino node --test --test-concurrency=1
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request as pwRequest } from 'playwright-core';
import { startServer } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(HERE, 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

let server;
let browser;
let coop;   // API as coop-admin
let plant;  // API as planta-admin

async function apiAs(username) {
  const a = server.account(username);
  const ctx = await pwRequest.newContext({ baseURL: server.baseURL });
  const r = await ctx.post('/api/v1/session', { data: { username: a.username, password: a.password }, headers: { 'Idempotency-Key': randomUUID() } });
  assert.ok(r.ok(), `ingreso de ${username} por la API: ${r.status()}`);
  const csrf = (await r.json()).csrf_token;
  const call = async (method, url, data) => {
    const res = await ctx.fetch(`/api/v1${url}`, { method, data, headers: { 'X-CSRF-Token': csrf, Accept: 'application/json', 'Idempotency-Key': randomUUID() } });
    const text = await res.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status(), body };
  };
  return { get: (u) => call('GET', u), post: (u, d) => call('POST', u, d), dispose: () => ctx.dispose() };
}

const must = (r, what) => {
  assert.ok([200, 201].includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

/** A reception and its warehouse note (fast setup through the API). */
async function note(producerId, day, status, sacks, gross) {
  const r = must(await coop.post('/receptions', {
    producer_id: producerId, issued_on: day, status, sacks, gross_kg: gross, tare_kg: '0', humidity: '12.0', observations: '', weighed_by: 'Prueba',
  }), `recepción ${status}`);
  return must(await coop.post('/warehouse-notes', { reception_id: r.id, issued_on: day, price_per_qq: '400.00' }), 'nota de ingreso');
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  coop = await apiAs('coop-admin');
  plant = await apiAs('planta-admin');
});

after(async () => {
  if (coop) await coop.dispose();
  if (plant) await plant.dispose();
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
  const out = page.getByRole('button', { name: 'Salir' });
  if (await out.isVisible()) { await out.click(); await page.waitForURL(/\/login$/); }
  await page.goto('/login');
  await page.getByLabel('Usuario', { exact: true }).fill(a.username);
  await page.getByLabel('Contraseña', { exact: true }).fill(a.password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('button', { name: 'Salir' }).waitFor();
}

const text = (loc) => loc.innerText().then((s) => s.replace(/\s+/g, ' '));
const rowText = (page, key) => text(page.locator(`tr[data-key="${key}"]`)).then((s) => s.trim());

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

test('la LOP 1204 y la guía 5469 impresas muestran las cifras de la guía', async (t) => {
  const page = await open(t);
  await loginAs(page, 'coop-admin');
  await page.goto('/planta/imprimir/lop/1');
  await page.locator('.sheet.lop').waitFor();
  const sheet = page.locator('.sheet.lop');
  assert.match(await text(sheet.locator('.p-num')), /LOP N\.º: 1204/);
  assert.match(await rowText(page, 'export'), /^1 Café exportación 250 17 400,00|^1 Café exportación 250 17 250,00 375,00 73,72 %$/);
  assert.equal(await rowText(page, 'export_mc'), '2 Café exportación MC 15 53 1 088,00 4,65 %');
  assert.equal(await rowText(page, 'husk'), '10 Cáscara y otros 4 055,00 17,33 %');
  assert.match(await rowText(page, 'coffee_total'), /TOTAL EN CAFÉ 278 163 19 345,00/);
  assert.equal(await rowText(page, 'total'), 'TOTALES 23 400,00 100,00 %');
  assert.match(await text(sheet), /Rendimiento \(café exportación \/ ingreso\): 73,72 %/);

  await page.goto('/planta/imprimir/remision/1');
  const list = page.locator('.sheet.producers');
  await list.waitFor();
  assert.match(await text(page.locator('.sheet.guia')), /GUÍA DE REMISIÓN.*Destinatario: Procesadora del Norte/);
  assert.match(await text(page.locator('.sheet.guia table').first()), /CO-2365 Café pergamino - orgánico Sacos 300 23 400,00/);
  assert.equal(await list.locator('tbody tr').count(), 15, 'la lista tiene los 15 productores');
  assert.match(await text(list.locator('tfoot tr')), /^TOTAL 300 23 417,95/);
  assert.match(await text(list.locator('tbody tr').first()), /^1 10685 Juan Pérez Vargas 08754611 10\/06\/2017 8727 7 472,60 34795/);
});

test('recorrido de un segundo lote: guía, ingreso, orden, LOP con balance exacto, salida y kárdex', async (t) => {
  const organic1 = await note(1, '2017-07-01', 'organic', 10, '698');
  const organic2 = await note(2, '2017-07-01', 'organic', 5, '399');
  const conv = await note(1, '2017-07-01', 'conventional', 3, '180');

  // The cooperative builds the guía de remisión by picking notes.
  const page = await open(t);
  await loginAs(page, 'coop-acopio');
  await page.goto('/planta/guias');
  await page.getByRole('button', { name: 'Nueva guía de remisión' }).click();
  const pick = (n) => page.getByLabel(`Nota ${n.number_text}`, { exact: true });
  await pick(organic1).check();
  assert.ok(await pick(conv).isDisabled(), 'una nota convencional no puede ir en una guía orgánica');
  assert.match(await text(page.locator(`#${await pick(conv).getAttribute('aria-describedby')}`)), /No se puede agregar: es café convencional y el lote es orgánico EU/);
  await pick(organic2).check();
  const form = page.locator('form.dispatch-form');
  assert.match(await text(form.locator('.computed').first()), /Notas 2 Sacos 15 Kilos netos de las notas 1 097,00/);
  assert.equal(await form.getByLabel('Sacos declarados', { exact: true }).inputValue(), '15');
  await form.getByLabel('Destinatario', { exact: true }).selectOption({ label: 'Procesadora del Norte · RUC 20510780796' });
  await form.getByLabel('Fecha de emisión', { exact: true }).fill('2017-07-02');
  await form.getByLabel('Fecha inicio de traslado', { exact: true }).fill('2017-07-02');
  await form.getByLabel('Nombre o razón social', { exact: true }).fill('Pablo Chacón');
  await form.getByLabel('RUC o DNI', { exact: true }).fill('10105634205');
  await form.getByLabel(/^Placa/).fill('ABW-080');
  await form.getByLabel('Código del lote', { exact: true }).fill('CO-2400');
  await form.getByLabel('Peso declarado kg', { exact: true }).fill('1095');
  assert.match(await text(form.locator('.computed').last()), /Merma \(kg y %\) 2,00 kg · 0,18 %/);
  await form.getByRole('button', { name: 'Emitir guía de remisión' }).click();
  await page.waitForURL(/\/planta\/doc\/remision\/\d+$/);
  const guia = await text(page.locator('main h2').first());
  assert.match(guia, /Guía de remisión n\.º \d+/);
  const guiaNumber = /n\.º (\d+)/.exec(guia)[1];
  await shot(page, 'planta-guia-emitida');

  // The plant sees it arrive and registers the intake.
  await loginAs(page, 'planta-clerk');
  await page.goto('/planta/guias');
  const incoming = page.locator('section.todo');
  await incoming.getByRole('row').filter({ hasText: 'CO-2400' }).getByRole('link', { name: 'Registrar ingreso' }).click();
  await page.getByRole('heading', { name: 'Registrar ingreso: guía de ingreso a planta' }).waitFor();
  await page.getByLabel('Fecha', { exact: true }).fill('2017-07-03');
  await page.getByLabel('Kilos brutos', { exact: true }).fill('1110');
  await page.getByLabel('Tara kg', { exact: true }).fill('15');
  assert.match(await text(page.locator('.issue-form .computed')), /Kilos netos 1 095,00 .*0,00 kg · 0,00 %/);
  await page.getByLabel(/^Puntaje SCAA/).fill('84');
  await page.getByRole('button', { name: 'Emitir guía de ingreso' }).click();
  await page.waitForURL(/\/planta\/doc\/ingreso\/\d+$/);
  assert.match(await text(page.locator('.doc-card')), new RegExp(`Guía de remisión ${guiaNumber}.*Kilos netos 1 095,00.*Saldo kg 1 095,00`));

  // The cooperative orders the process.
  await loginAs(page, 'coop-acopio');
  await page.goto('/planta/ordenes');
  await page.getByRole('button', { name: 'Nueva orden de proceso' }).click();
  const receiptBox = page.locator('.builder input[type=checkbox]');
  await receiptBox.first().waitFor();
  assert.equal(await receiptBox.count(), 1, 'solo la guía de ingreso nueva tiene saldo');
  await receiptBox.check();
  await page.getByLabel('Fecha', { exact: true }).fill('2017-07-04');
  await page.getByLabel(/^Contrato/).fill('P17500');
  await page.getByRole('button', { name: 'Emitir orden de proceso' }).click();
  await page.waitForURL(/\/planta\/doc\/proceso\/\d+$/);

  // The plant enters the LOP: the imbalance shows until it is exactly zero.
  await loginAs(page, 'planta-clerk');
  await page.goto('/planta/lop');
  await page.locator('section.todo').getByRole('link', { name: 'Registrar LOP' }).first().click();
  const lop = page.locator('form.lop-form');
  await lop.waitFor();
  await lop.getByLabel('Fecha', { exact: true }).fill('2017-07-05');
  const submit = lop.getByRole('button', { name: 'Emitir LOP' });
  const fill = async (label, v) => lop.getByLabel(`${label}, kilos netos`).fill(v);
  await fill('Café exportación', '800');
  assert.match(await text(lop.locator('.balance')), /Desbalance: faltan 295,00 kg/);
  await fill('Café exportación MC', '70');
  await fill('Café segunda', '20');
  await fill('Café descarte máquina', '10');
  await fill('Café descarte de escojo', '10');
  await fill('Café bola', '5');
  await fill('Café cisco', '5');
  await fill('Cáscara y otros', '175,001');
  assert.match(await text(lop.locator('.balance')), /Desbalance: sobran 0,00 kg/);
  assert.ok(await submit.isDisabled(), 'no se emite con un gramo de más');
  await fill('Cáscara y otros', '170');
  assert.match(await text(lop.locator('.balance')), /Desbalance: faltan 5,00 kg/);
  assert.ok(await submit.isDisabled());
  await fill('Merma declarada', '5');
  assert.match(await text(lop.locator('.balance')), /Balance exacto/);
  const coffee = await text(lop.locator('tr.total').first());
  assert.match(coffee, /TOTAL EN CAFÉ 920,00 12 92,00 84,02 %/);
  const exportRow = await text(lop.locator('tbody tr').first());
  assert.match(exportRow, /Café exportación 11 41,00 17,39 73,06 %/);
  await submit.click();
  await page.waitForURL(/\/planta\/doc\/lop\/\d+$/);
  assert.match(await text(page.locator('.doc-card')), /Rendimiento % 73,06/);

  // The exit guide from the LOP.
  const exit = page.locator('form.issue-form');
  await exit.getByLabel('Fecha', { exact: true }).fill('2017-07-06');
  await exit.getByLabel('Destino', { exact: true }).fill('Unimar');
  assert.equal(await exit.getByLabel('Sacos', { exact: true }).inputValue(), '11');
  await exit.getByLabel('Kilos brutos', { exact: true }).fill('770');
  await exit.getByLabel('Tara kg', { exact: true }).fill('11');
  await exit.getByLabel('Nombre o razón social', { exact: true }).fill('Hugo Callupe');
  await exit.getByLabel('RUC o DNI', { exact: true }).fill('10066109556');
  await exit.getByLabel('Placa', { exact: true }).fill('BKI-080');
  await exit.getByRole('button', { name: 'Emitir guía de salida' }).click();
  await page.waitForURL(/\/planta\/doc\/salida\/\d+$/);

  // Kárdex: 17 250 + 800 − 17 250 − 759 = 41 kg.
  await page.goto('/planta/kardex');
  assert.match(await text(page.locator('.kardex-total')), /^Saldo: 41,00 kg · 0 sacos/);
  await shot(page, 'planta-kardex');
});

test('el auditor ve los documentos de planta sin controles de escritura', async (t) => {
  const page = await open(t);
  await loginAs(page, 'auditor');
  for (const tab of ['guias', 'ordenes', 'lop', 'salidas']) {
    await page.goto(`/planta/${tab}`);
    await page.locator('table.data').first().waitFor();
    assert.equal(await page.locator('.new-doc, section.todo').count(), 0, `sin formularios en ${tab}`);
  }
  for (const doc of ['remision', 'ingreso', 'proceso', 'lop', 'salida']) {
    await page.goto(`/planta/doc/${doc}/1`);
    await page.locator('.doc-card').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Anular' }).count(), 0, `sin anular en ${doc}`);
    assert.equal(await page.locator('form.issue-form').count(), 0, `sin formularios en ${doc}`);
  }
  await page.goto('/planta/kardex');
  assert.match(await text(page.locator('.kardex-total')), /^Saldo: 41,00 kg · 0 sacos/, 'el saldo tras el recorrido del test anterior');
});

test('vistas de impresión de planta (capturas)', async (t) => {
  const page = await open(t);
  await loginAs(page, 'coop-admin');
  await page.emulateMedia({ media: 'print' });
  for (const form of ['remision', 'ingreso', 'sticker', 'proceso', 'marcado', 'lop', 'salida', 'transportista', 'kardex']) {
    await page.goto(`/planta/imprimir/${form}/1`);
    await page.locator('.sheet').first().waitFor();
    assert.equal(await page.locator('.print-tools').isVisible(), false);
    await shot(page, `print-planta-${form}`);
  }
  assert.match(await text(page.locator('.sheet')), /KÁRDEX DE CAFÉ TIPO EXPORTACIÓN.*1204 .*004-17 30\/861\/1544 30\/06\/2017 Unimar 4512 0,00/);
});

test('la LOP se registra en 360 px sin desplazamiento horizontal', async (t) => {
  // An order waiting for its LOP, made through the API.
  const n = await note(3, '2017-08-01', 'organic', 4, '276');
  const d = must(await coop.post('/dispatches', {
    issued_on: '2017-08-02', recipient_org_id: 2, reason: 3, carrier: { name: 'Pablo Chacón', doc: '10105634205' },
    lot_code: 'CO-2500', sacks: 4, declared_kg: '276', note_ids: [n.id],
  }), 'guía');
  const r = must(await plant.post('/plant-receipts', { dispatch_id: d.id, issued_on: '2017-08-03', sacks: 4, gross_kg: '280', tare_kg: '4' }), 'ingreso');
  const po = must(await coop.post('/process-orders', { issued_on: '2017-08-04', plant_org_id: 2, process_type: 'ORG', inputs: [{ plant_receipt_id: r.id, kilos: '276' }] }), 'orden');

  const page = await open(t, PHONE);
  await loginAs(page, 'planta-clerk');
  await page.goto(`/planta/doc/proceso/${po.id}`);
  const lop = page.locator('form.lop-form');
  await lop.waitFor();
  await lop.getByLabel('Café exportación, kilos netos', { exact: true }).fill('200');
  await lop.getByLabel('Cáscara y otros, kilos netos', { exact: true }).fill('76');
  assert.match(await text(lop.locator('.balance')), /Balance exacto/);
  assert.equal(await lop.getByRole('button', { name: 'Emitir LOP' }).isEnabled(), true);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `sin desplazamiento horizontal (sobran ${overflow} px)`);
  await shot(page, 'planta-lop-360');
});
