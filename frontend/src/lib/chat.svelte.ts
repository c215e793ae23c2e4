// The open conversation's messages: paging back through history and
// applying message events.
import type { Api, Message, MessagesEvent, Receiver } from '../bridge';
import { logError } from './errors';
import { firstUnreadId, mergeMessages } from './messages';
import { sameReceiver } from './receiver';

/** Messages per page (ChatService.Messages limit). */
export const pageSize = 50;

/** Reactive message state of one conversation. */
export class ChatState {
  readonly receiver: Receiver;
  readonly #api: Api;
  messages = $state.raw<Message[]>([]);
  more = $state(false);
  loading = $state(false);
  loaded = $state(false);
  /** The first unread message when the conversation was opened (for the divider). */
  unreadId = $state('');
  /** How many messages the user sent here (add), for the list to jump to the newest. */
  sent = $state(0);
  /** Why the last page did not load (the UI explains it), or undefined. */
  failure = $state.raw<unknown>(undefined);

  constructor(api: Api, receiver: Receiver) {
    this.#api = api;
    this.receiver = receiver;
  }

  /** Loads the newest page. */
  async loadLatest(): Promise<void> {
    await this.#load('');
    this.unreadId = firstUnreadId(this.messages);
    this.loaded = true;
  }

  /**
   * Loads the newest page again, once the link is back: what changed on the
   * phone meanwhile (an edit, a reaction) replaces what is shown; what it no
   * longer has comes as removed messages from Go, which compares the page
   * with its cache. Older pages loaded before stay.
   */
  async refreshNewest(): Promise<void> {
    if (!this.loaded) return;
    try {
      const page = await this.#api.chat.messages(this.receiver, '', pageSize);
      this.messages = mergeMessages(this.messages, page.messages);
      this.failure = undefined;
    } catch (err) {
      logError('reloading the newest messages', err);
    }
  }

  /** Loads the page before the oldest loaded message; resolves false when there is nothing more. */
  async loadOlder(): Promise<boolean> {
    if (!this.more || this.loading) return false;
    const oldest = this.messages[0];
    if (!oldest) return false;
    await this.#load(oldest.id);
    return true;
  }

  /** Loads again what failed to load: the newest page if none came, else the older one. */
  async retry(): Promise<void> {
    if (this.loading) return;
    if (this.messages.length === 0) await this.loadLatest();
    else await this.loadOlder();
  }

  /** Pages back until the message id is loaded or history ends; resolves whether it was found. */
  async loadUntil(id: string): Promise<boolean> {
    return (await this.loadUntilFound(() => this.messages.find((m) => m.id === id))) !== undefined;
  }

  /**
   * Pages back until find finds a loaded message or history ends (at most
   * 200 pages); resolves the message, or undefined.
   */
  async loadUntilFound(find: () => Message | undefined): Promise<Message | undefined> {
    for (let i = 0; i < 200; i++) {
      const m = find();
      if (m) return m;
      if (!(await this.loadOlder())) return find();
    }
    return find();
  }

  /** Applies a messages:changed event if it is for this conversation. */
  apply(ev: MessagesEvent): void {
    if (!sameReceiver(ev.receiver, this.receiver)) return;
    this.messages = mergeMessages(this.messages, ev.messages, ev.removed);
  }

  /**
   * Adds a message the UI got back from a send call, unless an event already
   * brought it: the event's copy is newer (state, sort key).
   */
  add(m: Message): void {
    this.sent++;
    if (this.messages.some((x) => x.id === m.id)) return;
    this.messages = mergeMessages(this.messages, [m]);
  }

  /** Removes a message locally (after DeleteMessage). */
  remove(id: string): void {
    this.messages = mergeMessages(this.messages, [], [id]);
  }

  async #load(before: string): Promise<void> {
    this.loading = true;
    try {
      const page = await this.#api.chat.messages(this.receiver, before, pageSize);
      this.messages = mergeMessages(this.messages, page.messages);
      this.more = page.more;
      this.failure = undefined;
    } catch (err) {
      logError('loading messages', err);
      this.failure = err ?? new Error('failed');
    } finally {
      this.loading = false;
    }
  }
}
