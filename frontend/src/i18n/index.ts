// A small i18n module: the UI's strings in every supported language, the
// choice of language from the user's setting and the system locale, and
// placeholder interpolation. No UI text is written anywhere else.
import type { Language } from '../bridge/types';
import { de } from './de';
import { en, type MessageKey, type Messages } from './en';

export type { MessageKey, Messages } from './en';

/** A language with its own strings. */
export type Locale = 'en' | 'de';

/** The strings of each locale. */
export const catalogs: Record<Locale, Messages> = { en, de };

/** The locale used when neither the setting nor the system picks a supported one. */
export const fallbackLocale: Locale = 'en';

/** Picks the locale for a language setting; "system" follows the preferred system languages in order. */
export function resolveLocale(setting: Language, systemLanguages: readonly string[]): Locale {
  if (setting !== 'system') return setting;
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'de') return base;
  }
  return fallbackLocale;
}

/** Placeholders named in a template, e.g. ["query"] for "Nothing matches {query}". */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

/** A translate function for one locale. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Returns the translate function of a locale. Unknown placeholders are left visible. */
export function translator(locale: Locale): Translate {
  const messages = catalogs[locale];
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}
