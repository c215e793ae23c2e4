import { describe, expect, it, vi } from 'vitest';
import { createApi, Methods } from './api';
import { Events } from './events';
import { bridgeUrl, detectTransport } from './index';
import { BridgeError } from './transport';
import { hasWails, WailsTransport, type WailsGlobals } from './wails';
import { stripToken, tokenStorageKey } from './token';
import { PayloadError, parseAppInfo, parseSettings } from './types';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size;
    },
  };
}

const link = (state: string) => ({
  state,
  since: 5,
  world: 'demo',
  pairingCode: '',
  remembered: false,
  locked: false,
  phone: '',
  error: '',
});
const settings = { theme: 'dark', language: 'de', notifications: true, sound: false, preview: true };

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
    const none = memoryStorage();
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:8090' }, none)).toBe('ws://127.0.0.1:8090/bridge');
    expect(bridgeUrl({ protocol: 'https:', host: 'kurier.example', search: '' }, none)).toBe('wss://kurier.example/bridge');
  });

  it('carries the web token and keeps it for reloads after the address bar is cleaned', () => {
    const storage = memoryStorage();
    const page = { protocol: 'http:', host: '127.0.0.1:8090' };
    expect(bridgeUrl({ ...page, search: '?token=a%2Bb%20c&x=1' }, storage)).toBe('ws://127.0.0.1:8090/bridge?token=a%2Bb%20c');
    expect(storage.getItem(tokenStorageKey)).toBe('a+b c');
    // The reload: no token in the URL any more.
    expect(bridgeUrl({ ...page, search: '' }, storage)).toBe('ws://127.0.0.1:8090/bridge?token=a%2Bb%20c');
    // A new token replaces the old one.
    expect(bridgeUrl({ ...page, search: '?token=NEW' }, storage)).toBe('ws://127.0.0.1:8090/bridge?token=NEW');
  });

  it('strips the token from the address bar and history', () => {
    const replaceState = vi.fn();
    stripToken({ href: 'http://127.0.0.1:8090/?token=XYZ&lang=de#top' }, { replaceState, state: null });
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?lang=de#top');
    replaceState.mockClear();
    stripToken({ href: 'http://127.0.0.1:8090/' }, { replaceState, state: null });
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('works without storage', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(bridgeUrl({ protocol: 'http:', host: 'h', search: '?token=T' }, broken)).toBe('ws://h/bridge?token=T');
    expect(bridgeUrl({ protocol: 'http:', host: 'h', search: '' }, broken)).toBe('ws://h/bridge');
  });
});

describe('api over the Wails transport', () => {
  it('calls the bound method and validates the result', async () => {
    const setTheme = vi.fn(async (theme: unknown) => ({ ...settings, theme }));
    const { globals } = wailsGlobals({ SettingsService: { SetTheme: setTheme } });
    const api = createApi(new WailsTransport(globals));
    await expect(api.settings.setTheme('dark')).resolves.toEqual(settings);
    expect(setTheme).toHaveBeenCalledWith('dark');
  });

  it('wraps Go errors and missing bindings in BridgeError', async () => {
    const { globals } = wailsGlobals({
      SettingsService: { SetTheme: () => Promise.reject('app: invalid setting') },
    });
    const api = createApi(new WailsTransport(globals));
    await expect(api.settings.setTheme('dark')).rejects.toThrow(new BridgeError(Methods.settingsSetTheme, 'app: invalid setting'));
    await expect(api.link.status()).rejects.toThrow('LinkService.Status: no such binding');
    await expect(api.link.status()).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('takes the failure kind from the {code, message} that window.go formats', async () => {
    const { globals } = wailsGlobals({
      PeopleService: {
        AddContact: () => Promise.reject({ code: 'invalidIdentity', message: 'phonelink: create/contact: webclient: invalidIdentity' }),
      },
    });
    const err = await createApi(new WailsTransport(globals))
      .people.addContact('NOPE0000')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'invalidIdentity', message: 'PeopleService.AddContact: phonelink: create/contact: webclient: invalidIdentity' });
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
    emit('link:status', link('connected'));
    emit('link:status', link('exploded'));
    off();
    emit('link:status', link('unpaired'));
    expect(seen).toEqual(['connected']);
    expect(invalid).toHaveBeenCalledOnce();
  });
});

describe('payload validation of the basics', () => {
  it.each([
    [parseSettings, settings, true],
    [parseSettings, { theme: 'dark', language: 'en' }, false],
    [parseSettings, { ...settings, theme: 'blue' }, false],
    [parseSettings, { ...settings, sound: 'yes' }, false],
    [parseSettings, null, false],
    [parseSettings, [], false],
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
    expect(parseSettings({ ...settings, extra: 1 })).toEqual(settings);
  });
});
