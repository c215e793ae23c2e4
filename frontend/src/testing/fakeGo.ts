// An in-memory stand-in for the Go side of the bridge, for component tests.
// It is a Transport (the boundary to Go), keeps state like the Go services,
// records every call, and lets a test emit events.
import type { GoErrorCode } from '../bridge/errors';
import { BridgeError, type Transport, type TransportKind, type Unsubscribe } from '../bridge/transport';
import { createApi, type Api } from '../bridge/api';
import type {
  ConversationPrefs,
  Contact,
  Conversation,
  LinkStatus,
  Message,
  Receiver,
  Receivers,
  SearchHit,
  Settings,
} from '../bridge/types';
import { receiverKey } from '../lib/receiver';

/** A recorded call. */
export interface Call {
  method: string;
  args: unknown[];
}

/** What a transport rejects with when the Go method fails with an error of this code. */
export function goError(method: string, code: GoErrorCode, text: string): BridgeError {
  return new BridgeError(method, text, code);
}

/** A message with defaults for the fields a test does not care about. */
export function message(p: Partial<Message> & { id: string }): Message {
  return {
    receiver: { type: 'contact', id: 'ECHOECHO' },
    type: 'text',
    outgoing: false,
    sender: 'ECHOECHO',
    text: `text ${p.id}`,
    date: Date.UTC(2025, 0, 1, 12),
    sortKey: 0,
    state: 'delivered',
    unread: false,
    quote: null,
    file: null,
    location: null,
    reactions: [],
    edited: 0,
    sent: 0,
    delivered: 0,
    read: 0,
    ...p,
  };
}

/** A conversation with defaults. */
export function conversation(p: Partial<Conversation> & { receiver: Receiver }): Conversation {
  return {
    name: p.receiver.id,
    color: '#336699',
    avatar: '',
    unreadCount: 0,
    pinned: false,
    muted: false,
    lastMessage: null,
    lastActivity: 0,
    ...p,
  };
}

/** A contact with defaults. */
export function contact(p: Partial<Contact> & { id: string }): Contact {
  return {
    name: p.id,
    nickname: '',
    firstName: '',
    lastName: '',
    verificationLevel: 1,
    publicKey: '00',
    fingerprint: 'abcd ef01',
    state: 'ACTIVE',
    blocked: false,
    color: '#aa5500',
    ...p,
  };
}

/** The connected link of a demo world. */
export const connectedLink: LinkStatus = {
  state: 'connected',
  since: 1,
  world: 'demo',
  pairingCode: '',
  remembered: false,
  locked: false,
  phone: 'PHONE001',
  error: '',
};

/** The fake Go side. */
export class FakeGo implements Transport {
  readonly kind: TransportKind;
  readonly calls: Call[] = [];
  readonly #handlers = new Map<string, Set<(data: unknown) => void>>();
  settings: Settings = { theme: 'light', language: 'en', notifications: true, sound: false, preview: true };
  link: LinkStatus = { ...connectedLink };
  conversations: Conversation[] = [];
  receivers: Receivers = { contacts: [], groups: [], distributionLists: [] };
  /** Messages per receiver key, oldest first. */
  messages = new Map<string, Message[]>();
  drafts = new Map<string, string>();
  hits: SearchHit[] = [];
  prefs: ConversationPrefs[] = [];
  limits = { maxTextBytes: 100, maxFileBytes: 1000, anyReaction: true, canEdit: true };
  qr = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="2" height="2"/><script>alert(1)</script></svg>';
  /** The folder the window's Save dialog answers with ('' = the user cancels). */
  saveFolder = '/home/me/Downloads';
  /** Replaces a method's behaviour. */
  overrides: Record<string, (...args: unknown[]) => unknown> = {};
  #nextId = 1;

  constructor(kind: TransportKind = 'wails') {
    this.kind = kind;
  }

  /** The Api over this fake. */
  api(): Api {
    return createApi(this, (err) => {
      throw err;
    });
  }

  /** Delivers an event as Go would. */
  emit(event: string, data: unknown): void {
    for (const h of this.#handlers.get(event) ?? []) h(data);
  }

  /** The calls of one method. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  on(event: string, handler: (data: unknown) => void): Unsubscribe {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  async call(method: string, args: readonly unknown[]): Promise<unknown> {
    this.calls.push({ method, args: [...args] });
    const o = this.overrides[method];
    if (o) return o(...args);
    const r = args[0] as Receiver;
    const key = () => receiverKey(r);
    switch (method) {
      case 'SettingsService.Get':
        return { ...this.settings };
      case 'SettingsService.SetTheme':
        return Object.assign(this.settings, { theme: args[0] });
      case 'SettingsService.SetLanguage':
        return Object.assign(this.settings, { language: args[0] });
      case 'SettingsService.SetNotifications':
        return Object.assign(this.settings, { notifications: args[0] });
      case 'SettingsService.SetSound':
        return Object.assign(this.settings, { sound: args[0] });
      case 'SettingsService.SetPreview':
        return Object.assign(this.settings, { preview: args[0] });
      case 'AboutService.Info':
        return { name: 'Kurier', version: 'v9.9.9', mode: this.kind === 'wails' ? 'window' : 'web' };
      case 'LinkService.Status':
        return { ...this.link };
      case 'LinkService.StartPairing':
        this.link = { ...this.link, state: 'connecting', pairingCode: 'PAYLOAD-BASE64', remembered: (args[0] as { remember: boolean }).remember };
        return { ...this.link };
      case 'LinkService.PairingQR':
        return this.link.pairingCode ? this.qr : '';
      case 'LinkService.Unlock':
        if (args[0] !== 'secret-pass') throw goError(method, 'wrongPassword', 'app: unlock: wrong password');
        this.link = { ...this.link, state: 'connecting', locked: false };
        return { ...this.link };
      case 'LinkService.Forget':
        this.link = { ...this.link, state: 'unpaired', remembered: false, locked: false };
        return { ...this.link };
      case 'ChatService.Profile':
        return { identity: 'MYSELF01', nickname: 'Me', publicKey: 'ff', fingerprint: '1234 5678', avatar: '' };
      case 'ChatService.Limits':
        return { ...this.limits };
      case 'ChatService.Conversations':
        return this.conversations;
      case 'ChatService.Messages': {
        const all = this.messages.get(key()) ?? [];
        const before = args[1] as string;
        const limit = args[2] as number;
        const end = before ? all.findIndex((m) => m.id === before) : all.length;
        const start = Math.max(0, end - limit);
        return { messages: all.slice(start, end), more: start > 0 };
      }
      case 'ChatService.SendText': {
        // Like Go: the message comes back before the phone has given it a sort key.
        const m = message({ id: `sent-${this.#nextId++}`, receiver: r, outgoing: true, sender: 'MYSELF01', text: args[1] as string, state: 'sending', sortKey: 0 });
        this.messages.set(key(), [...(this.messages.get(key()) ?? []), m]);
        return m;
      }
      case 'ChatService.SendFile': {
        const f = args[1] as { name: string; mime: string; data: string; caption: string; sendAsFile: boolean };
        return message({
          id: `file-${this.#nextId++}`,
          receiver: r,
          type: f.mime.startsWith('image/') && !f.sendAsFile ? 'image' : 'file',
          outgoing: true,
          sender: 'MYSELF01',
          text: f.caption,
          state: 'sending',
          sortKey: 0,
          file: { name: f.name, size: 3, mime: f.mime, thumbnail: false, width: 0, height: 0, duration: 0 },
        });
      }
      case 'ChatService.Forward': {
        const id = args[1] as string;
        const from = this.messages.get(key())?.find((m) => m.id === id);
        if (!from) throw goError(method, 'notFound', 'app: message: not found');
        return (args[2] as Receiver[]).map((to) => {
          const m = message({ ...from, id: `fwd-${this.#nextId++}`, receiver: to, outgoing: true, sender: 'MYSELF01', quote: null, state: 'sending', sortKey: 0 });
          this.messages.set(receiverKey(to), [...(this.messages.get(receiverKey(to)) ?? []), m]);
          return m;
        });
      }
      case 'ChatService.Draft':
        return this.drafts.get(key()) ?? '';
      case 'ChatService.SetDraft':
        this.drafts.set(key(), args[1] as string);
        return null;
      case 'ChatService.MarkRead':
      case 'ChatService.SetTyping':
      case 'ChatService.DeleteMessage':
      case 'ChatService.React':
      case 'ChatService.SetPinned':
      case 'ChatService.DeleteConversation':
      case 'ChatService.EditMessage':
      case 'ChatService.DeleteForEveryone':
      case 'NotificationService.Show':
      case 'PeopleService.LeaveGroup':
      case 'PeopleService.DeleteGroup':
        return null;
      case 'ChatService.Thumbnail':
        return 'data:image/png;base64,AAAA';
      case 'ChatService.File':
        return { name: 'a.txt', mime: 'text/plain', data: 'aGk=' };
      case 'ChatService.SaveFile': {
        // Like Go: the file first (its failures too), then the Save dialog's answer.
        const f = (await this.call('ChatService.File', args)) as { name: string };
        return { path: this.saveFolder && `${this.saveFolder}/${f.name}` };
      }
      case 'ChatService.ConversationPrefs':
        return this.prefs;
      case 'ChatService.SetConversationPrefs': {
        const p = args[0] as ConversationPrefs;
        const key = `${p.receiver.type}:${p.receiver.id}`;
        this.prefs = [...this.prefs.filter((q) => `${q.receiver.type}:${q.receiver.id}` !== key), p];
        this.emit('conversation-prefs:changed', this.prefs);
        return this.prefs;
      }
      case 'ChatService.Search':
        return this.hits;
      case 'PeopleService.Receivers':
        return this.receivers;
      case 'PeopleService.AddContact':
        return contact({ id: args[0] as string });
      case 'PeopleService.RenameContact': {
        // Like the phone: the name, else ~nickname, else the ID.
        const [id, firstName, lastName] = args as [string, string, string];
        const old = this.receivers.contacts.find((c) => c.id === id) ?? contact({ id });
        const named = `${firstName} ${lastName}`.trim();
        const c = { ...old, firstName, lastName, name: named || (old.nickname ? `~${old.nickname}` : id) };
        this.receivers = { ...this.receivers, contacts: [...this.receivers.contacts.filter((x) => x.id !== id), c] };
        return c;
      }
      case 'PeopleService.CreateGroup':
        return { id: 'g1', name: args[0], members: args[1], administrator: 'MYSELF01', left: false, color: '#123456' };
      default:
        throw new Error(`${method}: no such binding`);
    }
  }
}

/** Lets promises, effects and timers of zero delay run. */
export async function settle(rounds = 6): Promise<void> {
  const { flushSync, tick } = await import('svelte');
  for (let i = 0; i < rounds; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

/**
 * Waits, up to a second, until ok() holds: for what happens after a frame
 * (lib/afterFrame.ts), which a fixed number of settle() rounds may not reach
 * on a loaded machine. Fails the test if it never holds.
 */
export async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!ok()) throw new Error(`still false after a second: ${ok.toString()}`);
}
