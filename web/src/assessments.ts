// Compliance: assessment cycles. Per DPS, the locations' self-assessments due, overdue, submitted
// or validated (GET /api/v1/dps/{code}/self-assessments); a location's history (GET
// …/locations/{id}/self-assessments); validate a submitted self-assessment, changing a domain's
// score with a reason (POST …/self-assessments/{n}/validation); record a PAMMS assessment (POST
// …/pamms-assessments) and show the rating the server computed by the DPS's rule.
import { api, ApiError } from './api';
import { clear, dateProblem, field, h, londonDate, select, words } from './dom';
import { Domain, framework, scoreOptions } from './framework';
import { plain } from './officer';

interface Cycle { location: string; name: string; provider: string; membership: string; status: string; last: number | null;
  last_submitted_on: string | null; next_due: string | null; overdue: boolean }
interface DomainScore { domain: string; score: number }
interface SelfAssessment { number: number; dps: string; status: string; domains: DomainScore[]; notes: string; submitted_on: string;
  submitted_by?: string; validation?: { changes: { domain: string; from: number; to: number; reason: string }[]; points: number; at_london: string; by?: string } }
interface Pamms { number: number; dps: string; domains: DomainScore[]; assessed_on: string; mean: number; rating: string; evidence?: string; assessed_by?: string }
interface History { location: string; self_assessment: number | null; pamms: string; cycles: { dps: string; status: string; last: number | null; next_due: string | null; overdue: boolean }[];
  self_assessments: SelfAssessment[]; pamms_assessments: Pamms[] }

const STATUSES: [string, string][] = [['submitted', 'Submitted: awaiting validation'], ['due', 'Due by a date (overdue included)'],
  ['overdue', 'Overdue'], ['validated', 'Validated'], ['', 'All']];

export function assessmentsScreen(area: HTMLElement): void {
  const filters = h('form', { class: 'card filters', 'aria-labelledby': 'cycles-title', novalidate: true });
  const listArea = h('section', { class: 'card', 'aria-labelledby': 'cycles-list' });
  const detail = h('section', { class: 'card', 'aria-labelledby': 'assessment-title', id: 'assessment-detail' });
  area.append(filters, h('div', { class: 'grid two' }, listArea, detail));
  const dps = field('DPS', select([]));
  const status = field('Self-assessments', select(STATUSES));
  const dueBy = field('Due by', h('input', { type: 'date', value: londonDate(30) }), 'For “due by a date”.');
  const out = h('p', { role: 'status', class: 'result' });
  filters.append(h('h1', { id: 'cycles-title' }, 'Assessment cycles: self-assessments and PAMMS'),
    h('div', { class: 'row' }, dps.wrap, status.wrap, dueBy.wrap), h('button', { type: 'submit', class: 'primary' }, 'Show'), out);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });

  async function load(): Promise<void> {
    out.textContent = '';
    dueBy.setError('');
    const q = new URLSearchParams({ page_size: '500' });
    if (status.input.value) q.set('status', status.input.value);
    if (status.input.value === 'due') {
      const d = dueBy.input.value.trim();
      if (dateProblem(d)) return dueBy.setError(dateProblem(d));
      q.set('due_by', d);
    }
    try {
      const r = await api<{ items: Cycle[]; total: number; today: string; due_by: string }>('GET', `/dps/${encodeURIComponent(dps.input.value)}/self-assessments?${q}`);
      drawList(r.items, r.total, r.today);
    } catch (err) { out.textContent = plain(err as ApiError); }
  }

  function drawList(items: Cycle[], total: number, today: string): void {
    clear(listArea);
    const what = STATUSES.find(([v]) => v === status.input.value)?.[1] ?? '';
    listArea.append(h('h2', { id: 'cycles-list' }, `${total} ${total === 1 ? 'location' : 'locations'} in ${dps.input.value}: ${what.toLowerCase()}`),
      h('p', { class: 'hint' }, `Today is ${today} by the market's clock.${total > items.length ? ` The first ${items.length} are shown.` : ''}`));
    if (!items.length) return void listArea.append(h('p', {}, 'None.'));
    listArea.append(h('table', {}, h('caption', { class: 'sr-only' }, 'Locations with their self-assessment cycle'),
      h('thead', {}, h('tr', {}, ...['Location', 'Self-assessment', 'Last submitted', 'Next due'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, items.map((c) => h('tr', { 'data-location': c.location },
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => void open(c.location, dps.input.value) }, `${c.name} (${c.location})`),
          c.membership === 'suspended' ? ' (suspended)' : ''),
        h('td', {}, words(c.status), c.last ? ` (no. ${c.last})` : ''),
        h('td', {}, c.last_submitted_on ?? '—'),
        h('td', {}, c.next_due ?? 'never', c.overdue ? h('strong', { class: 'overdue' }, ' overdue') : ''))))));
  }

  /// A location's history under one DPS, with the forms; `note` is said after a change.
  async function open(location: string, code: string, note = ''): Promise<void> {
    let hist: History, domains: Domain[];
    try {
      [hist, domains] = await Promise.all([api<History>('GET', `/locations/${encodeURIComponent(location)}/self-assessments`), framework(code)]);
    } catch (err) { out.textContent = plain(err as ApiError); return; }
    clear(detail);
    const cycle = hist.cycles.find((c) => c.dps === code);
    const selfs = hist.self_assessments.filter((s) => s.dps === code).reverse();
    const pamms = hist.pamms_assessments.filter((p) => p.dps === code).reverse();
    detail.append(h('h2', { id: 'assessment-title', tabindex: '-1' }, `${location} under ${code}`),
      h('p', { role: 'status', class: 'result' }, note),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Self-assessment input now'), h('dd', {}, hist.self_assessment === null ? 'none' : `${hist.self_assessment} points`),
        h('dt', {}, 'PAMMS input now'), h('dd', {}, words(hist.pamms)),
        h('dt', {}, 'Cycle'), h('dd', {}, cycle ? `${words(cycle.status)}, next due ${cycle.next_due ?? 'never'}${cycle.overdue ? ' (overdue)' : ''}` : 'no membership')));
    detail.append(h('h3', {}, 'Self-assessments'));
    if (!selfs.length) detail.append(h('p', {}, 'None submitted under this DPS.'));
    for (const s of selfs) detail.append(selfAssessment(location, code, s, domains));
    detail.append(h('h3', {}, 'PAMMS assessments'));
    if (!pamms.length) detail.append(h('p', {}, 'None recorded under this DPS.'));
    else detail.append(h('ul', { class: 'plain' }, pamms.map((p) => h('li', { class: 'pamms' },
      h('strong', {}, `No. ${p.number}, ${p.assessed_on}: ${words(p.rating)}`), ` (mean ${p.mean.toFixed(2)}; `,
      p.domains.map((d) => `${d.domain} ${d.score}`).join(', '), ')', p.assessed_by ? ` by ${p.assessed_by}` : '', p.evidence ? `, evidence ${p.evidence}` : ''))));
    detail.append(pammsForm(location, code, domains));
    (document.getElementById('assessment-title') as HTMLElement).focus();
  }

  function selfAssessment(location: string, code: string, s: SelfAssessment, domains: { code: string; name: string }[]): HTMLElement {
    const el = h('article', { class: 'self-assessment', 'aria-labelledby': `sa-${s.number}` },
      h('h4', { id: `sa-${s.number}` }, `No. ${s.number}, submitted ${s.submitted_on}${s.submitted_by ? ` by ${s.submitted_by}` : ''}: ${words(s.status)}`),
      s.notes ? h('p', {}, `Notes: ${s.notes}`) : null);
    const v = s.validation;
    if (v) {
      el.append(h('p', { class: 'validated' }, `Validated ${v.at_london}${v.by ? ` by ${v.by}` : ''}: ${v.points} points.`),
        v.changes.length ? h('ul', { class: 'plain' }, v.changes.map((c) => h('li', { class: 'change' }, `${nameOf(domains, c.domain)}: ${c.from} → ${c.to} — “${c.reason}”`))) : h('p', {}, 'No score changed.'));
      return el;
    }
    // Validation: each domain's score as submitted (its standards' mean), a new one and a reason.
    const rows = s.domains.map((d) => {
      const score = select(scoreOptions('keep'));
      const reason = h('input', { type: 'text', maxlength: '2000' });
      const fs = field(`New score for ${nameOf(domains, d.domain)}`, score);
      const fr = field(`Reason for ${nameOf(domains, d.domain)}`, reason);
      for (const f of [fs, fr]) f.wrap.querySelector('label')!.classList.add('sr-only');  // the column headers say it
      return { d, score, reason, fs, fr };
    });
    const out = h('p', { role: 'status' });
    const form = h('form', { class: 'validate', novalidate: true, 'aria-label': `Validate self-assessment ${s.number}` },
      h('table', {}, h('caption', {}, 'Domain scores as submitted; change one with a reason'),
        h('thead', {}, h('tr', {}, ...['Domain', 'Submitted', 'New score', 'Reason'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, nameOf(domains, r.d.domain)), h('td', {}, r.d.score.toFixed(2)),
          h('td', {}, r.fs.wrap), h('td', {}, r.fr.wrap))))),
      h('button', { type: 'submit', class: 'primary' }, 'Validate'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      out.textContent = '';
      let bad = false;
      const changes = [];
      for (const r of rows) {
        r.fr.setError('');
        if (!r.score.value) continue;
        const reason = r.reason.value.trim();
        if (!reason) {
          r.fr.setError('Give a reason for the changed score: the provider is shown it.');
          bad = true;
        }
        changes.push({ domain: r.d.domain, score: Number(r.score.value), reason });
      }
      if (bad) return;
      try {
        await api('POST', `/locations/${encodeURIComponent(location)}/self-assessments/${s.number}/validation`, { dps: code, domain_changes: changes });
        await open(location, code, `Self-assessment ${s.number} validated.`);
        await load();  // the list's statuses follow
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    el.append(form);
    return el;
  }

  function pammsForm(location: string, code: string, domains: { code: string; name: string }[]): HTMLElement {
    const scores = domains.map((d) => ({ d, f: field(`${d.name || d.code} *`, select(scoreOptions('choose'))) }));
    const on = field('Assessed on', h('input', { type: 'date', value: londonDate() }));
    const evidence = field('Evidence reference', h('input', { type: 'text', maxlength: '100' }), 'A report or document id, up to 100 characters.');
    const out = h('p', { role: 'status' });
    const form = h('form', { class: 'pamms-form', novalidate: true, 'aria-labelledby': 'pamms-title' },
      h('h3', { id: 'pamms-title' }, 'Record a PAMMS assessment'),
      h('fieldset', { class: 'scores' }, h('legend', {}, 'Domain scores, 1 (poor) to 4 (excellent)'), scores.map((s) => s.f.wrap)),
      on.wrap, evidence.wrap, h('button', { type: 'submit', class: 'primary' }, 'Record the PAMMS assessment'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      out.textContent = '';
      on.setError('');
      let bad = false;
      const body: Record<string, unknown> = { dps: code, domains: {} };
      for (const s of scores) {
        s.f.setError(s.f.input.value ? '' : 'Score this domain from 1 to 4.');
        if (!s.f.input.value) bad = true;
        else (body.domains as Record<string, number>)[s.d.code] = Number(s.f.input.value);
      }
      const d = on.input.value.trim();
      if (dateProblem(d)) { on.setError(dateProblem(d)); bad = true; }
      if (bad) return;
      body.assessed_on = d;
      if (evidence.input.value.trim()) body.evidence = evidence.input.value.trim();
      try {
        const r = await api<{ number: number }>('POST', `/locations/${encodeURIComponent(location)}/pamms-assessments`, body);
        const hist = await api<History>('GET', `/locations/${encodeURIComponent(location)}/self-assessments`);
        const p = hist.pamms_assessments.find((x) => x.number === r.number);
        await open(location, code, `PAMMS assessment ${r.number} recorded: rated ${p ? words(p.rating) : '?'}${p ? ` (mean ${p.mean.toFixed(2)})` : ''}.`);
      } catch (err) {
        const a = err as ApiError;
        if (a.code === 'assessment_date_in_future') on.setError('The assessment date is in the future: choose today or an earlier day.');
        else if (a.code === 'entry_before_registration') on.setError('The location was not registered yet on that day.');
        else out.textContent = plain(a);
      }
    });
    return form;
  }

  void (async () => {
    try {
      const list = (await api<{ items: { code: string; name: string }[] }>('GET', '/dps')).items;
      for (const d of list) dps.input.append(h('option', { value: d.code }, d.name));
    } catch (err) { out.textContent = plain(err as ApiError); return; }
    await load();
  })();
}

function nameOf(domains: { code: string; name: string }[], code: string): string {
  return domains.find((d) => d.code === code)?.name || code;
}
