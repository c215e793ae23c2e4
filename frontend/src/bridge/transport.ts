// The bridge's transport contract. Two implementations carry the same calls
// and events: Wails bindings in the desktop window (wails.ts) and a WebSocket
// to `kurier --web` in a browser (websocket.ts).
import type { ErrorCode } from './errors';

/** Removes an event handler that `on` registered. */
export type Unsubscribe = () => void;

/** Which transport carries the bridge. */
export type TransportKind = 'wails' | 'websocket';

/** Moves calls to Go and events from Go. */
export interface Transport {
  readonly kind: TransportKind;
  /** Calls a bound Go method, named "Service.Method", with JSON-serialisable arguments. */
  call(method: string, args: readonly unknown[]): Promise<unknown>;
  /** Registers a handler for a Go event; the returned function removes it. */
  on(event: string, handler: (data: unknown) => void): Unsubscribe;
}

/**
 * A failed bridge call: Go returned an error, or the transport failed. The
 * code says what kind of failure it was (the UI translates it); the message
 * is the raw text, for the console only.
 */
export class BridgeError extends Error {
  readonly method: string;
  readonly code: ErrorCode;

  constructor(method: string, message: string, code: ErrorCode = 'unknown') {
    super(`${method}: ${message}`);
    this.name = 'BridgeError';
    this.method = method;
    this.code = code;
  }
}
