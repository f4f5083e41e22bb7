// Auditoría: the hash-chained audit log, paged, and chain verification.
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

  return el('section', { class: 'audit' },
    pageHeading('Auditoría'),
    el('p', { class: 'lead' }, 'Cada escritura queda registrada con quién, cuándo y qué cambió. Cada evento incluye el hash del anterior, de modo que cualquier alteración rompe la cadena.'),
    el('div', { class: 'section-head' }, el('h2', null, 'Integridad'), verify),
    result,
    el('h2', null, 'Eventos'),
    list.node);
}
