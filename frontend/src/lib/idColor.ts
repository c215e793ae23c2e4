// The colour of a Threema ID, for a sender's name and avatar in a group
// chat. As in threema-desktop (src/common/utils/id-color.ts): the first byte
// of SHA-256 over the ID's UTF-8 picks one of 16 hue families (byte / 16),
// in Threema's order, so a person gets the same family here as in the
// Threema apps. The shades are Kurier's own, chosen so that a name reads on
// an incoming bubble with a WCAG contrast of at least 4.5 in either theme
// (idColor.test.ts checks them against app.css).
import { sha256 } from './sha256';

/** One hue family: the name's colour in each theme. */
export interface IdColor {
  /** The family (Threema's names). */
  readonly hue: string;
  /** On the light theme's incoming bubble; also the avatar's background (white initials). */
  readonly light: string;
  /** On the dark theme's incoming bubble. */
  readonly dark: string;
}

/** The 16 families, indexed by the hash's first byte divided by 16. */
export const idColors: readonly IdColor[] = [
  { hue: 'deep-orange', light: '#b5360c', dark: '#ff8a65' },
  { hue: 'orange', light: '#a84800', dark: '#ffb74d' },
  { hue: 'amber', light: '#8a5a00', dark: '#ffd54f' },
  { hue: 'yellow', light: '#7a6400', dark: '#fff176' },
  { hue: 'olive', light: '#5f6b00', dark: '#d4e157' },
  { hue: 'light-green', light: '#437010', dark: '#aed581' },
  { hue: 'green', light: '#2b7530', dark: '#81c784' },
  { hue: 'teal', light: '#00736a', dark: '#4db6ac' },
  { hue: 'cyan', light: '#00727f', dark: '#4dd0e1' },
  { hue: 'light-blue', light: '#0469a8', dark: '#4fc3f7' },
  { hue: 'blue', light: '#1a5fc4', dark: '#64b5f6' },
  { hue: 'indigo', light: '#3949ab', dark: '#9fa8da' },
  { hue: 'deep-purple', light: '#5e35b1', dark: '#b39ddb' },
  { hue: 'purple', light: '#8e24aa', dark: '#ce93d8' },
  { hue: 'pink', light: '#c2185b', dark: '#f48fb1' },
  { hue: 'red', light: '#b72727', dark: '#ef9a9a' },
];

const cache = new Map<string, IdColor>();

/** The family index (0..15) of a Threema ID. */
export function idColorIndex(identity: string): number {
  return (sha256(new TextEncoder().encode(identity))[0] ?? 0) >> 4;
}

/** The colour of a Threema ID. */
export function idColor(identity: string): IdColor {
  let c = cache.get(identity);
  if (!c) {
    c = idColors[idColorIndex(identity)] ?? idColors[0]!;
    cache.set(identity, c);
  }
  return c;
}
