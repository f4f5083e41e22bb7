// Auditoría: the hash-chained audit log, paged, chain verification, and the
// signed checkpoints a certifier keeps to prove later that the log only grew.
import * as api from './api.js';
import { el, replace, busy, pagedTable, pageHeading, timeEl } from './ui.js';

export function auditView() {
  const list = pagedTable({
    caption: 'Registro de auditoría',
    key: (e) => e.seq,
    emptyText: 'El registro de auditoría está vacío.',
    columns: [
      { label: 'N.º', class: 'num', cell: (e) => String(e.seq) },
      { label: 'Fecha', class: 'nowrap', cell: (e) => timeEl(e.at) },
      { label: 'Usuario', cell: (e) => e.username || (e.user_id == null ? 'sistema' : `#${e.user_id}`) },
      { label: 'Acción', cell: (e) => el('code', null, e.action) },
      { label: 'Entidad', cell: (e) => e.entity },
      { label: 'Id', class: 'num', cell: (e) => (e.entity_id == null ? '' : String(e.entity_id)) },
    ],
    load: (cursor) => api.get(`/audit?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  });

  const result = el('div', { class: 'verify-result', 'aria-live': 'polite' });
  const verify = el('button', { type: 'button', class: 'btn btn-primary' }, 'Verificar cadena');
  verify.addEventListener('click', () => busy(verify, async () => {
    replace(result, el('p', { class: 'muted' }, 'Verificando…'));
    try {
      const r = await api.get('/audit/verify');
      if (r.ok) {
        replace(result, el('div', { class: 'alert alert-ok', role: 'status' },
          el('strong', null, 'Cadena íntegra. '),
          `Se verificaron ${r.events} eventos.`,
          r.head_hash ? el('span', { class: 'hash' }, 'Hash final: ', el('code', null, r.head_hash)) : null));
      } else {
        replace(result, el('div', { class: 'alert alert-error', role: 'alert' },
          el('strong', null, 'Cadena rota. '),
          r.first_broken_seq != null
            ? `El primer evento que no coincide es el n.º ${r.first_broken_seq}; los registros desde ese punto pueden haber sido alterados.`
            : 'La verificación encontró una inconsistencia.',
          ` Eventos revisados: ${r.events}.`));
      }
    } catch (err) {
      replace(result, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo verificar la cadena.'));
    }
  }));

  const checkpoints = pagedTable({
    caption: 'Puntos de control firmados',
    emptyText: 'Aún no hay puntos de control firmados.',
    columns: [
      { label: 'Hasta el evento', class: 'num', cell: (c) => String(c.seq) },
      { label: 'Firmado', class: 'nowrap', cell: (c) => timeEl(c.at) },
      { label: 'Hash de la cadena', cell: (c) => el('code', { class: 'hash' }, c.head_hash) },
      { label: 'Clave pública (Ed25519)', cell: (c) => el('code', { class: 'hash' }, c.public_key) },
      { label: 'Origen', cell: (c) => (c.created_by == null ? 'automático' : `usuario #${c.created_by}`) },
    ],
    load: (cursor) => api.get(`/audit/checkpoints?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  });
  const signed = el('div', { 'aria-live': 'polite' });
  const sign = el('button', { type: 'button', class: 'btn' }, 'Firmar ahora');
  sign.addEventListener('click', () => busy(sign, async () => {
    try {
      const c = await api.post('/audit/checkpoints', {});
      replace(signed, el('div', { class: 'alert alert-ok', role: 'status' },
        el('strong', null, 'Punto de control firmado. '), `Cubre los eventos 1 a ${c.seq}.`));
      checkpoints.reload();
    } catch (err) {
      replace(signed, el('div', { class: 'alert alert-error', role: 'alert' }, err.detail || 'No se pudo firmar el punto de control.'));
    }
  }));
  const download = el('a', { class: 'btn', href: '/api/v1/audit/checkpoints/latest', download: 'punto-de-control-auditoria.json' }, 'Descargar el último (JSON)');
  const print = el('button', { type: 'button', class: 'btn' }, 'Imprimir');
  print.addEventListener('click', () => window.print());

  return el('section', { class: 'audit' },
    pageHeading('Auditoría'),
    el('p', { class: 'lead' }, 'Cada escritura queda registrada con quién, cuándo y qué cambió. Cada evento incluye el hash del anterior, de modo que cualquier alteración rompe la cadena.'),
    el('div', { class: 'section-head' }, el('h2', null, 'Integridad'), verify),
    result,
    el('div', { class: 'section-head' }, el('h2', null, 'Puntos de control firmados'),
      el('span', { class: 'actions' }, sign, ' ', download, ' ', print)),
    el('p', null, 'Cada punto de control es el número y el hash del último evento, firmados con la clave Ed25519 de esta instalación (el servidor firma uno al día). Entregue el archivo JSON al certificador: más adelante, ',
      el('code', null, 'pergamino audit verify --checkpoint archivo.json'),
      ' demuestra que el registro solo creció desde entonces, sin cambios ni recortes.'),
    signed,
    checkpoints.node,
    el('h2', null, 'Eventos'),
    list.node);
}
