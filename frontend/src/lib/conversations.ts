// The conversation list's logic: order, event merging, unread totals,
// filtering and the quick switcher's fuzzy match.
import type { Conversation, ConversationsEvent, Receiver } from '../bridge/types';
import { receiverKey } from './receiver';

/** Pinned first, then most recent activity first; ties by name. */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.lastActivity !== b.lastActivity) return b.lastActivity - a.lastActivity;
  return a.name.localeCompare(b.name);
}

/** A sorted copy of list. */
export function sortConversations(list: readonly Conversation[]): Conversation[] {
  return [...list].sort(compareConversations);
}

/** Applies a conversations:changed event: a full replacement or upserts by receiver. */
export function applyConversationsEvent(list: readonly Conversation[], ev: ConversationsEvent): Conversation[] {
  if (ev.replace) return sortConversations(ev.conversations);
  const byKey = new Map(list.map((c) => [receiverKey(c.receiver), c]));
  for (const c of ev.conversations) byKey.set(receiverKey(c.receiver), c);
  return sortConversations([...byKey.values()]);
}

/** The number of unread messages over all conversations. */
export function unreadTotal(list: readonly Conversation[]): number {
  return list.reduce((n, c) => n + Math.max(0, c.unreadCount), 0);
}

/** The window title: "Kurier", or "(3) Kurier" with unread messages. */
export function documentTitle(appName: string, unread: number): string {
  return unread > 0 ? `(${unread}) ${appName}` : appName;
}

/**
 * Scores how well query matches text as a fuzzy subsequence (higher is
 * better), or -1 for no match. Consecutive and word-start hits score more.
 */
export function fuzzyScore(query: string, text: string): number {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    const at = t.indexOf(ch, ti);
    if (at < 0) return -1;
    score += 1;
    if (at === prev + 1) score += 3;
    if (at === 0 || /[\s\-_.]/.test(t[at - 1] ?? '')) score += 2;
    prev = at;
    ti = at + 1;
  }
  if (t.startsWith(q)) score += 10;
  return score - t.length / 100;
}

/** The conversations whose name or id fuzzily matches query, best first (list order on ties). */
export function fuzzyFilter<C extends { name: string; receiver: Receiver }>(list: readonly C[], query: string): C[] {
  if (query.trim() === '') return [...list];
  return list
    .map((c, i) => ({ c, i, s: Math.max(fuzzyScore(query, c.name), fuzzyScore(query, c.receiver.id)) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.c);
}

/** The conversations whose name or id contains query (case-insensitive), in list order. */
export function filterConversations<C extends Conversation>(list: readonly C[], query: string): C[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...list];
  return list.filter((c) => c.name.toLowerCase().includes(q) || c.receiver.id.toLowerCase().includes(q));
}
