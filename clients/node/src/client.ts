// A provider's client of the carebroker WebSocket protocol (schemas/wire.fbs), as a rostering-
// software vendor would write it from the published schema:
//
//   - connect to ws(s)://host/ws and authenticate with Hello{token} (optionally resuming a stream
//     with resume_after + stream_epoch);
//   - place, amend and withdraw offers (confirming each must-meet requirement by name), explain an
//     offer flagged abnormally low, and accept or decline awards, each with a request id (an
//     idempotency key: retrying the same request with the same id returns the original answer,
//     marked replayed);
//   - receive the server's frames — replies (Welcome, Ack, Error, Pong: seq 0) and the
//     numbered notifications of your stream (PackageBroadcast, PackageUpdate, AwardOffered,
//     PersonDetails, Snapshot, ExplanationRequested, AbnormallyLowDecision) — in either encoding,
//     as the same plain objects.
//
// Encodings: 'json' sends text frames {"message_type":…,"message":{…}} and receives
// {"seq":N,"frame":{…}}; 'binary' sends FlatBuffers ClientFrame buffers (file identifier "CBW1")
// built with the flatc-generated TypeScript code, and receives [8-byte little-endian seq][ServerFrame].
// Either way a received message is {seq, type, message} with the schema's field names
// (snake_case) and enums by name, so application code does not care which encoding is in use.
// Numbers (package ids, pence, UTC milliseconds) are JavaScript numbers: all fit in 2^53.
//
// There is no FlatBuffers Verifier in JavaScript: the server verifies what it receives, and this
// client trusts the server it connected to (a frame that does not decode is reported as an error).
import WebSocket from 'ws';
import * as flatbuffers from 'flatbuffers';

import {
  AcceptAward,
  AmendOffer,
  AskQuestion,
  Clarification,
  ClientFrame,
  ClientMessage,
  DeclineAward,
  ExplainOffer,
  Funder,
  HandBack,
  Hello,
  PackageBroadcast,
  PackageUpdate,
  Ping,
  PlaceOffer,
  ServerFrame,
  ServerMessage as ServerMessageType,
  Standing,
  Unit,
  Urgency,
  Weekday,
  WithdrawOffer,
  Welcome as WelcomeTable,
  Ack as AckTable,
  Error as ErrorTable,
  AwardOffered as AwardOfferedTable,
  PersonDetails as PersonDetailsTable,
  Snapshot as SnapshotTable,
  Pong as PongTable,
  Replies as RepliesTable,
  PackageChanged as PackageChangedTable,
  ExplanationRequested as ExplanationRequestedTable,
  AbnormallyLowDecision as AbnormallyLowDecisionTable,
  ClarificationAnswered as ClarificationAnsweredTable,
} from '../generated/wire_generated';

export type Encoding = 'json' | 'binary';

/// One server frame, in either encoding: its stream number (0 for replies), the ServerMessage
/// type name and the message's fields.
export interface ServerMessage {
  seq: number;
  type: string;
  message: Record<string, any>;
}

export interface Welcome {
  provider: string;
  locations: string[];
  stream_epoch: string;
  resumed: boolean;
  last_seq: number;
}

export interface Ack {
  request_id: string;
  package: number;
  replayed: boolean;
}

export interface ClientOptions {
  /// ws://host:port/ws (or wss://)
  url: string;
  /// The provider's bearer token.
  token: string;
  encoding: Encoding;
  /// Resume a stream: the last seq seen and the stream_epoch of the Welcome it came from.
  resumeAfter?: number;
  streamEpoch?: string;
  /// Milliseconds to wait for the connection and the Welcome, and for each reply.
  timeoutMs?: number;
  /// Prefix of generated request ids (default: a random one per client).
  requestIdPrefix?: string;
}

export interface OfferTerms {
  location: string;
  package: number;
  /// Pence per unit of the lot (hour, place or session): a whole number.
  price: number;
  /// YYYY-MM-DD
  startDate: string;
  /// Confirms every must-meet requirement at once (the form before confirmedMustMeet).
  mustMeetConfirmed?: boolean;
  /// Each must-meet requirement confirmed, by its text as broadcast (must_meet).
  confirmedMustMeet?: string[];
  notes?: string;
  /// An idempotency key (1..64 characters); generated when absent. Reuse it to retry.
  requestId?: string;
}

export interface PackageRef {
  location: string;
  package: number;
  requestId?: string;
}

/// A request the server refused: `code` is a stable machine-readable name.
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly requestId: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ProtocolError';
  }
}

const IDENTIFIER = 'CBW1';

// ---------------------------------------------------------------------------------------------
// Server frames → plain objects.

const num = (v: bigint | number): number => Number(v);

function strings(length: number, at: (i: number) => string | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < length; ++i) out.push(at(i) ?? '');
  return out;
}

function broadcastObject(b: PackageBroadcast): Record<string, any> {
  return {
    location: b.location() ?? '',
    package: num(b.package_()),
    dps: b.dps() ?? '',
    lot: b.lot() ?? '',
    categories: strings(b.categoriesLength(), (i) => b.categories(i)),
    zone: b.zone() ?? '',
    postcode_district: b.postcodeDistrict() ?? '',
    unit: Unit[b.unit()],
    quantity: num(b.quantity()),
    visits_per_day: b.visitsPerDay(),
    minutes_per_visit: b.minutesPerVisit(),
    days_per_week: b.daysPerWeek(),
    double_handed: b.doubleHanded(),
    start_date: b.startDate() ?? '',
    latest_start: b.latestStart() ?? '',
    needs: strings(b.needsLength(), (i) => b.needs(i)),
    outcomes: strings(b.outcomesLength(), (i) => b.outcomes(i)),
    must_meet: strings(b.mustMeetLength(), (i) => b.mustMeet(i)),
    urgency: Urgency[b.urgency()],
    funder: Funder[b.funder()],
    price_ceiling: num(b.priceCeiling()),
    tier: b.tier() ?? '',
    closes_at: num(b.closesAt()),
    schedule: Array.from({ length: b.scheduleLength() }, (_, i) => {
      const c = b.schedule(i)!;
      return { weekday: Weekday[c.weekday()], at: c.at() ?? '', minutes: c.minutes(), carers: c.carers() };
    }),
    end_date: b.endDate() ?? '',
    weekly_minutes: b.weeklyMinutes()
      ? { carer: num(b.weeklyMinutes()!.carer()), person: num(b.weeklyMinutes()!.person()) }
      : null,
    funding: Array.from({ length: b.fundingLength() }, (_, i) => {
      const f = b.funding(i)!;
      return { funder: Funder[f.funder()], percent: f.percent() };
    }),
    // The officer's latest amendment (null: never amended), and the questions answered so far.
    amendment: b.amendment()
      ? { number: b.amendment()!.number(), notes: b.amendment()!.notes() ?? '', at: num(b.amendment()!.at()) }
      : null,
    clarifications: Array.from({ length: b.clarificationsLength() }, (_, i) => clarificationObject(b.clarifications(i)!)),
  };
}

function clarificationObject(c: Clarification): Record<string, any> {
  return { number: c.number(), question: c.question() ?? '', answer: c.answer() ?? '' };
}

function updateObject(u: PackageUpdate): Record<string, any> {
  return {
    location: u.location() ?? '',
    package: num(u.package_()),
    standing: Standing[u.standing()],
    own_rank: u.ownRank(),
    own_score: u.ownScore(),
    closes_at: num(u.closesAt()),
    reason: u.reason() ?? '',
  };
}

/// Decodes a binary frame: [8-byte little-endian seq][ServerFrame FlatBuffer].
export function decodeBinaryFrame(data: Buffer): ServerMessage {
  if (data.length < 16) throw new Error(`a binary frame of ${data.length} bytes is too short`);
  const seq = num(data.readBigUInt64LE(0));
  const bb = new flatbuffers.ByteBuffer(new Uint8Array(data.buffer, data.byteOffset + 8, data.length - 8));
  if (!bb.__has_identifier(IDENTIFIER)) throw new Error(`not a ${IDENTIFIER} frame`);
  const frame = ServerFrame.getRootAsServerFrame(bb);
  const type = frame.messageType();
  let message: Record<string, any>;
  switch (type) {
    case ServerMessageType.Welcome: {
      const m: WelcomeTable = frame.message(new WelcomeTable());
      message = {
        provider: m.provider() ?? '',
        locations: strings(m.locationsLength(), (i) => m.locations(i)),
        stream_epoch: m.streamEpoch() ?? '',
        resumed: m.resumed(),
        last_seq: num(m.lastSeq()),
        role: m.role() ?? '',
      };
      break;
    }
    case ServerMessageType.Ack: {
      const m: AckTable = frame.message(new AckTable());
      message = { request_id: m.requestId() ?? '', package: num(m.package_()), replayed: m.replayed() };
      break;
    }
    case ServerMessageType.Error: {
      const m: ErrorTable = frame.message(new ErrorTable());
      message = { request_id: m.requestId() ?? '', code: m.code() ?? '', detail: m.detail() ?? '' };
      break;
    }
    case ServerMessageType.PackageBroadcast:
      message = broadcastObject(frame.message(new PackageBroadcast()));
      break;
    case ServerMessageType.PackageUpdate:
      message = updateObject(frame.message(new PackageUpdate()));
      break;
    case ServerMessageType.AwardOffered: {
      const m: AwardOfferedTable = frame.message(new AwardOfferedTable());
      message = { location: m.location() ?? '', package: num(m.package_()), expires_at: num(m.expiresAt()) };
      break;
    }
    case ServerMessageType.PersonDetails: {
      const m: PersonDetailsTable = frame.message(new PersonDetailsTable());
      message = {
        location: m.location() ?? '',
        package: num(m.package_()),
        name: m.name() ?? '',
        address: m.address() ?? '',
        postcode: m.postcode() ?? '',
        case_reference: m.caseReference() ?? '',
        // available (the details above), erased (delete your copy), key_missing or tampered (the
        // council's copy cannot be opened: ask the council). An older server sends none: available.
        status: m.status() || 'available',
      };
      break;
    }
    case ServerMessageType.Snapshot: {
      const m: SnapshotTable = frame.message(new SnapshotTable());
      const packages: Record<string, any>[] = [];
      for (let i = 0; i < m.packagesLength(); ++i) packages.push(broadcastObject(m.packages(i)!));
      const updates: Record<string, any>[] = [];
      for (let i = 0; i < m.updatesLength(); ++i) updates.push(updateObject(m.updates(i)!));
      // A snapshot comes in pages 1..pages (docs/websocket-protocol.md#snapshot).
      message = { packages, updates, page: m.page(), pages: m.pages() };
      break;
    }
    case ServerMessageType.Pong: {
      const m: PongTable = frame.message(new PongTable());
      message = { nonce: num(m.nonce()) };
      break;
    }
    case ServerMessageType.Replies: {
      // Several commands' answers in one frame (one durable batch settled them): match by request_id.
      const m: RepliesTable = frame.message(new RepliesTable());
      const acks: Record<string, any>[] = [];
      for (let i = 0; i < m.acksLength(); ++i) {
        const a = m.acks(i)!;
        acks.push({ request_id: a.requestId() ?? '', package: num(a.package_()), replayed: a.replayed() });
      }
      const errors: Record<string, any>[] = [];
      for (let i = 0; i < m.errorsLength(); ++i) {
        const e = m.errors(i)!;
        errors.push({ request_id: e.requestId() ?? '', code: e.code() ?? '', detail: e.detail() ?? '' });
      }
      message = { acks, errors };
      break;
    }
    case ServerMessageType.PackageChanged: {
      // Staff connections only (docs/websocket-protocol.md#staff-connections).
      const m: PackageChangedTable = frame.message(new PackageChangedTable());
      message = { package: num(m.package_()), status: m.status() ?? '', what: m.what() ?? '', offers: m.offers() };
      break;
    }
    case ServerMessageType.ExplanationRequested: {
      // Your offer is flagged abnormally low: answer with explainOffer().
      const m: ExplanationRequestedTable = frame.message(new ExplanationRequestedTable());
      message = {
        location: m.location() ?? '',
        package: num(m.package_()),
        price: num(m.price()),
        fair_cost: num(m.fairCost()),
        threshold_pct: m.thresholdPct(),
      };
      break;
    }
    case ServerMessageType.AbnormallyLowDecision: {
      const m: AbnormallyLowDecisionTable = frame.message(new AbnormallyLowDecisionTable());
      message = { location: m.location() ?? '', package: num(m.package_()), accepted: m.accepted(), detail: m.detail() ?? '' };
      break;
    }
    case ServerMessageType.ClarificationAnswered: {
      // An answer to a clarification question, sent to every invited location (never who asked).
      const m: ClarificationAnsweredTable = frame.message(new ClarificationAnsweredTable());
      message = {
        location: m.location() ?? '',
        package: num(m.package_()),
        clarification: m.clarification() ? clarificationObject(m.clarification()!) : null,
      };
      break;
    }
    default:
      // A message type newer than this client: report it by number, with no fields.
      return { seq, type: `unknown(${type})`, message: {} };
  }
  return { seq, type: ServerMessageType[type], message };
}

/// Decodes a text frame: {"seq":N,"frame":{"message_type":"…","message":{…}}}.
export function decodeJsonFrame(text: string): ServerMessage {
  const envelope = JSON.parse(text);
  const frame = envelope?.frame;
  if (typeof envelope?.seq !== 'number' || typeof frame?.message_type !== 'string')
    throw new Error(`not a server frame: ${text.slice(0, 200)}`);
  return { seq: envelope.seq, type: frame.message_type, message: frame.message ?? {} };
}

// ---------------------------------------------------------------------------------------------
// Client messages in both encodings.

type ClientMessageName = keyof typeof ClientMessage;

function wholePence(price: number): void {
  if (!Number.isSafeInteger(price)) throw new RangeError(`price must be a whole number of pence; got ${price}`);
}

function finish(builder: flatbuffers.Builder, type: ClientMessage, message: flatbuffers.Offset): Uint8Array {
  const frame = ClientFrame.createClientFrame(builder, type, message);
  ClientFrame.finishClientFrameBuffer(builder, frame);
  return builder.asUint8Array();
}

/// A client message as JSON text, or as a FlatBuffers frame.
export function encodeClientMessage(type: ClientMessageName, m: Record<string, any>, encoding: Encoding): string | Uint8Array {
  if (encoding === 'json') return JSON.stringify({ message_type: type, message: m });
  const b = new flatbuffers.Builder(256);
  const s = (v: unknown) => b.createString(typeof v === 'string' ? v : '');
  const big = (v: unknown) => BigInt(typeof v === 'number' ? v : 0);
  switch (type) {
    case 'Hello': {
      const token = s(m.token), epoch = s(m.stream_epoch);
      return finish(b, ClientMessage.Hello, Hello.createHello(b, token, big(m.resume_after), epoch));
    }
    case 'PlaceOffer':
    case 'AmendOffer': {
      const rid = s(m.request_id), loc = s(m.location), start = s(m.start_date), notes = s(m.notes);
      const items = (Array.isArray(m.confirmed_must_meet) ? m.confirmed_must_meet : []).map(s);
      const confirmed = type === 'PlaceOffer'
        ? PlaceOffer.createConfirmedMustMeetVector(b, items)
        : AmendOffer.createConfirmedMustMeetVector(b, items);
      const create = type === 'PlaceOffer' ? PlaceOffer.createPlaceOffer : AmendOffer.createAmendOffer;
      const offset = create(b, rid, loc, big(m.package), big(m.price), start, Boolean(m.must_meet_confirmed), notes,
                            confirmed);
      return finish(b, ClientMessage[type], offset);
    }
    case 'WithdrawOffer':
    case 'AcceptAward': {
      const rid = s(m.request_id), loc = s(m.location);
      const create = type === 'WithdrawOffer' ? WithdrawOffer.createWithdrawOffer : AcceptAward.createAcceptAward;
      return finish(b, ClientMessage[type], create(b, rid, loc, big(m.package)));
    }
    case 'DeclineAward':
    case 'HandBack': {
      const rid = s(m.request_id), loc = s(m.location), reason = s(m.reason);
      const create = type === 'DeclineAward' ? DeclineAward.createDeclineAward : HandBack.createHandBack;
      return finish(b, ClientMessage[type], create(b, rid, loc, big(m.package), reason));
    }
    case 'Ping':
      return finish(b, ClientMessage.Ping, Ping.createPing(b, big(m.nonce)));
    case 'ExplainOffer': {
      const rid = s(m.request_id), loc = s(m.location), text = s(m.explanation);
      return finish(b, ClientMessage.ExplainOffer, ExplainOffer.createExplainOffer(b, rid, loc, big(m.package), text));
    }
    case 'AskQuestion': {
      const rid = s(m.request_id), loc = s(m.location), text = s(m.question);
      return finish(b, ClientMessage.AskQuestion, AskQuestion.createAskQuestion(b, rid, loc, big(m.package), text));
    }
    default:
      throw new Error(`cannot encode ${type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The connection.

interface Waiter {
  match: (m: ServerMessage) => boolean;
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class CarebrokerClient {
  /// The Welcome of this connection.
  welcome!: Welcome;
  /// The newest stream number seen (send it as resume_after when reconnecting, with the epoch).
  lastSeq = 0;

  private readonly ws: WebSocket;
  private readonly options: Required<Pick<ClientOptions, 'encoding' | 'timeoutMs' | 'requestIdPrefix'>>;
  private readonly inbox: ServerMessage[] = [];
  private waiters: Waiter[] = [];
  private closedError: Error | null = null;
  private nextRequest = 1;
  private nextNonce = 1;

  private constructor(ws: WebSocket, options: ClientOptions) {
    this.ws = ws;
    this.options = {
      encoding: options.encoding,
      timeoutMs: options.timeoutMs ?? 10_000,
      requestIdPrefix: options.requestIdPrefix ?? `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
    };
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('close', (code: number, reason: Buffer) => this.fail(new Error(`connection closed (${code} ${reason.toString()})`)));
    ws.on('error', (e: Error) => this.fail(e));
  }

  /// Connects, says Hello and waits for the Welcome (rejects with the server's Error otherwise).
  static async connect(options: ClientOptions): Promise<CarebrokerClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const ws = new WebSocket(options.url, { handshakeTimeout: timeoutMs, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new CarebrokerClient(ws, options);
    client.send('Hello', {
      token: options.token,
      resume_after: options.resumeAfter ?? 0,
      stream_epoch: options.streamEpoch ?? '',
    });
    const first = await client.waitFor((m) => m.seq === 0 && (m.type === 'Welcome' || m.type === 'Error'), timeoutMs);
    if (first.type === 'Error') {
      client.close();
      throw new ProtocolError(first.message.code, first.message.detail, first.message.request_id ?? '');
    }
    client.welcome = first.message as Welcome;
    client.lastSeq = client.welcome.last_seq;
    return client;
  }

  get encoding(): Encoding {
    return this.options.encoding;
  }

  /// The next notification or reply not claimed by a pending request, in arrival order.
  next(timeoutMs = this.options.timeoutMs): Promise<ServerMessage> {
    return this.waitFor(() => true, timeoutMs);
  }

  /// The first message (queued or still to come) that `match` accepts; earlier ones stay queued.
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs = this.options.timeoutMs): Promise<ServerMessage> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  placeOffer(o: OfferTerms): Promise<Ack> {
    return this.offer('PlaceOffer', o);
  }
  /// Replaces your offer (in a best-and-final round: improves it).
  amendOffer(o: OfferTerms): Promise<Ack> {
    return this.offer('AmendOffer', o);
  }
  withdrawOffer(r: PackageRef): Promise<Ack> {
    return this.request('WithdrawOffer', r.requestId, { location: r.location, package: r.package });
  }
  acceptAward(r: PackageRef): Promise<Ack> {
    return this.request('AcceptAward', r.requestId, { location: r.location, package: r.package });
  }
  declineAward(r: PackageRef & { reason: string }): Promise<Ack> {
    return this.request('DeclineAward', r.requestId, { location: r.location, package: r.package, reason: r.reason });
  }
  handBack(r: PackageRef & { reason: string }): Promise<Ack> {
    return this.request('HandBack', r.requestId, { location: r.location, package: r.package, reason: r.reason });
  }
  /// Explains an offer flagged abnormally low (after an ExplanationRequested); the officer decides
  /// and you receive an AbnormallyLowDecision.
  explainOffer(r: PackageRef & { explanation: string }): Promise<Ack> {
    return this.request('ExplainOffer', r.requestId, {
      location: r.location,
      package: r.package,
      explanation: r.explanation,
    });
  }

  /// Asks the officer a clarification question about a package broadcast to your location; the
  /// answer comes to every invited location as a ClarificationAnswered, never saying who asked.
  askQuestion(r: PackageRef & { question: string }): Promise<Ack> {
    return this.request('AskQuestion', r.requestId, { location: r.location, package: r.package, question: r.question });
  }

  async ping(timeoutMs = this.options.timeoutMs): Promise<void> {
    const nonce = this.nextNonce++;
    this.send('Ping', { nonce });
    await this.waitFor((m) => m.seq === 0 && m.type === 'Pong' && m.message.nonce === nonce, timeoutMs);
  }

  close(): void {
    this.ws.close(1000);
  }

  // ---- internals ----

  private offer(type: 'PlaceOffer' | 'AmendOffer', o: OfferTerms): Promise<Ack> {
    wholePence(o.price);
    return this.request(type, o.requestId, {
      location: o.location,
      package: o.package,
      price: o.price,
      start_date: o.startDate,
      must_meet_confirmed: o.mustMeetConfirmed ?? false,
      notes: o.notes ?? '',
      ...(o.confirmedMustMeet ? { confirmed_must_meet: o.confirmedMustMeet } : {}),
    });
  }

  /// Sends a request with its id and resolves with its Ack, or rejects with its Error.
  private async request(type: ClientMessageName, requestId: string | undefined, fields: Record<string, any>): Promise<Ack> {
    const id = requestId ?? `${this.options.requestIdPrefix}-${this.nextRequest++}`;
    const reply = this.waitFor(
      (m) => m.seq === 0 && (m.type === 'Ack' || m.type === 'Error') && m.message.request_id === id,
    );
    this.send(type, { request_id: id, ...fields });
    const m = await reply;
    if (m.type === 'Error') throw new ProtocolError(m.message.code, m.message.detail, id);
    return m.message as Ack;
  }

  private send(type: ClientMessageName, message: Record<string, any>): void {
    if (this.closedError) throw this.closedError;
    this.ws.send(encodeClientMessage(type, message, this.options.encoding));
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    let m: ServerMessage;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      m = isBinary ? decodeBinaryFrame(bytes) : decodeJsonFrame(bytes.toString('utf8'));
    } catch (e) {
      return this.fail(new Error(`undecodable frame from the server: ${(e as Error).message}`));
    }
    if (m.seq > this.lastSeq) this.lastSeq = m.seq;
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i < 0) {
      this.inbox.push(m);
      return;
    }
    const [waiter] = this.waiters.splice(i, 1);
    clearTimeout(waiter.timer);
    waiter.resolve(m);
  }

  private fail(e: Error): void {
    if (this.closedError) return;
    this.closedError = e;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(e);
    }
    this.waiters = [];
    if (this.ws.readyState === WebSocket.OPEN) this.ws.terminate();
  }
}
