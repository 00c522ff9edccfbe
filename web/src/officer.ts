// The brokerage officer's screens: post a package (a form built from the DPS's own lots,
// categories and zones), the packages live, one package's ranked offers with their explanations
// and decisions, the packages that need action, and the exclusions grouped by rule.
import { api, ApiError, Me } from './api';
import { Call, callsText, clear, fact, field, Field, h, rerender, select, when, words } from './dom';
import { personBox } from './person';
import { Frame, Screen } from './live';

interface Dps {
  code: string;
  name: string;
  lots: { code: string; name: string; unit: string; rate_min: number; rate_max: number }[];
  categories: string[];
  zones: { code: string; name: string; postcode_districts: string[] }[];
}

const NEEDS_ACTION = new Set(['awaiting_decision', 'unsourced']);
const PAGE = 200;

export function officerScreen(main: HTMLElement, _me: Me): Screen {
  const formArea = h('section', { class: 'card', 'aria-labelledby': 'post-title' });
  const listArea = h('section', { class: 'card', 'aria-labelledby': 'packages-title' });
  const detailArea = h('section', { class: 'card wide', 'aria-labelledby': 'detail-title', id: 'package-detail' });
  const activity = h('ol', { class: 'activity', 'aria-live': 'polite', 'aria-label': 'Live activity' });
  main.append(h('div', { class: 'grid' }, formArea, listArea, detailArea),
    h('section', { class: 'card wide', 'aria-labelledby': 'activity-title' }, h('h2', { id: 'activity-title' }, 'Live activity'), activity));
  let dpsList: Dps[] = [];
  let current: number | null = null;
  let refreshTimer: number | undefined;

  // ---- the post form ----
  async function buildForm(): Promise<void> {
    dpsList = (await api<{ items: Dps[] }>('GET', '/dps')).items;
    clear(formArea);
    formArea.append(h('h2', { id: 'post-title' }, 'Post a care package'),
      h('p', { class: 'hint' }, 'The package goes to the providers eligible for it at once, without the person\'s name or address. Fields marked * are required.'));
    const dps = field('DPS *', select(dpsList.map((d) => [d.code, d.name])), 'The Dynamic Purchasing System that buys this kind of care.');
    const lot = field('Lot *', select([]), 'What is bought, and its unit.');
    const zone = field('Zone *', select([]), 'Where the person lives; only providers serving this zone are invited.');
    const categories = h('fieldset', { class: 'checks' });
    const catMsg = h('p', { class: 'field-error', id: 'categories-error', 'aria-live': 'polite' });
    const district = field('Postcode district', h('input', { type: 'text', maxlength: 8, autocomplete: 'off' }), 'The first half of the postcode, e.g. B13. Optional.');
    const hours = field('Hours a week *', h('input', { type: 'number', min: '0.25', step: '0.25', inputmode: 'decimal' }), 'For home care: the total hours of care each week, e.g. 14.');
    const start = field('Start date *', h('input', { type: 'date' }), 'The first day care is needed.');
    const urgency = field('Urgency', select([['standard', 'Standard (2 working days)'], ['urgent', 'Urgent (4 hours)'], ['planned', 'Planned (5 working days)']]));
    const window = field('Window in minutes', h('input', { type: 'number', min: '0.1', step: 'any', inputmode: 'decimal' }), 'Optional: how long bidding stays open, instead of the urgency\'s window (0.5 = 30 seconds).');
    const calls = field('Calls of the week', h('input', { type: 'text', autocomplete: 'off' }),
      'Optional, instead of hours a week: day, time, minutes, and ×2 for two carers, separated by commas, e.g. mon 07:30 45x2, mon 12:30 30, sun 09:00 60.');
    const funding = field('Funding shares', h('input', { type: 'text', autocomplete: 'off' }),
      'Optional: who pays, in percent totalling 100, e.g. council 60, nhs 40 (self_funder for the person). Blank: the council pays all.');
    const mustMeet = field('Must-meet requirements', h('input', { type: 'text' }), 'Optional, separated by commas, e.g. female carers.');
    const needs = field('Needs', h('input', { type: 'text' }), 'Optional, separated by commas, e.g. personal care, medication prompts.');
    const personName = field('Person\'s name *', h('input', { type: 'text', autocomplete: 'off' }), 'Shown only to the provider who accepts the award.');
    const address = field('Address', h('input', { type: 'text', autocomplete: 'off' }));
    const postcode = field('Postcode', h('input', { type: 'text', autocomplete: 'off', maxlength: 10 }));
    const caseRef = field('Case reference', h('input', { type: 'text', autocomplete: 'off' }));
    const result = h('p', { role: 'status', class: 'result' });
    const fields: Record<string, Field<HTMLElement>> = {
      dps, lot, zone, postcode_district: district, quantity: hours, start_date: start, urgency, window,
      must_meet: mustMeet, needs, schedule: calls, funding, 'person.name': personName, 'person.address': address, 'person.postcode': postcode,
      'person.case_reference': caseRef,
    };
    const fillDps = () => {
      const d = dpsList.find((x) => x.code === (dps.input as HTMLSelectElement).value)!;
      const lotSel = lot.input as HTMLSelectElement, zoneSel = zone.input as HTMLSelectElement;
      clear(lotSel);
      for (const l of d.lots) lotSel.append(h('option', { value: l.code }, `${l.name} (${l.code}, per ${l.unit.replace(/s$/, '')})`));
      clear(zoneSel);
      for (const z of d.zones) zoneSel.append(h('option', { value: z.code }, `${z.name} — ${z.postcode_districts.slice(0, 6).join(', ')}${z.postcode_districts.length > 6 ? '…' : ''}`));
      clear(categories);
      categories.append(h('legend', {}, 'Categories of care * (at least one)'));
      for (const c of d.categories) {
        const id = `cat-${c}`;
        categories.append(h('span', { class: 'check' }, h('input', { type: 'checkbox', id, value: c, name: 'category', 'aria-describedby': 'categories-error' }), h('label', { for: id }, words(c))));
      }
    };
    dps.input.addEventListener('change', fillDps);
    fillDps();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    (start.input as HTMLInputElement).value = tomorrow;
    const form = h('form', { novalidate: true }, dps.wrap, lot.wrap, zone.wrap, categories, catMsg, district.wrap, hours.wrap,
      calls.wrap, funding.wrap, start.wrap, urgency.wrap, window.wrap, needs.wrap, mustMeet.wrap,
      h('fieldset', {}, h('legend', {}, 'The person (private)'), personName.wrap, address.wrap, postcode.wrap, caseRef.wrap),
      h('button', { type: 'submit', class: 'primary' }, 'Post the package'), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      for (const f of Object.values(fields)) f.setError('');
      catMsg.textContent = '';
      result.textContent = '';
      const v = (f: Field<HTMLElement>) => (f.input as HTMLInputElement).value.trim();
      const list = (f: Field<HTMLElement>) => v(f).split(',').map((s) => s.trim()).filter(Boolean);
      const cats = [...categories.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
      let bad: HTMLElement | null = null;
      const fail = (f: Field<HTMLElement>, text: string) => { f.setError(text); bad ??= f.input; };
      if (cats.length === 0) { catMsg.textContent = 'Choose at least one category of care.'; bad ??= categories.querySelector('input'); }
      const hoursValue = Number(v(hours));
      const schedule = parseCalls(v(calls));
      if (typeof schedule === 'string') fail(calls, schedule);
      const shares = parseShares(v(funding));
      if (typeof shares === 'string') fail(funding, shares);
      if (!v(hours) && v(calls)) { /* the calls give the hours */ }
      else if (!v(hours)) fail(hours, 'Enter the hours of care a week, for example 14.');
      else if (!(hoursValue > 0) || hoursValue > 168) fail(hours, 'Hours a week must be more than 0 and at most 168.');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v(start))) fail(start, 'Enter the start date as a day, month and year.');
      if (v(window) && !(Number(v(window)) >= 0.1 && Number(v(window)) <= 43_200)) fail(window, 'The window is a number of minutes from 0.1 (6 seconds) to 43200 (30 days).');
      if (!v(personName)) fail(personName, 'Enter the person\'s name: only the provider who accepts will see it.');
      if (v(district) && !/^[A-Za-z]{1,2}\d[A-Za-z\d]?$/.test(v(district))) fail(district, 'A postcode district looks like B13 or B1: the first half of a postcode.');
      if (bad) { (bad as HTMLElement).focus(); return; }
      const body: Record<string, unknown> = {
        dps: v(dps), lot: v(lot), categories: cats, zone: v(zone), quantity: Math.round(hoursValue * 60),
        start_date: v(start), urgency: v(urgency), needs: list(needs), must_meet: list(mustMeet),
        person: { name: v(personName), address: v(address), postcode: v(postcode), case_reference: v(caseRef) },
      };
      if (schedule && typeof schedule === 'object') {
        body.schedule = schedule;
        delete body.quantity;  // the calls give the person's minutes a week
      }
      if (Array.isArray(shares) && shares.length) body.funding = shares;
      if (v(district)) body.postcode_district = v(district).toUpperCase();
      if (v(window)) body.window = Math.round(Number(v(window)) * 60_000);
      try {
        const r = await api<{ package: number }>('POST', '/packages', body);
        result.textContent = `Package ${r.package} posted: providers are being told now.`;
        form.reset();
        fillDps();
        (start.input as HTMLInputElement).value = tomorrow;
        await refreshList();
        await showPackage(r.package);
      } catch (err) {
        const e2 = err as ApiError;
        const f = e2.field ? fields[e2.field] : undefined;
        if (f) { f.setError(plain(e2)); f.input.focus(); } else result.textContent = `Not posted: ${plain(e2)}`;
      }
    });
    formArea.append(form);
  }

  // ---- the list ----
  /// The newest packages (the last two pages of the list), and every package in a status that
  /// needs action however old.
  async function refreshList(): Promise<void> {
    type Page = { items: any[]; total: number };
    const first = await api<Page>('GET', `/packages?page_size=${PAGE}`);
    const last = Math.ceil(first.total / PAGE);
    const pages = last <= 1 ? [first] : await Promise.all([last - 1, last].map((n) => api<Page>('GET', `/packages?page_size=${PAGE}&page=${n}`)));
    const all = pages.flatMap((p) => p.items).reverse();
    const flagged = (await Promise.all([...NEEDS_ACTION].map((st) => api<Page>('GET', `/packages?page_size=${PAGE}&status=${st}`)))).flatMap((p) => p.items);
    rerender(listArea, () => drawList(all, flagged));
  }

  function drawList(all: any[], flagged: any[]): void {
    clear(listArea);
    const seen = new Set(flagged.map((p) => p.package));
    const needs = [...flagged, ...all.filter((p) => !seen.has(p.package) && p.declines > 0 && !['placed', 'cancelled', 'direct_payment'].includes(p.status))];
    const live = all.filter((p) => !['placed', 'cancelled', 'direct_payment', 'unsourced'].includes(p.status));
    listArea.append(h('h2', { id: 'packages-title' }, 'Packages'),
      h('h3', {}, `Needs action (${needs.length})`),
      needs.length ? table(needs, 'Packages that need action') : h('p', {}, 'Nothing needs action.'),
      h('h3', {}, `Open and in progress (${live.length})`),
      live.length ? table(live, 'Open packages') : h('p', {}, 'No open packages.'),
      h('details', { id: 'all-packages' }, h('summary', {}, `Recent packages (${all.length})`), table(all, 'Recent packages')));
  }

  function table(rows: any[], caption: string): HTMLElement {
    return h('table', {}, h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, ...['Package', 'Status', 'Lot / zone', 'Offers', 'Closes'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((p) => h('tr', { 'data-package': p.package },
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showPackage(p.package) }, `Package ${p.package}`)),
        h('td', {}, h('span', { class: `status status-${p.status}` }, words(p.status))),
        h('td', {}, `${p.lot} · ${p.zone}`),
        h('td', { class: 'offers' }, String(p.offer_count)),
        h('td', {}, when(p.closes_at))))));
  }

  // ---- one package ----
  async function showPackage(id: number): Promise<void> {
    const same = current === id;
    current = id;
    const p = await api<any>('GET', `/packages/${id}`);
    if (same) rerender(detailArea, () => drawPackage(p));
    else drawPackage(p);
  }

  function drawPackage(p: any): void {
    clear(detailArea);
    detailArea.append(h('h2', { id: 'detail-title', tabindex: '-1' }, `Package ${p.package}: ${words(p.status)}`),
      h('dl', { class: 'facts' },
        ...fact('DPS / lot', `${p.dps} / ${p.lot}`), ...fact('Zone', `${p.zone} ${p.postcode_district}`),
        ...fact('Categories', p.categories.map(words).join(', ')), ...fact('Tier', p.tier),
        ...fact('Hours a week', p.weekly_hours
          ? `${p.weekly_hours.carer.hours} carer hours (${p.weekly_hours.person.hours} for the person)`
          : String(p.quantity / 60)),
        ...fact('Calls', p.schedule ? callsText(scheduleCalls(p.schedule)) : '—'),
        ...fact('Start', p.end_date ? `${p.start_date} to ${p.end_date}` : p.start_date),
        ...fact('Funding', p.funding.map((f: any) => `${words(f.funder)} ${f.percent}%`).join(', ')),
        ...fact('Closes', when(p.closes_at)), ...fact('Invited', String(p.invited_count)),
        ...fact('Award', p.award ? `${p.award.name} (${p.award.location}): ${words(p.award.state)}` : '—')),
      personBox(p.person));
    const offers = [...p.ranking.offers].sort((a: any, b: any) => (a.rank || 1e9) - (b.rank || 1e9));
    detailArea.append(h('h3', {}, `Offers, ranked (${offers.length})`),
      h('p', { class: 'hint' }, `Ranking: ${words(p.ranking.scheme)}; lowest acceptable price ${p.ranking.lowest ? `£${(p.ranking.lowest / 100).toFixed(2)}` : '—'}.`));
    if (!offers.length) detailArea.append(h('p', {}, 'No offers yet. They appear here as they arrive.'));
    const list = h('ol', { class: 'offers-list', 'aria-label': 'Offers in rank order' });
    for (const o of offers) {
      const flags = [o.withdrawn && 'withdrawn', o.declined && 'declined the award', !o.acceptable && `not acceptable: ${o.not_acceptable_reason}`,
        o.abnormally_low !== 'not_flagged' && `abnormally low: ${words(o.abnormally_low)}`,
        o.made_before_amendment && 'made before the latest amendment: not yet confirmed'].filter(Boolean) as string[];
      const item = h('li', { class: 'offer', 'data-location': o.location },
        h('div', { class: 'offer-head' },
          h('strong', {}, o.rank ? `#${o.rank}` : '—'), ' ', `${o.name} (${o.location})`, ' · ',
          h('span', { class: 'price' }, o.price_display), ` (${o.weekly_value_display} a week)`, ' · ', `quality ${o.quality.score}${o.quality.provisional ? ' (provisional)' : ''}`,
          ' · ', `score ${typeof o.score === 'number' ? o.score.toFixed(3) : '—'}`),
        flags.length ? h('p', { class: 'flags' }, flags.join('; ')) : null,
        h('details', { class: 'explanation', id: `explain-${p.package}-${o.location}` }, h('summary', {}, 'Explanation'),
          h('p', {}, o.explanation), h('p', {}, `Quality: ${o.quality.explanation}`),
          h('p', {}, `Start ${o.start_date}; must-meet confirmed: ${o.must_meet_confirmed ? o.must_meet_confirmations.join(', ') || 'yes' : 'no'}; notes: ${o.notes || '—'}`),
          o.provider_explanation ? h('p', { class: 'provider-explanation' }, `The provider's explanation of its price (${when(o.provider_explanation.at)}): ${o.provider_explanation.text}`) : null));
      if (p.award?.state === 'awaiting_abnormally_low_decision' && p.award.location === o.location) item.append(lowDecision(p.package, o.location));
      list.append(item);
    }
    detailArea.append(list);
    if (p.spot_purchase) {
      const sp = p.spot_purchase;
      detailArea.append(h('h3', {}, 'Spot purchase after unsourced'), h('dl', { class: 'facts' },
        ...fact('Provider', `${sp.provider}${sp.location ? ` (${sp.location})` : ''}${sp.off_framework ? ' — off the framework' : ''}`),
        ...fact('Rate', `${sp.rate_display} (${sp.weekly_value_display} a week)`), ...fact('Reason', sp.reason),
        ...fact('Recorded', `${when(sp.recorded_at)} by ${sp.officer}`)));
    }
    if (!['placed', 'cancelled', 'direct_payment'].includes(p.status) && offers.length) detailArea.append(personsChoice(p, offers));
    if (p.amendments?.length) detailArea.append(h('h3', {}, 'Amendments'), h('ol', { class: 'amendments' },
      p.amendments.map((a: any) => h('li', {}, `${when(a.at)} by ${a.officer}: ${a.notes} (start ${a.previous_start_date} → ${a.start_date}; ` +
        `${a.previous_quantity / 60} → ${a.quantity / 60} hours a week${a.schedule_changed ? '; calls changed' : ''})`))));
    if (p.questions?.length || p.status === 'open') detailArea.append(questionsBox(p));
    if (p.status === 'open') detailArea.append(amendForm(p));
    const rules = Object.entries(p.exclusions_by_rule as Record<string, number>).sort((a, b) => b[1] - a[1]);
    detailArea.append(h('h3', {}, 'Who was not invited, by rule'),
      rules.length ? h('table', { class: 'rules' }, h('caption', { class: 'sr-only' }, 'Exclusions by rule'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Locations'))),
        h('tbody', {}, rules.map(([rule, n]) => h('tr', {}, h('td', {}, words(rule)), h('td', {}, String(n)))))) : h('p', {}, 'Everyone eligible was invited.'),
      h('details', { id: `excluded-${p.package}` }, h('summary', {}, `The ${p.exclusions.length} members of the DPS not invited, and why`),
        h('ul', {}, p.exclusions.map((x: any) => h('li', {}, `${x.name} (${x.location}): ${words(x.rule)} — ${x.detail}`)))));
  }

  /// Providers' clarification questions, with who asked (staff only); each answered once, to
  /// every invited location without the asker.
  function questionsBox(p: any): HTMLElement {
    const box = h('div', { class: 'questions' }, h('h3', {}, `Questions from providers (${p.questions.length})`));
    if (!p.questions.length) box.append(h('p', {}, 'None yet. Invited providers may ask while bidding is open.'));
    for (const q of p.questions) {
      const item = h('div', { class: 'question', 'data-question': q.number },
        h('p', {}, h('strong', {}, `${q.number}. `), q.question, h('span', { class: 'hint' }, ` — asked by ${q.asked_by}, ${when(q.asked_at)}`)));
      if (q.answered) item.append(h('p', { class: 'answer' }, `Answered by ${q.officer}: ${q.answer}`));
      else {
        const answer = field('Answer *', h('input', { type: 'text', id: `answer-${p.package}-${q.number}` }), 'Sent to every invited provider, without saying who asked.');
        const out = h('p', { role: 'status' });
        const form = h('form', { class: 'answer-form' }, answer.wrap, h('button', { type: 'submit' }, 'Send the answer'), out);
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          answer.setError('');
          const text = (answer.input as HTMLInputElement).value.trim();
          if (!text) return answer.setError('Write the answer first.');
          try {
            await api('POST', `/packages/${p.package}/questions/${q.number}/answer`, { answer: text });
            out.textContent = 'Answer sent to every invited provider.';
            await showPackage(p.package);
          } catch (err) { out.textContent = plain(err as ApiError); }
        });
        item.append(form);
      }
      box.append(item);
    }
    return box;
  }

  /// Amend an open package: a new start date, new calls, or both, with notes for the providers.
  function amendForm(p: any): HTMLElement {
    const start = field('New start date', h('input', { type: 'date', id: `amend-start-${p.package}` }), 'Leave empty to keep the start date.');
    const calls = field('New calls', h('input', { type: 'text', id: `amend-calls-${p.package}` }), 'Leave empty to keep them; e.g. mon 07:30 45x2, mon 12:00 30.');
    const notes = field('What changed and why *', h('input', { type: 'text', id: `amend-notes-${p.package}` }), 'Sent to every invited provider.');
    const out = h('p', { role: 'status' });
    const form = h('form', { class: 'amend' }, h('h3', {}, 'Amend this package'), start.wrap, calls.wrap, notes.wrap,
      h('button', { type: 'submit' }, 'Amend and tell the invited providers'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      for (const f of [start, calls, notes]) f.setError('');
      const body: Record<string, unknown> = { notes: (notes.input as HTMLInputElement).value.trim() };
      if (!body.notes) return notes.setError('Say what changed and why: the providers are told.');
      const date = (start.input as HTMLInputElement).value;
      if (date) body.start_date = date;
      const schedule = parseCalls((calls.input as HTMLInputElement).value.trim());
      if (typeof schedule === 'string') return calls.setError(schedule);
      if (schedule) body.schedule = schedule;
      if (!date && !schedule) return start.setError('Give a new start date, new calls, or both.');
      try {
        await api('POST', `/packages/${p.package}/amendments`, body);
        out.textContent = 'Amended: every invited provider has been told.';
        await showPackage(p.package);
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    return form;
  }

  function lowDecision(pkg: number, location: string): HTMLElement {
    const reason = field('Reason for the decision *', h('input', { type: 'text', id: `low-reason-${pkg}-${location}` }));
    const out = h('p', { role: 'status' });
    const decide = async (accept: boolean) => {
      reason.setError('');
      if (!(reason.input as HTMLInputElement).value.trim()) return reason.setError('Give a reason: it is recorded with the decision.');
      try {
        await api('POST', `/packages/${pkg}/abnormally-low-decisions`, { location, accept, reason: (reason.input as HTMLInputElement).value.trim() });
        out.textContent = accept ? 'Explanation accepted.' : 'Offer rejected; the offers are ranked again.';
        await showPackage(pkg);
      } catch (e) { out.textContent = plain(e as ApiError); }
    };
    return h('div', { class: 'decision' }, h('p', {}, 'This offer is abnormally low and tops the ranking: decide before the award.'), reason.wrap,
      h('button', { type: 'button', onclick: () => decide(true) }, 'Accept the explanation'), ' ',
      h('button', { type: 'button', onclick: () => decide(false) }, 'Reject the offer'), out);
  }

  function personsChoice(p: any, offers: any[]): HTMLElement {
    const locSelect = select(offers.filter((o) => !o.withdrawn).map((o) => [o.location, `${o.name} (${o.location})`]));
    locSelect.id = `choice-location-${p.package}`;
    const loc = field('Location the person chose', locSelect);
    const reason = field('Reason *', h('input', { type: 'text', id: `choice-reason-${p.package}` }), 'Recorded with the award, e.g. the person already knows this provider.');
    const out = h('p', { role: 'status' });
    const form = h('form', { class: 'choice' }, h('h3', {}, 'Award to the person\'s own choice'), loc.wrap, reason.wrap,
      h('button', { type: 'submit' }, 'Award to this location'), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      reason.setError('');
      const r = (reason.input as HTMLInputElement).value.trim();
      if (!r) return reason.setError('Give the reason for following the person\'s choice.');
      try {
        await api('POST', `/packages/${p.package}/persons-choice`, { location: (loc.input as HTMLSelectElement).value, reason: r });
        out.textContent = 'Awarded to the person\'s choice.';
        await showPackage(p.package);
      } catch (err) { out.textContent = plain(err as ApiError); }
    });
    return form;
  }

  function scheduleRefresh(): void {
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => {
      void refreshList();
      if (current !== null) void showPackage(current);
    }, 150);
  }

  void buildForm().then(refreshList);
  return {
    onFrame(f: Frame) {
      // A Snapshot means the stream could not be resumed (first connection, or a gap longer than
      // the stream's history): read everything again rather than trust what is on screen.
      if (f.type === 'Snapshot') return scheduleRefresh();
      if (f.type !== 'PackageChanged') return;
      const m = f.message;
      activity.prepend(h('li', {}, `${new Date().toLocaleTimeString('en-GB')}: package ${m.package} — ${m.what.split(',').map(words).join(', ')}; now ${words(m.status)}, ${m.offers} offer${m.offers === 1 ? '' : 's'}`));
      while (activity.children.length > 30) activity.lastElementChild?.remove();
      scheduleRefresh();
    },
  };
}

const DAYS: Record<string, string> = { mon: 'monday', tue: 'tuesday', wed: 'wednesday', thu: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };

/// "mon 07:30 45x2, sun 09:00 60" → the REST schedule ({monday: [{at, minutes, carers}]}); null when
/// blank; a message for the officer when a call cannot be read (the server checks overlaps and
/// calls past midnight, and names them).
function parseCalls(text: string): Record<string, { at: string; minutes: number; carers: number }[]> | null | string {
  if (!text) return null;
  const out: Record<string, { at: string; minutes: number; carers: number }[]> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+(\d{1,2}):(\d{2})\s+(\d+)\s*(?:[x×]\s*([12]))?$/i.exec(part);
    if (!m) return `Cannot read the call "${part}": write it as a day, a time, the minutes and ×2 for two carers, e.g. mon 07:30 45x2.`;
    const day = DAYS[m[1].toLowerCase()];
    (out[day] ??= []).push({ at: `${m[2].padStart(2, '0')}:${m[3]}`, minutes: Number(m[4]), carers: m[5] ? Number(m[5]) : 1 });
  }
  return out;
}

/// "council 60, nhs 40" → [{funder, percent}]; [] when blank; a message when a share cannot be read.
function parseShares(text: string): { funder: string; percent: number }[] | string {
  if (!text) return [];
  const out: { funder: string; percent: number }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\s+(\d{1,3})\s*%?$/i.exec(part);
    if (!m) return `Cannot read the share "${part}": write it as a funder and a percentage, e.g. council 60.`;
    out.push({ funder: m[1].toLowerCase(), percent: Number(m[2]) });
  }
  return out;
}

/// The package view's schedule ({monday: [{at, minutes, carers}], …}) as a list of calls.
function scheduleCalls(schedule: Record<string, { at: string; minutes: number; carers: number }[]>): Call[] {
  return Object.entries(schedule).flatMap(([weekday, calls]) => calls.map((c) => ({ weekday, ...c })));
}


/// A server error in plain English.
export function plain(e: ApiError | Error): string {
  if (!(e instanceof ApiError)) return e.message;
  const known: Record<string, string> = {
    unknown_lot: 'That lot is not part of this DPS.',
    unknown_zone: 'That zone is not part of this DPS.',
    unknown_category: 'One of the categories is not offered in this DPS.',
    start_date_in_past: 'The start date is in the past: choose today or a later day.',
    overloaded: 'The market is busy: try again in a moment.',
    forbidden: 'Your role may not do that.',
  };
  return known[e.code] ?? `${e.detail || words(e.code)}`;
}
