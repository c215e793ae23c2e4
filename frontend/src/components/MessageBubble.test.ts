// Emoji alone are drawn large, without the bubble; text with emoji is not.
// The hover buttons are drawn only for the bubble under the pointer or focus.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { message } from '../testing/fakeGo';
import MessageBubble from './MessageBubble.svelte';

const t = translator('en');
let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function bubble(text: string, extra: Partial<Parameters<typeof message>[0]> = {}, hovered = false): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  const c = mount(MessageBubble, {
    target,
    props: {
      hovered,
      t,
      locale: 'en',
      message: message({ id: 'm', text, ...extra }),
      senderName: (s: string) => s,
      showSender: false,
      highlighted: false,
      thumbnail: () => Promise.resolve(''),
      onRetry: () => {},
      onReply: () => {},
      onQuote: () => {},
      onView: () => {},
      onSave: () => {},
      reacting: { self: 'ME000001', any: true, onReact: () => {} },
      loadFile: () => Promise.reject(new Error('no file here')),
      onMenu: () => {},
    },
  });
  flushSync();
  cleanups.push(() => {
    unmount(c);
    target.remove();
  });
  const b = target.querySelector<HTMLElement>('.bubble');
  if (!b) throw new Error('no bubble');
  return b;
}

describe('MessageBubble', () => {
  it.each([
    ['🎉', true],
    ['👨‍👩‍👧‍👦 🇨🇭 👍🏽', true],
    ['🎉🎉🎉🎉', false],
    ['Party 🎉', false],
  ])('%j is drawn large: %s', (text, big) => {
    const b = bubble(text);
    expect(b.classList.contains('big-emoji')).toBe(big);
    expect(b.querySelector('.text')?.classList.contains('big')).toBe(big);
    expect(b.querySelector('.text')?.textContent).toBe(text);
  });

  it('keeps the bubble for a quoted reply made of emoji', () => {
    expect(bubble('👍', { quote: { identity: 'BOB00001', text: 'ok?', messageId: 'q' } }).classList.contains('big-emoji')).toBe(false);
  });

  it('draws the hover buttons only under the pointer, with the focus in the bubble, or while the reaction row is open', () => {
    const labels = (b: HTMLElement) => [...b.querySelectorAll<HTMLElement>('[data-testid=message-actions] button[aria-label]')].map((x) => x.getAttribute('aria-label'));
    const all = ['React', 'Reply', 'More actions'];
    // Their box is there either way, so that the bubble keeps its width.
    const b = bubble('Hello');
    expect(b.querySelector('[data-testid=message-actions]')).not.toBeNull();
    expect(labels(b)).toEqual([]);
    const hovered = bubble('Hello', {}, true);
    expect(labels(hovered)).toEqual(all);
    expect(hovered.classList.contains('hovered')).toBe(true);
    // The keyboard: the bubble names the keys of its menu (for screen readers,
    // which no longer meet the buttons in every message); focus on the bubble
    // draws them, so that Tab reaches them;
    // moving within the bubble keeps them, leaving it takes them away.
    expect(b.getAttribute('aria-keyshortcuts')).toBe('ContextMenu Shift+F10');
    b.focus();
    flushSync();
    expect(labels(b)).toEqual(all);
    const reply = b.querySelector<HTMLElement>('[aria-label=Reply]');
    reply?.focus();
    flushSync();
    expect(document.activeElement).toBe(reply);
    expect(labels(b)).toEqual(all);
    // The reaction row keeps them while the focus goes elsewhere.
    b.querySelector<HTMLElement>('[data-testid=react]')?.click();
    flushSync();
    reply?.blur();
    flushSync();
    expect(b.querySelector('.picker')).not.toBeNull();
    expect(labels(b)).toEqual(all);
    b.querySelector<HTMLElement>('[data-testid=react]')?.click();
    flushSync();
    expect(labels(b)).toEqual([]);
  });

  it('offers no reaction on a message still waiting for the phone', () => {
    const b = bubble('Later', { outgoing: true, state: 'queued' }, true);
    expect([...b.querySelectorAll('[data-testid=message-actions] button')].map((x) => x.getAttribute('aria-label'))).toEqual(['Reply', 'More actions']);
    expect(b.querySelector('[data-testid=message-actions]')?.classList.contains('two')).toBe(true);
  });
});
