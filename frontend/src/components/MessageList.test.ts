import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Receiver } from '../bridge';
import { parseMarkup } from '../lib/markup';
import { receiverKey } from '../lib/receiver';
import { FakeGo, message, settle } from '../testing/fakeGo';
import { openChat } from '../testing/openChat';

// Count how often the bubbles parse their text: once per message drawn.
vi.mock('../lib/markup', async (original) => {
  const actual = await original<typeof import('../lib/markup')>();
  return { ...actual, parseMarkup: vi.fn(actual.parseMarkup) };
});

const bob: Receiver = { type: 'contact', id: 'BOB00001' };
let cleanup: (() => void) | undefined;

afterEach(() => {
  cleanup?.();
  vi.restoreAllMocks();
});

async function open(go: FakeGo, highlight = '') {
  const chat = await openChat(go, bob, highlight);
  cleanup = chat.close;
  return chat.target;
}

/**
 * A layout for jsdom, which has none: every row of the message list (its
 * list items) is rowHeight tall, stacked from the top, and the list shows
 * height pixels.
 */
function fakeLayout(scroller: HTMLElement, rowHeight = 50, height = 500): { top: () => number; scrollBy: (dy: number) => void; topOf: (id: string) => number } {
  let scrollTop = 0;
  const items = () => [...scroller.children].filter((el) => el.getAttribute('role') === 'listitem' || el.matches('p'));
  const contentHeight = () => items().length * rowHeight;
  Object.defineProperty(scroller, 'scrollTop', {
    get: () => scrollTop,
    set: (v: number) => (scrollTop = Math.max(0, Math.min(v, contentHeight() - height))),
    configurable: true,
  });
  Object.defineProperty(scroller, 'scrollHeight', { get: contentHeight, configurable: true });
  Object.defineProperty(scroller, 'clientHeight', { get: () => height, configurable: true });
  scroller.getBoundingClientRect = () => new DOMRect(0, 0, 800, height);
  const original = Element.prototype.getBoundingClientRect;
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const i = items().indexOf(this);
    if (i < 0) return original.call(this);
    return new DOMRect(0, i * rowHeight - scrollTop, 800, rowHeight);
  });
  const row = (id: string) => scroller.querySelector(`[data-message-id="${id}"]`);
  return {
    top: () => scrollTop,
    scrollBy: (dy) => {
      scroller.scrollTop = scrollTop + dy;
      scroller.dispatchEvent(new Event('scroll'));
    },
    topOf: (id) => row(id)?.getBoundingClientRect().top ?? NaN,
  };
}

describe('MessageList', () => {
  /** A chat with Bob of n messages, m0 the oldest, each a minute apart. */
  function chatOf(n: number): FakeGo {
    const go = new FakeGo();
    const day = Date.UTC(2026, 0, 1, 12);
    go.messages.set(
      receiverKey(bob),
      Array.from({ length: n }, (_, i) => message({ id: `m${i}`, receiver: bob, sortKey: i + 1, date: day + i * 60_000, text: `message *${i}*` })),
    );
    return go;
  }

  function listOf(target: HTMLElement): HTMLElement {
    const scroller = target.querySelector<HTMLElement>('[role=list][aria-label]');
    if (!scroller) throw new Error('no message list');
    return scroller;
  }

  it('draws each message once as the reader scrolls back through pages, and only what changed', async () => {
    // Every bubble used to redraw whenever the list changed, for two reasons:
    // the window moved only after the DOM update, so over a prepended page it
    // showed 50 other messages for a moment and every row was destroyed and
    // drawn again; and the timeline made new row objects for unchanged
    // messages, so the keyed {#each} re-ran every bubble's markup, emoji and
    // time. Scrolling back through a long chat had frames of 0.3–1.1 s
    // (docs/benchmarks.md, UI frame times).
    const go = chatOf(120);
    const target = await open(go);
    const rows = () => target.querySelectorAll('[data-testid=message]').length;
    // A screenful first (jsdom has no height: 800 px of rows of at least 40 px), not the whole page of 50.
    const first = rows();
    expect(first).toBeGreaterThanOrEqual(20);
    expect(first).toBeLessThan(50);
    const parsed = vi.mocked(parseMarkup);
    parsed.mockClear();
    const layout = fakeLayout(listOf(target));
    const newest = target.querySelector('[data-message-id=m119]');

    // The reader keeps scrolling to near the top: rows come in ten at a time, then the older pages.
    for (let i = 0; i < 30 && !target.querySelector('[data-message-id=m0]'); i++) {
      const before = rows();
      layout.scrollBy(100 - layout.top());
      await settle();
      await settle();
      expect(rows() - before).toBeLessThanOrEqual(10);
    }
    expect(rows()).toBe(120);
    // The rows on screen stayed (the window used to jump to other messages for a moment, so all were drawn anew).
    expect(target.querySelector('[data-message-id=m119]')).toBe(newest);
    const texts = parsed.mock.calls.map(([text]) => text);
    expect(texts.length).toBe(120 - first);
    expect(new Set(texts).size).toBe(texts.length);

    // One message changes: only its bubble redraws.
    parsed.mockClear();
    go.emit('messages:changed', {
      receiver: bob,
      messages: [message({ id: 'm119', receiver: bob, sortKey: 120, date: Date.UTC(2026, 0, 1, 12) + 119 * 60_000, text: 'message *119*, edited' })],
      removed: [],
      incoming: false,
    });
    await settle();
    expect(parsed.mock.calls.map(([text]) => text)).toEqual(['message *119*, edited']);
  });

  it('jumps to the newest message when the reader sends one from far back in the chat', async () => {
    // Opened on a search hit among the oldest of 300 messages, the list drew
    // only the rows around it; a text sent then went out but was never drawn.
    const go = chatOf(300);
    const target = await open(go, 'm5');
    for (let i = 0; i < 10 && !target.querySelector('[data-message-id=m5]'); i++) await settle();
    expect(target.querySelector('[data-message-id=m5]')).not.toBeNull();
    expect(target.querySelector('[data-message-id=m299]')).toBeNull();
    const scroller = listOf(target);
    const layout = fakeLayout(scroller);
    layout.scrollBy(0);
    const composer = target.querySelector<HTMLTextAreaElement>('[data-testid=composer]');
    if (!composer) throw new Error('no composer');
    composer.value = 'sent from far back';
    composer.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    target.querySelector<HTMLButtonElement>('[data-testid=send]')?.click();
    await settle();
    await settle();
    const sent = [...target.querySelectorAll<HTMLElement>('[data-testid=message]')].find((r) => r.textContent?.includes('sent from far back'));
    expect(sent).toBeDefined();
    expect(target.querySelector('[data-message-id=m299]')).not.toBeNull();
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - scroller.clientHeight);
  });

  it('keeps what the reader scrolled to while an older page loads', async () => {
    // The list kept the rows where they were when the page was asked for:
    // what the reader scrolled meanwhile was undone when the page came in,
    // and the loading line it added at the top pushed every row down until then.
    const go = chatOf(120);
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    const olderSlowly = async (...args: unknown[]): Promise<unknown> => {
      if (args[1]) await slow; // the older pages only
      delete go.overrides['ChatService.Messages'];
      try {
        return await go.call('ChatService.Messages', args);
      } finally {
        go.overrides['ChatService.Messages'] = olderSlowly;
      }
    };
    go.overrides['ChatService.Messages'] = olderSlowly;
    const target = await open(go);
    const scroller = listOf(target);
    const layout = fakeLayout(scroller);
    const topRow = () => [...scroller.querySelectorAll<HTMLElement>('[data-message-id]')].find((r) => r.getBoundingClientRect().top >= 0)?.dataset['messageId'] ?? '';
    // Scroll up until the older page is asked for.
    let id = '';
    let top = NaN;
    for (let i = 0; i < 20 && scroller.getAttribute('aria-busy') !== 'true'; i++) {
      layout.scrollBy(100 - layout.top());
      id = topRow();
      top = layout.topOf(id);
      await settle();
    }
    expect(scroller.getAttribute('aria-busy')).toBe('true');
    // The loading line moves no row.
    expect(layout.topOf(id)).toBe(top);
    // The reader scrolls on while it loads…
    layout.scrollBy(120);
    await settle();
    expect(layout.topOf(id)).toBe(top - 120);
    // …and the page coming in leaves the rows where the reader put them.
    release();
    await settle();
    await settle();
    expect(scroller.getAttribute('aria-busy')).toBe('false');
    expect(layout.topOf(id)).toBe(top - 120);
  });

  it('opens a chat with many unread messages at the first of them with a screenful, and draws the rest as the reader scrolls down', async () => {
    // It drew every row from the first unread message down, up to 150 at
    // once: the first frame of such a chat took several times the budget
    // (docs/benchmarks.md, UI frame times).
    const go = new FakeGo();
    const day = Date.UTC(2026, 0, 1, 12);
    go.messages.set(
      receiverKey(bob),
      Array.from({ length: 50 }, (_, i) => message({ id: `m${i}`, receiver: bob, sortKey: i + 1, date: day + i * 60_000, text: `message ${i}`, unread: i >= 5 })),
    );
    const target = await open(go);
    const ids = () => [...target.querySelectorAll<HTMLElement>('[data-testid=message]')].map((r) => r.dataset['messageId']);
    const first = ids();
    // A screenful (jsdom has no height: 800 px of rows of at least 40 px)
    // from just above the divider, and what the list then adds above it.
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(first.length).toBeLessThan(45);
    expect(first).toContain('m5');
    expect(target.querySelector('[data-divider=new]')?.nextElementSibling?.getAttribute('data-message-id')).toBe('m5');
    expect(first).not.toContain('m49');
    // Scrolling down brings the rest, ten rows at a time.
    const layout = fakeLayout(listOf(target));
    for (let i = 0; i < 20 && !target.querySelector('[data-message-id=m49]'); i++) {
      const before = ids().length;
      layout.scrollBy(listOf(target).scrollHeight);
      await settle();
      expect(ids().length - before).toBeLessThanOrEqual(10);
    }
    expect(ids()).toContain('m49');
  });

  /**
   * A chat of 160 messages from Bob, with voice messages at m15 and m111,
   * and Alice's replies: m159 to the voice message, m158 to a message the
   * chat does not have, m157 to m20 (older than the first page).
   */
  async function quotingChat() {
    const go = new FakeGo();
    const day = Date.UTC(2026, 0, 1, 12);
    const voiceFile = { name: 'voice-20261206.ogg', size: 9, mime: 'audio/ogg', thumbnail: false, width: 0, height: 0, duration: 3 };
    const messages = Array.from({ length: 160 }, (_, i) =>
      message({ id: `m${i}`, receiver: bob, sender: 'BOB00001', sortKey: i + 1, date: day + i * 60_000, text: `message ${i}` }),
    );
    for (const i of [15, 111]) messages[i] = message({ id: `m${i}`, receiver: bob, sender: 'BOB00001', type: 'file', sortKey: i + 1, date: day, text: '', file: voiceFile });
    const reply = (i: number, text: string, quoted: string) =>
      message({ id: `m${i}`, receiver: bob, sender: 'ALICE001', outgoing: true, sortKey: i + 1, date: day + i * 60_000, text, quote: { identity: 'BOB00001', text: quoted, messageId: '0102030405060708' } });
    messages[159] = reply(159, 'sounds good', 'voice-20261206.ogg');
    messages[158] = reply(158, 'what?', 'a message this chat does not have');
    messages[157] = reply(157, 'that one?', 'message 20');
    go.messages.set(receiverKey(bob), messages);
    const target = await open(go);
    const bubble = (id: string) => target.querySelector<HTMLElement>(`[data-message-id=${id}] .bubble`);
    return {
      bubble,
      quoteOf: (id: string) => bubble(id)?.querySelector('blockquote'),
      notice: () => target.querySelector('[data-testid=notice]')?.textContent ?? '',
    };
  }

  it('shows what a quoted voice message is, and the quoted message when the quote is clicked', async () => {
    // The phone quotes a file without caption by its name: the quote read
    // "voice-20261206.ogg", and clicking it did nothing.
    const { bubble, quoteOf } = await quotingChat();
    const quote = quoteOf('m159');
    expect(quote?.textContent).toContain('Voice message (0:03)');
    expect(quote?.textContent).not.toContain('voice-20261206.ogg');
    expect(quote?.querySelector('[data-icon=mic]')).not.toBeNull();
    expect(bubble('m111')).toBeNull(); // loaded (the newest before the reply), out of the drawn rows
    quote?.querySelector('button')?.click();
    await settle();
    expect(bubble('m111')?.classList.contains('highlighted')).toBe(true);
  });

  it('pages back to a quoted message older than the loaded pages', async () => {
    // Only a loaded message could be shown: a quote of an older one was no button.
    const { bubble, quoteOf, notice } = await quotingChat();
    expect(quoteOf('m157')?.textContent).toContain('message 20');
    quoteOf('m157')?.querySelector('button')?.click();
    await settle();
    expect(bubble('m20')?.classList.contains('highlighted')).toBe(true);
    expect(notice()).toBe('');
  });

  it('says so when the quoted message is nowhere in the chat', async () => {
    const { quoteOf, notice } = await quotingChat();
    expect(quoteOf('m158')?.textContent).toContain('a message this chat does not have');
    quoteOf('m158')?.querySelector('button')?.click();
    await settle();
    expect(notice()).toBe('The quoted message is no longer in this chat');
  });
});
