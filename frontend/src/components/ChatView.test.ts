import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver } from '../bridge';
import { en } from '../i18n/en';
import { receiverKey } from '../lib/receiver';
import { idColor } from '../lib/idColor';
import { contact, conversation, FakeGo, message, settle, until } from '../testing/fakeGo';
import { openChat } from '../testing/openChat';

const alice: Receiver = { type: 'contact', id: 'ALICE001' };
let cleanup: (() => void) | undefined;

afterEach(() => cleanup?.());

async function open(go: FakeGo, receiver: Receiver = alice) {
  const { target, session, close } = await openChat(go, receiver);
  cleanup = close;
  const textarea = target.querySelector<HTMLTextAreaElement>('[data-testid=composer]');
  if (!textarea) throw new Error('no composer');
  return { target, session, textarea };
}

function type(el: HTMLTextAreaElement, text: string): void {
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

const key = (el: HTMLElement, init: KeyboardEventInit) => el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));

describe('ChatView', () => {
  it('gives the composer the focus once the chat is drawn, unless the user has put it elsewhere', async () => {
    const go = new FakeGo();
    const { textarea } = await open(go);
    await until(() => document.activeElement === textarea);
    cleanup?.();
    cleanup = undefined;
    // A field the user clicked into while the chat opened keeps the focus:
    // the frames are held back until the user has clicked.
    const held: FrameRequestCallback[] = [];
    const raf = globalThis.requestAnimationFrame;
    globalThis.requestAnimationFrame = (cb) => held.push(cb);
    const search = document.createElement('input');
    document.body.append(search);
    try {
      const chat = await openChat(go, alice);
      cleanup = () => {
        chat.close();
        search.remove();
      };
      search.focus();
    } finally {
      globalThis.requestAnimationFrame = raf;
    }
    held.forEach((cb) => cb(0));
    await settle();
    expect(document.activeElement).toBe(search);
  });

  it('renders messages with markup, safely, and delivery states', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [
      message({ id: 'm1', receiver: alice, sortKey: 1, text: '*bold* <script>alert(1)</script> https://kurier.test/x' }),
      message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, state: 'read', text: 'mine 😀' }),
    ]);
    const { target } = await open(go);
    const rows = target.querySelectorAll<HTMLElement>('[data-testid=message]');
    expect([...rows].map((r) => `${r.dataset['messageId']}:${r.dataset['state']}`)).toEqual(['m1:delivered', 'm2:read']);
    const first = rows[0];
    expect(first?.querySelector('strong')?.textContent).toBe('bold');
    expect(first?.querySelector('script')).toBeNull();
    expect(first?.textContent).toContain('<script>alert(1)</script>');
    const a = first?.querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://kurier.test/x');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(a?.getAttribute('rel')).toContain('noopener');
    expect(rows[1]?.textContent).toContain('mine 😀');
    expect(rows[1]?.textContent).toContain(en['delivery.read']);
  });

  it('shows a quote with its sender, and says so when the quoted message is gone', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [
      message({ id: 'q1', receiver: alice, sortKey: 1, text: 'yes', quote: { identity: 'ALICE001', text: 'coming?', messageId: '0102030405060708' } }),
      message({ id: 'q2', receiver: alice, sortKey: 2, text: 'what?', quote: { identity: '', text: '…', messageId: '0807060504030201' } }),
      message({ id: 'q3', receiver: alice, sortKey: 3, text: 'you said so', quote: { identity: 'MYSELF01', text: 'mine', messageId: '0807060504030202' } }),
    ]);
    const { target } = await open(go);
    const quotes = target.querySelectorAll<HTMLElement>('blockquote');
    expect(quotes.length).toBe(3);
    // Your own quoted message says "You", not your nickname ("Me").
    expect(quotes[2]?.querySelector('.quote-sender')?.textContent).toBe(en['message.you']);
    expect(quotes[0]?.querySelector('.quote-sender')?.textContent).toBeTruthy();
    expect(quotes[0]?.textContent).toContain('coming?');
    expect(quotes[1]?.querySelector('.quote-sender')).toBeNull();
    expect(quotes[1]?.textContent).toContain(en['message.quoteGone']);
  });

  it('loads the newest messages again when the link comes back, showing what changed meanwhile', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [
      message({ id: 'r1', receiver: alice, sortKey: 1, text: 'stays' }),
      message({ id: 'r2', receiver: alice, sortKey: 2, text: 'before the edit' }),
      message({ id: 'r3', receiver: alice, sortKey: 3, text: 'deleted meanwhile' }),
    ]);
    const { target } = await open(go);
    const texts = () => [...target.querySelectorAll<HTMLElement>('[data-testid=message] .text')].map((e) => e.textContent?.trim());
    expect(texts()).toEqual(['stays', 'before the edit', 'deleted meanwhile']);
    go.emit('link:status', { ...go.link, state: 'disconnected' });
    await settle();
    go.messages.set(receiverKey(alice), [
      message({ id: 'r1', receiver: alice, sortKey: 1, text: 'stays' }),
      message({ id: 'r2', receiver: alice, sortKey: 2, text: 'after the edit', edited: 1 }),
    ]);
    expect(go.callsOf('ChatService.Messages').length).toBe(1);
    go.emit('link:status', { ...go.link, state: 'connected' });
    await until(() => texts().includes('after the edit'));
    expect(go.callsOf('ChatService.Messages').length).toBe(2);
    // Go compares the page with its cache and says what the phone no longer
    // has (app/resync_test.go), as of any deletion.
    go.emit('messages:changed', { receiver: alice, messages: [], removed: ['r3'], incoming: false });
    await settle();
    expect(texts()).toEqual(['stays', 'after the edit']);
  });

  it('sends on Enter, not on Shift+Enter, and clears the draft', async () => {
    const go = new FakeGo();
    go.drafts.set(receiverKey(alice), 'saved draft');
    const { target, textarea } = await open(go);
    expect(textarea.value).toBe('saved draft');
    type(textarea, 'line one');
    expect(key(textarea, { key: 'Enter', shiftKey: true })).toBe(true);
    await settle();
    expect(go.callsOf('ChatService.SendText')).toEqual([]);
    type(textarea, 'hello *there*');
    expect(key(textarea, { key: 'Enter' })).toBe(false);
    await settle();
    expect(go.callsOf('ChatService.SendText')).toEqual([[alice, 'hello *there*', '']]);
    expect(textarea.value).toBe('');
    expect(go.drafts.get(receiverKey(alice))).toBe('');
    expect(go.callsOf('ChatService.SetTyping')).toEqual([
      [alice, true],
      [alice, false],
    ]);
    const sent = target.querySelector<HTMLElement>('[data-testid=message][data-state=sending]');
    expect(sent?.textContent).toContain('hello');
  });

  it('keeps the older messages in view after sending, whichever arrives first', async () => {
    // Go returns a sent message before the phone has given it a sort key (0)
    // and only then announces it with its real one (messages:changed).
    for (const eventFirst of [false, true]) {
      const go = new FakeGo();
      go.messages.set(
        receiverKey(alice),
        [1, 2, 3].map((i) => message({ id: `m${i}`, receiver: alice, sortKey: i, date: Date.UTC(2025, 0, 1, 12, i) })),
      );
      const { target, textarea } = await open(go);
      const ids = () => [...target.querySelectorAll<HTMLElement>('[data-testid=message]')].map((r) => r.dataset['messageId']);
      expect(ids()).toEqual(['m1', 'm2', 'm3']);
      const real = message({ id: 'sent-1', receiver: alice, outgoing: true, text: 'hello', state: 'sent', sortKey: 4, date: Date.UTC(2025, 0, 1, 12, 4) });
      const announce = () => go.emit('messages:changed', { receiver: alice, messages: [real], removed: [], incoming: false });
      if (eventFirst) {
        go.overrides['ChatService.SendText'] = async () => {
          announce();
          return message({ id: 'sent-1', receiver: alice, outgoing: true, text: 'hello', state: 'pending', sortKey: 0 });
        };
      }
      type(textarea, 'hello');
      key(textarea, { key: 'Enter' });
      await settle();
      expect(ids()).toEqual(['m1', 'm2', 'm3', 'sent-1']);
      if (!eventFirst) announce();
      await settle();
      expect(ids()).toEqual(['m1', 'm2', 'm3', 'sent-1']);
      // The event's state wins over the pending copy the send call returned.
      expect(target.querySelector<HTMLElement>('[data-message-id=sent-1]')?.dataset['state']).toBe('sent');
      go.emit('messages:changed', {
        receiver: alice,
        messages: [message({ id: 'm5', receiver: alice, sortKey: 5, date: Date.UTC(2025, 0, 1, 12, 5) })],
        removed: [],
        incoming: true,
      });
      await settle();
      expect(ids()).toEqual(['m1', 'm2', 'm3', 'sent-1', 'm5']);
      cleanup?.();
      cleanup = undefined;
    }
  });

  it('grows the text field with its text up to a limit, then scrolls it', async () => {
    const go = new FakeGo();
    const { textarea } = await open(go);
    // jsdom does no layout: the text's height is what scrollHeight says.
    let content = 62;
    Object.defineProperty(textarea, 'scrollHeight', { get: () => content, configurable: true });
    type(textarea, 'one\ntwo\nthree');
    await settle();
    expect(textarea.style.height).toBe('62px');
    expect(textarea.style.overflowY).toBe('hidden');
    content = 500;
    type(textarea, 'many\nlines\n'.repeat(5));
    await settle();
    expect(textarea.style.height).toBe('180px');
    expect(textarea.style.overflowY).toBe('auto');
    // Sending empties it, and it shrinks back to its one row (the style's).
    content = 20;
    key(textarea, { key: 'Enter' });
    await settle();
    expect(textarea.value).toBe('');
    expect(textarea.style.height).toBe('');
    expect(textarea.style.overflowY).toBe('hidden');
  });

  it('keeps the newest message in view when the list box shrinks or grows', async () => {
    const observers: { cb: ResizeObserverCallback; el: Element }[] = [];
    const original = globalThis.ResizeObserver;
    globalThis.ResizeObserver = class {
      readonly #cb: ResizeObserverCallback;
      constructor(cb: ResizeObserverCallback) {
        this.#cb = cb;
      }
      observe(el: Element): void {
        observers.push({ cb: this.#cb, el });
      }
      unobserve(): void {}
      disconnect(): void {}
    } as unknown as typeof ResizeObserver;
    try {
      const go = new FakeGo();
      go.messages.set(receiverKey(alice), [1, 2, 3].map((i) => message({ id: `m${i}`, receiver: alice, sortKey: i })));
      const { target } = await open(go);
      const scroller = target.querySelector<HTMLElement>('[role=list]');
      const o = observers.find((x) => x.el === scroller);
      if (!scroller || !o) throw new Error('the message list observes no size');
      let top = 0;
      let box = 400;
      Object.defineProperty(scroller, 'scrollHeight', { get: () => 1000, configurable: true });
      Object.defineProperty(scroller, 'clientHeight', { get: () => box, configurable: true });
      Object.defineProperty(scroller, 'scrollTop', { get: () => top, set: (v: number) => (top = v), configurable: true });
      o.cb([], {} as ResizeObserver); // a real observer's first call, at once after observe()
      expect(top).toBe(0);
      box = 300; // the composer grew
      o.cb([], {} as ResizeObserver);
      expect(top).toBe(1000);
    } finally {
      globalThis.ResizeObserver = original;
    }
  });

  it('saves the draft while typing', async () => {
    const go = new FakeGo();
    const { textarea } = await open(go);
    type(textarea, 'half a tho');
    type(textarea, 'half a thought');
    await new Promise((r) => setTimeout(r, 30));
    expect(go.drafts.get(receiverKey(alice))).toBe('half a thought');
    expect(go.callsOf('ChatService.SetDraft')).toEqual([[alice, 'half a thought']]);
  });

  it('refuses a file over the size limit as soon as it is chosen, and previews the others before sending', async () => {
    const go = new FakeGo();
    go.limits = { maxTextBytes: 100, maxFileBytes: 1000, anyReaction: true, canEdit: true };
    const { target, textarea } = await open(go);
    const inputEl = target.querySelector<HTMLInputElement>('[data-testid=attach]');
    if (!inputEl) throw new Error('no attach input');
    const choose = async (...files: File[]) => {
      Object.defineProperty(inputEl, 'files', { value: files, configurable: true });
      inputEl.dispatchEvent(new Event('change', { bubbles: true }));
      await settle();
    };
    type(textarea, 'my draft');
    await choose(new File([new Uint8Array(2000)], 'big.bin', { type: 'application/octet-stream' }));
    expect(target.querySelector('[role=alert]')?.textContent).toContain('big.bin');
    expect(document.querySelector('[data-testid=attachment-preview]')).toBeNull();

    await choose(new File(['abc'], 'small.txt', { type: 'text/plain' }));
    const preview = document.querySelector<HTMLElement>('[data-testid=attachment-preview]');
    expect(preview).not.toBeNull();
    expect(target.querySelector('[role=alert]')).toBeNull();
    const caption = preview?.querySelector<HTMLTextAreaElement>('[data-testid=preview-caption]');
    if (!caption) throw new Error('no caption field');
    expect(document.activeElement).toBe(caption);
    type(caption, 'a caption');
    key(caption, { key: 'Enter' });
    await settle(8);
    expect(go.callsOf('ChatService.SendFile')).toEqual([[alice, { name: 'small.txt', mime: 'text/plain', data: 'YWJj', caption: 'a caption', sendAsFile: true }]]);
    expect(document.querySelector('[data-testid=attachment-preview]')).toBeNull();
    // The draft stayed in the composer, which has the focus back.
    expect(textarea.value).toBe('my draft');
    expect(document.activeElement).toBe(textarea);
    expect(target.querySelector('[data-message-id^=file-]')).not.toBeNull();
  });

  it('opens an image in the viewer, saves it through the window’s Save dialog, and gives the focus back to it', async () => {
    URL.createObjectURL = () => 'blob:full';
    URL.revokeObjectURL = () => {};
    const go = new FakeGo();
    const img = (id: string, text: string) =>
      message({ id, receiver: alice, type: 'image', text, sortKey: Number(id.slice(1)), file: { name: `${id}.png`, size: 3, mime: 'image/png', thumbnail: true, width: 0, height: 0, duration: 0 } });
    go.messages.set(receiverKey(alice), [img('i1', 'first'), message({ id: 't2', receiver: alice, sortKey: 2 }), img('i3', 'third')]);
    go.overrides['ChatService.File'] = (_r, id) => ({ name: `${String(id)}.png`, mime: 'image/png', data: 'iVBORw0KGgo=' });
    const { target } = await open(go);
    target.querySelector<HTMLButtonElement>('[data-message-id=i3] button.image')?.click();
    await settle();
    const viewer = document.querySelector<HTMLElement>('[data-testid=image-viewer]');
    expect(viewer?.querySelector('[data-testid=viewer-caption]')?.textContent).toBe('third');
    expect(viewer?.querySelector('[data-testid=viewer-position]')?.textContent).toBe('2 of 2');
    key(viewer as HTMLElement, { key: 'ArrowLeft' });
    await settle();
    expect(viewer?.querySelector('[data-testid=viewer-caption]')?.textContent).toBe('first');
    viewer?.querySelector<HTMLButtonElement>('[data-testid=viewer-save]')?.click();
    await settle();
    expect(go.callsOf('ChatService.SaveFile')).toEqual([[alice, 'i1']]);
    expect(target.querySelector('[data-testid=notice]')?.textContent).toBe('Saved to /home/me/Downloads/i1.png');
    key(viewer as HTMLElement, { key: 'Escape' });
    await settle();
    expect(document.querySelector('[data-testid=image-viewer]')).toBeNull();
    expect(document.activeElement).toBe(target.querySelector('[data-message-id=i1] button.image'));
  });

  it('enforces the text limit in UTF-8 bytes with a counter', async () => {
    const go = new FakeGo();
    go.limits = { maxTextBytes: 10, maxFileBytes: 1000, anyReaction: true, canEdit: true };
    const { target, textarea } = await open(go);
    type(textarea, 'ääääää'); // 12 bytes
    await settle();
    expect(target.textContent).toContain('12 / 10 bytes');
    expect(target.querySelector<HTMLButtonElement>('[data-testid=send]')?.disabled).toBe(true);
    key(textarea, { key: 'Enter' });
    await settle();
    expect(go.callsOf('ChatService.SendText')).toEqual([]);
  });

  it('retries a failed message and deletes the failed copy', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [message({ id: 'f1', receiver: alice, outgoing: true, state: 'send-failed', text: 'again' })]);
    const { target } = await open(go);
    const failed = target.querySelector<HTMLElement>('[data-message-id=f1]');
    expect(failed?.dataset['state']).toBe('send-failed');
    [...(failed?.querySelectorAll('button') ?? [])].find((b) => b.textContent === en['message.retry'])?.click();
    await settle();
    expect(go.callsOf('ChatService.SendText')).toEqual([[alice, 'again', '']]);
    expect(go.callsOf('ChatService.DeleteMessage')).toEqual([[alice, 'f1']]);
    expect(target.querySelector('[data-message-id=f1]')).toBeNull();
  });

  it('shows group senders, the typing indicator and live messages', async () => {
    const go = new FakeGo();
    const group: Receiver = { type: 'group', id: 'g1' };
    go.receivers = {
      contacts: [contact({ id: 'BOB00001', name: 'Bob' })],
      groups: [{ id: 'g1', name: 'Crew', members: ['BOB00001'], administrator: 'BOB00001', left: false, color: '' }],
      distributionLists: [],
    };
    go.messages.set('group:g1', [message({ id: 'g-1', receiver: group, sender: 'BOB00001', text: 'hi all' })]);
    const { target } = await open(go, group);
    expect(target.querySelector('[data-message-id=g-1]')?.textContent).toContain('Bob');
    go.emit('typing', { receiver: group, typing: true });
    await settle();
    expect(target.querySelector('[data-testid=typing-indicator]')?.textContent).toContain('is typing');
    go.emit('messages:changed', {
      receiver: group,
      messages: [message({ id: 'g-2', receiver: group, sender: 'BOB00001', text: 'new one', sortKey: 5 })],
      removed: [],
      incoming: true,
    });
    await settle();
    expect(target.querySelector('[data-message-id=g-2]')?.textContent).toContain('new one');
    expect(target.querySelector('[data-testid=typing-indicator]')).toBeNull();
  });

  it('names a member once per run, in the colour of their ID, with the avatar beside the last bubble', async () => {
    const go = new FakeGo();
    const group: Receiver = { type: 'group', id: 'g1' };
    const bob = 'BOB00001';
    const carol = 'CAROL001';
    go.receivers = {
      contacts: [contact({ id: bob, name: 'Bob' }), contact({ id: carol, name: 'Carol' })],
      groups: [{ id: 'g1', name: 'Crew', members: [bob, carol], administrator: bob, left: false, color: '' }],
      distributionLists: [],
    };
    go.conversations = [conversation({ receiver: { type: 'contact', id: carol }, name: 'Carol', avatar: 'data:image/png;base64,AAAA' })];
    go.messages.set('group:g1', [
      message({ id: 'b1', receiver: group, sender: bob, sortKey: 1, text: 'one' }),
      message({ id: 'b2', receiver: group, sender: bob, sortKey: 2, text: 'two' }),
      message({ id: 'c1', receiver: group, sender: carol, sortKey: 3, text: 'three' }),
      message({ id: 'me', receiver: group, sender: 'MYSELF01', outgoing: true, sortKey: 4, text: 'mine' }),
      message({ id: 'b3', receiver: group, sender: bob, sortKey: 5, text: 'four' }),
    ]);
    const { target } = await open(go, group);
    const row = (id: string) => target.querySelector<HTMLElement>(`[data-message-id=${id}]`);
    const name = (id: string) => row(id)?.querySelector('.sender')?.textContent ?? '';
    const avatar = (id: string) => row(id)?.querySelector('[data-testid=sender-avatar] .avatar');
    expect(['b1', 'b2', 'c1', 'me', 'b3'].map(name)).toEqual(['Bob', '', 'Carol', '', 'Bob']);
    expect(['b1', 'b2', 'c1', 'me', 'b3'].map((id) => avatar(id) != null)).toEqual([false, true, true, false, true]);
    // Initials on Bob's colour; Carol's picture from her chat.
    expect(avatar('b2')?.textContent).toBe('BO');
    expect(avatar('c1')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    // The name's colours in both themes come from the ID.
    expect(row('b1')?.style.getPropertyValue('--sender-light')).toBe(idColor(bob).light);
    expect(row('b1')?.style.getPropertyValue('--sender-dark')).toBe(idColor(bob).dark);
    expect(row('c1')?.style.getPropertyValue('--sender-light')).toBe(idColor(carol).light);
    expect(row('me')?.style.getPropertyValue('--sender-light')).toBe('');
    // Own messages and 1:1 chats have no avatar column.
    expect(row('me')?.querySelector('.gutter')).toBeNull();
  });

  it('pages back through history on demand', async () => {
    const go = new FakeGo();
    go.messages.set(
      receiverKey(alice),
      Array.from({ length: 120 }, (_, i) => message({ id: `h${i}`, receiver: alice, sortKey: i })),
    );
    const { session } = await open(go);
    expect(go.callsOf('ChatService.Messages')).toEqual([[alice, '', 50]]);
    session.open(alice, 'h3');
    await settle(20);
    expect(go.callsOf('ChatService.Messages')).toEqual([
      [alice, '', 50],
      [alice, 'h70', 50],
      [alice, 'h20', 50],
    ]);
  });
});
