// The typed bridge API. Components and stores call only this; it turns each
// call into a transport call ("Service.Method") and validates every result.
import { eventParsers, type EventName, type EventPayloads } from './events';
import type { Transport, TransportKind, Unsubscribe } from './transport';
import {
  parseAppInfo,
  parseContact,
  parseConversationPrefsList,
  parseConversations,
  parseDistributionList,
  parseFileData,
  parseGroup,
  parseLimits,
  parseLinkStatus,
  parseMessage,
  parseMessages,
  parseMessagePage,
  parseProfile,
  parseReceivers,
  parseSavedFile,
  parseSearchHits,
  parseSettings,
  parseString,
  parseVoid,
  type AppInfo,
  type Contact,
  type Conversation,
  type ConversationPrefs,
  type DistributionList,
  type FileData,
  type FileUpload,
  type Group,
  type Language,
  type Limits,
  type LinkStatus,
  type Message,
  type MessagePage,
  type Notification,
  type PairingOptions,
  type Profile,
  type Receiver,
  type Receivers,
  type SavedFile,
  type SearchHit,
  type Settings,
  type Theme,
} from './types';

/** The Go methods the UI calls; app/bindings_sync_test.go checks each exists. */
export const Methods = {
  aboutInfo: 'AboutService.Info',
  settingsGet: 'SettingsService.Get',
  settingsSetTheme: 'SettingsService.SetTheme',
  settingsSetLanguage: 'SettingsService.SetLanguage',
  settingsSetNotifications: 'SettingsService.SetNotifications',
  settingsSetSound: 'SettingsService.SetSound',
  settingsSetPreview: 'SettingsService.SetPreview',
  linkStatus: 'LinkService.Status',
  linkStartPairing: 'LinkService.StartPairing',
  linkPairingQR: 'LinkService.PairingQR',
  linkUnlock: 'LinkService.Unlock',
  linkForget: 'LinkService.Forget',
  chatProfile: 'ChatService.Profile',
  chatLimits: 'ChatService.Limits',
  chatConversations: 'ChatService.Conversations',
  chatMessages: 'ChatService.Messages',
  chatSendText: 'ChatService.SendText',
  chatSendFile: 'ChatService.SendFile',
  chatMarkRead: 'ChatService.MarkRead',
  chatSetTyping: 'ChatService.SetTyping',
  chatThumbnail: 'ChatService.Thumbnail',
  chatFile: 'ChatService.File',
  chatSaveFile: 'ChatService.SaveFile',
  chatDeleteMessage: 'ChatService.DeleteMessage',
  chatReact: 'ChatService.React',
  chatConversationPrefs: 'ChatService.ConversationPrefs',
  chatSetConversationPrefs: 'ChatService.SetConversationPrefs',
  chatSetPinned: 'ChatService.SetPinned',
  chatDeleteConversation: 'ChatService.DeleteConversation',
  chatEditMessage: 'ChatService.EditMessage',
  chatDeleteForEveryone: 'ChatService.DeleteForEveryone',
  chatForward: 'ChatService.Forward',
  chatDraft: 'ChatService.Draft',
  chatSetDraft: 'ChatService.SetDraft',
  chatSearch: 'ChatService.Search',
  peopleReceivers: 'PeopleService.Receivers',
  peopleAddContact: 'PeopleService.AddContact',
  peopleRenameContact: 'PeopleService.RenameContact',
  peopleCreateGroup: 'PeopleService.CreateGroup',
  peopleUpdateGroup: 'PeopleService.UpdateGroup',
  peopleLeaveGroup: 'PeopleService.LeaveGroup',
  peopleDeleteGroup: 'PeopleService.DeleteGroup',
  peopleCreateDistributionList: 'PeopleService.CreateDistributionList',
  peopleUpdateDistributionList: 'PeopleService.UpdateDistributionList',
  peopleDeleteDistributionList: 'PeopleService.DeleteDistributionList',
  peopleSetNickname: 'PeopleService.SetNickname',
  peopleSetAvatar: 'PeopleService.SetAvatar',
  notificationShow: 'NotificationService.Show',
} as const;

/** What the UI can ask of Go. */
export interface Api {
  readonly transport: TransportKind;
  about: { info(): Promise<AppInfo> };
  settings: {
    get(): Promise<Settings>;
    setTheme(theme: Theme): Promise<Settings>;
    setLanguage(language: Language): Promise<Settings>;
    setNotifications(on: boolean): Promise<Settings>;
    setSound(on: boolean): Promise<Settings>;
    setPreview(on: boolean): Promise<Settings>;
  };
  link: {
    status(): Promise<LinkStatus>;
    startPairing(options: PairingOptions): Promise<LinkStatus>;
    /** SVG markup of the current pairing code's QR, '' if none. */
    pairingQR(): Promise<string>;
    unlock(password: string): Promise<LinkStatus>;
    forget(): Promise<LinkStatus>;
  };
  chat: {
    profile(): Promise<Profile>;
    limits(): Promise<Limits>;
    conversations(): Promise<Conversation[]>;
    /** A page of messages older than `before` ('' = the latest), oldest first. */
    messages(receiver: Receiver, before: string, limit: number): Promise<MessagePage>;
    sendText(receiver: Receiver, text: string, quoteId: string): Promise<Message>;
    sendFile(receiver: Receiver, file: FileUpload): Promise<Message>;
    markRead(receiver: Receiver): Promise<void>;
    setTyping(receiver: Receiver, typing: boolean): Promise<void>;
    /** A data: URL. */
    thumbnail(receiver: Receiver, messageId: string): Promise<string>;
    file(receiver: Receiver, messageId: string): Promise<FileData>;
    /** Asks where to save a message's file (the window's Save dialog) and writes it; path '' when cancelled. Window only. */
    saveFile(receiver: Receiver, messageId: string): Promise<SavedFile>;
    deleteMessage(receiver: Receiver, messageId: string): Promise<void>;
    /** Adds (or with withdraw takes back) the user's emoji reaction to a message. */
    react(receiver: Receiver, messageId: string, emoji: string, withdraw: boolean): Promise<void>;
    /** What the user decided about conversations on this computer (archived, muted, marked unread). */
    conversationPrefs(): Promise<ConversationPrefs[]>;
    /** Stores one conversation's preferences; returns all of them. */
    setConversationPrefs(p: ConversationPrefs): Promise<ConversationPrefs[]>;
    /** Pins a conversation on the phone (or unpins it). */
    setPinned(receiver: Receiver, pinned: boolean): Promise<void>;
    /** Deletes every message of a conversation on the phone, and so here. */
    deleteConversation(receiver: Receiver): Promise<void>;
    /** Replaces the text of the user's own message for both sides (Limits.canEdit). */
    editMessage(receiver: Receiver, messageId: string, text: string): Promise<void>;
    /** Deletes the user's own message for both sides (Limits.canEdit), not only on the phone. */
    deleteForEveryone(receiver: Receiver, messageId: string): Promise<void>;
    /** Sends a copy of a message to each receiver of `to` (at most 20); resolves to the messages sent. */
    forward(from: Receiver, messageId: string, to: Receiver[]): Promise<Message[]>;
    draft(receiver: Receiver): Promise<string>;
    setDraft(receiver: Receiver, text: string): Promise<void>;
    search(query: string, limit: number): Promise<SearchHit[]>;
  };
  people: {
    receivers(): Promise<Receivers>;
    addContact(identity: string): Promise<Contact>;
    /** Names a contact; both parts empty clears the name (it shows as ~nickname or its ID again). */
    renameContact(identity: string, firstName: string, lastName: string): Promise<Contact>;
    createGroup(name: string, members: string[]): Promise<Group>;
    updateGroup(id: string, name: string, members: string[]): Promise<Group>;
    leaveGroup(id: string): Promise<void>;
    deleteGroup(id: string): Promise<void>;
    createDistributionList(name: string, members: string[]): Promise<DistributionList>;
    updateDistributionList(id: string, name: string, members: string[]): Promise<DistributionList>;
    deleteDistributionList(id: string): Promise<void>;
    setNickname(nickname: string): Promise<Profile>;
    /** Sets the profile picture (JPEG or PNG, base64); '' removes it. */
    setAvatar(image: string): Promise<Profile>;
  };
  notification: { show(n: Notification): Promise<void> };
  /** Subscribes to a Go event with a validated payload; invalid payloads are reported and dropped. */
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): Unsubscribe;
}

/** Builds the API over a transport. */
export function createApi(t: Transport, onInvalid: (err: unknown) => void = console.error): Api {
  const call = async <T>(method: string, parse: (v: unknown) => T, ...args: unknown[]): Promise<T> =>
    parse(await t.call(method, args));
  const M = Methods;
  return {
    transport: t.kind,
    about: { info: () => call(M.aboutInfo, parseAppInfo) },
    settings: {
      get: () => call(M.settingsGet, parseSettings),
      setTheme: (theme) => call(M.settingsSetTheme, parseSettings, theme),
      setLanguage: (language) => call(M.settingsSetLanguage, parseSettings, language),
      setNotifications: (on) => call(M.settingsSetNotifications, parseSettings, on),
      setSound: (on) => call(M.settingsSetSound, parseSettings, on),
      setPreview: (on) => call(M.settingsSetPreview, parseSettings, on),
    },
    link: {
      status: () => call(M.linkStatus, parseLinkStatus),
      startPairing: (options) => call(M.linkStartPairing, parseLinkStatus, options),
      pairingQR: () => call(M.linkPairingQR, parseString),
      unlock: (password) => call(M.linkUnlock, parseLinkStatus, password),
      forget: () => call(M.linkForget, parseLinkStatus),
    },
    chat: {
      profile: () => call(M.chatProfile, parseProfile),
      limits: () => call(M.chatLimits, parseLimits),
      conversations: () => call(M.chatConversations, parseConversations),
      messages: (r, before, limit) => call(M.chatMessages, parseMessagePage, r, before, limit),
      sendText: (r, text, quoteId) => call(M.chatSendText, parseMessage, r, text, quoteId),
      sendFile: (r, file) => call(M.chatSendFile, parseMessage, r, file),
      markRead: (r) => call(M.chatMarkRead, parseVoid, r),
      setTyping: (r, typing) => call(M.chatSetTyping, parseVoid, r, typing),
      thumbnail: (r, id) => call(M.chatThumbnail, parseString, r, id),
      file: (r, id) => call(M.chatFile, parseFileData, r, id),
      saveFile: (r, id) => call(M.chatSaveFile, parseSavedFile, r, id),
      deleteMessage: (r, id) => call(M.chatDeleteMessage, parseVoid, r, id),
      react: (r, id, emoji, withdraw) => call(M.chatReact, parseVoid, r, id, emoji, withdraw),
      conversationPrefs: () => call(M.chatConversationPrefs, parseConversationPrefsList),
      setConversationPrefs: (p) => call(M.chatSetConversationPrefs, parseConversationPrefsList, p),
      setPinned: (r, pinned) => call(M.chatSetPinned, parseVoid, r, pinned),
      deleteConversation: (r) => call(M.chatDeleteConversation, parseVoid, r),
      editMessage: (r, id, text) => call(M.chatEditMessage, parseVoid, r, id, text),
      deleteForEveryone: (r, id) => call(M.chatDeleteForEveryone, parseVoid, r, id),
      forward: (from, id, to) => call(M.chatForward, parseMessages, from, id, to),
      draft: (r) => call(M.chatDraft, parseString, r),
      setDraft: (r, text) => call(M.chatSetDraft, parseVoid, r, text),
      search: (query, limit) => call(M.chatSearch, parseSearchHits, query, limit),
    },
    people: {
      receivers: () => call(M.peopleReceivers, parseReceivers),
      addContact: (identity) => call(M.peopleAddContact, parseContact, identity),
      renameContact: (identity, firstName, lastName) =>
        call(M.peopleRenameContact, parseContact, identity, firstName, lastName),
      createGroup: (name, members) => call(M.peopleCreateGroup, parseGroup, name, members),
      updateGroup: (id, name, members) => call(M.peopleUpdateGroup, parseGroup, id, name, members),
      leaveGroup: (id) => call(M.peopleLeaveGroup, parseVoid, id),
      deleteGroup: (id) => call(M.peopleDeleteGroup, parseVoid, id),
      createDistributionList: (name, members) =>
        call(M.peopleCreateDistributionList, parseDistributionList, name, members),
      updateDistributionList: (id, name, members) =>
        call(M.peopleUpdateDistributionList, parseDistributionList, id, name, members),
      deleteDistributionList: (id) => call(M.peopleDeleteDistributionList, parseVoid, id),
      setNickname: (nickname) => call(M.peopleSetNickname, parseProfile, nickname),
      setAvatar: (image) => call(M.peopleSetAvatar, parseProfile, image),
    },
    notification: { show: (n) => call(M.notificationShow, parseVoid, n) },
    on(event, handler) {
      const parse: (v: unknown) => EventPayloads[typeof event] = eventParsers[event];
      return t.on(event, (data) => {
        let payload: EventPayloads[typeof event];
        try {
          payload = parse(data);
        } catch (err) {
          onInvalid(err);
          return;
        }
        handler(payload);
      });
    },
  };
}
