import { describe, expect, it, vi } from 'vitest';
import { createApi, Methods } from './api';
import { Events } from './events';
import { bridgeUrl, detectTransport } from './index';
import { BridgeError } from './transport';
import { hasWails, WailsTransport, type WailsGlobals } from './wails';
import { PayloadError, parseAppInfo, parseLinkStatus, parseSettings } from './types';

// A stand-in for what Wails injects into the window: window.go.app.<Service>.<Method>
// and window.runtime.EventsOnMultiple.
function wailsGlobals(services: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>) {
  const listeners = new Map<string, Set<(...d: unknown[]) => void>>();
  const globals: WailsGlobals = {
    go: { app: services },
    runtime: {
      EventsOnMultiple(name, cb) {
        const set = listeners.get(name) ?? new Set();
        listeners.set(name, set);
        set.add(cb);
        return () => set.delete(cb);
      },
    },
  };
  const emit = (name: string, data: unknown) => listeners.get(name)?.forEach((cb) => cb(data));
  return { globals, emit };
}

describe('transport detection', () => {
  it('uses Wails inside the window and a WebSocket otherwise', () => {
    const { globals } = wailsGlobals({});
    expect(hasWails(globals)).toBe(true);
    expect(detectTransport(globals, { protocol: 'http:', host: 'x' }).kind).toBe('wails');
    expect(hasWails({})).toBe(false);
  });

  it('derives the bridge URL from the page', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:8090' })).toBe('ws://127.0.0.1:8090/bridge');
    expect(bridgeUrl({ protocol: 'https:', host: 'kurier.example' })).toBe('wss://kurier.example/bridge');
  });
});

describe('api over the Wails transport', () => {
  it('calls the bound method and validates the result', async () => {
    const setTheme = vi.fn(async (theme: unknown) => ({ theme, language: 'de' }));
    const { globals } = wailsGlobals({ SettingsService: { SetTheme: setTheme } });
    const api = createApi(new WailsTransport(globals));
    await expect(api.settings.setTheme('dark')).resolves.toEqual({ theme: 'dark', language: 'de' });
    expect(setTheme).toHaveBeenCalledWith('dark');
  });

  it('wraps Go errors and missing bindings in BridgeError', async () => {
    const { globals } = wailsGlobals({
      SettingsService: { SetTheme: () => Promise.reject('app: invalid setting') },
    });
    const api = createApi(new WailsTransport(globals));
    await expect(api.settings.setTheme('dark')).rejects.toThrow(new BridgeError(Methods.settingsSetTheme, 'app: invalid setting'));
    await expect(api.link.status()).rejects.toThrow('LinkService.Status: no such binding');
  });

  it('rejects results of the wrong shape', async () => {
    const { globals } = wailsGlobals({ AboutService: { Info: async () => ({ name: 'Kurier', version: 1, mode: 'web' }) } });
    await expect(createApi(new WailsTransport(globals)).about.info()).rejects.toThrow(PayloadError);
  });

  it('delivers valid events and reports invalid ones', () => {
    const { globals, emit } = wailsGlobals({});
    const invalid = vi.fn();
    const api = createApi(new WailsTransport(globals), invalid);
    const seen: unknown[] = [];
    const off = api.on(Events.linkStatus, (s) => seen.push(s.state));
    emit('link:status', { state: 'connected', since: 5 });
    emit('link:status', { state: 'exploded', since: 5 });
    off();
    emit('link:status', { state: 'unpaired', since: 6 });
    expect(seen).toEqual(['connected']);
    expect(invalid).toHaveBeenCalledOnce();
  });
});

describe('payload validation', () => {
  it.each([
    [parseSettings, { theme: 'dark', language: 'en' }, true],
    [parseSettings, { theme: 'dark' }, false],
    [parseSettings, { theme: 'blue', language: 'en' }, false],
    [parseSettings, null, false],
    [parseSettings, [], false],
    [parseLinkStatus, { state: 'connecting', since: 0 }, true],
    [parseLinkStatus, { state: 'connecting', since: '0' }, false],
    [parseLinkStatus, { state: 'connecting', since: Number.NaN }, false],
    [parseAppInfo, { name: 'Kurier', version: 'v1', mode: 'window' }, true],
    [parseAppInfo, { name: 'Kurier', version: 'v1', mode: 'tty' }, false],
  ] as const)('%o accepts %j: %s', (parse, value, ok) => {
    if (ok) {
      expect(() => parse(value)).not.toThrow();
    } else {
      expect(() => parse(value)).toThrow(PayloadError);
    }
  });

  it('drops unknown fields', () => {
    expect(parseSettings({ theme: 'light', language: 'de', extra: 1 })).toEqual({ theme: 'light', language: 'de' });
  });
});
