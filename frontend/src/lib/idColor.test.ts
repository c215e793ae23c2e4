import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrast } from './color';
import { idColor, idColorIndex, idColors } from './idColor';

/** The value of a custom property in a theme's block of app.css. */
function themeVar(theme: 'light' | 'dark', name: string): string {
  const css = readFileSync('src/app.css', 'utf8');
  const block = css.slice(css.indexOf(`:root[data-theme='${theme}']`));
  const m = new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block.slice(0, block.indexOf('}')));
  if (!m?.[1]) throw new Error(`no ${name} in the ${theme} theme`);
  return m[1];
}

describe('idColor', () => {
  it('has 16 families in Threema order', () => {
    expect(idColors.map((c) => c.hue)).toEqual([
      'deep-orange', 'orange', 'amber', 'yellow', 'olive', 'light-green', 'green', 'teal',
      'cyan', 'light-blue', 'blue', 'indigo', 'deep-purple', 'purple', 'pink', 'red',
    ]);
  });

  // SHA-256 of the UTF-8 ID; the first byte / 16 (computed with sha256sum).
  it.each([
    ['ECHOECHO', 0x60 >> 4],
    ['CHATTY01', 0xf5 >> 4],
    ['ABCDEFGH', 0x9a >> 4],
  ])('%s is family %i', (id, want) => expect(idColorIndex(id)).toBe(want));

  it('is the same for the same ID and spreads different ones', () => {
    expect(idColor('ECHOECHO')).toBe(idColor('ECHOECHO'));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => idColorIndex(`ID${String(i).padStart(6, '0')}`)));
    expect(seen.size).toBe(16);
  });

  it.each(['light', 'dark'] as const)('every name reads on the incoming bubble of the %s theme (WCAG ≥ 4.5)', (theme) => {
    const bubble = themeVar(theme, '--bubble-in');
    for (const c of idColors) {
      expect(contrast(c[theme], bubble), `${c.hue} on ${bubble}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('white initials read on every avatar background', () => {
    for (const c of idColors) expect(contrast(c.light, '#ffffff'), c.hue).toBeGreaterThanOrEqual(4.5);
  });
});
