// The web-mode transport: JSON frames over a WebSocket to `kurier --web`
// (Go side: app/web). Calls made while the socket is down wait for the next
// connection; the socket reconnects with back-off.
import { goErrorCode, type TransportErrorCode } from './errors';
import { BridgeError, type Transport, type Unsubscribe } from './transport';

/** A reply or an event from Go. */
interface Frame {
  id?: number;
  result?: unknown;
  error?: string;
  /** The failure kind of an error reply (Go: app.ErrorCode). */
  code?: string;
  event?: string;
  data?: unknown;
}

/** The subset of the WebSocket API the transport needs (injectable for tests). */
export type SocketFactory = (url: string) => WebSocket;

/** Back-off bounds for reconnecting, in milliseconds. */
const minRetryMs = 250;
const maxRetryMs = 5000;

interface Pending {
  method: string;
  text: string;
  sent: boolean;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

function parseFrame(text: unknown): Frame | undefined {
  if (typeof text !== 'string') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  return v as Frame;
}

/** Carries the bridge over a WebSocket. */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  readonly #url: string;
  readonly #factory: SocketFactory;
  #socket: WebSocket | undefined;
  #open = false;
  #closed = false;
  #nextId = 1;
  #retryMs = minRetryMs;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Map<number, Pending>();
  readonly #queue: number[] = [];
  readonly #handlers = new Map<string, Set<(data: unknown) => void>>();

  constructor(url: string, factory: SocketFactory = (u) => new WebSocket(u)) {
    this.#url = url;
    this.#factory = factory;
    this.#connect();
  }

  call(method: string, args: readonly unknown[]): Promise<unknown> {
    if (this.#closed) {
      return Promise.reject(new BridgeError(method, 'transport closed', 'unreachable'));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const p: Pending = { method, text: JSON.stringify({ id, method, args }), sent: false, resolve, reject };
      this.#pending.set(id, p);
      if (this.#open && this.#socket) {
        this.#socket.send(p.text);
        p.sent = true;
      } else {
        this.#queue.push(id);
      }
    });
  }

  on(event: string, handler: (data: unknown) => void): Unsubscribe {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** Closes the socket for good and fails every pending call. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#socket?.close();
    this.#failPending('transport closed', 'unreachable', true);
  }

  #connect(): void {
    const ws = this.#factory(this.#url);
    this.#socket = ws;
    ws.onopen = () => {
      this.#open = true;
      this.#retryMs = minRetryMs;
      for (const id of this.#queue.splice(0)) {
        const p = this.#pending.get(id);
        if (!p) continue;
        ws.send(p.text);
        p.sent = true;
      }
    };
    ws.onmessage = (ev: MessageEvent) => this.#receive(ev.data);
    ws.onclose = () => {
      this.#open = false;
      // Calls already sent will never be answered by this connection.
      this.#failPending('connection lost', 'connectionLost', false);
      if (this.#closed) return;
      this.#retryTimer = setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, maxRetryMs);
    };
  }

  #receive(raw: unknown): void {
    const frame = parseFrame(raw);
    if (!frame) return;
    if (typeof frame.event === 'string') {
      for (const h of this.#handlers.get(frame.event) ?? []) h(frame.data);
      return;
    }
    if (typeof frame.id !== 'number') return;
    const p = this.#pending.get(frame.id);
    if (!p) return;
    this.#pending.delete(frame.id);
    if (typeof frame.error === 'string') {
      p.reject(new BridgeError(p.method, frame.error, goErrorCode(frame.code)));
    } else {
      p.resolve(frame.result);
    }
  }

  /** Rejects the calls that were sent (and, with all, the queued ones too). */
  #failPending(reason: string, code: TransportErrorCode, all: boolean): void {
    for (const [id, p] of this.#pending) {
      if (!p.sent && !all) continue;
      this.#pending.delete(id);
      p.reject(new BridgeError(p.method, reason, code));
    }
  }
}
