import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyTheme, resolveTheme, themeKey } from './theme';

class FakeMediaQuery extends EventTarget {
  matches: boolean;
  constructor(matches: boolean) {
    super();
    this.matches = matches;
  }
  flip(): void {
    this.matches = !this.matches;
    this.dispatchEvent(new Event('change'));
  }
}

describe('resolveTheme', () => {
  it.each([
    ['light', true, 'light'],
    ['dark', false, 'dark'],
    ['system', true, 'dark'],
    ['system', false, 'light'],
  ] as const)('%s (system dark: %s) → %s', (setting, dark, want) => {
    expect(resolveTheme(setting, dark)).toBe(want);
  });
});

describe('applyTheme', () => {
  it('follows the system while the preference is "system"', () => {
    const root = document.createElement('html');
    const media = new FakeMediaQuery(false);
    const stop = applyTheme(root, 'system', media as unknown as MediaQueryList);
    expect(root.dataset['theme']).toBe('light');
    media.flip();
    expect(root.dataset['theme']).toBe('dark');
    stop();
    media.flip();
    expect(root.dataset['theme']).toBe('dark');
  });

  it('ignores the system for an explicit theme', () => {
    const root = document.createElement('html');
    const media = new FakeMediaQuery(true);
    applyTheme(root, 'light', media as unknown as MediaQueryList);
    media.flip();
    expect(root.dataset['theme']).toBe('light');
  });

  it('works without matchMedia', () => {
    const root = document.createElement('html');
    applyTheme(root, 'system', undefined);
    expect(root.dataset['theme']).toBe('light');
  });

  it('remembers the theme drawn, for the first frame of the next start (index.html)', () => {
    const root = document.createElement('html');
    const media = new FakeMediaQuery(false);
    applyTheme(root, 'system', media as unknown as MediaQueryList);
    expect(localStorage.getItem(themeKey)).toBe('light');
    media.flip();
    expect(localStorage.getItem(themeKey)).toBe('dark');
    const html = readFileSync('index.html', 'utf8');
    expect(html).toContain(`localStorage.getItem('${themeKey}')`);
  });
});
