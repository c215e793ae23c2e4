import { afterEach, describe, expect, it, vi } from 'vitest';
import { bareVersion, formatDay, formatListTime, formatTime } from './format';

describe('format', () => {
  const morning = new Date(2025, 0, 1, 6, 54).getTime();

  it('writes times without a leading zero', () => {
    expect(formatTime(morning, 'en-US')).toMatch(/^6:54\sAM$/);
    expect(formatTime(morning, 'de')).toBe('6:54');
    expect(formatTime(new Date(2025, 0, 1, 18, 5).getTime(), 'de')).toBe('18:05');
    expect(formatListTime(morning, morning + 1000, 'en-US')).toMatch(/^6:54\sAM$/);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('formats as Date’s toLocale…String does, in any locale', () => {
    const times = [morning, new Date(2025, 6, 31, 23, 59).getTime(), new Date(2026, 11, 5, 12, 0).getTime()];
    for (const locale of ['en-US', 'en-GB', 'de', 'fr-CH', 'ja', 'ar-EG']) {
      for (const ms of times) {
        const d = new Date(ms);
        expect(formatTime(ms, locale)).toBe(d.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' }));
        expect(formatDay(ms, locale)).toBe(d.toLocaleDateString(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }));
        expect(formatListTime(ms, ms + 3 * 86_400_000, locale)).toBe(d.toLocaleDateString(locale, { day: '2-digit', month: '2-digit', year: '2-digit' }));
      }
    }
    expect(() => formatTime(morning, 'not a locale!')).toThrow(RangeError);
  });

  it('keeps its date formatters instead of building one per time shown', () => {
    // Date.toLocale…String builds an Intl.DateTimeFormat on every call: a
    // chat of 150 bubbles paid for 300 of them at each redraw (docs/benchmarks.md, UI frame times).
    const perCall = [vi.spyOn(Date.prototype, 'toLocaleTimeString'), vi.spyOn(Date.prototype, 'toLocaleDateString'), vi.spyOn(Date.prototype, 'toLocaleString')];
    for (let i = 0; i < 200; i++) {
      formatTime(morning + i * 60_000, 'nl-BE');
      formatDay(morning + i * 86_400_000, 'nl-BE');
      formatListTime(morning + i * 86_400_000, morning + 400 * 86_400_000, 'nl-BE');
    }
    for (const spy of perCall) expect(spy).not.toHaveBeenCalled();
  });

  it('drops the v of a version', () => {
    expect(bareVersion('v0.0.0-133-gc7a71f8')).toBe('0.0.0-133-gc7a71f8');
    expect(bareVersion('1.2.3')).toBe('1.2.3');
    expect(bareVersion('vnext')).toBe('vnext');
  });
});
