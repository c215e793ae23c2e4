import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { translator } from '../i18n';
import { message } from '../testing/fakeGo';
import ReactButton from './ReactButton.svelte';
import Reactions from './Reactions.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function show(anyReaction: boolean, reactions = [
  { emoji: '👍', identities: ['BOB00001', 'ME000001'] },
  { emoji: '❤️', identities: ['CAROL001'] },
]) {
  const target = document.createElement('div');
  document.body.append(target);
  const onReact = vi.fn();
  const m = message({ id: 'm1', reactions });
  const chips = mount(Reactions, {
    target,
    props: { t, message: m, self: 'ME000001', senderName: (id: string) => ({ BOB00001: 'Bob', CAROL001: 'Carol' })[id] ?? id, onReact },
  });
  const button = mount(ReactButton, { target, props: { t, message: m, self: 'ME000001', anyReaction, onReact } });
  cleanup = () => {
    unmount(chips);
    unmount(button);
    target.remove();
  };
  return { target, onReact };
}

describe('Reactions', () => {
  it('shows a chip per emoji with its count, who reacted, and marks the user’s own', () => {
    const { target } = show(true);
    const chips = [...target.querySelectorAll<HTMLButtonElement>('.chip')];
    expect(chips.map((c) => c.textContent?.replace(/\s/g, ''))).toEqual(['👍2', '❤️1']);
    expect(chips[0]?.title).toContain('Bob, You');
    expect(chips[0]?.getAttribute('aria-pressed')).toBe('true');
    expect(chips[1]?.title).toContain('Carol');
    expect(chips[1]?.getAttribute('aria-pressed')).toBe('false');
  });

  it('a chip takes back the user’s own reaction, or adds one', () => {
    const { target, onReact } = show(true);
    const chips = target.querySelectorAll<HTMLButtonElement>('.chip');
    chips[0]?.click();
    chips[1]?.click();
    expect(onReact.mock.calls.map((c) => [c[1], c[2]])).toEqual([
      ['👍', true],
      ['❤️', false],
    ]);
  });

  it('the picker offers more emoji only when the phone takes them', () => {
    for (const [any, want] of [
      [false, ['👍', '👎']],
      [true, ['👍', '👎', '❤️', '😂', '😮', '😢', '🙏']],
    ] as const) {
      const { target, onReact } = show(any, []);
      target.querySelector<HTMLButtonElement>('[data-testid=react]')?.click();
      flushSync();
      const offered = [...target.querySelectorAll<HTMLButtonElement>('.picker button')].map((b) => b.dataset['emoji']);
      expect(offered).toEqual(want);
      const thumbDown = [...target.querySelectorAll<HTMLButtonElement>('.picker button')].find((b) => b.dataset['emoji'] === '👎');
      expect(thumbDown).toBeDefined();
      thumbDown?.click();
      flushSync();
      expect(onReact).toHaveBeenCalledWith(expect.objectContaining({ id: 'm1' }), '👎', false);
      expect(target.querySelector('.picker')).toBeNull();
      cleanup?.();
    }
  });
});
