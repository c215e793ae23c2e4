// Emoji alone are drawn large, without the bubble; text with emoji is not.
import { mount, unmount } from 'svelte';
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

function bubble(text: string, extra: Partial<Parameters<typeof message>[0]> = {}): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  const c = mount(MessageBubble, {
    target,
    props: {
      t,
      locale: 'en',
      message: message({ id: 'm', text, ...extra }),
      senderName: (s: string) => s,
      showSender: false,
      highlighted: false,
      thumbnail: () => Promise.resolve(''),
      onRetry: () => {},
      onReply: () => {},
      onView: () => {},
      onSave: () => {},
      reacting: { self: 'ME000001', any: true, onReact: () => {} },
      loadFile: () => Promise.reject(new Error('no file here')),
      onMenu: () => {},
    },
  });
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
});
