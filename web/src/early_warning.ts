// The early-warning dashboard (compliance, officers, admin): GET /api/v1/early-warning — each
// location's RAG now with its reasons under every DPS it belongs to, and what changed in a chosen
// period (RAG changes, and the input entries: who, when, why, evidence). Red first; filtered by
// DPS and RAG.
import { api, ApiError } from './api';
import { clear, dateProblem, field, h, select, words } from './dom';
import { plain } from './officer';

interface Rating { dps: string; rag: string; reasons: string[] }
interface RagChange { dps: string; from: string; to: string; reasons: string[]; at_london: string }
interface Entry { at_london: string; by?: string; reason: string; evidence?: string; changes: { input: string; from: string; to: string }[] }
interface Item { location: string; name: string; provider: string; rag: string; ratings: Rating[]; rag_changes: RagChange[]; entries: Entry[] }

const RANK: Record<string, number> = { red: 0, amber: 1, green: 2 };
const PAGE = 500;

export function earlyWarningScreen(area: HTMLElement): void {
  const form = h('form', { class: 'card filters', 'aria-labelledby': 'ew-title', novalidate: true });
  const results = h('section', { class: 'card', 'aria-labelledby': 'ew-results', id: 'early-warning-results' });
  area.append(form, results);
  const dps = field('DPS', select([['', 'Every DPS']]));
  const rag = field('RAG now', select([['', 'All'], ['red', 'Red'], ['amber', 'Amber'], ['green', 'Green']]));
  const from = field('From', h('input', { type: 'date' }), 'The period\'s first day (empty: 89 days before its last).');
  const to = field('To', h('input', { type: 'date' }), 'Its last day (empty: today).');
  const out = h('p', { role: 'status', class: 'result' });
  form.append(h('h1', { id: 'ew-title' }, 'Early warning: RAG and what changed'),
    h('div', { class: 'row' }, dps.wrap, rag.wrap, from.wrap, to.wrap),
    h('button', { type: 'submit', class: 'primary' }, 'Show'), out);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });

  async function load(): Promise<void> {
    out.textContent = '';
    from.setError('');
    to.setError('');
    const f = from.input.value.trim(), t = to.input.value.trim();
    if (f && dateProblem(f)) return from.setError(dateProblem(f));
    if (t && dateProblem(t)) return to.setError(dateProblem(t));
    if (f && t && f > t) return from.setError('The first day must be on or before the last day.');
    const q = new URLSearchParams({ page_size: String(PAGE) });
    if (dps.input.value) q.set('dps', dps.input.value);
    if (rag.input.value) q.set('rag', rag.input.value);
    if (f) q.set('from', f);
    if (t) q.set('to', t);
    try {
      const r = await api<{ items: Item[]; total: number; from: string; to: string }>('GET', `/early-warning?${q}`);
      if (!f) from.input.value = r.from;
      if (!t) to.input.value = r.to;
      draw(r.items, r.total, r.from, r.to);
    } catch (err) {
      const a = err as ApiError;
      if (a.code === 'invalid_period') from.setError('The first day must be on or before the last day.');
      else out.textContent = plain(a);
    }
  }

  function draw(items: Item[], total: number, f: string, t: string): void {
    // The server sorts Red first; kept here too, stable, so a page always reads worst first.
    const rows = [...items].sort((a, b) => RANK[a.rag] - RANK[b.rag]);
    const counts: Record<string, number> = { red: 0, amber: 0, green: 0 };
    for (const i of rows) counts[i.rag] += 1;
    clear(results);
    results.append(h('h2', { id: 'ew-results' }, `${total} ${total === 1 ? 'location' : 'locations'}, changes from ${f} to ${t}`),
      h('p', {}, h('span', { class: 'rag rag-red' }, `Red ${counts.red}`), ' ', h('span', { class: 'rag rag-amber' }, `Amber ${counts.amber}`), ' ',
        h('span', { class: 'rag rag-green' }, `Green ${counts.green}`), total > rows.length ? ` — the first ${rows.length} shown` : ''));
    if (!rows.length) return void results.append(h('p', {}, 'No location matches.'));
    results.append(h('table', { class: 'early-warning' }, h('caption', { class: 'sr-only' }, 'Locations with their RAG now, its reasons and the changes in the period'),
      h('thead', {}, h('tr', {}, ...['Location', 'RAG now', 'Reasons now', 'Changes in the period'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map(row))));
  }

  function row(i: Item): HTMLElement {
    const reasons = i.ratings.filter((r) => r.reasons.length);
    return h('tr', { 'data-location': i.location, 'data-rag': i.rag },
      h('th', { scope: 'row' }, `${i.name} (${i.location})`, h('br'), h('span', { class: 'hint' }, `provider ${i.provider}`)),
      h('td', {}, h('span', { class: `rag rag-${i.rag}` }, i.rag.toUpperCase())),
      h('td', {}, reasons.length ? h('ul', { class: 'plain' }, reasons.flatMap((r) => r.reasons.map((text) => h('li', {}, `${r.dps}: ${text}`)))) : '—'),
      h('td', {}, changes(i)));
  }

  function changes(i: Item): HTMLElement | string {
    if (!i.rag_changes.length && !i.entries.length) return 'none';
    return h('div', {},
      i.rag_changes.length ? h('ul', { class: 'plain' }, i.rag_changes.map((c) => h('li', { class: 'rag-change' },
        `${c.at_london} · ${c.dps}: `, h('span', { class: `rag rag-${c.from}` }, c.from.toUpperCase()), ' → ',
        h('span', { class: `rag rag-${c.to}` }, c.to.toUpperCase()), c.reasons.length ? ` — ${c.reasons.join('; ')}` : ''))) : null,
      i.entries.length ? h('details', {}, h('summary', {}, `${i.entries.length} input ${i.entries.length === 1 ? 'entry' : 'entries'}: who, why, evidence`),
        h('ul', { class: 'plain' }, i.entries.map((e) => h('li', {},
          `${e.at_london}${e.by ? `, ${e.by}` : ''}: ${e.changes.map((c) => `${words(c.input)} ${c.from || 'none'} → ${c.to || 'none'}`).join(', ')}`,
          e.reason ? ` — “${e.reason}”` : '', e.evidence ? ` (evidence ${e.evidence})` : '')))) : null);
  }

  void (async () => {
    try {
      const list = (await api<{ items: { code: string; name: string }[] }>('GET', '/dps')).items;
      for (const d of list) dps.input.append(h('option', { value: d.code }, d.name));
    } catch (err) { out.textContent = plain(err as ApiError); }
    await load();
  })();
}
