// The emoji set of the picker and the :shortcodes:, built from emojibase-data
// (CLDR names and keywords; GitHub's shortcodes, the ones chat apps share:
// :tada:, :+1:, :smile:). Loaded on first use through dynamic imports, so
// the start of the app does not pay for it; German names and keywords are
// loaded only for the German UI.
import type { CompactEmoji } from 'emojibase';
import { tidyEmoji } from './emoji';

/** The picker's categories, in the order of emojibase's groups (2, the skin-tone components, is left out). */
export const emojiGroups = [
  { id: 0, key: 'smileys' },
  { id: 1, key: 'people' },
  { id: 3, key: 'nature' },
  { id: 4, key: 'food' },
  { id: 5, key: 'travel' },
  { id: 6, key: 'activities' },
  { id: 7, key: 'objects' },
  { id: 8, key: 'symbols' },
  { id: 9, key: 'flags' },
] as const;

/** A category of the picker. */
export type EmojiGroupKey = (typeof emojiGroups)[number]['key'];

/** One emoji of the set. */
export interface EmojiEntry {
  /** The characters, as inserted into the text. */
  emoji: string;
  /** The English name (CLDR). */
  label: string;
  /** The German name, when loaded. */
  labelDe: string;
  /** GitHub shortcodes, without colons. */
  shortcodes: string[];
  group: EmojiGroupKey;
  /** Names and shortcodes in lower case: a query equal to one of them ranks first. */
  names: string[];
  /** Names, keywords and shortcodes in lower case, for searching. */
  haystack: string[];
}

/** The loaded set. */
export interface EmojiSet {
  all: EmojiEntry[];
  byGroup: Map<EmojiGroupKey, EmojiEntry[]>;
  byEmoji: Map<string, EmojiEntry>;
  byShortcode: Map<string, EmojiEntry>;
  /** All shortcodes, sorted. */
  shortcodes: string[];
}

type Shortcodes = Record<string, string | string[]>;

const cache = new Map<string, Promise<EmojiSet>>();

/** Loads the set once per language choice; German adds German names and keywords to the search. */
export function loadEmoji(german: boolean): Promise<EmojiSet> {
  const key = german ? 'de' : 'en';
  let p = cache.get(key);
  if (!p) {
    p = Promise.all([
      import('emojibase-data/en/compact.json'),
      import('emojibase-data/en/shortcodes/github.json'),
      german ? import('emojibase-data/de/compact.json') : Promise.resolve(undefined),
    ]).then(([en, codes, de]) => buildSet(en.default, codes.default, de?.default));
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** Builds the set from emojibase's compact data and a shortcode table. */
export function buildSet(en: CompactEmoji[], codes: Shortcodes, de?: CompactEmoji[]): EmojiSet {
  const german = new Map((de ?? []).map((e) => [e.hexcode, e]));
  const groups = new Map<number, EmojiGroupKey>(emojiGroups.map((g) => [g.id, g.key]));
  const all: EmojiEntry[] = [];
  const sorted = [...en].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const e of sorted) {
    const group = e.group === undefined ? undefined : groups.get(e.group);
    if (!group) continue;
    const sc = codes[e.hexcode];
    const shortcodes = sc === undefined ? [] : typeof sc === 'string' ? [sc] : sc;
    const d = german.get(e.hexcode);
    const haystack = [e.label, ...(e.tags ?? []), ...shortcodes, ...(d ? [d.label, ...(d.tags ?? [])] : [])].map((s) => s.toLowerCase());
    const names = [e.label, ...shortcodes, ...(d ? [d.label] : [])].map((s) => s.toLowerCase());
    all.push({ emoji: tidyEmoji(e.unicode), label: e.label, labelDe: d?.label ?? '', shortcodes, group, names, haystack });
  }
  const byGroup = new Map<EmojiGroupKey, EmojiEntry[]>(emojiGroups.map((g) => [g.key, []]));
  const byShortcode = new Map<string, EmojiEntry>();
  for (const e of all) {
    byGroup.get(e.group)?.push(e);
    for (const c of e.shortcodes) byShortcode.set(c, e);
  }
  return {
    all,
    byGroup,
    byEmoji: new Map(all.map((e) => [e.emoji, e])),
    byShortcode,
    shortcodes: [...byShortcode.keys()].sort(),
  };
}

/**
 * The emoji whose name, keyword or shortcode fits every word of the query,
 * best first: a word equal to a name, keyword or shortcode ranks above one
 * starting a word of it, which ranks above one found inside; among equals,
 * a word of the name or a shortcode wins over a keyword.
 */
export function searchEmoji(set: EmojiSet, query: string, limit = 240): EmojiEntry[] {
  const words = query.toLowerCase().trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const whole = words.join(' ');
  const found: { e: EmojiEntry; score: number }[] = [];
  for (const e of set.all) {
    let score = e.names.includes(whole) ? -2 : e.haystack.includes(whole) ? -1 : 0;
    for (const w of words) {
      let best = 3;
      for (const h of e.haystack) {
        const s = h === w ? 0 : h.startsWith(w) || h.includes(` ${w}`) || h.includes(`_${w}`) ? 1 : h.includes(w) ? 2 : 3;
        if (s < best) best = s;
        if (best === 0) break;
      }
      if (best === 3) {
        score = Infinity;
        break;
      }
      // A word in the name or a shortcode weighs more than one among the keywords.
      score += best - (e.names.some((n) => n.startsWith(w) || n.includes(` ${w}`) || n.includes(`_${w}`)) ? 0.5 : 0);
    }
    if (score !== Infinity) found.push({ e, score });
  }
  return found
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((f) => f.e);
}
