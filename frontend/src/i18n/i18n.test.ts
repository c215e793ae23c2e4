import { describe, expect, it } from 'vitest';
import { catalogs, placeholders, resolveLocale, translator, type Locale } from './index';
import { en } from './en';

const locales = Object.keys(catalogs) as Locale[];

describe('catalogs', () => {
  it('offers English and German', () => {
    expect(locales.sort()).toEqual(['de', 'en']);
  });

  for (const locale of locales) {
    it(`${locale} has exactly the English keys`, () => {
      expect(Object.keys(catalogs[locale]).sort()).toEqual(Object.keys(en).sort());
    });

    it(`${locale} has no empty strings`, () => {
      for (const [key, text] of Object.entries(catalogs[locale])) {
        expect(text.trim(), key).not.toBe('');
      }
    });

    it(`${locale} uses the same placeholders as English`, () => {
      for (const [key, text] of Object.entries(catalogs[locale])) {
        expect(placeholders(text), key).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('German is really translated', () => {
    const same = Object.entries(catalogs.de).filter(([k, v]) => v === en[k as keyof typeof en]);
    // Names and placeholders-only strings may coincide; prose must not.
    expect(same.map(([k]) => k).sort()).toEqual([
      'app.name',
      'search.inConversation', // "in {name}": the same word in both
      'settings.language.de',
      'settings.language.en',
      'settings.version',
    ]);
  });
});

describe('resolveLocale', () => {
  it.each([
    ['en', [], 'en'],
    ['de', ['en-US'], 'de'],
    ['system', ['de-AT', 'en'], 'de'],
    ['system', ['fr-FR', 'de-CH'], 'de'],
    ['system', ['EN-gb'], 'en'],
    ['system', ['fr', 'it'], 'en'],
    ['system', [], 'en'],
  ] as const)('%s with %j → %s', (setting, system, want) => {
    expect(resolveLocale(setting, system)).toBe(want);
  });
});

describe('translator', () => {
  it('returns the locale string', () => {
    expect(translator('de')('link.unpaired')).toBe('Nicht verbunden');
    expect(translator('en')('link.unpaired')).toBe('Not paired');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('en');
    expect(t('settings.version', { version: 'v1.2.3' })).toBe('Version v1.2.3');
    expect(t('settings.version', { other: 'x' })).toBe('Version {version}');
    expect(t('settings.version')).toBe('Version {version}');
  });

  it('does not interpret placeholder values', () => {
    const t = translator('en');
    expect(t('conversations.noMatch', { query: '{query} $& <b>' })).toBe('Nothing matches “{query} $& <b>”.');
  });
});
