// Tiny DOM helpers: elements are built with text nodes only (never innerHTML), so nothing the
// server or a user typed can become markup.
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | ((e: Event) => void) | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

let idCounter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

/// A labelled field with a message slot under it (aria-describedby), for plain-English errors.
export interface Field<T extends HTMLElement> {
  wrap: HTMLElement;
  input: T;
  message: HTMLElement;
  setError(text: string): void;
}

export function field<T extends HTMLElement>(label: string, input: T, hint?: string): Field<T> {
  const id = input.id || uid('f');
  input.id = id;
  const message = h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, input, message);
  return {
    wrap,
    input,
    message,
    setError(text: string) {
      message.textContent = text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

export function select(options: [string, string][], value?: string): HTMLSelectElement {
  const s = h('select');
  for (const [v, text] of options) s.append(h('option', { value: v, selected: v === value }, text));
  return s;
}

/// A term and its value for a `dl class="facts"`.
export function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

export function money(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

export function when(iso: number | string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
}

export function countdown(until: number): string {
  const ms = until - Date.now();
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return `${hh > 0 ? `${hh} h ` : ''}${mm} min ${ss.toString().padStart(2, '0')} s left`;
}

export function words(code: string): string {
  return code.replace(/_/g, ' ');
}

/// Re-renders `container` with `render` keeping what the person was doing: the values of inputs
/// and selects, the error shown against a field, and the open <details> (matched by id), and the
/// focused element. Live updates redraw often; they must never wipe a half-typed price or reason,
/// nor the message saying what is wrong with it.
export function rerender(container: HTMLElement, render: () => void): void {
  const values = new Map<string, string | boolean>();
  for (const el of container.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[id], select[id]'))
    values.set(el.id, el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value);
  const errors = new Map<string, string>();
  for (const el of container.querySelectorAll<HTMLElement>('.field-error[id]')) if (el.textContent) errors.set(el.id, el.textContent);
  const open = new Set<string>();
  for (const d of container.querySelectorAll<HTMLDetailsElement>('details[id]')) if (d.open) open.add(d.id);
  const focused = container.contains(document.activeElement) ? (document.activeElement as HTMLElement).id : '';
  render();
  for (const [id, v] of values) {
    const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
    if (!el || !container.contains(el)) continue;
    if (typeof v === 'boolean') (el as HTMLInputElement).checked = v;
    else el.value = v;
  }
  for (const [id, text] of errors) {
    const el = document.getElementById(id);
    if (!el || !container.contains(el)) continue;
    el.textContent = text;
    document.getElementById(id.replace(/-error$/, ''))?.setAttribute('aria-invalid', 'true');
  }
  for (const id of open) {
    const d = document.getElementById(id) as HTMLDetailsElement | null;
    if (d) d.open = true;
  }
  if (focused) document.getElementById(focused)?.focus();
}

/// One call of a package's week, as the broadcast carries it.
export interface Call { weekday: string; at: string; minutes: number; carers: number }

/// A week of calls in words, day by day: "Monday 07:30 45 min (2 carers), 12:30 30 min; Sunday 09:00 60 min".
export function callsText(calls: Call[]): string {
  const days: string[] = [];
  let day = '';
  for (const c of calls) {
    const call = `${c.at} ${c.minutes} min${c.carers > 1 ? ` (${c.carers} carers)` : ''}`;
    if (c.weekday === day) days[days.length - 1] += `, ${call}`;
    else days.push(`${words(c.weekday)} ${call}`);
    day = c.weekday;
  }
  return days.join('; ');
}

/// Today's date in London (YYYY-MM-DD), the market's dates; `days` later (or earlier, negative).
export function londonDate(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
}

/// A YYYY-MM-DD date, or '' when it is one (for the date inputs' own checks).
export function dateProblem(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return 'Enter a date, for example 2026-11-23.';
  return '';
}
