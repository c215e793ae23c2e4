// Reactions: what the quick picker offers, and what a message list needs to react.
import type { Message } from '../bridge';

/** What a message list needs to show and send reactions. */
export interface Reacting {
  /** The user's own identity: their reactions are marked, and their quoted messages say "You". */
  self: string;
  /** The phone takes any emoji (else only the thumbs). */
  any: boolean;
  /** Adds (withdraw false) or takes back the user's reaction. */
  onReact: (m: Message, emoji: string, withdraw: boolean) => void;
}

/** What every Threema app understands: agree and disagree. */
export const thumbs = ['👍', '👎'] as const;

/** The quick reactions: the thumbs, and more when the phone takes any emoji. */
export function quickReactions(anyReaction: boolean): string[] {
  return anyReaction ? [...thumbs, '❤️', '😂', '😮', '😢', '🙏'] : [...thumbs];
}

/** Whether self has reacted to m with emoji. */
export function hasOwn(m: Message, emoji: string, self: string): boolean {
  return m.reactions.some((r) => r.emoji === emoji && r.identities.includes(self));
}
