/** Small DOM helpers: the page builds its few elements by hand, no framework. */

/** Creates an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** A dashboard panel: a titled section with a status line; `body` takes the content. */
export interface PanelFrame {
  root: HTMLElement;
  body: HTMLElement;
  /** Right side of the header: a short status (e.g. the data's event time). */
  meta: HTMLElement;
  /** A line under the header for details too long for it. */
  caption: HTMLElement;
  /** Marks the panel as showing data (the browser test waits for this), or waiting with why. */
  setReady(ready: boolean, waiting?: string): void;
}

/** Builds a panel frame with a title and unit line. */
export function panelFrame(id: string, title: string, unit: string): PanelFrame {
  const meta = el('span', { class: 'meta' });
  const wait = el('div', { class: 'waiting' }, 'waiting for data…');
  const caption = el('div', { class: 'caption' });
  const body = el('div', { class: 'body' }, caption);
  const root = el('section', { class: 'panel', id, 'data-ready': 'false' }, el('header', {}, el('h2', {}, title), el('span', { class: 'unit' }, unit), meta), body, wait);
  return {
    root,
    body,
    meta,
    caption,
    setReady(ready, waiting) {
      root.dataset.ready = String(ready);
      wait.textContent = waiting ?? 'waiting for data…';
    },
  };
}

/** Replaces a container's children only when the HTML changed (a table redrawn 4x a second must not flicker). */
export function setHtml(container: HTMLElement, html: string): void {
  if (container.dataset.html !== html) {
    container.innerHTML = html;
    container.dataset.html = html;
  }
}

/** Escapes text for HTML. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
