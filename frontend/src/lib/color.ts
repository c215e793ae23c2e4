// Colours from the phone (contact and group colours) made safe and legible.

const hex = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i;

/** The colour if it is a plain hex colour, else the fallback. */
export function safeColor(color: string, fallback = '#5d6875'): string {
  return hex.test(color.trim()) ? color.trim() : fallback;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** The WCAG relative luminance of a hex colour. */
export function luminance(color: string): number {
  let h = safeColor(color).slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = Number.parseInt(h, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** The WCAG contrast ratio of two hex colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever reads better on background. */
export function textOn(background: string): string {
  return contrast(background, '#000000') >= contrast(background, '#ffffff') ? '#000000' : '#ffffff';
}
