// The provider's screens: the packages its locations are invited to, live and anonymised; its
// own offers (place, amend, withdraw) and their standing; award offers to accept or decline
// with the deadline counting down; the person's details once accepted; its quality, RAG and
// self-assessments (my_quality.ts); an
// offer flagged abnormally low asks for an explanation, and the officer's decision is shown.
import { Me } from './api';
import { callsText, clear, countdown, fact, field, h, money, rerender, when, words } from './dom';
import { Frame, LiveFeed, Screen } from './live';
import { myQuality } from './my_quality';
import { personBox } from './person';

interface Entry {
  location: string;
  package: number;
  broadcast: any | null;
  standing: string;
  closes_at: number;
  reason: string;
  rank: number;
  score: number;
  offered: { price: number; start_date: string } | null;
  awardExpires: number;
  person: any | null;
  message: string;
  /// The offer is flagged abnormally low: the explanation asked for (ExplanationRequested), then
  /// the officer's decision (AbnormallyLowDecision).
  explanation: { price: number; fairCost: number; thresholdPct: number; sent: boolean; decision: string } | null;
}

export function providerScreen(main: HTMLElement, me: Me, feed: LiveFeed): Screen {
  const entries = new Map<string, Entry>();
  const pending = new Map<string, { key: string; kind: string; price?: number; start_date?: string }>();
  const packagesArea = h('section', { class: 'card wide', 'aria-labelledby': 'pk-title' });
  const qualityArea = h('section', { class: 'card wide', 'aria-labelledby': 'q-title' });
  main.append(packagesArea, qualityArea);
  let requestCounter = 0;
  const requestId = () => `portal-${Date.now().toString(36)}-${++requestCounter}`;
  
  const keyOf = (location: string, pkg: number) => `${location}|${pkg}`;
  function entry(location: string, pkg: number): Entry {
    const k = keyOf(location, pkg);
    let e = entries.get(k);
    if (!e) {
      e = { location, package: pkg, broadcast: null, standing: 'open', closes_at: 0, reason: '', rank: 0, score: 0, offered: null, awardExpires: 0, person: null, message: '', explanation: null };
      entries.set(k, e);
    }
    return e;
  }

  function render(): void {
    rerender(packagesArea, draw);
  }

  function draw(): void {
    clear(packagesArea);
    packagesArea.append(h('h2', { id: 'pk-title' }, 'Packages for your locations'),
      h('p', { class: 'hint' }, 'Packages arrive here as they are broadcast to your locations. You never see the person until you accept an award, nor anyone else\'s offer.'));
    const list = [...entries.values()].filter((e) => e.broadcast).sort((a, b) => b.package - a.package);
    if (!list.length) packagesArea.append(h('p', {}, 'No packages for your locations at the moment.'));
    for (const e of list) packagesArea.append(card(e));
  }

  function card(e: Entry): HTMLElement {
    const b = e.broadcast;
    const id = `pkg-${e.package}-${e.location}`;
    const el = h('article', { class: `package standing-${e.standing}`, id, 'data-package': e.package, 'aria-labelledby': `${id}-t` },
      h('h3', { id: `${id}-t` }, `Package ${e.package} — ${b.lot}, ${b.zone} ${b.postcode_district}`),
      h('p', { class: 'standing' }, h('strong', {}, words(e.standing)), e.reason ? ` — ${e.reason}` : '',
        e.rank ? ` · your rank ${e.rank}` : '', e.score ? ` · your score ${e.score.toFixed(3)}` : ''),
      h('dl', { class: 'facts' },
        ...fact('For location', e.location), ...fact('Categories', b.categories.map(words).join(', ')),
        ...fact('Hours a week', String(Number(b.quantity) / 60)),
        ...fact('Visits', b.schedule?.length ? callsText(b.schedule)
          : b.visits_per_day ? `${b.visits_per_day} a day × ${b.minutes_per_visit} min, ${b.days_per_week} days a week` : '—'),
        ...(b.weekly_minutes ? fact('Carer hours a week', String(Number(b.weekly_minutes.carer) / 60)) : []),
        ...fact('Start', `${b.start_date} (latest ${b.latest_start})`), ...fact('Needs', (b.needs ?? []).join(', ') || '—'),
        ...fact('Must meet', (b.must_meet ?? []).join(', ') || '—'), ...fact('Urgency', b.urgency),
        ...fact('Closes', e.standing === 'open' || e.standing === 'best_and_final' ? when(e.closes_at || b.closes_at) : '—')));
    if (b.amendment) el.append(h('p', { class: 'amendment', role: 'note' },
      h('strong', {}, `Amended by the council (${b.amendment.number}), ${when(Number(b.amendment.at))}: `), b.amendment.notes,
      ' — an offer made before this should be confirmed (amend it; the same price will do) or withdrawn.'));
    const answeredQuestions: any[] = b.clarifications ?? [];
    if (answeredQuestions.length) el.append(h('div', { class: 'clarifications' }, h('h4', {}, 'Questions answered (to every invited provider)'),
      h('dl', {}, ...answeredQuestions.flatMap((q: any) => [h('dt', {}, `${q.number}. ${q.question}`), h('dd', {}, q.answer)]))));
    if (e.offered) el.append(h('p', { class: 'own-offer' }, `Your offer: ${money(e.offered.price)} an hour, start ${e.offered.start_date}`));
    if (e.standing === 'open' || e.standing === 'best_and_final') el.append(offerForm(e, b), questionForm(e));
    if (e.explanation) el.append(explanationBox(e));
    if (e.standing === 'award_offered') el.append(awardBox(e));
    if (e.person) el.append(personBox(e.person));
    if (e.message) el.append(h('p', { role: 'status', class: 'result' }, e.message));
    return el;
  }

  function offerForm(e: Entry, b: any): HTMLElement {
    const base = `o-${e.package}-${e.location}`;
    const price = field('Price an hour (£) *', h('input', { id: `${base}-price`, type: 'text', inputmode: 'decimal', autocomplete: 'off', value: e.offered ? (e.offered.price / 100).toFixed(2) : '' }), 'In pounds and pence, e.g. 24.50.');
    const start = field('Start date *', h('input', { id: `${base}-start`, type: 'date', value: e.offered?.start_date ?? b.start_date, min: b.start_date, max: b.latest_start }), `Between ${b.start_date} and ${b.latest_start}.`);
    // One checkbox per must-meet requirement: the offer confirms each by name (confirmed_must_meet).
    const requirements: string[] = b.must_meet ?? [];
    const confirms = requirements.map((_, i) => h('input', { id: `${base}-mm-${i}`, type: 'checkbox' }) as HTMLInputElement);
    const mmError = h('p', { class: 'field-error', id: `${base}-mm-error`, 'aria-live': 'polite' });
    const mm = requirements.length
      ? h('fieldset', { class: 'must-meet' }, h('legend', {}, 'Must-meet requirements: confirm each one *'),
          ...requirements.map((r, i) => h('div', { class: 'check' }, confirms[i], h('label', { for: `${base}-mm-${i}` }, `We meet: ${r}`))), mmError)
      : null;
    const notes = field('Notes', h('input', { id: `${base}-notes`, type: 'text' }));
    const form = h('form', { class: 'offer-form', novalidate: true, 'aria-label': `Your offer for package ${e.package}` }, price.wrap, start.wrap, mm, notes.wrap,
      h('button', { type: 'submit', class: 'primary' }, e.offered ? 'Amend the offer' : 'Place the offer'),
      e.offered ? h('button', { type: 'button', onclick: () => withdraw(e) }, 'Withdraw the offer') : null);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      price.setError('');
      start.setError('');
      const text = (price.input as HTMLInputElement).value.trim().replace(/^£/, '');
      if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) <= 0) {
        price.setError('Enter the price in pounds and pence, for example 24.50.');
        return price.input.focus();
      }
      const date = (start.input as HTMLInputElement).value;
      if (!date || date < b.start_date || date > b.latest_start) {
        start.setError(`Choose a start date between ${b.start_date} and ${b.latest_start}.`);
        return start.input.focus();
      }
      mmError.textContent = '';
      if (confirms.some((c) => !c.checked)) {
        mmError.textContent = 'Confirm every must-meet requirement: an offer cannot be made without them.';
        return confirms.find((c) => !c.checked)!.focus();
      }
      const pence = Math.round(Number(text) * 100);
      const kind = e.offered ? 'AmendOffer' : 'PlaceOffer';
      const rid = requestId();
      pending.set(rid, { key: keyOf(e.location, e.package), kind, price: pence, start_date: date });
      const sent = feed.send(kind, { request_id: rid, location: e.location, package: e.package, price: pence, start_date: date,
        confirmed_must_meet: requirements, notes: (notes.input as HTMLInputElement).value });
      e.message = sent ? 'Sending…' : 'Not connected: wait for the connection and try again.';
      render();
    });
    return form;
  }

  function explanationBox(e: Entry): HTMLElement {
    const x = e.explanation!;
    if (x.decision) return h('p', { class: 'decision', role: 'status' }, `Abnormally low: ${x.decision}`);
    const text = field('Why your price is sustainable *', h('textarea', { id: `x-${e.package}-${e.location}`, rows: 3, maxlength: 2000 }),
      'For example how your carers are paid at least the National Living Wage. The officer reads it before deciding.');
    const form = h('form', { class: 'explanation-form', novalidate: true, 'aria-label': `Explain your offer for package ${e.package}` },
      h('p', {}, h('strong', {}, 'Your offer is flagged abnormally low: '),
        `${money(x.price)} is under ${x.thresholdPct}% of the fair cost of care (${money(x.fairCost)}).`),
      text.wrap, h('button', { type: 'submit' }, x.sent ? 'Explain again' : 'Send the explanation'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      text.setError('');
      const words_ = (text.input as HTMLTextAreaElement).value.trim();
      if (!words_) {
        text.setError('Write the explanation first.');
        return text.input.focus();
      }
      const rid = requestId();
      pending.set(rid, { key: keyOf(e.location, e.package), kind: 'ExplainOffer' });
      e.message = feed.send('ExplainOffer', { request_id: rid, location: e.location, package: e.package, explanation: words_ })
        ? 'Sending…' : 'Not connected: wait for the connection and try again.';
      render();
    });
    return form;
  }

  /// A clarification question to the officer; the answer goes to every invited provider without
  /// saying who asked.
  function questionForm(e: Entry): HTMLElement {
    const text = field('Ask the officer a question', h('textarea', { id: `q-${e.package}-${e.location}`, rows: 2, maxlength: 2000 }),
      'The answer is sent to every provider invited, without saying who asked.');
    const form = h('form', { class: 'question-form', novalidate: true, 'aria-label': `Ask a question about package ${e.package}` },
      text.wrap, h('button', { type: 'submit' }, 'Send the question'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      text.setError('');
      const question = (text.input as HTMLTextAreaElement).value.trim();
      if (!question) {
        text.setError('Write the question first.');
        return text.input.focus();
      }
      const rid = requestId();
      pending.set(rid, { key: keyOf(e.location, e.package), kind: 'AskQuestion' });
      e.message = feed.send('AskQuestion', { request_id: rid, location: e.location, package: e.package, question })
        ? 'Sending…' : 'Not connected: wait for the connection and try again.';
      render();
    });
    return form;
  }

  function withdraw(e: Entry): void {
    const rid = requestId();
    pending.set(rid, { key: keyOf(e.location, e.package), kind: 'WithdrawOffer' });
    e.message = feed.send('WithdrawOffer', { request_id: rid, location: e.location, package: e.package }) ? 'Withdrawing…' : 'Not connected.';
    render();
  }

  function awardBox(e: Entry): HTMLElement {
    const clock = h('span', { class: 'countdown', 'data-until': e.awardExpires }, countdown(e.awardExpires));
    const reason = field('Reason, if you decline', h('input', { id: `d-${e.package}-${e.location}`, type: 'text' }));
    const answer = (kind: 'AcceptAward' | 'DeclineAward') => {
      const rid = requestId();
      pending.set(rid, { key: keyOf(e.location, e.package), kind });
      const msg: Record<string, unknown> = { request_id: rid, location: e.location, package: e.package };
      if (kind === 'DeclineAward') msg.reason = (reason.input as HTMLInputElement).value;
      e.message = feed.send(kind, msg) ? 'Sending…' : 'Not connected.';
      render();
    };
    return h('div', { class: 'award', role: 'group', 'aria-label': 'Award offered' },
      h('p', {}, h('strong', {}, 'The award is offered to you. '), 'Answer by ', when(e.awardExpires), ' — ', clock),
      h('button', { type: 'button', class: 'primary', onclick: () => answer('AcceptAward') }, 'Accept the award'), ' ',
      reason.wrap, h('button', { type: 'button', onclick: () => answer('DeclineAward') }, 'Decline the award'));
  }

  function applyUpdate(u: any): void {
    const e = entry(u.location, Number(u.package));
    e.standing = u.standing;
    e.reason = u.reason ?? '';
    e.closes_at = Number(u.closes_at ?? 0);
    if (u.own_rank) e.rank = u.own_rank;
    if (u.own_score) e.score = u.own_score;
    if (u.standing === 'award_offered') e.awardExpires = Number(u.closes_at);
  }

  window.setInterval(() => {
    for (const c of document.querySelectorAll<HTMLElement>('.countdown')) c.textContent = countdown(Number(c.dataset.until));
  }, 1000);
  render();
  myQuality(qualityArea, me);

  /// The answer to one of this page's commands, matched by its request id.
  function answered(m: any, ok: boolean) {
    const p = pending.get(m.request_id);
    if (!p) return;
    pending.delete(m.request_id);
    const e = entries.get(p.key);
    if (!e) return;
    if (!ok) {
      e.message = `Refused: ${m.detail || words(m.code)}`;
      return;
    }
    if (p.kind === 'PlaceOffer' || p.kind === 'AmendOffer') {
      e.offered = { price: p.price!, start_date: p.start_date! };
      e.message = p.kind === 'PlaceOffer' ? 'Offer placed.' : 'Offer amended.';
    } else if (p.kind === 'WithdrawOffer') {
      e.offered = null;
      e.message = 'Offer withdrawn.';
    } else if (p.kind === 'ExplainOffer') {
      if (e.explanation) e.explanation.sent = true;
      e.message = 'Explanation sent: the officer will decide.';
    } else if (p.kind === 'AskQuestion') {
      e.message = 'Question sent: the answer will come to every invited provider.';
    } else e.message = p.kind === 'AcceptAward' ? 'Award accepted.' : 'Award declined.';
  }

  return {
    onFrame(f: Frame) {
      const m = f.message;
      switch (f.type) {
        case 'Snapshot':
          // Page 1 replaces what was live; finished packages (placed, awarded elsewhere, closed)
          // stay on screen as history, and a live package keeps the offer this page placed.
          if (m.page === 1)
            for (const [k, e] of entries)
              if (['open', 'best_and_final', 'closed_for_bidding', 'award_offered'].includes(e.standing)) {
                e.broadcast = null;
                e.standing = 'closed';
                if (!e.offered) entries.delete(k);
              }
          for (const b of m.packages ?? []) entry(b.location, Number(b.package)).broadcast = b;
          for (const u of m.updates ?? []) applyUpdate(u);
          break;
        case 'PackageBroadcast': {
          const e = entry(m.location, Number(m.package));
          e.broadcast = m;
          e.standing = 'open';
          e.closes_at = Number(m.closes_at);
          break;
        }
        case 'PackageUpdate':
          applyUpdate(m);
          break;
        case 'AwardOffered': {
          const e = entry(m.location, Number(m.package));
          e.standing = 'award_offered';
          e.awardExpires = Number(m.expires_at);
          break;
        }
        case 'ClarificationAnswered': {
          const e = entry(m.location, Number(m.package));
          if (e.broadcast && m.clarification) {
            const known: any[] = e.broadcast.clarifications ?? [];
            if (!known.some((q) => q.number === m.clarification.number)) e.broadcast.clarifications = [...known, m.clarification];
          }
          break;
        }
        case 'PersonDetails':
          entry(m.location, Number(m.package)).person = m;
          break;
        case 'ExplanationRequested':
          entry(m.location, Number(m.package)).explanation = {
            price: Number(m.price), fairCost: Number(m.fair_cost), thresholdPct: Number(m.threshold_pct), sent: false, decision: '' };
          break;
        case 'AbnormallyLowDecision': {
          const e = entry(m.location, Number(m.package));
          e.explanation = { price: 0, fairCost: 0, thresholdPct: 0, sent: true, ...e.explanation, decision: m.detail || (m.accepted ? 'accepted' : 'rejected') };
          break;
        }
        case 'Ack':
          answered(m, true);
          break;
        case 'Error':
          answered(m, false);
          break;
        case 'Replies':
          // One durable batch settled several of this connection's commands: one frame for all.
          for (const a of m.acks ?? []) answered(a, true);
          for (const e of m.errors ?? []) answered(e, false);
          break;
        default:
          return;
      }
      render();
    },
  };
}

