// Event names pushed from Go, mirrored from the constants in app/events.go
// (app/bindings_sync_test.go keeps them in step), with their payload parsers.
import {
  parseConversationPrefsList,
  parseConversationsEvent,
  parseLinkStatus,
  parseMessagesEvent,
  parseProfile,
  parseReceivers,
  parseSettings,
  parseTypingEvent,
  type ConversationPrefs,
  type ConversationsEvent,
  type LinkStatus,
  type MessagesEvent,
  type Profile,
  type Receivers,
  type Settings,
  type TypingEvent,
} from './types';

export const Events = {
  settingsChanged: 'settings:changed',
  linkStatus: 'link:status',
  conversationsChanged: 'conversations:changed',
  messagesChanged: 'messages:changed',
  receiversChanged: 'receivers:changed',
  profileChanged: 'profile:changed',
  typing: 'typing',
  conversationPrefsChanged: 'conversation-prefs:changed',
} as const;

/** Every event name. */
export type EventName = (typeof Events)[keyof typeof Events];

/** The payload type of each event. */
export interface EventPayloads {
  'settings:changed': Settings;
  'link:status': LinkStatus;
  'conversations:changed': ConversationsEvent;
  'messages:changed': MessagesEvent;
  'receivers:changed': Receivers;
  'profile:changed': Profile;
  typing: TypingEvent;
  'conversation-prefs:changed': ConversationPrefs[];
}

/** Validates each event's payload before a handler sees it. */
export const eventParsers: { [E in EventName]: (v: unknown) => EventPayloads[E] } = {
  'settings:changed': parseSettings,
  'link:status': parseLinkStatus,
  'conversations:changed': parseConversationsEvent,
  'messages:changed': parseMessagesEvent,
  'receivers:changed': parseReceivers,
  'profile:changed': parseProfile,
  typing: parseTypingEvent,
  'conversation-prefs:changed': parseConversationPrefsList,
};
