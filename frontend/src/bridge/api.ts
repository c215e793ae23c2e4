// The typed bridge API. Components and stores call only this; it turns each
// call into a transport call ("Service.Method") and validates every result.
import { eventParsers, type EventName, type EventPayloads } from './events';
import type { Transport, Unsubscribe } from './transport';
import {
  parseAppInfo,
  parseLinkStatus,
  parseSettings,
  type AppInfo,
  type Language,
  type LinkStatus,
  type Settings,
  type Theme,
} from './types';

/** The Go methods the UI calls; app/bindings_sync_test.go checks each exists. */
export const Methods = {
  aboutInfo: 'AboutService.Info',
  settingsGet: 'SettingsService.Get',
  settingsSetTheme: 'SettingsService.SetTheme',
  settingsSetLanguage: 'SettingsService.SetLanguage',
  linkStatus: 'LinkService.Status',
} as const;

/** What the UI can ask of Go. */
export interface Api {
  readonly transport: Transport['kind'];
  about: { info(): Promise<AppInfo> };
  settings: {
    get(): Promise<Settings>;
    setTheme(theme: Theme): Promise<Settings>;
    setLanguage(language: Language): Promise<Settings>;
  };
  link: { status(): Promise<LinkStatus> };
  /** Subscribes to a Go event with a validated payload; invalid payloads are reported and dropped. */
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): Unsubscribe;
}

/** Builds the API over a transport. */
export function createApi(t: Transport, onInvalid: (err: unknown) => void = console.error): Api {
  const call = async <T>(method: string, parse: (v: unknown) => T, ...args: unknown[]): Promise<T> =>
    parse(await t.call(method, args));
  return {
    transport: t.kind,
    about: { info: () => call(Methods.aboutInfo, parseAppInfo) },
    settings: {
      get: () => call(Methods.settingsGet, parseSettings),
      setTheme: (theme) => call(Methods.settingsSetTheme, parseSettings, theme),
      setLanguage: (language) => call(Methods.settingsSetLanguage, parseSettings, language),
    },
    link: { status: () => call(Methods.linkStatus, parseLinkStatus) },
    on(event, handler) {
      const parse: (v: unknown) => EventPayloads[typeof event] = eventParsers[event];
      return t.on(event, (data) => {
        let payload: EventPayloads[typeof event];
        try {
          payload = parse(data);
        } catch (err) {
          onInvalid(err);
          return;
        }
        handler(payload);
      });
    },
  };
}
