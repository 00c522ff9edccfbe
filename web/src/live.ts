// The live feed: the same WebSocket protocol rostering software uses (docs/websocket-protocol.md),
// JSON text frames. Sends a Hello with the token, keeps the last stream number seen and the
// stream epoch, and after a drop reconnects and resumes from that number, so no update is lost.
import { token } from './api';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';
export interface Frame {
  seq: number;
  type: string;
  message: any;
}

/// What a role's screen does with the live frames.
export interface Screen {
  onFrame(f: Frame): void;
}

export class LiveFeed {
  private ws: WebSocket | null = null;
  private lastSeq = 0;
  private epoch = '';
  private stopped = false;
  private retry = 500;
  private timer: number | undefined;
  resumed = false;

  constructor(
    private readonly onFrame: (f: Frame) => void,
    private readonly onState: (s: ConnectionState, detail: string) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect('connecting');
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
    this.onState('offline', 'Signed out');
  }

  /// Drops the connection as a network failure would, and reconnects after `afterMs`
  /// (diagnostics, and the browser tests' reconnect check).
  /// A negative `afterMs` waits for reconnect().
  drop(afterMs = 500): void {
    this.retry = afterMs;
    this.ws?.close();
  }

  reconnect(): void {
    window.clearTimeout(this.timer);
    if (!this.ws && !this.stopped) this.connect('reconnecting');
  }

  send(message_type: string, message: Record<string, unknown>): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ message_type, message }));
    return true;
  }

  private connect(state: ConnectionState): void {
    const t = token();
    if (!t || this.stopped) return;
    this.onState(state, state === 'connecting' ? 'Connecting…' : 'Reconnecting…');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({
        message_type: 'Hello',
        message: { token: t, resume_after: this.lastSeq, stream_epoch: this.epoch },
      }));
    };
    ws.onmessage = (ev) => {
      let env: any;
      try {
        env = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      const frame: Frame = { seq: Number(env.seq ?? 0), type: env.frame?.message_type ?? '', message: env.frame?.message ?? {} };
      if (frame.type === 'Welcome') {
        this.resumed = !!frame.message.resumed;
        this.epoch = frame.message.stream_epoch ?? '';
        if (!this.resumed) this.lastSeq = Number(frame.message.last_seq ?? 0);
        this.retry = 500;
        this.onState('live', this.resumed ? 'Live (resumed)' : 'Live');
      }
      if (frame.seq > this.lastSeq) this.lastSeq = frame.seq;
      this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      this.onState('reconnecting', 'Reconnecting…');
      if (this.retry < 0) return;
      this.timer = window.setTimeout(() => this.connect('reconnecting'), this.retry);
      this.retry = Math.min(this.retry * 2, 10_000);
    };
  }
}
