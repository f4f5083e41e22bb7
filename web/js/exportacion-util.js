// Helpers shared by the export screens (export lots, shipments) and their print views.
import { el } from './ui.js';
import { num, statusLabel, programs } from './fmt.js';
import { myOrg } from './planta-util.js';

/** Admins and exporters of a cooperative or an exporter write export lots and shipments. */
export const exportWrite = (me) => ['admin', 'exporter'].includes(me.user.role) &&
  !!me.user.organization && ['cooperative', 'exporter'].includes(me.user.organization.kind);
/** Only the issuing exporter annuls. */
export const isExporter = (me, d) => exportWrite(me) && !!d.organization && d.organization.id === myOrg(me);

/** The export documents: route word, API collection, Spanish name, print views. */
export const EXPORT_KINDS = {
  lote: { path: '/export-lots', name: 'Lote de exportación', prints: [['lote', 'Imprimir lote de exportación']] },
  embarque: {
    path: '/shipments', name: 'Embarque',
    prints: [['packing', 'Imprimir packing list'], ['pesos', 'Imprimir nota de pesos'], ['certificado', 'Solicitud de certificado de transacción']],
  },
};
export const exportHref = (kind, id) => `/exportacion/${kind}/${id}`;
export const exportPrintHref = (form, id) => `/exportacion/imprimir/${form}/${id}`;
const refText = (ref) => ref.number_text || ref.organic_lot || String(ref.number || ref.id);
export const exportLink = (kind, ref) => (ref ? el('a', { href: exportHref(kind, ref.id) }, refText(ref)) : '');

/** "Orgánico EU" from a document's status and programs. */
export const certText = (d) => `${statusLabel(d.status)}${d.programs && d.programs.length ? ` ${programs(d.programs)}` : ''}`;
/** "orgánico EU" (the status in lower case, the programs as they are). */
export const certLower = (d) => `${statusLabel(d.status).toLowerCase()}${d.programs && d.programs.length ? ` ${programs(d.programs)}` : ''}`;
/** "250 sacos · 17 250,00 kg" from {sacks, kilos}. */
export const sacksKg = (x) => (x ? `${x.sacks ?? 0} sacos · ${num(x.kilos ?? x.kg ?? 0)} kg` : '');
/** Kilos of a document whatever the field is called (kilos, kilos_kg, net_kg). */
export const kilosOf = (d) => d.kilos ?? d.kilos_kg ?? d.net_kg ?? d.kg;
/** The category of a LOP export output, in Spanish. */
export const CATEGORY = { export: 'Café exportación', export_mc: 'Café exportación MC' };
/** ISO 3166 alpha-2 codes the buyers usually have, for the country field's list. */
export const COUNTRIES = [['DE', 'Alemania'], ['US', 'Estados Unidos'], ['BE', 'Bélgica'], ['NL', 'Países Bajos'], ['FR', 'Francia'],
  ['IT', 'Italia'], ['ES', 'España'], ['GB', 'Reino Unido'], ['SE', 'Suecia'], ['CA', 'Canadá'], ['JP', 'Japón'], ['KR', 'Corea del Sur'],
  ['AU', 'Australia'], ['NZ', 'Nueva Zelanda'], ['CH', 'Suiza'], ['NO', 'Noruega'], ['DK', 'Dinamarca'], ['FI', 'Finlandia']];
export const countryName = (code) => (COUNTRIES.find(([c]) => c === code) || [code, code || ''])[1];
