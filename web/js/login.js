// Login screen (/login).
import * as api from './api.js';
import { el, field, formValues, showFormError, clearFormError, busy } from './ui.js';

export function loginView({ message, onLoggedIn }) {
  const send = api.submission();
  const submit = el('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Ingresar');
  const form = el('form', { class: 'login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    message ? el('div', { class: 'alert alert-info', role: 'status' }, message) : null,
    field({ label: 'Usuario', name: 'username', required: true, autocomplete: 'username', nocap: true, nospell: true }),
    field({ label: 'Contraseña', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    submit);

  let countdown = null;
  function lockFor(seconds, err) {
    clearInterval(countdown);
    let left = seconds;
    const line = el('p', { class: 'retry' });
    const tick = () => {
      line.textContent = left > 0 ? `Podrá intentar de nuevo en ${left} s.` : 'Ya puede intentar de nuevo.';
      submit.disabled = left > 0;
      if (left <= 0) clearInterval(countdown);
      left -= 1;
    };
    showFormError(form, err, line);
    tick();
    countdown = setInterval(tick, 1000);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFormError(form);
    const values = formValues(form);
    const missing = [];
    if (!values.username) missing.push({ field: 'username', detail: 'Escriba su usuario.' });
    if (!values.password) missing.push({ field: 'password', detail: 'Escriba su contraseña.' });
    if (missing.length) {
      showFormError(form, { detail: 'Complete los datos para ingresar.', errors: missing });
      return;
    }
    busy(submit, async () => {
      try {
        const r = await send('/session', { username: values.username, password: values.password }, { noAuthRedirect: true });
        api.setCsrfToken(r && r.csrf_token);
        await onLoggedIn(r);
      } catch (err) {
        if (err.status === 429) return err;
        if (err.status === 401) {
          showFormError(form, { ...err, detail: err.detail || 'Usuario o contraseña incorrectos.', errors: [] });
          form.elements.password.value = '';
          form.elements.password.focus();
          return;
        }
        showFormError(form, err);
      }
      return null;
    }).then((tooMany) => {
      // After busy() has restored the button, so the countdown can keep it disabled.
      if (tooMany) lockFor(tooMany.retryAfter || 0, tooMany);
    });
  });

  return el('div', { class: 'login-page' },
    el('main', { class: 'login-card', id: 'main' },
      el('div', { class: 'login-brand' },
        el('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
        el('div', null,
          el('h1', { id: 'login-title', tabindex: '-1' }, 'Pergamino'),
          el('p', { class: 'tagline' }, 'Trazabilidad de café orgánico'))),
      form),
    el('p', { class: 'login-foot' }, 'Ingrese con el usuario que le asignó el administrador de su organización.'));
}
