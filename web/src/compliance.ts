// The compliance officer's (and commissioner's) screens: every location's RAG with its reasons,
// filterable; a location's quality and risk inputs (PATCH); membership actions.
import { api, ApiError, Me } from './api';
import { clear, field, h, select, words } from './dom';
import { Frame, Screen } from './live';
import { plain } from './officer';

export function complianceScreen(main: HTMLElement, _me: Me): Screen {
  const filters = h('form', { class: 'card wide filters', 'aria-labelledby': 'rag-title' });
  const listArea = h('section', { class: 'card', 'aria-label': 'Locations' });
  const detailArea = h('section', { class: 'card', 'aria-labelledby': 'loc-title', id: 'location-detail' });
  main.append(filters, h('div', { class: 'grid two' }, listArea, detailArea));
  let dpsCodes: string[] = [];

  async function init(): Promise<void> {
    dpsCodes = (await api<{ items: { code: string; name: string }[] }>('GET', '/dps')).items.map((d) => d.code);
    const dps = field('DPS', select(dpsCodes.map((c) => [c, c])));
    const rag = field('Rating', select([['', 'All'], ['red', 'Red'], ['amber', 'Amber'], ['green', 'Green']]));
    const text = field('Name or location ID contains', h('input', { type: 'search' }));
    filters.append(h('h1', { id: 'rag-title' }, 'Locations: rating (RAG) and reasons'), h('div', { class: 'row' }, dps.wrap, rag.wrap, text.wrap),
      h('button', { type: 'submit', class: 'primary' }, 'Show'));
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      void load((dps.input as HTMLSelectElement).value, (rag.input as HTMLSelectElement).value, (text.input as HTMLInputElement).value.trim().toLowerCase());
    });
    await load(dpsCodes[0], '', '');
  }

  async function load(dps: string, rag: string, text: string): Promise<void> {
    const q = `/locations?dps=${encodeURIComponent(dps)}&page_size=500${rag ? `&rag=${rag}` : ''}`;
    const r = await api<{ items: any[]; total: number }>('GET', q);
    const rows = r.items.filter((l) => !text || l.name.toLowerCase().includes(text) || l.location.toLowerCase().includes(text));
    const counts: Record<string, number> = { red: 0, amber: 0, green: 0 };
    for (const l of rows) counts[l.rag] = (counts[l.rag] ?? 0) + 1;
    clear(listArea);
    listArea.append(h('h2', {}, `${rows.length} ${rag ? `${rag} ` : ''}locations in ${dps}${text ? ` matching “${text}”` : ''}`),
      h('p', {}, h('span', { class: 'rag rag-red' }, `Red ${counts.red}`), ' ', h('span', { class: 'rag rag-amber' }, `Amber ${counts.amber}`), ' ', h('span', { class: 'rag rag-green' }, `Green ${counts.green}`)),
      h('table', {}, h('caption', { class: 'sr-only' }, 'Locations with their rating'),
        h('thead', {}, h('tr', {}, ...['Location', 'Status', 'Quality', 'RAG', 'Reasons'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((l) => h('tr', {},
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showLocation(l.location) }, `${l.name} (${l.location})`)),
          h('td', {}, words(l.membership?.status ?? '')),
          h('td', {}, `${l.quality.score}${l.quality.provisional ? ' (provisional)' : ''}`),
          h('td', {}, h('span', { class: `rag rag-${l.rag}` }, l.rag.toUpperCase())),
          h('td', {}, l.rag_reasons.join('; ') || '—'))))));
  }

  async function showLocation(id: string): Promise<void> {
    const d = await api<any>('GET', `/locations/${encodeURIComponent(id)}`);
    clear(detailArea);
    const qi = d.quality_inputs;
    detailArea.append(h('h2', { id: 'loc-title', tabindex: '-1' }, `${d.name} (${d.location})`),
      h('p', {}, `Provider ${d.provider.name} (${d.provider.id}) · ${d.postcode} · ${d.local_authority}`));
    for (const m of d.memberships)
      detailArea.append(h('div', { class: 'membership' },
        h('h3', {}, `${m.dps}: ${words(m.status)}`),
        h('p', {}, `Quality ${m.quality.score}${m.quality.provisional ? ' (provisional)' : ''} — ${m.quality.explanation} · `, h('span', { class: `rag rag-${m.risk.rag}` }, m.risk.rag.toUpperCase())),
        m.risk.reasons.length ? h('ul', {}, m.risk.reasons.map((r: string) => h('li', {}, r))) : null,
        membershipActions(d.location, m)));
    // Intelligence entry: quality and risk inputs.
    const cqc = field('CQC rating', select(['none', 'outstanding', 'good', 'requires_improvement', 'inadequate'].map((v) => [v, words(v)]), qi.cqc));
    const pamms = field('PAMMS rating', select(['none', 'excellent', 'good', 'requires_improvement', 'poor'].map((v) => [v, words(v)]), qi.pamms));
    const selfA = field('Self-assessment (0–100, empty if none)', h('input', { type: 'number', min: '0', max: '100', value: qi.self_assessment ?? '' }));
    const embargo = h('input', { type: 'checkbox', id: 'embargo', checked: qi.embargo });
    const embargoReason = field('Embargo reason', h('input', { type: 'text', value: qi.embargo_reason }));
    const vacancy = h('input', { type: 'checkbox', id: 'vacancy', checked: qi.registered_manager_vacancy });
    const safeguarding = field('Record new safeguarding decisions (count)', h('input', { type: 'number', min: '0', max: '100', value: '0' }));
    const why = field('Reason (needed to raise a risk: embargo, safeguarding)', h('input', { type: 'text' }));
    const evidence = field('Evidence reference (case number or document id)', h('input', { type: 'text', maxlength: '100' }));
    const out = h('p', { role: 'status' });
    const form = h('form', { class: 'intelligence', novalidate: true }, h('h3', {}, 'Intelligence: quality and risk inputs'),
      cqc.wrap, pamms.wrap, selfA.wrap, h('div', { class: 'check' }, embargo, h('label', { for: 'embargo' }, 'Embargo on new placements')), embargoReason.wrap,
      h('div', { class: 'check' }, vacancy, h('label', { for: 'vacancy' }, 'Registered manager vacancy')), safeguarding.wrap,
      why.wrap, evidence.wrap,
      h('button', { type: 'submit', class: 'primary' }, 'Save the inputs'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      selfA.setError('');
      const s = (selfA.input as HTMLInputElement).value.trim();
      if (s && !(Number.isInteger(Number(s)) && Number(s) >= 0 && Number(s) <= 100)) return selfA.setError('A whole number from 0 to 100, or leave it empty.');
      const body: Record<string, unknown> = {
        cqc: (cqc.input as HTMLSelectElement).value, pamms: (pamms.input as HTMLSelectElement).value,
        self_assessment: s ? Number(s) : -1, embargo: (embargo as HTMLInputElement).checked,
        embargo_reason: (embargoReason.input as HTMLInputElement).value, registered_manager_vacancy: (vacancy as HTMLInputElement).checked,
      };
      const n = Number((safeguarding.input as HTMLInputElement).value || 0);
      if (n > 0) body.record_safeguarding_decisions = n;
      const reasonText = (why.input as HTMLInputElement).value.trim();
      const evidenceText = (evidence.input as HTMLInputElement).value.trim();
      if (reasonText) body.reason = reasonText;
      if (evidenceText) body.evidence = evidenceText;
      try {
        await api('PATCH', `/locations/${encodeURIComponent(d.location)}/quality`, body);
        await showLocation(d.location);
        (document.querySelector('#location-detail [role=status]') as HTMLElement | null)?.append('Saved.');
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    detailArea.append(form);
    (document.getElementById('loc-title') as HTMLElement).focus();
  }

  function membershipActions(location: string, m: any): HTMLElement {
    const reason = field('Reason', h('input', { type: 'text' }), 'Required to suspend, exit or refuse.');
    const out = h('p', { role: 'status' });
    const act = async (path: string, withReason: boolean) => {
      reason.setError('');
      const r = (reason.input as HTMLInputElement).value.trim();
      if (withReason && !r) return reason.setError('Give a reason: it is recorded and shown to the provider.');
      try {
        await api('POST', `/locations/${encodeURIComponent(location)}/${path}`, withReason ? { dps: m.dps, reason: r } : { dps: m.dps });
        await showLocation(location);
      } catch (e) { out.textContent = plain(e as ApiError); }
    };
    const buttons: HTMLElement[] = [];
    if (m.status === 'admitted') buttons.push(h('button', { type: 'button', onclick: () => act('suspensions', true) }, 'Suspend'));
    if (m.status === 'suspended') buttons.push(h('button', { type: 'button', onclick: () => act('reinstatements', false) }, 'Reinstate'));
    if (m.status === 'under_assessment') {
      buttons.push(h('button', { type: 'button', onclick: () => void admitForm(location, m, out) }, 'Admit…'));
      buttons.push(h('button', { type: 'button', onclick: () => act('refusals', true) }, 'Refuse'));
      buttons.push(h('button', { type: 'button', onclick: () => act('assessment-extensions', false) }, 'Extend the assessment'));
    }
    if (m.status !== 'exited' && m.status !== 'refused') buttons.push(h('button', { type: 'button', onclick: () => act('exits', true) }, 'Exit from the DPS'));
    return h('div', { class: 'actions', role: 'group', 'aria-label': `Membership actions for ${m.dps}` }, reason.wrap, ...buttons.flatMap((b) => [b, ' ']), out);
  }

  /// Admission with its enrolment terms, chosen from the DPS's own lots, categories, zones, tiers.
  async function admitForm(location: string, m: any, after: HTMLElement): Promise<void> {
    const d = await api<any>('GET', `/dps/${encodeURIComponent(m.dps)}`);
    const group = (legend: string, name: string, items: [string, string][]) => h('fieldset', { class: 'checks' }, h('legend', {}, legend),
      items.map(([v, t]) => h('span', { class: 'check' }, h('input', { type: 'checkbox', id: `${name}-${v}`, name, value: v }), h('label', { for: `${name}-${v}` }, t))));
    const lots = group('Lots *', 'admit-lot', d.lots.map((l: any) => [l.code, l.name]));
    const cats = group('Categories *', 'admit-cat', d.categories.map((c: string) => [c, words(c)]));
    const zones = group('Zones *', 'admit-zone', d.zones.map((z: any) => [z.code, z.name]));
    const tier = field('Tier *', select(d.tiers.map((t: string) => [t, t])));
    const capacity = field('Declared capacity (hours a week)', h('input', { type: 'number', min: '0', value: '0' }));
    const out = h('p', { role: 'status' });
    const checked = (el: HTMLElement) => [...el.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    const form = h('form', { class: 'admit', novalidate: true, 'aria-label': `Admit to ${m.dps}` }, lots, cats, zones, tier.wrap, capacity.wrap,
      h('button', { type: 'submit', class: 'primary' }, 'Admit'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { dps: m.dps, lots: checked(lots), categories: checked(cats), zones: checked(zones),
        tier: (tier.input as HTMLSelectElement).value, capacity: Number((capacity.input as HTMLInputElement).value || 0) };
      if (!body.lots.length || !body.categories.length || !body.zones.length) { out.textContent = 'Choose at least one lot, one category and one zone.'; return; }
      try {
        await api('POST', `/locations/${encodeURIComponent(location)}/admissions`, body);
        await showLocation(location);
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    after.replaceChildren(form);
    (form.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  void init();
  return { onFrame(_f: Frame) { /* compliance screens are read on demand */ } };
}
