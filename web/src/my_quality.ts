// The provider's own quality: per location, its score under each DPS with the explanation, its
// RAG and reasons, its self-assessment cycle (status, next due date, the latest result), the
// declared capacity, the form to submit a self-assessment — a score 1..4 for every standard
// of the DPS's framework, and notes (POST /api/v1/locations/{id}/self-assessments) — and the
// quarterly KPI return (kpi_return.ts). Everything here is what the API gives a provider about its
// own locations.
import { api, ApiError, Me } from './api';
import { clear, field, h, words } from './dom';
import { Domain, framework, scoreOptions } from './framework';
import { plain } from './officer';
import { KpiHistory, kpiCycleText, kpiReturnForm, latestKpiText } from './kpi_return';

interface Cycle { dps: string; status: string; last: number | null; next_due: string | null; overdue: boolean }
interface History { self_assessment: number | null; cycles: Cycle[];
  self_assessments: { number: number; dps: string; status: string; submitted_on: string; validation?: { points: number; changes: { domain: string; from: number; to: number; reason: string }[] } }[] }

const MAX_LOCATIONS = 20;

export function myQuality(area: HTMLElement, me: Me): void {
  async function load(): Promise<void> {
    clear(area);
    area.append(h('h2', { id: 'q-title' }, 'Your quality score and rating'),
      h('p', { class: 'hint' }, 'Per location and DPS: the quality score the ranking uses and how it is made, the early-warning rating (RAG) with its reasons, and your self-assessment.'));
    const rows = h('div', {});
    area.append(rows);
    rows.append(...await Promise.all(me.locations.slice(0, MAX_LOCATIONS).map((l) => locationCard(l.location))));
    if (me.locations.length > MAX_LOCATIONS) area.append(h('p', { class: 'hint' }, `The first ${MAX_LOCATIONS} of your ${me.locations.length} locations are shown.`));
  }

  async function locationCard(id: string, note = ''): Promise<HTMLElement> {
    const path = `/locations/${encodeURIComponent(id)}`;
    const [d, hist, kpis] = await Promise.all([api<any>('GET', path), api<History>('GET', `${path}/self-assessments`),
      api<KpiHistory>('GET', `${path}/kpi-returns`)]);
    const el = h('article', { class: 'location', 'data-location': d.location, 'aria-labelledby': `myq-${d.location}` },
      h('h3', { id: `myq-${d.location}` }, `${d.name} (${d.location})`),
      h('p', {}, `CQC ${words(d.quality_inputs.cqc)}, PAMMS ${words(d.quality_inputs.pamms)}, self-assessment ${hist.self_assessment ?? 'none'}${hist.self_assessment === null ? '' : ' points'}`),
      note ? h('p', { role: 'status', class: 'result' }, note) : null);
    for (const m of d.memberships) {
      const cycle = hist.cycles.find((c) => c.dps === m.dps);
      const latest = hist.self_assessments.filter((s) => s.dps === m.dps).at(-1);
      const kpiCycle = kpis.cycles.find((c) => c.dps === m.dps);
      el.append(h('div', { class: 'membership', 'data-dps': m.dps },
        h('p', {}, h('strong', {}, `${m.dps}: `), `${words(m.status)}${m.tier ? `, ${m.tier}` : ''} · quality ${m.quality.score}${m.quality.provisional ? ' (provisional)' : ''} · `,
          h('span', { class: `rag rag-${m.risk.rag}` }, m.risk.rag.toUpperCase())),
        h('p', { class: 'hint' }, m.quality.explanation),
        m.risk.reasons.length ? h('ul', {}, m.risk.reasons.map((r: string) => h('li', {}, r))) : h('p', {}, 'No risk warnings.'),
        cycle ? h('p', { class: 'cycle' }, `Self-assessment: ${cycleText(cycle)}`,
          latest ? ` Latest: no. ${latest.number}, submitted ${latest.submitted_on}, ${latest.validation ? `validated at ${latest.validation.points} points` : 'awaiting validation'}.` : '') : null,
        latest?.validation?.changes.length ? h('ul', {}, latest.validation.changes.map((c) => h('li', {}, `Compliance changed ${c.domain} from ${c.from} to ${c.to}: “${c.reason}”`))) : null,
        m.status === 'admitted' ? capacityForm(d.location, m.dps, Number(m.capacity)) : null,
        m.status === 'admitted' ? await selfAssessmentForm(d.location, m.dps) : null,
        kpiCycle ? h('p', { class: 'kpi-cycle' }, `KPI returns: ${kpiCycleText(kpiCycle)}`) : null,
        latestKpiText(kpis, m.dps) ? h('p', { class: 'kpi-latest' }, latestKpiText(kpis, m.dps)) : null,
        m.status === 'admitted' && kpiCycle?.kpis.length ? kpiReturnForm(d.location, kpiCycle, async (message) => {
          document.querySelector(`article[data-location="${CSS.escape(d.location)}"]`)?.replaceWith(await locationCard(d.location, message));
        }) : null));
    }
    return el;
  }

  function cycleText(c: Cycle): string {
    const due = c.next_due ? `next due ${c.next_due}${c.overdue ? ' — overdue' : ''}.` : 'not due (no cycle set).';
    return `${words(c.status)}, ${due}`;
  }

  /// Submit a self-assessment: every standard of the DPS's framework scored 1..4, by domain.
  async function selfAssessmentForm(location: string, dps: string): Promise<HTMLElement> {
    const domains: Domain[] = await framework(dps);
    const base = `sa-${location}-${dps}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const scores = domains.flatMap((d) => d.standards.map((s) => ({ code: s.code, f: field(`${s.name || s.code} (${s.code})`, sel(`${base}-${s.code}`)) })));
    const notes = field('Notes', h('textarea', { rows: 3, maxlength: '2000' }), 'Optional, up to 2,000 characters.');
    const out = h('p', { role: 'status', class: 'result' });
    const summaryMsg = h('p', { class: 'field-error', id: `${base}-error`, 'aria-live': 'polite' });
    const form = h('form', { class: 'self-assessment', novalidate: true, 'aria-label': `Self-assessment for ${dps}` },
      h('p', { class: 'hint' }, 'Score every standard: 1 inadequate, 2 requires improvement, 3 good, 4 excellent. Compliance validates it before it counts.'),
      domains.map((d) => h('fieldset', { class: 'scores' }, h('legend', {}, d.name || d.code),
        scores.filter((s) => d.standards.some((x) => x.code === s.code)).map((s) => s.f.wrap))),
      notes.wrap, summaryMsg, h('button', { type: 'submit', class: 'primary' }, 'Submit the self-assessment'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      out.textContent = '';
      let missing = 0;
      for (const s of scores) {
        s.f.setError(s.f.input.value ? '' : 'Score this standard from 1 to 4.');
        if (!s.f.input.value) missing += 1;
      }
      summaryMsg.textContent = missing ? `Score every standard from 1 to 4: ${missing} ${missing === 1 ? 'is' : 'are'} not scored.` : '';
      if (missing) return (scores.find((s) => !s.f.input.value)!.f.input as HTMLElement).focus();
      const body = { dps, scores: Object.fromEntries(scores.map((s) => [s.code, Number(s.f.input.value)])), notes: (notes.input as HTMLTextAreaElement).value.trim() };
      try {
        const r = await api<{ number: number }>('POST', `/locations/${encodeURIComponent(location)}/self-assessments`, body);
        const fresh = await locationCard(location, `Self-assessment no. ${r.number} submitted for ${dps}: compliance will validate it.`);
        document.querySelector(`article[data-location="${CSS.escape(location)}"]`)?.replaceWith(fresh);
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    return h('details', { class: 'submit-assessment', id: `${base}-details` }, h('summary', {}, `Submit a self-assessment for ${dps}`), form);
  }

  function sel(id: string): HTMLSelectElement {
    const s = h('select', { id });
    for (const [v, t] of scoreOptions('choose')) s.append(h('option', { value: v }, t));
    return s;
  }

  /// The location's declared capacity under one DPS: hours a week for new placements (0 = not declared).
  function capacityForm(location: string, dps: string, capacity: number): HTMLElement {
    const hours = field(`Declared capacity in ${dps} (hours a week)`,
      h('input', { type: 'number', min: '0', max: '10000000', step: '1', value: String(capacity), inputmode: 'numeric' }),
      '0 = not declared. Placements you hold count against it.');
    const done = h('p', { class: 'hint', 'aria-live': 'polite' });
    const submit = async (e: Event) => {
      e.preventDefault();
      hours.setError('');
      done.textContent = '';
      const text = hours.input.value.trim();
      if (!/^\d+$/.test(text)) return hours.setError('Enter whole hours a week, 0 or more.');
      try {
        await api('PUT', `/locations/${encodeURIComponent(location)}/memberships/${encodeURIComponent(dps)}/capacity`,
          { capacity: Number(text) });
        done.textContent = `Declared: ${Number(text)} hours a week.`;
      } catch (err) {
        const a = err as ApiError;
        hours.setError(a.code === 'invalid_capacity' ? 'Capacity is 0 to 10,000,000 hours a week.' : a.detail || words(a.code));
      }
    };
    return h('form', { class: 'capacity', novalidate: true, onsubmit: submit, 'aria-label': `Declared capacity in ${dps}` },
      hours.wrap, h('button', { type: 'submit' }, 'Declare capacity'), done);
  }

  void load();
}
