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

/**
 * One row of the chat timeline. A message row knows whether it starts
 * (first) or ends (last) a run: messages of one sender in a row, not split
 * by a day separator or the new-messages divider (a status line is a run of
 * its own). A group chat names the sender on a run's first bubble and shows
 * the avatar beside its last, as Signal and WhatsApp do.
 */
export type TimelineItem =
  | { kind: 'day'; key: string; date: number }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: Message; first: boolean; last: boolean };

/** Whether b continues a's run. */
function sameRun(a: Message, b: Message): boolean {
  return a.sender === b.sender && a.outgoing === b.outgoing && a.type !== 'status' && b.type !== 'status';
}

/** Builds the rows for messages: a separator before each new day and a divider before unreadId. */
export function timeline(list: readonly Message[], unreadId: string): TimelineItem[] {
  return timelineBuilder()(list, unreadId);
}

/** The divider row, the same object in every timeline. */
const newDivider: TimelineItem = { kind: 'new', key: 'new' };

type MessageItem = Extract<TimelineItem, { kind: 'message' }>;

/**
 * A timeline() of the rows from start to end of list, which hands out the
 * same row object for a message it has seen before (the same Message object,
 * still starting and ending its run as before) and for a day it has separated
 * before. A keyed {#each} then leaves those rows alone: with new objects at
 * every rebuild, moving the rendered window or loading an older page re-ran
 * every bubble's markup, emoji and time formatting. Runs are those of the
 * whole list, so the window's edges start or end none.
 */
export function timelineBuilder(): (list: readonly Message[], unreadId: string, start?: number, end?: number) => TimelineItem[] {
  const days = new WeakMap<Message, string>();
  const dayOf = (m: Message): string => {
    let d = days.get(m);
    if (d === undefined) {
      d = dayKey(m.date);
      days.set(m, d);
    }
    return d;
  };
  /** Whether b continues a's run: the same sender, the same day, and no divider between. */
  const continues = (a: Message | undefined, b: Message | undefined, unreadId: string): boolean =>
    a !== undefined && b !== undefined && b.id !== unreadId && sameRun(a, b) && dayOf(a) === dayOf(b);
  const rows = new WeakMap<Message, MessageItem>();
  const seps = new Map<string, TimelineItem>();
  return (list, unreadId, start = 0, end = list.length) => {
    const out: TimelineItem[] = [];
    let day = '';
    for (let i = start; i < end; i++) {
      const m = list[i];
      if (!m) break;
      const d = dayOf(m);
      if (d !== day) {
        let sep = seps.get(d);
        if (!sep) {
          sep = { kind: 'day', key: `day:${d}`, date: m.date };
          seps.set(d, sep);
        }
        out.push(sep);
        day = d;
      }
      if (m.id === unreadId) out.push(newDivider);
      const first = !continues(list[i - 1], m, unreadId);
      const last = !continues(m, list[i + 1], unreadId);
      let row = rows.get(m);
      if (!row || row.first !== first || row.last !== last) {
        row = { kind: 'message', key: `msg:${m.id}`, message: m, first, last };
        rows.set(m, row);
      }
      out.push(row);
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
