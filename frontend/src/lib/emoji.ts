// Emoji in message text: telling an emoji-only message (drawn large) from
// text, and the :shortcode: grammar of the composer (what is being typed,
// which shortcodes fit, and replacing a completed one by its emoji). The
// emoji data itself is loaded lazily by emojiData.ts; these functions take
// what they need as arguments.

/** At most this many emoji, and nothing else, make a message drawn large. */
export const maxBigEmoji = 3;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Code points that may make up an emoji grapheme (pictographs, skin tones, ZWJ, VS16, tags, keycap). */
const emojiParts = /^[\p{Extended_Pictographic}\p{Emoji_Component}\u200D\uFE0F]+$/u;
/** A flag: two regional indicators. */
const flag = /^\p{Regional_Indicator}{2}$/u;
/** A keycap: 0–9, # or * with the enclosing keycap mark. */
const keycap = /^[0-9#*]\uFE0F?\u20E3$/u;
/**
 * Drawn as emoji by default (Emoji_Presentation), or a text-default
 * pictograph (❤, ☺, ☝) asked to be drawn as emoji by VS16 or a skin tone.
 */
const emojiPresentation = /\p{Emoji_Presentation}|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})/u;

/** Whether one grapheme cluster is a single emoji (ZWJ sequences, flags, skin tones and keycaps included). */
export function isEmojiGrapheme(g: string): boolean {
  if (flag.test(g) || keycap.test(g)) return true;
  // A lone regional indicator is a letter of a flag, drawn as a boxed letter.
  if (/\p{Regional_Indicator}/u.test(g)) return false;
  return emojiParts.test(g) && emojiPresentation.test(g);
}

const letter = /\p{L}/u;

/**
 * The number of emoji in text when it holds only emoji (whitespace aside) and
 * at most max of them; 0 otherwise (text, no emoji, or too many).
 */
export function emojiOnlyCount(text: string, max = maxBigEmoji): number {
  // No emoji is a letter: most texts end here, without splitting graphemes.
  if (letter.test(text)) return 0;
  let n = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (/^\s+$/u.test(segment)) continue;
    if (!isEmojiGrapheme(segment) || ++n > max) return 0;
  }
  return n;
}

/** Drops VS16 after a character that is drawn as emoji anyway (the data writes 👍 as 👍 + VS16). */
export function tidyEmoji(e: string): string {
  return e.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}

/** The characters a shortcode is made of (GitHub's flavour: letters, digits, _, + and -). */
const codeChars = '[a-z0-9_+\\-]';
/** A shortcode being typed just before the caret: a colon at the start or after a space or bracket, then 2+ characters. */
const typing = new RegExp(`(?:^|[\\s(\\[{])(:(${codeChars}{2,}))$`, 'i');
/** A completed :shortcode: just before a position. */
const completed = new RegExp(`(?:^|[\\s(\\[{])(:(${codeChars}+):)$`, 'i');
/** Characters after a completed shortcode that turn it into its emoji. */
const terminators = /^[\s.,!?;)\]}]$/u;

/** A shortcode being typed: where its colon is and what follows it (lower case). */
export interface ShortcodeQuery {
  start: number;
  query: string;
}

/** The shortcode being typed before the caret, if any (":smi|" gives "smi"). */
export function shortcodeQuery(text: string, caret: number): ShortcodeQuery | undefined {
  const m = typing.exec(text.slice(0, caret));
  if (!m?.[1] || !m[2]) return undefined;
  return { start: caret - m[1].length, query: m[2].toLowerCase() };
}

/** Text after an edit and where its caret goes. */
export interface Edit {
  text: string;
  caret: number;
  /** The emoji a shortcode was replaced by. */
  emoji?: string;
}

/** Replaces text[start, end) by insert and puts the caret after it. */
export function splice(text: string, start: number, end: number, insert: string): Edit {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/**
 * Replaces a known :shortcode: that ends exactly at end by its emoji; the
 * caret (at or after end) moves with the text. Undefined when there is none.
 */
export function replaceShortcodeAt(text: string, end: number, caret: number, lookup: (code: string) => string | undefined): Edit | undefined {
  const m = completed.exec(text.slice(0, end));
  if (!m?.[1] || !m[2]) return undefined;
  const emoji = lookup(m[2].toLowerCase());
  if (!emoji) return undefined;
  const start = end - m[1].length;
  return { text: text.slice(0, start) + emoji + text.slice(end), caret: caret - m[1].length + emoji.length, emoji };
}

/**
 * After typing: when the character just before the caret ends a completed
 * :shortcode: (a space or punctuation), the shortcode becomes its emoji.
 */
export function replaceTypedShortcode(text: string, caret: number, lookup: (code: string) => string | undefined): Edit | undefined {
  const last = text.slice(caret - 1, caret);
  if (caret < 1 || !terminators.test(last)) return undefined;
  return replaceShortcodeAt(text, caret - 1, caret, lookup);
}

/**
 * Up to limit shortcodes fitting a query: those starting with it (shortest
 * first), then those containing it. codes must be sorted alphabetically.
 */
export function suggestShortcodes(codes: readonly string[], query: string, limit = 8): string[] {
  const q = query.toLowerCase();
  const prefix: string[] = [];
  const inner: string[] = [];
  for (const c of codes) {
    if (c.startsWith(q)) prefix.push(c);
    else if (inner.length < limit && c.includes(q)) inner.push(c);
  }
  prefix.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return [...prefix, ...inner].slice(0, limit);
}
