// The app-wide state the UI renders: preferences, the link to the phone and
// the phone's data (conversations, contacts, profile), kept current from the
// bridge's events. Components read it; changes go through the Api.
import {
  Events,
  type Api,
  type AppInfo,
  type Contact,
  type Conversation,
  type ConversationPrefs,
  type Limits,
  type LinkStatus,
  type Profile,
  type Receiver,
  type Receivers,
  type Settings,
} from '../bridge';
import type { Unsubscribe } from '../bridge/transport';
import { noPrefs, prefsByKey, viewOf, type ConversationView } from './conversationPrefs';
import { applyConversationsEvent, sortConversations, unreadTotal } from './conversations';
import { logError } from './errors';
import { receiverKey, sameReceiver } from './receiver';

/** Which screen the main pane shows for the link state. */
export type Screen = 'pairing' | 'locked' | 'main';

/** Preferences until Go answers. */
export const defaultSettings: Settings = { theme: 'system', language: 'system', notifications: true, sound: true, preview: true };

/** The link before Go answers. */
export const initialLink: LinkStatus = {
  state: 'unpaired',
  since: 0,
  world: 'external',
  pairingCode: '',
  remembered: false,
  locked: false,
  phone: '',
  error: '',
};

/** Used until ChatService.Limits answers (Threema's text limit and a conservative file limit). */
export const defaultLimits: Limits = { maxTextBytes: 7000, maxFileBytes: 50 * 1024 * 1024, anyReaction: false, canEdit: false };

/** Picks the main pane's screen: pairing while unpaired or showing a code, the lock screen, or the chats. */
export function screenFor(link: LinkStatus): Screen {
  if (link.state === 'locked') return 'locked';
  if (link.state === 'unpaired') return 'pairing';
  if (link.state !== 'connected' && link.pairingCode !== '') return 'pairing';
  return 'main';
}

/** A failure the main pane explains: loading the start state, or saving a setting. */
export interface Failure {
  what: 'start' | 'settings';
  error: unknown;
}

/** Reactive app state over an Api. */
export class Session {
  readonly api: Api;
  settings = $state<Settings>({ ...defaultSettings });
  /** True once Go has told the settings (until then settings holds the defaults). */
  settingsLoaded = $state(false);
  /** True once the conversations were loaded (or there are none to load): until then an empty list means "not yet", not "none". */
  dataLoaded = $state(false);
  link = $state<LinkStatus>({ ...initialLink });
  info = $state<AppInfo | undefined>();
  profile = $state<Profile | undefined>();
  limits = $state<Limits>({ ...defaultLimits });
  conversations = $state.raw<Conversation[]>([]);
  /** This computer's decisions about conversations (archived, muted, marked unread), by receiver key. */
  prefs = $state.raw<Map<string, ConversationPrefs>>(new Map());
  receivers = $state.raw<Receivers>({ contacts: [], groups: [], distributionLists: [] });
  /** Receiver keys of contacts typing right now. */
  typing = $state.raw<ReadonlySet<string>>(new Set());
  /** The open conversation. */
  selected = $state<Receiver | undefined>();
  /** A message to scroll to and highlight once the conversation shows it. */
  highlight = $state<string>('');
  /** The bridge failure to show, if any. */
  failure = $state.raw<Failure | undefined>();

  readonly screen = $derived(screenFor(this.link));
  /** The conversations with this computer's decisions laid over them. */
  readonly views = $derived(this.conversations.map((c) => viewOf(c, this.prefs.get(receiverKey(c.receiver)), Date.now())));
  /** The conversations the list shows: all but the archived ones. */
  readonly listed = $derived(this.views.filter((c) => !c.archived));
  /** The archived conversations. */
  readonly archived = $derived(this.views.filter((c) => c.archived));
  readonly unread = $derived(unreadTotal(this.conversations));
  readonly contactsById = $derived(new Map(this.receivers.contacts.map((c) => [c.id, c])));

  #loadedFor = '';

  constructor(api: Api) {
    this.api = api;
  }

  /** Subscribes to Go's events and loads the initial state; returns the cleanup. */
  start(): Unsubscribe {
    const api = this.api;
    const offs = [
      api.on(Events.settingsChanged, (s) => {
        this.settings = s;
        this.settingsLoaded = true;
      }),
      api.on(Events.linkStatus, (l) => this.setLink(l)),
      api.on(Events.conversationsChanged, (ev) => (this.conversations = applyConversationsEvent(this.conversations, ev))),
      api.on(Events.receiversChanged, (r) => (this.receivers = r)),
      api.on(Events.conversationPrefsChanged, (p) => (this.prefs = prefsByKey(p))),
      api.on(Events.profileChanged, (p) => {
        this.profile = p;
        // Go learns the phone's limits with its profile (initialSync), after
        // the link already showed connected.
        api.chat
          .limits()
          .then((l) => (this.limits = l))
          .catch(() => {});
      }),
      api.on(Events.typing, (ev) => {
        const next = new Set(this.typing);
        if (ev.typing) next.add(receiverKey(ev.receiver));
        else next.delete(receiverKey(ev.receiver));
        this.typing = next;
      }),
      api.on(Events.messagesChanged, (ev) => {
        // A message from someone ends their typing indicator.
        if (ev.incoming && this.typing.has(receiverKey(ev.receiver))) {
          const next = new Set(this.typing);
          next.delete(receiverKey(ev.receiver));
          this.typing = next;
        }
      }),
    ];
    Promise.all([api.settings.get(), api.link.status(), api.about.info()])
      .then(([s, l, i]) => {
        this.settings = s;
        this.settingsLoaded = true;
        this.info = i;
        this.setLink(l);
      })
      .catch((err: unknown) => {
        logError('start', err);
        this.failure = { what: 'start', error: err };
        this.settingsLoaded = true; // the defaults, to draw the failure in
      });
    return () => offs.forEach((off) => off());
  }

  /** Adopts a new link status (from an event or a LinkService reply). */
  setLink(l: LinkStatus): void {
    this.link = l;
    if (screenFor(l) === 'main') {
      // Load (again) on each change of state, so a reconnect refreshes the cache.
      if (this.#loadedFor !== l.state) {
        this.#loadedFor = l.state;
        void this.loadData();
      }
    } else {
      this.#loadedFor = '';
      if (l.state === 'unpaired') {
        this.dataLoaded = true;
        this.conversations = [];
        this.receivers = { contacts: [], groups: [], distributionLists: [] };
        this.selected = undefined;
      }
    }
  }

  /** Loads the phone's data from Go's cache. */
  async loadData(): Promise<void> {
    const api = this.api;
    const results = await Promise.allSettled([
      api.chat.conversations().then((c) => (this.conversations = sortConversations(c))),
      api.people.receivers().then((r) => (this.receivers = r)),
      api.chat.profile().then((p) => (this.profile = p)),
      api.chat.limits().then((l) => (this.limits = l)),
      api.chat.conversationPrefs().then((p) => (this.prefs = prefsByKey(p))),
    ]);
    for (const r of results) {
      if (r.status === 'rejected') logError('loading data', r.reason);
    }
    this.dataLoaded = true;
  }

  /** Runs a settings change and adopts the result. */
  async changeSettings(p: Promise<Settings>): Promise<void> {
    try {
      this.settings = await p;
      this.failure = undefined;
    } catch (err) {
      logError('settings', err);
      this.failure = { what: 'settings', error: err };
    }
  }

  /** Opens a conversation, optionally scrolling to a message; opening it reads what was marked unread. */
  open(receiver: Receiver, highlight = ''): void {
    this.selected = receiver;
    this.highlight = highlight;
    const p = this.prefs.get(receiverKey(receiver));
    if (p?.markedUnread) void this.setPrefs({ ...p, markedUnread: false });
  }

  /** The decisions about receiver's conversation (none: all off). */
  prefsOf(receiver: Receiver): ConversationPrefs {
    return this.prefs.get(receiverKey(receiver)) ?? noPrefs(receiver);
  }

  /** Stores a conversation's decisions; a failure is logged and rethrown. */
  async setPrefs(p: ConversationPrefs): Promise<void> {
    try {
      this.prefs = prefsByKey(await this.api.chat.setConversationPrefs(p));
    } catch (err) {
      logError('conversation preferences', err);
      throw err;
    }
  }

  /** Closes the open conversation (back to the list in a narrow window). */
  close(): void {
    this.selected = undefined;
    this.highlight = '';
  }

  /** The conversation of receiver (with this computer's decisions), if listed. */
  conversation(receiver: Receiver | undefined): ConversationView | undefined {
    if (!receiver) return undefined;
    const c = this.conversations.find((x) => sameReceiver(x.receiver, receiver));
    return c ? viewOf(c, this.prefs.get(receiverKey(receiver)), Date.now()) : undefined;
  }

  /** The display name of a Threema ID: the user, a contact's name, or the ID. */
  nameOf(identity: string): string {
    if (identity === this.profile?.identity) return this.profile.nickname || identity;
    const c: Contact | undefined = this.contactsById.get(identity);
    return c ? c.name || c.nickname || identity : identity;
  }

  /** The conversation before (-1) or after (+1) the open one. */
  neighbour(step: -1 | 1): Receiver | undefined {
    const list = this.conversations;
    if (list.length === 0) return undefined;
    const i = list.findIndex((c) => sameReceiver(c.receiver, this.selected));
    const j = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    return list[j]?.receiver;
  }
}
