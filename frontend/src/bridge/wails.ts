// The window transport: Wails injects window.go.<package>.<Service>.<Method>
// (each returning a Promise) and window.runtime for events.
import { goErrorCode } from './errors';
import { BridgeError, type Transport, type Unsubscribe } from './transport';

/** The Go package whose services the app binds. */
const goPackage = 'app';

type BoundMethod = (...args: unknown[]) => Promise<unknown>;
type BoundServices = Record<string, Record<string, BoundMethod | undefined> | undefined>;

/** The parts of the Wails runtime the bridge uses. */
export interface WailsRuntime {
  EventsOnMultiple(name: string, callback: (...data: unknown[]) => void, maxCallbacks: number): () => void;
}

/** The globals Wails injects into the window. */
export interface WailsGlobals {
  go?: Record<string, BoundServices | undefined>;
  runtime?: WailsRuntime;
}

/** Reports whether the page runs inside the Wails window. */
export function hasWails(globals: WailsGlobals): boolean {
  return globals.go?.[goPackage] !== undefined && globals.runtime !== undefined;
}

/** Turns what a Wails binding rejected with into a BridgeError. */
export function callError(method: string, err: unknown): BridgeError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    return new BridgeError(method, String(err.message), goErrorCode(err.code));
  }
  return new BridgeError(method, err instanceof Error ? err.message : String(err));
}

/** Carries the bridge over Wails bindings. */
export class WailsTransport implements Transport {
  readonly kind = 'wails' as const;
  readonly #globals: WailsGlobals;

  constructor(globals: WailsGlobals) {
    this.#globals = globals;
  }

  async call(method: string, args: readonly unknown[]): Promise<unknown> {
    const [service, name] = method.split('.');
    const fn = service && name ? this.#globals.go?.[goPackage]?.[service]?.[name] : undefined;
    if (!fn) {
      throw new BridgeError(method, 'no such binding', 'unreachable');
    }
    try {
      return await fn(...args);
    } catch (err) {
      // Go's ErrorFormatter (window.go) makes Wails reject with {code, message} (app.CallError).
      throw callError(method, err);
    }
  }

  on(event: string, handler: (data: unknown) => void): Unsubscribe {
    const runtime = this.#globals.runtime;
    if (!runtime) {
      throw new Error('Wails runtime missing');
    }
    return runtime.EventsOnMultiple(event, (data) => handler(data), -1);
  }
}
