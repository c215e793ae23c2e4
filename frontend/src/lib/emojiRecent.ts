// The emoji used last (picker, :shortcodes:), newest first, kept in
// localStorage so that the picker's "Recent" survives a restart.

/** The localStorage key of the recent emoji. */
export const recentEmojiKey = 'kurier.emoji.recent';

/** How many recent emoji are kept. */
export const maxRecentEmoji = 24;

/** The recent emoji, newest first; empty when there is no storage or it holds garbage. */
export function recentEmoji(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(recentEmojiKey) ?? '[]');
    return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string').slice(0, maxRecentEmoji) : [];
  } catch {
    return [];
  }
}

/** Puts emoji first in the recent list and returns the new list. */
export function rememberEmoji(emoji: string): string[] {
  const list = [emoji, ...recentEmoji().filter((e) => e !== emoji)].slice(0, maxRecentEmoji);
  try {
    localStorage.setItem(recentEmojiKey, JSON.stringify(list));
  } catch {
    // No storage (a private window): the list lives until the picker closes.
  }
  return list;
}
