import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeError, errorCodes, type ErrorCode } from '../bridge';
import { catalogs, translator } from '../i18n';
import { en } from '../i18n/en';
import { errorCode, errorSentence, explain } from './errors';

afterEach(() => vi.restoreAllMocks());

const transportCodes: ErrorCode[] = ['unreachable', 'connectionLost'];

describe('errors', () => {
  it('has a sentence in every language for every code', () => {
    for (const [locale, messages] of Object.entries(catalogs)) {
      for (const code of [...errorCodes, ...transportCodes]) {
        const s = messages[`error.${code}`];
        expect(s, `${locale} error.${code}`).toMatch(/\.$/);
        expect(s.length, `${locale} error.${code}`).toBeGreaterThan(20);
      }
    }
  });

  it('picks the sentence by the code, with a generic fallback', () => {
    const t = translator('en');
    const raw = 'PeopleService.AddContact: phonelink: create/contact: webclient: invalidIdentity';
    expect(errorSentence(t, new BridgeError('PeopleService.AddContact', 'phonelink: create/contact: webclient: invalidIdentity', 'invalidIdentity'))).toBe(
      en['error.invalidIdentity'],
    );
    expect(errorSentence(t, new Error(raw))).toBe(en['error.unknown']);
    expect(errorSentence(t, 'a string')).toBe(en['error.unknown']);
    expect(errorCode(new BridgeError('X.Y', 'connection lost', 'connectionLost'))).toBe('connectionLost');
    expect(en['error.unknown']).toMatch(/^Something went wrong\. Try again; if it keeps happening, /);
  });

  it('lets an action say it its own way, and puts the raw text only in the console', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = translator('de');
    const err = new BridgeError('LinkService.Unlock', 'app: unlock: wrong password', 'wrongPassword');
    const shown = explain(t, 'unlock', err, { wrongPassword: 'locked.wrongPassword' });
    expect(shown).toBe(catalogs.de['locked.wrongPassword']);
    expect(shown).not.toContain('app:');
    expect(warn).toHaveBeenCalledWith('kurier: unlock failed:', err);
  });
});
