// Web-mode authentication: `kurier --web` prints a URL with ?token=…; the
// bridge WebSocket must carry the same token. The token is kept in
// sessionStorage so that a reload after the address bar was cleaned still
// connects, and it is removed from the visible URL (and history).

/** The query parameter that carries the token. */
export const tokenParam = 'token';
/** The sessionStorage key the token is kept under. */
export const tokenStorageKey = 'kurier.bridgeToken';

/** The storage the token lives in (sessionStorage, injectable for tests). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Returns the page's token: from the query string (remembering it) or from storage; '' if none. */
export function pageToken(search: string, storage: TokenStorage | undefined): string {
  const fromUrl = new URLSearchParams(search).get(tokenParam);
  if (fromUrl) {
    try {
      storage?.setItem(tokenStorageKey, fromUrl);
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(tokenStorageKey) ?? '';
  } catch {
    return '';
  }
}

/** Removes the token from the address bar without reloading. */
export function stripToken(location: Pick<Location, 'href'>, history: Pick<History, 'replaceState' | 'state'>): void {
  const url = new URL(location.href);
  if (!url.searchParams.has(tokenParam)) return;
  url.searchParams.delete(tokenParam);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** The sessionStorage of this page, if it may be used. */
export function sessionStore(): TokenStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
