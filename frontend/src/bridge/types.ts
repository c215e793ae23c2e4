// The TypeScript mirror of the Go structs the bridge carries (package app).
// Field names match the Go json tags; app/bindings_sync_test.go checks that
// they stay in step. Every payload from Go is validated before use.

/** Theme preference (Go: app.Theme*). */
export type Theme = 'system' | 'light' | 'dark';
/** Language preference (Go: app.Language*). */
export type Language = 'system' | 'en' | 'de';
/** Link state (Go: app.Link*). */
export type LinkState = 'unpaired' | 'connecting' | 'connected' | 'disconnected';
/** Display mode (Go: app.Mode*). */
export type Mode = 'window' | 'web';

export const themes: readonly Theme[] = ['system', 'light', 'dark'];
export const languages: readonly Language[] = ['system', 'en', 'de'];
export const linkStates: readonly LinkState[] = ['unpaired', 'connecting', 'connected', 'disconnected'];
export const modes: readonly Mode[] = ['window', 'web'];

/** Go: app.Settings. */
export interface Settings {
  theme: Theme;
  language: Language;
}

/** Go: app.LinkStatus. */
export interface LinkStatus {
  state: LinkState;
  /** Unix milliseconds. */
  since: number;
}

/** Go: app.AppInfo. */
export interface AppInfo {
  name: string;
  version: string;
  mode: Mode;
}

/** Thrown when a payload from Go does not have the expected shape. */
export class PayloadError extends Error {
  constructor(what: string, detail: string) {
    super(`invalid ${what} from Go: ${detail}`);
    this.name = 'PayloadError';
  }
}

function record(what: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new PayloadError(what, 'not an object');
  }
  return v as Record<string, unknown>;
}

function oneOf<T extends string>(what: string, field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new PayloadError(what, `${field} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function str(what: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw new PayloadError(what, `${field} must be a string`);
  return v;
}

function num(what: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PayloadError(what, `${field} must be a number`);
  return v;
}

/** Validates a Settings payload. */
export function parseSettings(v: unknown): Settings {
  const r = record('Settings', v);
  return {
    theme: oneOf('Settings', 'theme', r['theme'], themes),
    language: oneOf('Settings', 'language', r['language'], languages),
  };
}

/** Validates a LinkStatus payload. */
export function parseLinkStatus(v: unknown): LinkStatus {
  const r = record('LinkStatus', v);
  return {
    state: oneOf('LinkStatus', 'state', r['state'], linkStates),
    since: num('LinkStatus', 'since', r['since']),
  };
}

/** Validates an AppInfo payload. */
export function parseAppInfo(v: unknown): AppInfo {
  const r = record('AppInfo', v);
  return {
    name: str('AppInfo', 'name', r['name']),
    version: str('AppInfo', 'version', r['version']),
    mode: oneOf('AppInfo', 'mode', r['mode'], modes),
  };
}
