// Small DOM helpers shared by the pages.

/** The element with this id (the pages' markup guarantees it exists). */
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** A button whose title doubles as its accessible name. */
export function button(label: string, className: string, title: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.className = className;
  el.textContent = label;
  el.title = title;
  el.setAttribute('aria-label', title);
  el.addEventListener('click', onClick);
  return el;
}

/** Shows `message` in the page's #toast for a few seconds. */
export function toast(message: string): void {
  const el = $('toast');
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(Number(el.dataset.timer));
  el.dataset.timer = String(setTimeout(() => el.classList.remove('show'), 3200));
}
