// The bridge: the only way the UI reaches Go. It picks the transport from the
// environment: Wails bindings inside the desktop window, otherwise a
// WebSocket to the `kurier --web` server that served this page.

import type { Transport } from './transport';
import { hasWails, WailsTransport, type WailsGlobals } from './wails';
import { WebSocketTransport } from './websocket';

export { createApi, Methods, type Api } from './api';
export { BridgeError } from './transport';
export * from './types';
export { Events, type EventName, type EventPayloads } from './events';

/** The WebSocket path served by app/web. */
export const bridgePath = '/bridge';

/** The WebSocket URL of the bridge for a page served from location. */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${bridgePath}`;
}

/** Chooses the transport for this page. */
export function detectTransport(globals: WailsGlobals, location: Pick<Location, 'protocol' | 'host'>): Transport {
  if (hasWails(globals)) {
    return new WailsTransport(globals);
  }
  return new WebSocketTransport(bridgeUrl(location));
}
