// Small formatting helpers: sizes, times, initials, UTF-8 lengths.
import type { Translate } from '../i18n';

const encoder = new TextEncoder();

/** The length of text in UTF-8 bytes (what the phone's limit counts). */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** A human file size: 512 B, 1.5 KB, 3.2 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u] ?? 'GB'}`;
}

/** Up to two initials of a name, for avatars without a picture. */
export function initials(name: string): string {
  // "~Bob", a contact shown by its nickname, has the initials of "Bob".
  const words = name.trim().replace(/^~/, '').split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  const pick = (w: string) => Array.from(w)[0] ?? '';
  const out = words.length > 1 ? pick(first) + pick(last) : Array.from(first).slice(0, 2).join('');
  return out.toUpperCase() || '?';
}

/** The local calendar day of a Unix-millisecond time, as "YYYY-MM-DD". */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/**
 * The date formatters by locale and style. Date.toLocale…String builds a new
 * Intl.DateTimeFormat on every call, which costs about as much as drawing
 * the bubble that shows the time; a chat shows hundreds.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

const styles = {
  time: { hour: 'numeric', minute: '2-digit' },
  day: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  shortDate: { day: '2-digit', month: '2-digit', year: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** The formatter of a style for locale, made once. */
function formatter(style: keyof typeof styles, locale: string): Intl.DateTimeFormat {
  const key = `${style} ${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, styles[style]);
    formatters.set(key, f);
  }
  return f;
}

/** The time of day, without a leading zero: "6:54 PM", "9:05". */
export function formatTime(ms: number, locale: string): string {
  return formatter('time', locale).format(ms);
}

/** A version for "Version {version}": "v1.2.3" loses its "v" (the word already says it). */
export function bareVersion(version: string): string {
  return version.replace(/^v(?=\d)/, '');
}

/** A long date for day separators. */
export function formatDay(ms: number, locale: string): string {
  return formatter('day', locale).format(ms);
}

/** A short time for the conversation list: the time today, else the date. */
export function formatListTime(ms: number, now: number, locale: string): string {
  if (ms <= 0) return '';
  if (dayKey(ms) === dayKey(now)) return formatTime(ms, locale);
  return formatter('shortDate', locale).format(ms);
}

/** "1 member" or "n members" in the UI's language. */
export function memberCount(t: Translate, n: number): string {
  return n === 1 ? t('chat.member') : t('chat.members', { count: n });
}
