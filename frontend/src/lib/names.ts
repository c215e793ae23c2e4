// Contact names as the user gives them: a first and a last name, checked
// against the phone's limit before they are sent.
import type { Contact, LinkStatus } from '../bridge';
import type { MessageKey } from '../i18n';
import { utf8Bytes } from './format';

/** The most UTF-8 bytes of a first or of a last name (Threema Web protocol §2.4). */
export const maxNameBytes = 256;

/** A first and a last name, trimmed. */
export interface ContactName {
  firstName: string;
  lastName: string;
}

/** Trims the two parts; control characters (a paste may bring them) become spaces. */
export function cleanName(firstName: string, lastName: string): ContactName {
  const clean = (s: string) => s.replace(/\p{Cc}+/gu, ' ').trim();
  return { firstName: clean(firstName), lastName: clean(lastName) };
}

/** The message to show for a name the phone would refuse, or undefined if it is fine. */
export function nameProblem(n: ContactName): MessageKey | undefined {
  return utf8Bytes(n.firstName) > maxNameBytes || utf8Bytes(n.lastName) > maxNameBytes ? 'contacts.nameTooLong' : undefined;
}

/** What a contact shows as without a name: "~" and its nickname, else its ID (as the phone does). */
export function unnamed(c: Contact): string {
  return c.nickname && c.nickname !== c.id ? `~${c.nickname}` : c.id;
}

/** The message for a rename that failed: the phone was away, or it refused. */
export function renameFailure(link: LinkStatus): MessageKey {
  return link.state === 'connected' ? 'contacts.renameFailed' : 'contacts.renameOffline';
}

/** The words for a contact's state as the phone reports it ("ACTIVE", "INACTIVE", "INVALID"). */
export function contactStateLabel(state: string): MessageKey {
  switch (state.toUpperCase()) {
    case 'ACTIVE':
      return 'contacts.state.active';
    case 'INACTIVE':
      return 'contacts.state.inactive';
    case 'INVALID':
      return 'contacts.state.invalid';
    default:
      return 'contacts.state.unknown';
  }
}

/** The key to sort contacts by: the shown name without the "~" of a nickname. */
export function sortName(c: Contact): string {
  return (c.name || c.id).replace(/^~/, '');
}
