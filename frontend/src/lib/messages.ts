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
  const out: TimelineItem[] = [];
  let day = '';
  for (const m of list) {
    const d = dayKey(m.date);
    if (d !== day) {
      out.push({ kind: 'day', key: `day:${d}`, date: m.date });
      day = d;
    }
    if (m.id === unreadId) out.push({ kind: 'new', key: 'new' });
    out.push({ kind: 'message', key: `msg:${m.id}`, message: m, first: true, last: true });
  }
  out.forEach((item, i) => {
    if (item.kind !== 'message') return;
    const before = out[i - 1];
    const after = out[i + 1];
    item.first = before?.kind !== 'message' || !sameRun(before.message, item.message);
    item.last = after?.kind !== 'message' || !sameRun(item.message, after.message);
  });
  return out;
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
