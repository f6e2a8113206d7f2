/** The API-key dialog, shown when the engine answers 401: the key is kept in localStorage. */
import { el } from './dom.ts';

/** Asks for an API key; resolves with what was entered. */
export function askKey(why: string): Promise<string> {
  return new Promise((resolve) => {
    const input = el('input', { type: 'password', id: 'api-key', placeholder: 'API key', autocomplete: 'off', spellcheck: 'false' });
    const ok = el('button', { type: 'submit' }, 'Connect');
    const form = el('form', { class: 'key-form' }, el('h2', {}, 'API key needed'), el('p', {}, why), el('p', { class: 'muted' }, 'The key is kept in this browser (localStorage) and sent with every request.'), input, ok);
    const overlay = el('div', { class: 'overlay' }, form);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!input.value.trim()) return;
      overlay.remove();
      resolve(input.value);
    });
    document.body.append(overlay);
    input.focus();
  });
}
