// fetch wrapper for /api/v1: JSON in and out, CSRF header on writes,
// Idempotency-Key on POST, problem+json errors turned into ApiError.

const BASE = '/api/v1';
const TIMEOUT_MS = 30000;

let csrfToken = null;
let unauthorizedHandler = null;

export function setCsrfToken(token) { csrfToken = token || null; }
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

/** Error carrying the fields of an RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(p) {
    super(p.detail || p.title || `HTTP ${p.status}`);
    this.name = 'ApiError';
    this.status = p.status;            // 0 = no answer (network error / timeout)
    this.code = p.code || null;
    this.title = p.title || null;
    this.detail = p.detail || p.title || '';
    this.detail_en = p.detail_en || null;
    this.errors = Array.isArray(p.errors) ? p.errors : [];
    this.requestId = p.request_id || null;
    this.retryAfter = p.retryAfter ?? null;
    this.replayed = !!p.replayed;      // answer replayed for a repeated Idempotency-Key
  }
  get isNetwork() { return this.status === 0; }
}

/** RFC 4122 v4 UUID; crypto.randomUUID only exists in secure contexts (not plain http on a LAN). */
export function uuid() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function retryAfterSeconds(res) {
  const v = res.headers.get('Retry-After');
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const date = Date.parse(v);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * request('GET', '/me') -> {data, status, headers}
 * opts: body (object, sent as JSON), idempotencyKey, ifMatch, noAuthRedirect
 */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (method === 'POST') headers['Idempotency-Key'] = opts.idempotencyKey || uuid();
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  init.signal = controller.signal;
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError({
      status: 0,
      code: 'network_error',
      detail: controller.signal.aborted
        ? 'El servidor no respondió a tiempo. Revise la conexión e intente de nuevo.'
        : 'No se pudo conectar con el servidor. Revise la conexión e intente de nuevo.',
      detail_en: String(e && e.message),
    });
  } finally {
    clearTimeout(timer);
  }

  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (res.status !== 204 && /json/i.test(type)) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (res.ok) return { data, status: res.status, headers: res.headers };

  const problem = data && typeof data === 'object' ? data : {};
  const err = new ApiError({
    ...problem,
    status: res.status,
    detail: problem.detail || problem.title || `El servidor respondió con un error (${res.status}).`,
    retryAfter: retryAfterSeconds(res),
    replayed: res.headers.get('Idempotent-Replayed') === 'true',
  });
  if (res.status === 401 && !opts.noAuthRedirect && unauthorizedHandler) unauthorizedHandler(err);
  throw err;
}

export const get = async (path, opts) => (await request('GET', path, opts)).data;
export const post = async (path, body, opts = {}) => (await request('POST', path, { ...opts, body })).data;
export const patch = async (path, body, opts = {}) => (await request('PATCH', path, { ...opts, body })).data;
export const del = async (path, opts) => (await request('DELETE', path, opts)).data;

/** GET that also returns the ETag, for a later PATCH with If-Match. */
export async function getWithEtag(path) {
  const r = await request('GET', path);
  return { data: r.data, etag: r.headers.get('ETag') };
}

/** Answers that may not have reached (or come back from) the server: retrying is safe with the same key. */
const maybeNotApplied = (e) => e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504;

/**
 * One form's POSTs. When the user submits the same data again after a network
 * failure, the same Idempotency-Key is sent, so the server returns the first
 * result instead of creating a second record.
 */
export function submission() {
  let pending = null; // {key, body}
  return async function send(path, body, opts = {}) {
    const text = JSON.stringify(body);
    if (!pending || pending.body !== text || pending.path !== path) pending = { key: uuid(), body: text, path };
    try {
      const data = await post(path, body, { ...opts, idempotencyKey: pending.key });
      pending = null;
      return data;
    } catch (e) {
      if (!maybeNotApplied(e)) pending = null;
      throw e;
    }
  };
}

/** Encodes a path segment (ids are numbers, but be safe). */
export const seg = (v) => encodeURIComponent(String(v));

/**
 * POST of a file (raw body, e.g. text/csv) with upload progress, which fetch
 * cannot report. onProgress(fraction 0..1). Resolves with the JSON answer;
 * rejects with an ApiError like request().
 */
export function upload(path, file, type, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Idempotency-Key', uuid());
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.timeout = TIMEOUT_MS * 4;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    const fail = (detail) => reject(new ApiError({ status: 0, code: 'network_error', detail }));
    xhr.onerror = () => fail('No se pudo conectar con el servidor. Revise la conexión e intente de nuevo.');
    xhr.ontimeout = () => fail('El servidor no respondió a tiempo. Revise la conexión e intente de nuevo.');
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      const p = data && typeof data === 'object' ? data : {};
      const err = new ApiError({ ...p, status: xhr.status, detail: p.detail || `El servidor respondió con un error (${xhr.status}).` });
      if (xhr.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
      reject(err);
    };
    xhr.send(file);
  });
}
