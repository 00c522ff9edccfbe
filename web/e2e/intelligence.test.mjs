// The market-intelligence screens end to end in headless Chromium, against a real carebroker with
// the demonstration market: a provider submits its self-assessment on its quality screen (an
// unscored standard shows its message) and returns its quarter's KPIs (a value over 100 shows its
// message); a compliance officer finds it among the submitted ones,
// validates it changing a domain's score (a change without a reason shows its message) and sees
// the change, and records a PAMMS assessment and sees the rating the server computed; after an
// embargo the early-warning dashboard shows the location turned Red with its reason, Red first;
// an officer's report renders as a table and its CSV link downloads CSV. Each screen is scanned
// with axe-core and photographed. Every wait is for an event on the page, never for a duration.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, launchBrowser, screenshot, seriousViolations, signIn, startServer } from './harness.mjs';

let server, chrome;

before(async () => {
  server = await startServer(process.env.CAREBROKER_WEB_ROOT ? ['--web', process.env.CAREBROKER_WEB_ROOT] : []);
  chrome = await launchBrowser();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

const londonDate = (days = 0) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

test('intelligence: self-assessment submitted and validated, PAMMS rated, early warning after an embargo, a report and its CSV', async () => {
  const { tokens } = server;
  assert.ok(tokens.compliance && tokens.provider && tokens.officer, 'the server printed the tokens');

  // ---- Provider: my quality. A location of its own admitted to home-care. ----
  const me = await api(server, tokens.provider, 'GET', '/me');
  let loc = null;
  for (const l of me.locations) {
    const d = await api(server, tokens.provider, 'GET', `/locations/${encodeURIComponent(l.location)}`);
    if (d.memberships.some((m) => m.dps === 'home-care' && m.status === 'admitted')) { loc = l.location; break; }
  }
  assert.ok(loc, 'the printed provider has a location admitted to home-care');
  const provider = await signIn(chrome.browser, server.url, tokens.provider);
  const card = provider.locator(`article.location[data-location="${loc}"] div.membership[data-dps="home-care"]`);
  await card.getByText(/Self-assessment: not submitted, next due \d{4}-\d{2}-\d{2}/).waitFor();
  await card.getByText('Submit a self-assessment for home-care').click();
  const saForm = card.getByRole('form', { name: 'Self-assessment for home-care' });
  const standards = saForm.locator('select');
  const count = await standards.count();
  assert.ok(count >= 5, `a score for every standard of the framework (${count})`);
  // A bad input: standards left unscored are named, and nothing is sent.
  for (let i = 1; i < count; ++i) await standards.nth(i).selectOption('2');
  await saForm.getByRole('button', { name: 'Submit the self-assessment' }).click();
  await saForm.getByText('Score every standard from 1 to 4: 1 is not scored.').waitFor();
  assert.equal(await standards.first().getAttribute('aria-invalid'), 'true');
  await standards.first().selectOption('2');
  await saForm.getByLabel('Notes').fill('Rota gaps at weekends closed since October.');
  await saForm.getByRole('button', { name: 'Submit the self-assessment' }).click();
  const submitted = provider.locator(`article.location[data-location="${loc}"]`).getByText(/Self-assessment no\. \d+ submitted for home-care/);
  await submitted.waitFor();
  const number = Number(/no\. (\d+)/.exec(await submitted.textContent())[1]);
  await card.getByText(/Latest: no\. \d+, submitted .*, awaiting validation/).waitFor();
  // ---- Provider: a quarterly KPI return. A value over 100 is named and nothing is sent; then the
  // return is accepted and judged against the targets (assistive technology's is 75%: 60 misses it). ----
  await card.getByText('Return KPIs for home-care').click();
  const kpiForm = card.getByRole('form', { name: 'KPI return for home-care' });
  const kpiInputs = kpiForm.locator('fieldset.kpis input');
  assert.equal(await kpiInputs.count(), 4, "the seed's four home-care KPIs");
  for (let i = 0; i < 4; ++i) await kpiInputs.nth(i).fill('100');
  await kpiInputs.first().fill('101');
  await kpiForm.getByRole('button', { name: 'Return the KPIs' }).click();
  await kpiForm.getByText('Give every KPI as a percentage from 0 to 100: 1 is missing or out of range.').waitFor();
  assert.equal(await kpiInputs.first().getAttribute('aria-invalid'), 'true');
  const before = await api(server, tokens.provider, 'GET', `/locations/${encodeURIComponent(loc)}/kpi-returns`);
  await kpiInputs.first().fill('60');
  const quarter = await kpiForm.getByLabel('Quarter').inputValue();
  assert.match(quarter, /^\d{4}-Q[1-4]$/, 'the form offers the quarter owed or next due');
  await kpiForm.getByRole('button', { name: 'Return the KPIs' }).click();
  await provider.locator(`article.location[data-location="${loc}"]`).getByText(new RegExp(`KPI return no\\. \\d+ for ${quarter} received for home-care`)).waitFor();
  await card.getByText(new RegExp(`Latest KPI return: no\\. \\d+ for ${quarter}.*3 of 4 KPIs met \\(75% compliance\\)`)).waitFor();
  const kpiHistory = await api(server, tokens.provider, 'GET', `/locations/${encodeURIComponent(loc)}/kpi-returns`);
  assert.equal(kpiHistory.returns.length, before.returns.length + 1, 'only the good return was sent');
  assert.equal(kpiHistory.returns.at(-1).compliance, 75, 'the server judged it as the screen says');
  assert.equal(kpiHistory.returns.at(-1).results.find((r) => r.kpi === 'assistive_technology').value, 60);
  await card.scrollIntoViewIfNeeded();
  await screenshot(provider, 'my-quality');
  assert.deepEqual(await seriousViolations(provider), [], 'my quality: no serious or critical axe violation');

  // ---- Compliance: assessment cycles. The submitted one, opened and validated. ----
  const compliance = await signIn(chrome.browser, server.url, tokens.compliance);
  await compliance.getByRole('link', { name: 'Assessment cycles' }).click();
  const cycles = compliance.locator('#screen-assessments');
  await cycles.getByRole('heading', { name: /^1 location in home-care: submitted/ }).waitFor();
  await cycles.getByRole('button', { name: new RegExp(`\\(${loc}\\)`) }).click();
  const detail = cycles.locator('#assessment-detail');
  const validate = detail.getByRole('form', { name: `Validate self-assessment ${number}` });
  const firstDomain = validate.locator('tbody tr').first();
  const domainName = (await firstDomain.locator('th').textContent()).trim();
  assert.equal((await firstDomain.locator('td').first().textContent()).trim(), '2.00', 'the domain\'s score as submitted (its standards\' mean)');
  // A bad input: a changed score without a reason.
  await validate.getByLabel(`New score for ${domainName}`).selectOption('4');
  await validate.getByRole('button', { name: 'Validate' }).click();
  await validate.getByText('Give a reason for the changed score: the provider is shown it.').waitFor();
  await validate.getByLabel(`Reason for ${domainName}`).fill('Staffing evidence seen on the visit');
  await validate.getByRole('button', { name: 'Validate' }).click();
  await detail.getByText(`Self-assessment ${number} validated.`).waitFor();
  await detail.locator('li.change', { hasText: `${domainName}: 2 → 4 — “Staffing evidence seen on the visit”` }).waitFor();
  const history = await api(server, tokens.compliance, 'GET', `/locations/${encodeURIComponent(loc)}/self-assessments`);
  const validated = history.self_assessments.find((s) => s.number === number);
  assert.equal(validated.status, 'validated');
  assert.deepEqual(validated.validation.changes.map((c) => [c.to, c.reason]), [[4, 'Staffing evidence seen on the visit']]);
  await detail.getByText(`${validated.validation.points} points`, { exact: false }).first().waitFor();
  assert.equal(history.self_assessment, validated.validation.points, 'the result is the location\'s self-assessment input now');

  // A PAMMS assessment: an unscored domain shows its message; then the server's rating is shown.
  const pammsForm = detail.getByRole('form', { name: 'Record a PAMMS assessment' });
  await pammsForm.getByRole('button', { name: 'Record the PAMMS assessment' }).click();
  await pammsForm.getByText('Score this domain from 1 to 4.').first().waitFor();
  const domains = pammsForm.locator('select');
  for (let i = 0; i < await domains.count(); ++i) await domains.nth(i).selectOption('4');
  await pammsForm.getByLabel('Evidence reference').fill('PAMMS-2026-117');
  await pammsForm.getByRole('button', { name: 'Record the PAMMS assessment' }).click();
  await detail.getByText(/PAMMS assessment \d+ recorded: rated excellent \(mean 4\.00\)\./).waitFor();
  await detail.locator('li.pamms', { hasText: 'excellent' }).waitFor();
  await detail.getByRole('heading', { name: `${loc} under home-care` }).scrollIntoViewIfNeeded();
  await screenshot(compliance, 'assessments');
  assert.deepEqual(await seriousViolations(compliance), [], 'assessment cycles: no serious or critical axe violation');

  // ---- Early warning: a Green location under an embargo turns Red, with its reason. ----
  const green = (await api(server, tokens.compliance, 'GET', '/early-warning?dps=home-care&rag=green&page_size=1')).items[0];
  assert.ok(green, 'a Green location in home-care');
  await api(server, tokens.compliance, 'PATCH', `/locations/${encodeURIComponent(green.location)}/quality`,
    { embargo: true, embargo_reason: 'safeguarding enquiry open', reason: 'Council embargo while the enquiry runs', evidence: 'SG-2026-114' });
  await compliance.getByRole('link', { name: 'Early warning' }).click();
  const ew = compliance.locator('#screen-early-warning');
  await ew.getByRole('heading', { name: /locations?, changes from/ }).waitFor();
  assert.equal(await ew.locator('tbody tr').first().getAttribute('data-rag'), 'red', 'Red first');
  await ew.getByLabel('RAG now').selectOption('red');
  await ew.getByRole('button', { name: 'Show' }).click();
  const row = ew.locator(`tr[data-location="${green.location}"]`);
  await row.getByText('home-care: embargo on new placements: safeguarding enquiry open').waitFor();
  await row.locator('li.rag-change', { hasText: /home-care: GREEN → RED — embargo on new placements/ }).first().waitFor();
  await row.locator('summary', { hasText: /input entr/ }).click();
  await row.getByText(/Council embargo while the enquiry runs/).waitFor();
  await row.getByText(/evidence SG-2026-114/).waitFor();
  assert.deepEqual([...new Set(await ew.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.rag)))], ['red']);
  // A bad input: a period that ends before it starts.
  await ew.getByLabel('From', { exact: true }).fill('2030-01-02');
  await ew.getByLabel('To', { exact: true }).fill('2030-01-01');
  await ew.getByRole('button', { name: 'Show' }).click();
  await ew.getByText('The first day must be on or before the last day.').waitFor();
  await ew.getByLabel('From', { exact: true }).fill(londonDate(-7));
  await ew.getByLabel('To', { exact: true }).fill(londonDate());
  await ew.getByRole('button', { name: 'Show' }).click();
  const reds = (await api(server, tokens.compliance, 'GET', '/early-warning?rag=red&page_size=1')).total;
  await ew.getByRole('heading', { name: `${reds} ${reds === 1 ? 'location' : 'locations'}, changes from ${londonDate(-7)} to ${londonDate()}` }).waitFor();
  await row.scrollIntoViewIfNeeded();
  await screenshot(compliance, 'early-warning');
  assert.deepEqual(await seriousViolations(compliance), [], 'early warning: no serious or critical axe violation');

  // ---- Reports (an officer): a table from the JSON, and its CSV. A package posted today. ----
  await api(server, tokens.officer, 'POST', '/packages', {
    dps: 'home-care', lot: 'home-care', categories: ['older_people'], zone: 'south', quantity: 600, urgency: 'urgent',
    start_date: londonDate(2), person: { name: 'Report Person' },
  });
  const officer = await signIn(chrome.browser, server.url, tokens.officer);
  await officer.getByRole('link', { name: 'Reports' }).click();
  const reports = officer.locator('#screen-reports');
  await reports.getByLabel('DPS', { exact: true }).locator('option[value="home-care"]').waitFor({ state: 'attached' });
  await reports.getByLabel('Report', { exact: true }).selectOption('sourcing');
  // A bad input: the period's last day before its first.
  await reports.getByLabel('From', { exact: true }).fill('2030-01-02');
  await reports.getByLabel('To', { exact: true }).fill('2030-01-01');
  await reports.getByRole('button', { name: 'Show the report' }).click();
  await reports.getByText('The last day must be on or after the first day.').waitFor();
  await reports.getByLabel('From', { exact: true }).fill(londonDate(-30));
  await reports.getByLabel('To', { exact: true }).fill(londonDate());
  await reports.getByRole('button', { name: 'Show the report' }).click();
  await reports.getByRole('heading', { name: /^Sourcing: .* — home-care, .* every funder$/ }).waitFor();
  const json = await api(server, tokens.officer, 'GET', `/reports/sourcing?dps=home-care&from=${londonDate(-30)}&to=${londonDate()}`);
  assert.deepEqual(await reports.locator('table.report thead th').allTextContents(), json.columns.map((c) => c.replace(/_/g, ' ')));
  assert.ok(json.rows.length > 0, 'the period has rows');
  assert.equal(await reports.locator('table.report tbody tr').count(), json.rows.length);
  assert.deepEqual(await reports.locator('table.report tbody tr').first().locator('td').allTextContents(),
    json.columns.map((c) => { const v = json.rows[0][c]; return v === null ? '—' : typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: 2 }) : String(v); }));
  const [download] = await Promise.all([officer.waitForEvent('download'), reports.getByRole('link', { name: 'Download CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^sourcing-home-care-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  assert.equal(lines[0], json.columns.join(','), 'the CSV\'s header row is the report\'s columns');
  assert.equal(lines.length, json.rows.length + 1, 'one CSV record per row');
  await screenshot(officer, 'reports');
  assert.deepEqual(await seriousViolations(officer), [], 'reports: no serious or critical axe violation');
});
