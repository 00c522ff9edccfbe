// First run, as a newcomer meets it: a server started the way scripts/run starts it (the built
// binary, --demo, a fresh data directory, the compiled-in web root web/dist; only the port is 0,
// not 8080, so tests never clash with a running server), the URL and tokens taken from what it
// prints; then, in the browser, using only what the pages say: the officer signs in and posts a
// package, the printed provider signs in, bids and accepts the award, and the officer sees the
// package placed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, signIn, startServer } from './harness.mjs';

let server, chrome;
before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('first run: the printed URL and tokens are enough to post and award a package', async () => {
  const printed = server.output();
  assert.match(printed, /first start — these tokens are shown once/);
  assert.ok(server.tokens.officer && server.tokens.provider, 'the officer and provider tokens are printed');

  // The printed URL answers with the portal, not a 404.
  const home = await fetch(server.url);
  assert.equal(home.status, 200);
  assert.match(await home.text(), /<title>carebroker<\/title>/);

  const officer = await signIn(chrome.browser, server.url, server.tokens.officer);
  const provider = await signIn(chrome.browser, server.url, server.tokens.provider);

  // The provider's page names its own location; the officer's form offers the DPS's zones.
  const me = await provider.locator('#who').textContent();
  assert.match(me, /provider/);
  await officer.getByLabel('Zone').selectOption('south');
  await officer.getByLabel('older people').check();
  await officer.getByLabel('Hours a week').fill('7');
  await officer.getByLabel('Window in minutes').fill('0.25');
  await officer.getByLabel('Person\'s name').fill('First Run Person');
  await officer.getByRole('button', { name: 'Post the package' }).click();
  const posted = officer.locator('.result', { hasText: /posted/ });
  await posted.waitFor();
  const pkg = Number(/Package (\d+) posted/.exec(await posted.textContent())[1]);

  const card = provider.locator(`article[data-package="${pkg}"]`);
  await card.getByLabel('Price an hour').fill('30.00');
  await card.getByRole('button', { name: 'Place the offer' }).click();
  await card.getByText('Offer placed.').waitFor();
  await card.getByRole('button', { name: 'Accept the award' }).click({ timeout: 120_000 });
  await card.getByText('First Run Person').waitFor();
  await officer.locator('#package-detail').getByRole('heading', { name: `Package ${pkg}: placed` }).waitFor();
});
