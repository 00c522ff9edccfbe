// End-to-end check of a running carebroker server, as a vendor would run it against a test
// market: an officer posts a package over REST; the provider's FlatBuffers (binary) WebSocket
// receives its broadcast; the provider places an offer and gets its Ack, then retries the same
// request and gets the same answer marked replayed; then it amends the offer under the
// abnormally-low threshold, is asked to explain (ExplanationRequested) and explains it. With an
// admin token it goes on to the person: the officer awards the package to our location as the
// person's own choice, we accept and receive the person's details (status available), and the
// admin erases the person (UK GDPR): we are told at once (status erased) to delete our copy.
// Exit 0 on success; non-zero with a message on any failure.
//
// Environment:
//   CAREBROKER_URL             http://host:port of the server (the WebSocket is ws://host:port/ws)
//   CAREBROKER_PROVIDER_TOKEN  a provider's bearer token (one of its locations must be invited)
//   CAREBROKER_OFFICER_TOKEN   an officer's bearer token (posts the package)
//   CAREBROKER_PACKAGE_JSON    optional: the package to post (default: home care in B13)
//   CAREBROKER_PRICE           optional: the offer's price in pence per hour (default 2900)
//   CAREBROKER_ENCODING        optional: binary (default) or json
//   CAREBROKER_ADMIN_TOKEN     optional: an admin's token; with it, the award, acceptance and erasure
import { CarebrokerClient, Encoding, ProtocolError, ServerMessage } from './client';

const TIMEOUT_MS = 10_000;

const DEFAULT_PACKAGE = {
  dps: 'home-care',
  lot: 'hc',
  categories: ['older_people'],
  postcode_district: 'B13',
  quantity: 840,
  visits: { visits_per_day: 4, minutes_per_visit: 30, days_per_week: 7 },
  start_date: '2026-11-25',
  needs: ['personal care', 'medication prompts'],
  outcomes: ['remain independent at home'],
  person: { name: 'Ada Example', address: '1 Test Street', postcode: 'B13 9ZZ', case_reference: 'CASE-1' },
};

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name}`);
  return v;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`check failed: ${what}`);
}

/// Sends `body` (a GET when there is none) to `path` with `token`; the parsed reply, or an error
/// naming the status and body.
async function call(base: string, path: string, token: string, body: string | undefined, expected: number): Promise<any> {
  const method = body === undefined ? 'GET' : 'POST';
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return JSON.parse(text);
}

/// A price that the lot accepts (within its rate band) and flags as abnormally low (under the
/// threshold its fair cost of care sets): half our price, at least £18, or null when the lot has
/// no such price (no fair cost, or a band that starts at the threshold).
function abnormallyLowPrice(price: number, lot: { rate_min: number; abnormally_low_below: number }): number | null {
  const threshold = lot.abnormally_low_below;
  const lowest = Math.max(1, lot.rate_min);
  const wanted = Math.min(Math.max(1800, Math.floor(price / 2), lowest), threshold - 1);
  return threshold > 0 && wanted >= lowest ? wanted : null;
}

async function postPackage(base: string, officerToken: string, body: string): Promise<number> {
  const reply = await call(base, '/api/v1/packages', officerToken, body, 201);
  check(Number.isSafeInteger(reply.package) && reply.package > 0, `a package number in ${JSON.stringify(reply)}`);
  return reply.package;
}

/// The award and the person: the officer awards `packageId` to `location` as the person's own
/// choice; we accept and are given the person; the admin erases them and we are told so.
async function awardAcceptAndErase(client: CarebrokerClient, base: string, officerToken: string, adminToken: string,
                                   packageId: number, location: string, requestId: string): Promise<void> {
  await call(base, `/api/v1/packages/${packageId}/persons-choice`, officerToken,
             JSON.stringify({ location, reason: 'the person already knows this provider (e2e)' }), 200);
  const offered = await client.waitFor((m) => m.type === 'AwardOffered' && m.message.package === packageId, TIMEOUT_MS);
  check(offered.message.location === location, 'the award is offered to our location');
  await client.acceptAward({ requestId: `${requestId}-accept`, location, package: packageId });
  const given = await client.waitFor((m) => m.type === 'PersonDetails' && m.message.package === packageId, TIMEOUT_MS);
  const person = given.message;
  console.log(`accepted: the person is ${person.status}: ${person.name}, ${person.postcode}`);
  check(person.status === 'available' && person.name === DEFAULT_PACKAGE.person.name &&
        person.case_reference === DEFAULT_PACKAGE.person.case_reference, 'the person is given on acceptance');

  const erased = await call(base, `/api/v1/packages/${packageId}/person/erasure`, adminToken,
                            JSON.stringify({ reason: 'the person asked to be forgotten (e2e)' }), 200);
  check(erased.person === 'erased', `the erasure is confirmed (${JSON.stringify(erased)})`);
  const told = await client.waitFor(
    (m) => m.type === 'PersonDetails' && m.message.package === packageId && m.message.status !== 'available', TIMEOUT_MS);
  console.log(`erased: told ${JSON.stringify(told.message)}`);
  check(told.message.status === 'erased' && told.message.name === '' && told.message.case_reference === '',
        'the provider is told the person is erased, with none of their details');
}

async function main(): Promise<void> {
  const base = env('CAREBROKER_URL').replace(/\/+$/, '');
  const providerToken = env('CAREBROKER_PROVIDER_TOKEN');
  const officerToken = env('CAREBROKER_OFFICER_TOKEN');
  const packageBody = process.env.CAREBROKER_PACKAGE_JSON ?? JSON.stringify(DEFAULT_PACKAGE);
  const price = Number(process.env.CAREBROKER_PRICE ?? '2900');
  const encoding = (process.env.CAREBROKER_ENCODING ?? 'binary') as Encoding;
  check(encoding === 'binary' || encoding === 'json', 'CAREBROKER_ENCODING is binary or json');

  const wsUrl = `${base.replace(/^http/, 'ws')}/ws`;
  const client = await CarebrokerClient.connect({ url: wsUrl, token: providerToken, encoding, timeoutMs: TIMEOUT_MS });
  const w = client.welcome;
  console.log(`connected to ${wsUrl} (${encoding}) as ${w.provider}, locations ${w.locations.join(', ')}; ` +
              `stream ${w.stream_epoch} at ${w.last_seq}, resumed ${w.resumed}`);

  const packageId = await postPackage(base, officerToken, packageBody);
  console.log(`officer posted package ${packageId}`);

  const broadcast: ServerMessage = await client.waitFor(
    (m) => m.type === 'PackageBroadcast' && m.message.package === packageId, TIMEOUT_MS);
  const b = broadcast.message;
  console.log(`broadcast #${broadcast.seq}: package ${b.package} to ${b.location}: ${b.quantity} ${b.unit} ` +
              `in ${b.zone} (${b.postcode_district}), ${b.categories.join('/')}, from ${b.start_date}, tier ${b.tier}, ` +
              `closes ${new Date(b.closes_at).toISOString()}`);
  check(broadcast.seq > 0, 'a broadcast is numbered in the stream');
  check(w.locations.includes(b.location), `the broadcast names one of our locations (${b.location})`);
  check(!JSON.stringify(b).includes(DEFAULT_PACKAGE.person.name), 'the broadcast carries no person');

  const requestId = `e2e-${packageId}-${Date.now()}`;
  const offer = {
    requestId, location: b.location, package: packageId, price, startDate: b.start_date,
    mustMeetConfirmed: true, notes: 'offered by the Node.js reference client',
  };
  const ack = await client.placeOffer(offer);
  console.log(`ack: ${JSON.stringify(ack)}`);
  check(ack.request_id === requestId && ack.package === packageId && ack.replayed === false, 'the Ack answers the offer');

  const again = await client.placeOffer(offer);
  console.log(`retry: ${JSON.stringify(again)}`);
  check(again.request_id === requestId && again.replayed === true, 'a retry with the same request id is replayed');

  // Amended far under the fair cost of care, the offer is flagged: the server asks us to explain.
  // The lot's rate band and threshold are public to its providers.
  const lot = await call(base, `/api/v1/dps/${encodeURIComponent(b.dps)}/lots/${encodeURIComponent(b.lot)}/fair-cost`,
                         providerToken, undefined, 200);
  const low = abnormallyLowPrice(price, lot);
  if (low === null) {
    console.log(`lot ${b.lot}: no price is both within its rate band (from ${lot.rate_min}) and under its ` +
                `abnormally-low threshold (${lot.abnormally_low_below}): the explanation step is skipped`);
  } else {
    await client.amendOffer({ ...offer, requestId: `${requestId}-low`, price: low });
    const asked = await client.waitFor(
      (m) => m.type === 'ExplanationRequested' && m.message.package === packageId, TIMEOUT_MS);
    console.log(`asked to explain #${asked.seq}: ${JSON.stringify(asked.message)}`);
    check(asked.seq > 0 && asked.message.price === low && asked.message.location === b.location,
          'the explanation request names our own offer');
    const explained = await client.explainOffer({
      requestId: `${requestId}-why`, location: b.location, package: packageId,
      explanation: 'our carers are paid the real living wage; this round is short',
    });
    check(explained.package === packageId && explained.replayed === false, 'the explanation is acknowledged');
  }

  const adminToken = process.env.CAREBROKER_ADMIN_TOKEN;
  if (adminToken) await awardAcceptAndErase(client, base, officerToken, adminToken, packageId, b.location, requestId);

  await client.ping();
  client.close();
  console.log('e2e ok');
}

const deadline = setTimeout(() => {
  console.error('e2e failed: did not finish within 30 s');
  process.exit(3);
}, 30_000);

main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (e: unknown) => {
    clearTimeout(deadline);
    const why = e instanceof ProtocolError ? `server refused: ${e.code} (${e.detail})` : String((e as Error)?.stack ?? e);
    console.error(`e2e failed: ${why}`);
    process.exit(1);
  },
);
