// Exact decimals (BigInt, never floats) and the Peruvian way of printing them:
// "23 400,00", "3 526,72"; dates dd/mm/yyyy.

const TEN = 10n;
const pow10 = (n) => TEN ** BigInt(n);

/**
 * "472.6" / "1,4" -> BigInt scaled by 10^scale (472600n at scale 3), or null when
 * not a plain non-negative decimal with at most `scale` decimals.
 */
export function scaled(text, scale) {
  const m = /^\s*(\d{1,15})(?:[.,](\d*))?\s*$/.exec(text == null ? '' : String(text));
  if (!m || (m[2] || '').length > scale) return null;
  return BigInt(m[1]) * pow10(scale) + BigInt((m[2] || '').padEnd(scale, '0') || '0');
}

/** a * b / c rounded half up (non-negative BigInts). */
export const mulDiv = (a, b, c) => (2n * a * b + c) / (2n * c);

/** Round v (scale `from`) to scale `to`, half up. */
export function round(v, from, to) {
  if (to >= from) return v * pow10(to - from);
  return mulDiv(v, 1n, pow10(from - to));
}

/** Groups thousands with a space and uses a decimal comma. */
export function show(v, scale, trim = false) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const int = (a / pow10(scale)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  let frac = scale ? (a % pow10(scale)).toString().padStart(scale, '0') : '';
  if (trim && /^0*$/.test(frac)) frac = '';
  return (neg ? '-' : '') + int + (frac ? `,${frac}` : '');
}

/**
 * An API decimal string shown with `d` decimals ('' when absent):
 * num("472.600") -> "472,60"; num("68.00", 2, true) -> "68"; num("12.5", 1) -> "12,5".
 */
export function num(text, d = 2, trim = false) {
  if (text === null || text === undefined || text === '') return '';
  const neg = String(text).trim().startsWith('-');
  const v = scaled(String(text).replace('-', ''), 6);
  if (v === null) return String(text);
  const r = round(v, 6, d);
  return show(neg ? -r : r, d, trim);
}

/** 'YYYY-MM-DD' -> 'dd/mm/yyyy'. */
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || '');
}

/** Today in the browser's time zone as 'YYYY-MM-DD'. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const QQ_PERGAMINO_G = 55200n;

/** QQ in hundredths from grams: net / 55.2 kg, 2 decimals half up. */
export const qqCenti = (grams) => mulDiv(grams, 100n, QQ_PERGAMINO_G);

/** Percentage in hundredths: part / whole, half up (0 when whole is 0). */
export const pctCenti = (part, whole) => (whole > 0n ? mulDiv(part, 10000n, whole) : 0n);

export const STATUS_LABELS = { organic: 'Orgánico', transition: 'En transición', conventional: 'Convencional' };
export const statusLabel = (s) => STATUS_LABELS[s] || s || '';
export const PROGRAM_LABELS = { OTHER: 'Otro' };
export const programs = (list) => (list || []).map((p) => PROGRAM_LABELS[p] || p).join(', ');
