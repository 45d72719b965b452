import { api, session } from '../api.js';
import { h } from '../dom.js';

/** The token form. The token is kept in this tab's sessionStorage only. */
export function signInView({ message, onSignedIn }) {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'bearer token' });
  const error = h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, message ?? '');
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'signin',
      onsubmit: async (e) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        button.disabled = true;
        error.textContent = '';
        session.set(token);
        try {
          const me = await api.whoami();
          onSignedIn(me);
        } catch (err) {
          session.clear();
          error.textContent = err.status === 401 ? 'Unknown token.' : `Cannot sign in: ${err.message}`;
          button.disabled = false;
        }
      },
    },
    h('h1', {}, 'Swarm control plane'),
    h('label', { for: 'token' }, 'API token'),
    input,
    button,
    error,
    h('p', { class: 'muted' }, 'The token stays in this browser tab (sessionStorage) and is sent only to this API.'),
  );
  queueMicrotask(() => input.focus());
  return form;
}
