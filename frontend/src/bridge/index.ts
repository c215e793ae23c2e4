// The bridge: the only way the UI reaches Go. It picks the transport from the
// environment: Wails bindings inside the desktop window, otherwise a
// WebSocket to the `kurier --web` server that served this page.

import { pageToken, sessionStore, tokenParam, type TokenStorage } from './token';
import type { Transport } from './transport';
import { hasWails, WailsTransport, type WailsGlobals } from './wails';
import { WebSocketTransport } from './websocket';

export { createApi, Methods, type Api } from './api';
export { BridgeError } from './transport';
export { errorCodes, type ErrorCode, type GoErrorCode } from './errors';
export * from './types';
export { Events, type EventName, type EventPayloads } from './events';
export { stripToken } from './token';

/** The WebSocket path served by app/web. */
export const bridgePath = '/bridge';

/** The parts of the page location the bridge URL depends on. */
export type PageLocation = Pick<Location, 'protocol' | 'host'> & Partial<Pick<Location, 'search'>>;

/** The WebSocket URL of the bridge for a page served from location, with the web token if there is one. */
export function bridgeUrl(location: PageLocation, storage: TokenStorage | undefined = sessionStore()): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = pageToken(location.search ?? '', storage);
  const query = token ? `?${tokenParam}=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}${bridgePath}${query}`;
}

/** Chooses the transport for this page. */
export function detectTransport(globals: WailsGlobals, location: PageLocation): Transport {
  if (hasWails(globals)) {
    return new WailsTransport(globals);
  }
  return new WebSocketTransport(bridgeUrl(location));
}
