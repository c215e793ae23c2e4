// The bridge's transport contract. Two implementations carry the same calls
// and events: Wails bindings in the desktop window (wails.ts) and a WebSocket
// to `kurier --web` in a browser (websocket.ts).

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

/** A failed bridge call: Go returned an error, or the transport failed. */
export class BridgeError extends Error {
  readonly method: string;

  constructor(method: string, message: string) {
    super(`${method}: ${message}`);
    this.name = 'BridgeError';
    this.method = method;
  }
}
