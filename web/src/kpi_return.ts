// A provider's quarterly KPI return for one of its admitted locations under one DPS: the return
// cycle (the quarter owed, its due date, overdue or not, the next one due), the latest return
// judged against its targets, and the form — a percentage 0..100 for every KPI of the DPS's set,
// for a quarter, with notes (POST /api/v1/locations/{id}/kpi-returns). A later return for the
// same quarter amends it; the server says so and keeps both.
import { api, ApiError } from './api';
import { field, h } from './dom';
import { plain } from './officer';

export interface Kpi { id: string; name: string; target_pct: number; kind: string }
export interface KpiCycle {
  dps: string; last_returned: string | null; owed: string | null; owed_due: string | null;
  overdue: boolean; next: string | null; next_due: string | null; kpis: Kpi[];
}
export interface KpiReturn {
  number: number; dps: string; quarter: string; amends: number | null; counts: boolean; submitted_on: string;
  compliance: number; met: number; of: number; results: { kpi: string; value: number; target: number; met: boolean }[];
}
export interface KpiHistory { location: string; quality_version: number; cycles: KpiCycle[]; returns: KpiReturn[] }

/// "2026-Q3" for a date's quarter.
function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/// The cycle in words: what is owed and when, or that nothing is.
export function kpiCycleText(c: KpiCycle): string {
  const owed = c.owed ? `${c.owed} was due ${c.owed_due}${c.overdue ? ' — overdue, it counts 0 until returned' : ''}. ` : '';
  const next = c.next ? `Next: ${c.next}, due ${c.next_due}.` : '';
  const last = c.last_returned ? ` Last returned: ${c.last_returned}.` : ' None returned yet.';
  return `${owed}${next}${last}`;
}

/// The latest return that counts for the DPS, judged: "2026-Q3: 3 of 4 KPIs met (75%)".
export function latestKpiText(history: KpiHistory, dps: string): string {
  const latest = history.returns.filter((r) => r.dps === dps && r.counts).at(-1);
  if (!latest) return '';
  return `Latest KPI return: no. ${latest.number} for ${latest.quarter}${latest.amends ? ` (amends no. ${latest.amends})` : ''}, ` +
    `${latest.met} of ${latest.of} KPIs met (${latest.compliance}% compliance).`;
}

/// The form; `done` is called with the server's answer after a return is accepted.
export function kpiReturnForm(location: string, cycle: KpiCycle, done: (message: string) => void): HTMLElement {
  const base = `kpi-${location}-${cycle.dps}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const quarter = field('Quarter', h('input', { id: `${base}-quarter`, type: 'text', value: cycle.owed ?? cycle.next ?? quarterOf(new Date()),
    pattern: '\\d{4}-Q[1-4]', autocomplete: 'off', spellcheck: 'false' }), 'Written like 2026-Q3. A return for a quarter already returned amends it.');
  const values = cycle.kpis.map((k) => ({
    kpi: k,
    f: field(`${k.name} (target ${k.target_pct}%)`, h('input', { id: `${base}-${k.id}`, type: 'number', min: '0', max: '100', step: '0.01', inputmode: 'decimal' }),
      k.kind === 'people' ? 'Percentage of the people supported.' : 'Percentage of your care workers or managers.'),
  }));
  const notes = field('Notes', h('textarea', { rows: 2, maxlength: '2000' }), 'Optional, up to 2,000 characters.');
  const summary = h('p', { class: 'field-error', id: `${base}-error`, 'aria-live': 'polite' });
  const out = h('p', { role: 'status', class: 'result' });
  const form = h('form', { class: 'kpi-return', novalidate: true, 'aria-label': `KPI return for ${cycle.dps}` },
    quarter.wrap, h('fieldset', { class: 'kpis' }, h('legend', {}, 'Each KPI as a percentage, 0 to 100'), values.map((v) => v.f.wrap)),
    notes.wrap, summary, h('button', { type: 'submit', class: 'primary' }, 'Return the KPIs'), out);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.textContent = '';
    const q = quarter.input.value.trim();
    quarter.setError(/^\d{4}-Q[1-4]$/.test(q) ? '' : 'Write the quarter like 2026-Q3.');
    let bad = 0;
    for (const v of values) {
      const text = v.f.input.value.trim();
      const n = Number(text);
      const ok = text !== '' && Number.isFinite(n) && n >= 0 && n <= 100;
      v.f.setError(ok ? '' : 'A percentage from 0 to 100.');
      if (!ok) bad += 1;
    }
    summary.textContent = bad ? `Give every KPI as a percentage from 0 to 100: ${bad} ${bad === 1 ? 'is' : 'are'} missing or out of range.` : '';
    const firstBad = quarter.input.getAttribute('aria-invalid') ? quarter.input : values.find((v) => v.f.input.getAttribute('aria-invalid'))?.f.input;
    if (firstBad) return (firstBad as HTMLElement).focus();
    const body = { dps: cycle.dps, quarter: q, values: Object.fromEntries(values.map((v) => [v.kpi.id, Number(v.f.input.value)])),
      notes: (notes.input as HTMLTextAreaElement).value.trim() };
    try {
      const r = await api<{ number: number }>('POST', `/locations/${encodeURIComponent(location)}/kpi-returns`, body);
      done(`KPI return no. ${r.number} for ${q} received for ${cycle.dps}.`);
    } catch (err) {
      const a = err as ApiError;
      if (a.code === 'invalid_quarter' || a.code === 'quarter_in_future') quarter.setError(a.detail);
      out.textContent = plain(a);
    }
  });
  return h('details', { class: 'submit-kpi-return', id: `${base}-details` }, h('summary', {}, `Return KPIs for ${cycle.dps}`), form);
}
