// What the user decided about conversations on this computer (Go:
// app.ConversationPrefs): archived, muted until, marked unread, laid over
// the phone's conversations.
import type { Conversation, ConversationPrefs, Receiver } from '../bridge/types';
import { receiverKey } from './receiver';

/** A conversation as the list shows it: the phone's, with this computer's decisions. */
export interface ConversationView extends Conversation {
  archived: boolean;
  markedUnread: boolean;
  /** Muted here until then (ms), -1 until unmuted, 0 not. */
  mutedUntil: number;
}

/** The mute choices offered: for an hour, 8 hours, a week, or until unmuted (-1). */
export const muteChoices = [
  { key: 'hour', ms: 3_600_000 },
  { key: 'eightHours', ms: 8 * 3_600_000 },
  { key: 'week', ms: 7 * 24 * 3_600_000 },
  { key: 'always', ms: -1 },
] as const;

/** No decision about receiver. */
export function noPrefs(receiver: Receiver): ConversationPrefs {
  return { receiver, archived: false, mutedUntil: 0, markedUnread: false };
}

/** Whether p mutes its conversation at now. */
export function mutedAt(p: ConversationPrefs | undefined, now: number): boolean {
  return p !== undefined && (p.mutedUntil === -1 || p.mutedUntil > now);
}

/** Lays p over c: muted if either the phone or this computer mutes it. */
export function viewOf(c: Conversation, p: ConversationPrefs | undefined, now: number): ConversationView {
  const here = mutedAt(p, now);
  return {
    ...c,
    muted: c.muted || here,
    archived: p?.archived ?? false,
    markedUnread: p?.markedUnread ?? false,
    mutedUntil: here && p ? p.mutedUntil : 0,
  };
}

/** Indexes a list of preferences by receiver key. */
export function prefsByKey(list: readonly ConversationPrefs[]): Map<string, ConversationPrefs> {
  return new Map(list.map((p) => [receiverKey(p.receiver), p]));
}
