// Market reports (officers, compliance, admin): GET /api/v1/reports/{name} — a DPS, a period of
// London dates and an optional funder; the table drawn generically from the answer's columns and
// rows, and a "Download CSV" link to the same report as CSV. A new report of the same shape needs
// only its name added to REPORTS.
import { api, apiBlob, ApiError } from './api';
import { clear, dateProblem, field, h, londonDate, select, words } from './dom';
import { plain } from './officer';

/// The reports the server answers, by name, with the label a person chooses them by.
export const REPORTS: [string, string][] = [
  ['capacity', 'Capacity: declared, placed and asked for'],
  ['sourcing', 'Sourcing: placed, unsourced, time to source'],
  ['rates', 'Rates: quartiles beside the fair cost'],
  ['savings', 'Savings against the baseline rate'],
  ['entering-leaving', 'Providers entering and leaving, by month'],
  ['entering-leaving-list', 'Providers entering and leaving: each move'],
  ['rag-counts', 'Early-warning RAG counts over time'],
];
/// Reports about locations rather than packages: a location is admitted to a DPS, not to a funder,
/// so the server refuses a funder for these (422 report_not_by_funder).
const NOT_BY_FUNDER = new Set(['entering-leaving', 'entering-leaving-list', 'rag-counts']);
const FUNDERS: [string, string][] = [['', 'Every funder'], ['council', 'council'], ['nhs', 'NHS'], ['joint', 'joint'], ['self_funder', 'self-funder']];

interface Report { report: string; dps: string; from: string; to: string; funder: string | null; as_of: string; columns: string[]; rows: Record<string, unknown>[] }

export function reportsScreen(area: HTMLElement): void {
  const form = h('form', { class: 'card filters', 'aria-labelledby': 'reports-title', novalidate: true });
  const results = h('section', { class: 'card', 'aria-labelledby': 'report-title', id: 'report' });
  area.append(form, results);
  const name = field('Report', select(REPORTS));
  const dps = field('DPS', select([]));
  const from = field('From', h('input', { type: 'date', value: londonDate(-30) }), 'The first day packages were posted.');
  const to = field('To', h('input', { type: 'date', value: londonDate() }), 'The last day (included).');
  const funder = field('Funder', select(FUNDERS));
  const funderApplies = (): void => { (funder.input as HTMLSelectElement).disabled = NOT_BY_FUNDER.has(name.input.value); };
  name.input.addEventListener('change', funderApplies);
  const out = h('p', { role: 'status', class: 'result' });
  form.append(h('h1', { id: 'reports-title' }, 'Reports'), h('div', { class: 'row' }, name.wrap, dps.wrap, from.wrap, to.wrap, funder.wrap),
    h('button', { type: 'submit', class: 'primary' }, 'Show the report'), out);
  let blobUrl = '';

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.textContent = '';
    from.setError('');
    to.setError('');
    const f = from.input.value.trim(), t = to.input.value.trim();
    if (dateProblem(f)) return from.setError(dateProblem(f));
    if (dateProblem(t)) return to.setError(dateProblem(t));
    if (f > t) return to.setError('The last day must be on or after the first day.');
    const q = new URLSearchParams({ dps: dps.input.value, from: f, to: t });
    if (funder.input.value && !NOT_BY_FUNDER.has(name.input.value)) q.set('funder', funder.input.value);
    const path = `/reports/${encodeURIComponent(name.input.value)}?${q}`;
    out.textContent = 'Making the report…';
    try {
      const r = await api<Report>('GET', path);
      out.textContent = '';
      draw(r, path);
    } catch (err) {
      const a = err as ApiError;
      out.textContent = '';
      if (a.code === 'invalid_period') to.setError('The last day must be on or after the first day.');
      else out.textContent = plain(a);
    }
  });

  function draw(r: Report, path: string): void {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = '';
    clear(results);
    const label = REPORTS.find(([n]) => n === r.report)?.[1] ?? words(r.report);
    const csvPath = `${path}&format=csv`;
    const filename = `${r.report}-${r.dps}-${r.from}-${r.to}${r.funder ? `-${r.funder}` : ''}.csv`;
    const csvStatus = h('span', { role: 'status', class: 'hint' });
    // The API wants the token in a header, never in a URL: the link fetches the CSV with it, then
    // hands the browser the file (a blob: URL) to save under its name.
    const link = h('a', { href: `/api/v1${csvPath}`, download: filename, class: 'download' }, 'Download CSV');
    link.addEventListener('click', async (e) => {
      if (link.href.startsWith('blob:')) return;
      e.preventDefault();
      csvStatus.textContent = 'Preparing the CSV…';
      try {
        blobUrl = URL.createObjectURL(await apiBlob(csvPath));
        link.href = blobUrl;
        csvStatus.textContent = '';
        link.click();
      } catch (err) { csvStatus.textContent = plain(err as ApiError); }
    });
    results.append(h('h2', { id: 'report-title' }, `${label} — ${r.dps}, ${r.from} to ${r.to}, ${r.funder ? words(r.funder) : 'every funder'}`),
      h('p', { class: 'hint' }, `As of ${r.as_of}. ${r.rows.length} rows.`), h('p', {}, link, ' ', csvStatus), r.rows.length ? table(r) : h('p', {}, 'No rows: nothing in this period.'));
  }

  function table(r: Report): HTMLElement {
    return h('div', { class: 'scroll', tabindex: '0', role: 'group', 'aria-label': 'The report\'s table (scrolls sideways)' },
      h('table', { class: 'report' }, h('caption', { class: 'sr-only' }, `The ${r.report} report`),
        h('thead', {}, h('tr', {}, r.columns.map((c) => h('th', { scope: 'col' }, words(c))))),
        h('tbody', {}, r.rows.map((row) => h('tr', {}, r.columns.map((c) => cell(row[c])))))));
  }

  function cell(v: unknown): HTMLElement {
    if (v === null || v === undefined) return h('td', {}, '—');
    if (typeof v === 'number') return h('td', { class: 'num' }, v.toLocaleString('en-GB', { maximumFractionDigits: 2 }));
    return h('td', {}, typeof v === 'string' ? v : JSON.stringify(v));
  }

  void (async () => {
    try {
      const list = (await api<{ items: { code: string; name: string }[] }>('GET', '/dps')).items;
      for (const d of list) dps.input.append(h('option', { value: d.code }, d.name));
    } catch (err) { out.textContent = plain(err as ApiError); }
  })();
}
