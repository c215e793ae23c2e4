// Which loaded message a reply's quote stands for.
//
// The Web protocol's quote carries the quoted message's sender and text (for
// a file, its caption, else its name; a long text cut and ended with "…"),
// and its Threema id, which the desktop's messages do not carry. So a quote
// is matched on its sender and text: the newest loaded message of that
// sender with that text, before the reply.
import type { Message } from '../bridge/types';

/** The loaded messages of each sender, in the chat's order. */
export type QuoteIndex = Map<string, Message[]>;

/** What the phone quotes of m: its text or caption, else its file's name. */
function quotable(m: Message): string {
  return m.text || m.file?.name || '';
}

/** Indexes messages (in the chat's order) for quotedMessage. */
export function quoteIndex(messages: readonly Message[]): QuoteIndex {
  const index: QuoteIndex = new Map();
  for (const m of messages) {
    if (m.type === 'status') continue;
    const list = index.get(m.sender);
    if (list) list.push(m);
    else index.set(m.sender, [m]);
  }
  return index;
}

/**
 * The message reply quotes, if it is loaded: the newest of the quote's
 * sender, before reply, whose text is the quote's (or starts with it, when
 * the phone cut it). A quote without sender (the phone no longer has the
 * message) matches nothing.
 */
export function quotedMessage(index: QuoteIndex, reply: Message): Message | undefined {
  const q = reply.quote;
  if (!q?.identity || !q.text) return undefined;
  const start = q.text.endsWith('…') ? q.text.slice(0, -1) : undefined;
  const list = index.get(q.identity) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (!m || m.sortKey >= reply.sortKey) continue;
    const text = quotable(m);
    if (text === q.text || (start !== undefined && text.length > start.length && text.startsWith(start))) return m;
  }
  return undefined;
}
