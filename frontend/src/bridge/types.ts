// The TypeScript mirror of the Go structs the bridge carries (package app).
// Field names match the Go json tags; app/bindings_sync_test.go checks that
// they stay in step. Every payload from Go is validated before use; pointer
// fields arrive as `T | null`, slices are never null.

/** Theme preference (Go: app.Theme*). */
export type Theme = 'system' | 'light' | 'dark';
/** Language preference (Go: app.Language*). */
export type Language = 'system' | 'en' | 'de';
/** Link state (Go: app.Link*). */
export type LinkState = 'unpaired' | 'locked' | 'connecting' | 'connected' | 'disconnected';
/** Which world the app talks to (Go: app.World*). */
export type World = 'demo' | 'external';
/** Display mode (Go: app.Mode*). */
export type Mode = 'window' | 'web';
/** Receiver type (Go: app.Receiver*). */
export type ReceiverType = 'contact' | 'group' | 'distributionList';

export const themes: readonly Theme[] = ['system', 'light', 'dark'];
export const languages: readonly Language[] = ['system', 'en', 'de'];
export const linkStates: readonly LinkState[] = ['unpaired', 'locked', 'connecting', 'connected', 'disconnected'];
export const worlds: readonly World[] = ['demo', 'external'];
export const modes: readonly Mode[] = ['window', 'web'];
export const receiverTypes: readonly ReceiverType[] = ['contact', 'group', 'distributionList'];

/** Go: app.Settings. */
export interface Settings {
  theme: Theme;
  language: Language;
  notifications: boolean;
  sound: boolean;
  preview: boolean;
}

/** Go: app.LinkStatus. */
export interface LinkStatus {
  state: LinkState;
  /** Unix milliseconds. */
  since: number;
  world: World;
  /** The QR payload text while waiting for the phone, '' otherwise. */
  pairingCode: string;
  remembered: boolean;
  locked: boolean;
  /** The paired phone's Threema ID, '' if unknown. */
  phone: string;
  error: string;
}

/** Go: app.AppInfo. */
export interface AppInfo {
  name: string;
  version: string;
  mode: Mode;
}

/** Go: app.Receiver. */
export interface Receiver {
  type: ReceiverType;
  id: string;
}

/** Go: app.Contact. */
export interface Contact {
  id: string;
  name: string;
  nickname: string;
  firstName: string;
  lastName: string;
  verificationLevel: number;
  publicKey: string;
  fingerprint: string;
  state: string;
  blocked: boolean;
  color: string;
}

/** Go: app.Group. */
export interface Group {
  id: string;
  name: string;
  members: string[];
  administrator: string;
  left: boolean;
  color: string;
}

/** Go: app.DistributionList. */
export interface DistributionList {
  id: string;
  name: string;
  members: string[];
  color: string;
}

/** Go: app.Receivers. */
export interface Receivers {
  contacts: Contact[];
  groups: Group[];
  distributionLists: DistributionList[];
}

/** Go: app.Quote. */
export interface Quote {
  identity: string;
  text: string;
  messageId: string;
}

/** Go: app.FileInfo. */
export interface FileInfo {
  name: string;
  size: number;
  mime: string;
  thumbnail: boolean;
  width: number;
  height: number;
  /** An audio message's length in seconds as the sender stated it (0: unknown). */
  duration: number;
}

/** Go: app.Location. */
export interface Location {
  lat: number;
  lon: number;
  description: string;
}

/** Go: app.Message. */
export interface Message {
  id: string;
  receiver: Receiver;
  /** "text", "image", "file", "location", "status", ... */
  type: string;
  outgoing: boolean;
  sender: string;
  text: string;
  date: number;
  sortKey: number;
  /** "pending", "sending", "send-failed", "sent", "delivered", "read", ... */
  state: string;
  unread: boolean;
  quote: Quote | null;
  file: FileInfo | null;
  location: Location | null;
  /** The emoji reactions, the newest first. */
  reactions: Reaction[];
  /** When the message was last edited (ms), 0 if never. */
  edited: number;
  /** When it was sent, delivered and read (ms, from the phone's message events), 0 if unknown. */
  sent: number;
  delivered: number;
  read: number;
}

/** Go: app.Reaction: one emoji on a message and who reacted with it. */
export interface Reaction {
  emoji: string;
  identities: string[];
}

/** Go: app.ConversationPrefs: what the user decided about a conversation on this computer only. */
export interface ConversationPrefs {
  receiver: Receiver;
  archived: boolean;
  /** Notifications are silent until then (ms); -1 until unmuted, 0 not muted. */
  mutedUntil: number;
  markedUnread: boolean;
}

/** Go: app.Conversation. */
export interface Conversation {
  receiver: Receiver;
  name: string;
  color: string;
  /** A data: URL, or ''. */
  avatar: string;
  unreadCount: number;
  pinned: boolean;
  muted: boolean;
  lastMessage: Message | null;
  lastActivity: number;
}

/** Go: app.MessagePage (oldest first). */
export interface MessagePage {
  messages: Message[];
  more: boolean;
}

/** Go: app.Profile. */
export interface Profile {
  identity: string;
  nickname: string;
  publicKey: string;
  fingerprint: string;
  /** The profile picture as a data: URL, or ''. */
  avatar: string;
}

/** Go: app.Limits. */
export interface Limits {
  maxTextBytes: number;
  maxFileBytes: number;
  /** The phone takes any emoji as a reaction (else only 👍 and 👎). */
  anyReaction: boolean;
  /** The phone edits and deletes the user's own messages for everyone. */
  canEdit: boolean;
}

/** Go: app.FileUpload (sent to Go; data is base64). */
export interface FileUpload {
  name: string;
  mime: string;
  data: string;
  caption: string;
  /** Send an image (or audio) as a plain file: Threema's rendering type "file" instead of "media". */
  sendAsFile: boolean;
  /** A recording's length in seconds (Threema's "x.d"); absent when not known. */
  duration?: number;
}

/** Go: app.FileData (data is base64). */
export interface FileData {
  name: string;
  mime: string;
  data: string;
}

/** Go: app.SavedFile: where ChatService.SaveFile wrote a file ('' = the user cancelled). */
export interface SavedFile {
  path: string;
}

/** Go: app.SearchHit. */
export interface SearchHit {
  message: Message;
  name: string;
  /** The matching text with the hits between « and ». */
  snippet: string;
}

/** Go: app.PairingOptions (sent to Go). */
export interface PairingOptions {
  remember: boolean;
  password: string;
}

/** Go: app.Notification (sent to Go). */
export interface Notification {
  title: string;
  body: string;
}

/** Go: app.MessagesEvent. */
export interface MessagesEvent {
  receiver: Receiver;
  messages: Message[];
  removed: string[];
  incoming: boolean;
}

/** Go: app.ConversationsEvent. */
export interface ConversationsEvent {
  conversations: Conversation[];
  replace: boolean;
}

/** Go: app.TypingEvent. */
export interface TypingEvent {
  receiver: Receiver;
  typing: boolean;
}

/** Thrown when a payload from Go does not have the expected shape. */
export class PayloadError extends Error {
  constructor(what: string, detail: string) {
    super(`invalid ${what} from Go: ${detail}`);
    this.name = 'PayloadError';
  }
}

function record(what: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new PayloadError(what, 'not an object');
  }
  return v as Record<string, unknown>;
}

function oneOf<T extends string>(what: string, field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new PayloadError(what, `${field} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function str(what: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw new PayloadError(what, `${field} must be a string`);
  return v;
}

function num(what: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PayloadError(what, `${field} must be a number`);
  return v;
}

function bool(what: string, field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new PayloadError(what, `${field} must be a boolean`);
  return v;
}

function list<T>(what: string, field: string, v: unknown, parse: (item: unknown) => T): T[] {
  if (!Array.isArray(v)) throw new PayloadError(what, `${field} must be an array`);
  return v.map(parse);
}

function nullable<T>(v: unknown, parse: (item: unknown) => T): T | null {
  return v === null || v === undefined ? null : parse(v);
}

/** Validates a Settings payload. */
export function parseSettings(v: unknown): Settings {
  const r = record('Settings', v);
  return {
    theme: oneOf('Settings', 'theme', r['theme'], themes),
    language: oneOf('Settings', 'language', r['language'], languages),
    notifications: bool('Settings', 'notifications', r['notifications']),
    sound: bool('Settings', 'sound', r['sound']),
    preview: bool('Settings', 'preview', r['preview']),
  };
}

/** Validates a LinkStatus payload. */
export function parseLinkStatus(v: unknown): LinkStatus {
  const w = 'LinkStatus';
  const r = record(w, v);
  return {
    state: oneOf(w, 'state', r['state'], linkStates),
    since: num(w, 'since', r['since']),
    world: oneOf(w, 'world', r['world'], worlds),
    pairingCode: str(w, 'pairingCode', r['pairingCode']),
    remembered: bool(w, 'remembered', r['remembered']),
    locked: bool(w, 'locked', r['locked']),
    phone: str(w, 'phone', r['phone']),
    error: str(w, 'error', r['error']),
  };
}

/** Validates an AppInfo payload. */
export function parseAppInfo(v: unknown): AppInfo {
  const r = record('AppInfo', v);
  return {
    name: str('AppInfo', 'name', r['name']),
    version: str('AppInfo', 'version', r['version']),
    mode: oneOf('AppInfo', 'mode', r['mode'], modes),
  };
}

/** Validates a Receiver payload. */
export function parseReceiver(v: unknown): Receiver {
  const r = record('Receiver', v);
  return { type: oneOf('Receiver', 'type', r['type'], receiverTypes), id: str('Receiver', 'id', r['id']) };
}

const strings = (what: string, field: string, v: unknown): string[] =>
  list(what, field, v, (s) => str(what, field, s));

/** Validates a Contact payload. */
export function parseContact(v: unknown): Contact {
  const w = 'Contact';
  const r = record(w, v);
  return {
    id: str(w, 'id', r['id']),
    name: str(w, 'name', r['name']),
    nickname: str(w, 'nickname', r['nickname']),
    firstName: str(w, 'firstName', r['firstName']),
    lastName: str(w, 'lastName', r['lastName']),
    verificationLevel: num(w, 'verificationLevel', r['verificationLevel']),
    publicKey: str(w, 'publicKey', r['publicKey']),
    fingerprint: str(w, 'fingerprint', r['fingerprint']),
    state: str(w, 'state', r['state']),
    blocked: bool(w, 'blocked', r['blocked']),
    color: str(w, 'color', r['color']),
  };
}

/** Validates a Group payload. */
export function parseGroup(v: unknown): Group {
  const w = 'Group';
  const r = record(w, v);
  return {
    id: str(w, 'id', r['id']),
    name: str(w, 'name', r['name']),
    members: strings(w, 'members', r['members']),
    administrator: str(w, 'administrator', r['administrator']),
    left: bool(w, 'left', r['left']),
    color: str(w, 'color', r['color']),
  };
}

/** Validates a DistributionList payload. */
export function parseDistributionList(v: unknown): DistributionList {
  const w = 'DistributionList';
  const r = record(w, v);
  return {
    id: str(w, 'id', r['id']),
    name: str(w, 'name', r['name']),
    members: strings(w, 'members', r['members']),
    color: str(w, 'color', r['color']),
  };
}

/** Validates a Receivers payload. */
export function parseReceivers(v: unknown): Receivers {
  const w = 'Receivers';
  const r = record(w, v);
  return {
    contacts: list(w, 'contacts', r['contacts'], parseContact),
    groups: list(w, 'groups', r['groups'], parseGroup),
    distributionLists: list(w, 'distributionLists', r['distributionLists'], parseDistributionList),
  };
}

/** Validates a Quote payload. */
export function parseQuote(v: unknown): Quote {
  const r = record('Quote', v);
  return {
    identity: str('Quote', 'identity', r['identity']),
    text: str('Quote', 'text', r['text']),
    messageId: str('Quote', 'messageId', r['messageId']),
  };
}

/** Validates a FileInfo payload. */
export function parseFileInfo(v: unknown): FileInfo {
  const w = 'FileInfo';
  const r = record(w, v);
  return {
    name: str(w, 'name', r['name']),
    size: num(w, 'size', r['size']),
    mime: str(w, 'mime', r['mime']),
    thumbnail: bool(w, 'thumbnail', r['thumbnail']),
    width: num(w, 'width', r['width']),
    height: num(w, 'height', r['height']),
    // Optional: a message cached by an older version has none.
    duration: r['duration'] == null ? 0 : num(w, 'duration', r['duration']),
  };
}

/** Validates a Location payload. */
export function parseLocation(v: unknown): Location {
  const r = record('Location', v);
  return {
    lat: num('Location', 'lat', r['lat']),
    lon: num('Location', 'lon', r['lon']),
    description: str('Location', 'description', r['description']),
  };
}

/** Validates a Message payload. */
export function parseMessage(v: unknown): Message {
  const w = 'Message';
  const r = record(w, v);
  return {
    id: str(w, 'id', r['id']),
    receiver: parseReceiver(r['receiver']),
    type: str(w, 'type', r['type']),
    outgoing: bool(w, 'outgoing', r['outgoing']),
    sender: str(w, 'sender', r['sender']),
    text: str(w, 'text', r['text']),
    date: num(w, 'date', r['date']),
    sortKey: num(w, 'sortKey', r['sortKey']),
    state: str(w, 'state', r['state']),
    unread: bool(w, 'unread', r['unread']),
    quote: nullable(r['quote'], parseQuote),
    file: nullable(r['file'], parseFileInfo),
    location: nullable(r['location'], parseLocation),
    // Optional: a message cached by an older version has neither.
    reactions: r['reactions'] == null ? [] : list(w, 'reactions', r['reactions'], parseReaction),
    edited: r['edited'] == null ? 0 : num(w, 'edited', r['edited']),
    sent: r['sent'] == null ? 0 : num(w, 'sent', r['sent']),
    delivered: r['delivered'] == null ? 0 : num(w, 'delivered', r['delivered']),
    read: r['read'] == null ? 0 : num(w, 'read', r['read']),
  };
}

/** Validates a list of Messages. */
export function parseMessages(v: unknown): Message[] {
  return list('Message[]', 'messages', v, parseMessage);
}

/** Validates a Reaction payload. */
export function parseReaction(v: unknown): Reaction {
  const w = 'Reaction';
  const r = record(w, v);
  return {
    emoji: str(w, 'emoji', r['emoji']),
    identities: list(w, 'identities', r['identities'], (x) => str(w, 'identity', x)),
  };
}

/** Validates a Conversation payload. */
export function parseConversation(v: unknown): Conversation {
  const w = 'Conversation';
  const r = record(w, v);
  return {
    receiver: parseReceiver(r['receiver']),
    name: str(w, 'name', r['name']),
    color: str(w, 'color', r['color']),
    avatar: str(w, 'avatar', r['avatar']),
    unreadCount: num(w, 'unreadCount', r['unreadCount']),
    pinned: bool(w, 'pinned', r['pinned']),
    muted: bool(w, 'muted', r['muted']),
    lastMessage: nullable(r['lastMessage'], parseMessage),
    lastActivity: num(w, 'lastActivity', r['lastActivity']),
  };
}

/** Validates a ConversationPrefs payload. */
export function parseConversationPrefs(v: unknown): ConversationPrefs {
  const w = 'ConversationPrefs';
  const r = record(w, v);
  return {
    receiver: parseReceiver(r['receiver']),
    archived: bool(w, 'archived', r['archived']),
    mutedUntil: num(w, 'mutedUntil', r['mutedUntil']),
    markedUnread: bool(w, 'markedUnread', r['markedUnread']),
  };
}

/** Validates a list of ConversationPrefs. */
export function parseConversationPrefsList(v: unknown): ConversationPrefs[] {
  return list('ConversationPrefs[]', 'prefs', v, parseConversationPrefs);
}

/** Validates a list of Conversations. */
export function parseConversations(v: unknown): Conversation[] {
  return list('Conversation[]', 'conversations', v, parseConversation);
}

/** Validates a MessagePage payload. */
export function parseMessagePage(v: unknown): MessagePage {
  const r = record('MessagePage', v);
  return {
    messages: list('MessagePage', 'messages', r['messages'], parseMessage),
    more: bool('MessagePage', 'more', r['more']),
  };
}

/** Validates a Profile payload. */
export function parseProfile(v: unknown): Profile {
  const w = 'Profile';
  const r = record(w, v);
  return {
    identity: str(w, 'identity', r['identity']),
    nickname: str(w, 'nickname', r['nickname']),
    publicKey: str(w, 'publicKey', r['publicKey']),
    fingerprint: str(w, 'fingerprint', r['fingerprint']),
    avatar: str(w, 'avatar', r['avatar']),
  };
}

/** Validates a Limits payload. */
export function parseLimits(v: unknown): Limits {
  const r = record('Limits', v);
  return {
    maxTextBytes: num('Limits', 'maxTextBytes', r['maxTextBytes']),
    maxFileBytes: num('Limits', 'maxFileBytes', r['maxFileBytes']),
    anyReaction: r['anyReaction'] === true,
    canEdit: r['canEdit'] === true,
  };
}

/** Validates a FileData payload. */
export function parseFileData(v: unknown): FileData {
  const r = record('FileData', v);
  return {
    name: str('FileData', 'name', r['name']),
    mime: str('FileData', 'mime', r['mime']),
    data: str('FileData', 'data', r['data']),
  };
}

/** Validates a SavedFile payload. */
export function parseSavedFile(v: unknown): SavedFile {
  const r = record('SavedFile', v);
  return { path: str('SavedFile', 'path', r['path']) };
}

/** Validates a SearchHit payload. */
export function parseSearchHit(v: unknown): SearchHit {
  const r = record('SearchHit', v);
  return {
    message: parseMessage(r['message']),
    name: str('SearchHit', 'name', r['name']),
    snippet: str('SearchHit', 'snippet', r['snippet']),
  };
}

/** Validates a list of SearchHits. */
export function parseSearchHits(v: unknown): SearchHit[] {
  return list('SearchHit[]', 'hits', v, parseSearchHit);
}

/** Validates a MessagesEvent payload. */
export function parseMessagesEvent(v: unknown): MessagesEvent {
  const w = 'MessagesEvent';
  const r = record(w, v);
  return {
    receiver: parseReceiver(r['receiver']),
    messages: list(w, 'messages', r['messages'], parseMessage),
    removed: strings(w, 'removed', r['removed']),
    incoming: bool(w, 'incoming', r['incoming']),
  };
}

/** Validates a ConversationsEvent payload. */
export function parseConversationsEvent(v: unknown): ConversationsEvent {
  const r = record('ConversationsEvent', v);
  return {
    conversations: list('ConversationsEvent', 'conversations', r['conversations'], parseConversation),
    replace: bool('ConversationsEvent', 'replace', r['replace']),
  };
}

/** Validates a TypingEvent payload. */
export function parseTypingEvent(v: unknown): TypingEvent {
  const r = record('TypingEvent', v);
  return { receiver: parseReceiver(r['receiver']), typing: bool('TypingEvent', 'typing', r['typing']) };
}

/** Validates a string result. */
export function parseString(v: unknown): string {
  return str('result', 'value', v);
}

/** Accepts the empty result of a method that returns only an error. */
export function parseVoid(v: unknown): void {
  if (v !== null && v !== undefined) throw new PayloadError('result', 'expected no value');
}
