// The portal end to end in headless Chromium, against a real carebroker with the demonstration
// market: an officer posts a package; two providers, each in its own browser context, see it live
// and bid; the officer sees both offers ranked with explanations, and the close; the winner
// accepts and only then sees the person; the loser never sees the other's offer; a bad form
// input shows its message; a reconnect loses no update. Each main screen is scanned with axe-core
// and photographed. Every wait is for an event on the page, never for a duration.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, launchBrowser, screenshot, seriousViolations, signIn, startServer } from './harness.mjs';

let server, chrome;
const PERSON = 'Ada Lovelace-Testperson';

before(async () => {
  server = await startServer(process.env.CAREBROKER_WEB_ROOT ? ['--web', process.env.CAREBROKER_WEB_ROOT] : []);
  chrome = await launchBrowser();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

/// The officer fills the post form; returns the package number the page announces.
async function postPackage(page, { window, name }) {
  await page.getByLabel('Zone').selectOption('south');
  await page.getByLabel('older people').check();
  await page.getByLabel('Hours a week').fill('10.5');
  if (window) await page.getByLabel('Window in minutes').fill(window);
  await page.getByLabel('Must-meet requirements').fill('');
  await page.getByLabel('Person\'s name').fill(name);
  await page.getByLabel('Address').fill('1 Test Street, Birmingham');
  await page.getByRole('button', { name: 'Post the package' }).click();
  const status = page.locator('.result', { hasText: /posted/ });
  await status.waitFor();
  return Number(/Package (\d+) posted/.exec(await status.textContent())[1]);
}

async function bid(page, pkg, pounds) {
  const card = page.locator(`article[data-package="${pkg}"]`);
  await card.waitFor();
  await card.getByLabel('Price an hour').fill(pounds);
  await card.getByRole('button', { name: 'Place the offer' }).click();
  await card.getByText('Offer placed.').waitFor();
}

test('officer, two providers and compliance: post, bid live, rank, close, accept, person only after', async () => {
  const { tokens } = server;
  assert.ok(tokens.admin && tokens.officer && tokens.compliance && tokens.provider, 'the server printed every token');
  // A second Tier 1 provider in the south, with a token issued by the admin.
  const south = await api(server, tokens.admin, 'GET', '/locations?dps=home-care&tier=tier1&zone=south');
  const second = south.items.find((l) => l.provider !== tokens.providerId);
  const issued = await api(server, tokens.admin, 'POST', '/tokens', { role: 'provider', provider: second.provider, name: 'e2e second provider' });

  // The sign-in page, scanned before anyone signs in.
  {
    const ctx = await chrome.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.getByLabel('Access token').waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'sign-in page: no serious or critical axe violation');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your access token.').waitFor();
    await ctx.close();
  }

  const officer = await signIn(chrome.browser, server.url, tokens.officer);
  const providerA = await signIn(chrome.browser, server.url, tokens.provider);
  const providerB = await signIn(chrome.browser, server.url, issued.token, { width: 820, height: 1180 });  // a tablet

  // A bad form input shows its message next to the field, and nothing is posted.
  await officer.getByRole('button', { name: 'Post the package' }).click();
  await officer.getByText('Choose at least one category of care.').waitFor();
  await officer.getByText('Enter the hours of care a week, for example 14.').waitFor();
  await officer.getByText('Enter the person\'s name: only the provider who accepts will see it.').waitFor();
  assert.equal(await officer.getByLabel('Hours a week').getAttribute('aria-invalid'), 'true');
  await officer.getByLabel('Hours a week').fill('500');
  await officer.getByRole('button', { name: 'Post the package' }).click();
  await officer.getByText('Hours a week must be more than 0 and at most 168.').waitFor();

  // The officer posts a package with a short window of its own (30 s).
  const pkg = await postPackage(officer, { window: '0.5', name: PERSON });

  // Both providers see it live, anonymised, and bid.
  await bid(providerA, pkg, '29.50');
  await bid(providerB, pkg, '31.25');
  for (const p of [providerA, providerB]) assert.ok(!(await p.content()).includes(PERSON), 'no provider sees the person before accepting');

  // The officer sees both offers ranked, with their explanations, as they arrive.
  const detail = officer.locator('#package-detail');
  await detail.locator('li.offer').nth(1).waitFor();
  await detail.getByText('£29.50', { exact: true }).waitFor();
  await detail.getByText('£31.25', { exact: true }).waitFor();
  await detail.locator('li.offer').first().getByText('Explanation').click();
  await detail.locator('li.offer').first().locator('details[open] p').first().waitFor();
  assert.match(await detail.locator('li.offer').first().locator('details p').first().textContent(), /score|price|quality/i);
  assert.ok((await detail.textContent()).includes('Who was not invited, by rule'));
  await screenshot(officer, 'officer');
  assert.deepEqual(await seriousViolations(officer), [], 'officer screen: no serious or critical axe violation');

  // The window closes by itself; the officer's page follows (award offered to the top offer).
  await detail.getByRole('heading', { name: new RegExp(`Package ${pkg}: award pending`) }).waitFor({ timeout: 90_000 });
  const view = await api(server, tokens.officer, 'GET', `/packages/${pkg}`);
  const winnerIsA = view.award.provider === tokens.providerId;
  const [winner, loser] = winnerIsA ? [providerA, providerB] : [providerB, providerA];
  const [winnerPrice, loserPrice] = winnerIsA ? ['29.50', '31.25'] : ['31.25', '29.50'];

  // The winner is offered the award, with the deadline counting down; no person yet.
  const winCard = winner.locator(`article[data-package="${pkg}"]`);
  await winCard.getByRole('button', { name: 'Accept the award' }).waitFor();
  await winCard.locator('.countdown', { hasText: /left/ }).waitFor();
  assert.ok(!(await winner.content()).includes(PERSON));
  await winCard.getByRole('button', { name: 'Accept the award' }).click();
  await winCard.getByText(PERSON).waitFor();
  await winCard.getByText('placed with you').waitFor();
  await screenshot(winner, 'provider');
  assert.deepEqual(await seriousViolations(winner), [], 'provider screen: no serious or critical axe violation');

  // The loser learns it was placed elsewhere, and never sees the other's offer or the person.
  const loseCard = loser.locator(`article[data-package="${pkg}"]`);
  await loseCard.getByText('awarded elsewhere').waitFor();
  const loserText = await loser.content();
  assert.ok(!loserText.includes(PERSON), 'the loser never sees the person');
  assert.ok(!loserText.includes(winnerPrice) && !loserText.includes(`£${winnerPrice}`), 'the loser never sees the winner\'s price');
  assert.ok(loserText.includes(loserPrice));
  await detail.getByRole('heading', { name: new RegExp(`Package ${pkg}: placed`) }).waitFor();

  // The officer sees the person. Once the admin erases them (UK GDPR), the winner is told at once
  // to delete its copy, and its screen no longer shows them.
  await detail.locator('.person', { hasText: PERSON }).waitFor();
  await api(server, tokens.admin, 'POST', `/packages/${pkg}/person/erasure`, { reason: 'the person asked to be forgotten (e2e)' });
  await winCard.locator('[data-person-status=erased]', { hasText: 'erased at their request' }).waitFor();
  assert.ok(!(await winner.content()).includes(PERSON), 'the winner no longer shows the erased person');

  // A reconnect loses no update: the loser's connection drops; a package is posted meanwhile;
  // on reconnecting the page resumes its stream and shows it.
  await loser.evaluate(() => window.carebrokerLive.drop(-1));
  await loser.locator('#connection[data-state=reconnecting]').waitFor();
  const pkg2 = await postPackage(officer, { name: 'Second Person' });
  await officer.locator(`tr[data-package="${pkg2}"]`).first().waitFor();
  assert.equal(await loser.locator(`article[data-package="${pkg2}"]`).count(), 0);
  await loser.evaluate(() => window.carebrokerLive.reconnect());
  await loser.locator('#connection', { hasText: 'Live (resumed)' }).waitFor();
  await loser.locator(`article[data-package="${pkg2}"]`).waitFor();

  // A live update never wipes what a person is typing: a half-typed price survives a broadcast.
  const typing = loser.locator(`article[data-package="${pkg2}"]`).getByLabel('Price an hour');
  await typing.fill('33.33');
  const pkg3 = (await api(server, tokens.officer, 'POST', '/packages', {
    dps: 'home-care', lot: 'home-care', categories: ['older_people'], zone: 'south', quantity: 300,
    start_date: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10), person: { name: 'Third Person' },
  })).package;
  await loser.locator(`article[data-package="${pkg3}"]`).waitFor();
  assert.equal(await typing.inputValue(), '33.33');

  // The provider's own validation, then place, amend and withdraw.
  const card2 = loser.locator(`article[data-package="${pkg2}"]`);
  await typing.fill('12.345');
  await card2.getByRole('button', { name: 'Place the offer' }).click();
  await card2.getByText('Enter the price in pounds and pence, for example 24.50.').waitFor();
  await typing.fill('33.33');
  await card2.getByRole('button', { name: 'Place the offer' }).click();
  await card2.getByText('Offer placed.').waitFor();
  await card2.getByLabel('Price an hour').fill('32.00');
  await card2.getByRole('button', { name: 'Amend the offer' }).click();
  await card2.getByText('Offer amended.').waitFor();
  const amended = await api(server, tokens.officer, 'GET', `/packages/${pkg2}`);
  assert.deepEqual(amended.ranking.offers.map((o) => o.price), [3200]);
  await card2.getByRole('button', { name: 'Withdraw the offer' }).click();
  await card2.getByText('Offer withdrawn.').waitFor();
  assert.equal((await api(server, tokens.officer, 'GET', `/packages/${pkg2}`)).offer_count, 0);

  // During the competition: the provider asks a question; the officer sees who asked, answers it
  // to every invited provider (never saying who asked) and amends the package; the provider's
  // card shows both.
  await card2.getByLabel('Ask the officer a question').fill('Is there a key safe?');
  await card2.getByRole('button', { name: 'Send the question' }).click();
  await card2.getByText('Question sent').waitFor();
  await officer.locator(`tr[data-package="${pkg2}"] button`).first().click();
  const questions = detail.locator('.questions');
  await questions.getByText('Is there a key safe?').waitFor();
  await questions.getByLabel('Answer').fill('Yes, by the front door');
  await questions.getByRole('button', { name: 'Send the answer' }).click();
  await questions.getByText('Answered by').waitFor();
  await card2.getByText('Yes, by the front door').waitFor();
  const amend = detail.locator('form.amend');
  await amend.getByRole('button', { name: 'Amend and tell the invited providers' }).click();
  await amend.getByText('Say what changed and why').waitFor();
  await amend.getByLabel('New calls').fill('mon 08:00 45, thu 08:00 45x2');
  await amend.getByLabel('What changed and why').fill('two calls a week now, Thursday double-handed');
  await amend.getByRole('button', { name: 'Amend and tell the invited providers' }).click();
  await detail.getByText('two calls a week now, Thursday double-handed', { exact: false }).first().waitFor();
  await card2.locator('.amendment', { hasText: 'two calls a week now' }).waitFor();
  const seen = await api(server, tokens.officer, 'GET', `/packages/${pkg2}/questions`);
  assert.equal(seen.questions[0].answer, 'Yes, by the front door');

  // Self-service: the provider declares a location's capacity; a bad value gets a plain answer.
  const capacityForm = providerA.locator('form.capacity').first();
  await capacityForm.waitFor();
  const capacityInput = capacityForm.getByLabel(/Declared capacity in home-care/);
  await capacityInput.fill('-5');
  await capacityForm.getByRole('button', { name: 'Declare capacity' }).click();
  await capacityForm.getByText('Enter whole hours a week, 0 or more.').waitFor();
  await capacityInput.fill('20000000');
  await capacityForm.getByRole('button', { name: 'Declare capacity' }).click();
  await capacityForm.getByText('Capacity is 0 to 10,000,000 hours a week.').waitFor();
  await capacityInput.fill('320');
  await capacityForm.getByRole('button', { name: 'Declare capacity' }).click();
  await capacityForm.getByText('Declared: 320 hours a week.').waitFor();
  const mine = await api(server, tokens.provider, 'GET', '/me');
  const declared = [];
  for (const l of mine.locations) {
    const d = await api(server, tokens.provider, 'GET', `/locations/${encodeURIComponent(l.location)}`);
    for (const m of d.memberships) if (m.dps === 'home-care') declared.push(m.capacity);
  }
  assert.ok(declared.includes(320), `a home-care membership of the provider declares 320 hours (${declared})`);

  // Compliance: every location's RAG with its reasons, filterable.
  const compliance = await signIn(chrome.browser, server.url, tokens.compliance);
  await compliance.getByRole('heading', { name: /locations in home-care/ }).waitFor();
  await compliance.getByLabel('Rating', { exact: true }).selectOption('amber');
  await compliance.getByRole('button', { name: 'Show' }).click();
  await compliance.getByRole('heading', { name: /amber locations in home-care/ }).waitFor();
  assert.equal(await compliance.locator('tbody .rag-green').count(), 0);
  await compliance.locator('tbody button.link').first().click();
  await compliance.getByRole('heading', { name: 'Intelligence: quality and risk inputs' }).waitFor();
  await screenshot(compliance, 'compliance');
  assert.deepEqual(await seriousViolations(compliance), [], 'compliance screen: no serious or critical axe violation');

  // Membership actions: an application is admitted with terms chosen from the DPS, suspended with
  // a reason (a missing reason shows its message), and reinstated.
  await api(server, tokens.admin, 'POST', '/providers', { id: 'E2E-P', name: 'E2E Applicant Ltd' });
  await api(server, tokens.admin, 'POST', '/locations', { id: 'E2E-L', provider: 'E2E-P', name: 'E2E Applicant Branch', postcode: 'B13 9AA' });
  await api(server, tokens.admin, 'POST', '/locations/E2E-L/applications', { dps: 'home-care' });
  await compliance.getByLabel('Rating', { exact: true }).selectOption('');
  await compliance.getByLabel('Name or location ID contains').fill('e2e applicant');
  await compliance.getByRole('button', { name: 'Show' }).click();
  await compliance.getByRole('button', { name: 'E2E Applicant Branch (E2E-L)' }).click();
  const membership = compliance.locator('#location-detail');
  await membership.getByRole('heading', { name: 'home-care: under assessment' }).waitFor();
  await membership.getByRole('button', { name: 'Admit…' }).click();
  const admit = membership.getByRole('form', { name: 'Admit to home-care' });
  await admit.getByLabel('Home care and support').check();
  await admit.getByLabel('older people').check();
  await admit.getByLabel('South').check();
  await admit.getByLabel('Tier').selectOption('tier2');
  await admit.getByRole('button', { name: 'Admit' }).click();
  await membership.getByRole('heading', { name: 'home-care: admitted' }).waitFor();
  await membership.getByRole('button', { name: 'Suspend' }).click();
  await membership.getByText('Give a reason: it is recorded and shown to the provider.').waitFor();
  await membership.getByLabel('Reason', { exact: true }).fill('CQC inspection under way');
  await membership.getByRole('button', { name: 'Suspend' }).click();
  await membership.getByRole('heading', { name: 'home-care: suspended' }).waitFor();
  await membership.getByRole('button', { name: 'Reinstate' }).click();
  await membership.getByRole('heading', { name: 'home-care: admitted' }).waitFor();
});
