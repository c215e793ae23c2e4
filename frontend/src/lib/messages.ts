// A conversation's loaded messages: merging pages and events, and the
// timeline with day separators and the "new messages" divider.
import type { Message } from '../bridge/types';
import { dayKey } from './format';

/** The sort key of m; one just sent has none yet (0) and goes last. */
const sortKeyOf = (m: Message): number => m.sortKey || Number.MAX_SAFE_INTEGER;

/** Orders messages oldest first. */
export function compareMessages(a: Message, b: Message): number {
  return sortKeyOf(a) - sortKeyOf(b) || a.date - b.date || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Merges messages into list (replacing by id), drops removed ids, and sorts oldest first. */
export function mergeMessages(list: readonly Message[], add: readonly Message[], removed: readonly string[] = []): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of add) byId.set(m.id, m);
  for (const id of removed) byId.delete(id);
  return [...byId.values()].sort(compareMessages);
}

/** The id of the first unread incoming message, or '' if all are read. */
export function firstUnreadId(list: readonly Message[]): string {
  return list.find((m) => m.unread && !m.outgoing)?.id ?? '';
}

/** One row of the chat timeline. */
export type TimelineItem =
  | { kind: 'day'; key: string; date: number }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: Message };

/** Builds the rows for messages: a separator before each new day and a divider before unreadId. */
export function timeline(list: readonly Message[], unreadId: string): TimelineItem[] {
  return timelineBuilder()(list, unreadId);
}

/** The divider row, the same object in every timeline. */
const newDivider: TimelineItem = { kind: 'new', key: 'new' };

/**
 * A timeline() that hands out the same row object for a message it has seen
 * before (the same Message object, so unchanged) and for a day it has
 * separated before. A keyed {#each} then leaves those rows alone: with new
 * objects at every rebuild, moving the rendered window or loading an older
 * page re-ran every bubble's markup, emoji and time formatting.
 */
export function timelineBuilder(): (list: readonly Message[], unreadId: string) => TimelineItem[] {
  const rows = new WeakMap<Message, { item: TimelineItem; day: string }>();
  const days = new Map<string, TimelineItem>();
  return (list, unreadId) => {
    const out: TimelineItem[] = [];
    let day = '';
    for (const m of list) {
      let row = rows.get(m);
      if (!row) {
        row = { item: { kind: 'message', key: `msg:${m.id}`, message: m }, day: dayKey(m.date) };
        rows.set(m, row);
      }
      if (row.day !== day) {
        let sep = days.get(row.day);
        if (!sep) {
          sep = { kind: 'day', key: `day:${row.day}`, date: m.date };
          days.set(row.day, sep);
        }
        out.push(sep);
        day = row.day;
      }
      if (m.id === unreadId) out.push(newDivider);
      out.push(row.item);
    }
    return out;
  };
}

/** Delivery states the UI shows with an icon. */
export type Delivery = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'none';

/** Maps a message state from Go to what the bubble shows. */
export function delivery(state: string): Delivery {
  switch (state) {
    case 'queued': // written while the phone was away (Go: app.StateQueued)
      return 'queued';
    case 'pending':
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
    case 'user-ack':
    case 'user-dec':
    case 'consumed':
      return 'read';
    case 'send-failed':
      return 'failed';
    default:
      return 'none';
  }
}
