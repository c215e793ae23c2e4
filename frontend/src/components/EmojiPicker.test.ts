// The composer's emoji picker and :shortcodes:, over the real emojibase data.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receiver } from '../bridge';
import { translator, type Locale } from '../i18n';
import { DraftSaver } from '../lib/drafts';
import { recentEmojiKey } from '../lib/emojiRecent';
import { loadEmoji } from '../lib/emojiData';
import { FakeGo, settle } from '../testing/fakeGo';
import Composer from './Composer.svelte';

const alice: Receiver = { type: 'contact', id: 'ALICE001' };
let cleanup: (() => void) | undefined;
beforeEach(() => localStorage.clear());
afterEach(() => cleanup?.());

async function compose(locale: Locale = 'en') {
  // The data loads lazily; load it once here so that the awaits below stay short.
  await loadEmoji(locale === 'de');
  await import('./EmojiPicker.svelte');
  const go = new FakeGo();
  go.limits.maxTextBytes = 1000;
  const target = document.createElement('div');
  document.body.append(target);
  const drafts = new DraftSaver(() => Promise.resolve(), 5);
  const c = mount(Composer, {
    target,
    props: { t: translator(locale), locale, api: go.api(), receiver: alice, limits: go.limits, drafts, quoteName: (s: string) => s, onSent: () => {} },
  });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  await settle();
  const textarea = target.querySelector<HTMLTextAreaElement>('[data-testid=composer]');
  if (!textarea) throw new Error('no composer');
  return { go, target, textarea };
}

async function openPicker(target: HTMLElement) {
  target.querySelector<HTMLButtonElement>('[data-testid=emoji-button]')?.click();
  // The picker's code is a dynamic import: the first one takes a while.
  for (let i = 0; i < 100 && !target.querySelector('[data-testid=emoji-picker] [role=option]'); i++) await new Promise((r) => setTimeout(r, 20));
  await settle();
  const picker = target.querySelector<HTMLElement>('[data-testid=emoji-picker]');
  const search = target.querySelector<HTMLInputElement>('[data-testid=emoji-search]');
  if (!picker || !search) throw new Error('no picker');
  return { picker, search };
}

const key = (el: Element, k: string, init: KeyboardEventInit = {}) => {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }));
  flushSync();
};
const shown = (picker: HTMLElement) => [...picker.querySelectorAll<HTMLElement>('[role=option]')].map((b) => b.dataset['emoji']);
// (jsdom's selectors miss attribute values beyond the BMP, so emoji are looked up by hand.)
const option = (picker: HTMLElement, emoji: string) => [...picker.querySelectorAll<HTMLElement>('[role=option]')].find((b) => b.dataset['emoji'] === emoji);
const active = (picker: HTMLElement) => picker.querySelector<HTMLElement>('[role=option][aria-selected=true]')?.dataset['emoji'];

async function search(el: HTMLInputElement, q: string) {
  el.value = q;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

async function type(textarea: HTMLTextAreaElement, text: string, caret = text.length) {
  textarea.value = text;
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
  await settle();
}

describe('emoji picker', () => {
  it('opens with the search focused and the smileys, and inserts a clicked emoji at the caret', async () => {
    const { target, textarea } = await compose();
    await type(textarea, 'see you later', 4);
    const { picker, search } = await openPicker(target);
    expect(document.activeElement).toBe(search);
    expect(picker.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-group')).toBe('smileys');
    expect(shown(picker)[0]).toBe('😀');
    option(picker, '😀')?.click();
    await settle();
    expect(textarea.value).toBe('see 😀you later');
    expect(textarea.selectionStart).toBe(4 + '😀'.length);
    expect(document.activeElement).toBe(textarea);
    expect(target.querySelector('[data-testid=emoji-picker]')).toBeNull();
  });

  it('finds emoji by name, keyword and shortcode', async () => {
    const { target } = await compose();
    const { picker, search: field } = await openPicker(target);
    await search(field, 'tada');
    expect(shown(picker)[0]).toBe('🎉');
    await search(field, 'party'); // a keyword of 😛 too, but in the names of these
    expect(shown(picker).slice(0, 2).sort()).toEqual(['🎉', '🥳'].sort());
    await search(field, 'thumbs up');
    expect(shown(picker)[0]).toBe('👍');
    await search(field, 'qqqq');
    expect(shown(picker)).toEqual([]);
    expect(picker.textContent).toContain('No emoji matches “qqqq”.');
  });

  it('finds German names and keywords in the German UI', async () => {
    const { target } = await compose('de');
    const { picker, search: field } = await openPicker(target);
    await search(field, 'konfetti');
    expect(shown(picker)).toContain('🎉');
    await search(field, 'daumen hoch');
    expect(shown(picker)[0]).toBe('👍');
    await search(field, 'thumbs up'); // English still works
    expect(shown(picker)[0]).toBe('👍');
    expect(picker.querySelector('[role=tab][data-group=flags]')?.getAttribute('aria-label')).toBe('Flaggen');
  });

  it('moves with the arrows, inserts with Enter, and Escape closes and refocuses the composer', async () => {
    const { target, textarea } = await compose();
    const { picker, search: field } = await openPicker(target);
    const list = shown(picker);
    expect(active(picker)).toBe(list[0]);
    key(field, 'ArrowRight');
    key(field, 'ArrowRight');
    expect(active(picker)).toBe(list[2]);
    key(field, 'ArrowDown');
    expect(active(picker)).toBe(list[10]);
    key(field, 'ArrowUp');
    key(field, 'ArrowLeft');
    expect(active(picker)).toBe(list[1]);
    expect(field.getAttribute('aria-activedescendant')).toBe('emoji-option-1');
    key(field, 'Enter');
    await settle();
    expect(textarea.value).toBe(list[1]);
    expect(target.querySelector('[data-testid=emoji-picker]')).toBeNull();

    const again = await openPicker(target);
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    let reachedWindow = false;
    const spy = () => (reachedWindow = true);
    window.addEventListener('keydown', spy);
    again.search.dispatchEvent(escape);
    window.removeEventListener('keydown', spy);
    await settle();
    expect(reachedWindow).toBe(false); // an open panel stays open
    expect(target.querySelector('[data-testid=emoji-picker]')).toBeNull();
    expect(document.activeElement).toBe(textarea);
  });

  it('Shift+Enter inserts and keeps the picker open', async () => {
    const { target, textarea } = await compose();
    const { search: field } = await openPicker(target);
    await search(field, 'tada');
    key(field, 'Enter', { shiftKey: true });
    await settle();
    key(field, 'Enter', { shiftKey: true });
    await settle();
    expect(textarea.value).toBe('🎉🎉');
    expect(target.querySelector('[data-testid=emoji-picker]')).not.toBeNull();
  });

  it('keeps the emoji used last under Recent, newest first, across openings', async () => {
    const { target } = await compose();
    let { picker, search: field } = await openPicker(target);
    expect(picker.querySelector('[data-group=recent]')).toBeNull();
    for (const q of ['tada', 'rocket', 'tada']) {
      await search(field, q);
      key(field, 'Enter', { shiftKey: true });
      await settle();
    }
    key(field, 'Escape');
    await settle();
    ({ picker, search: field } = await openPicker(target));
    expect(picker.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-group')).toBe('recent');
    expect(shown(picker)).toEqual(['🎉', '🚀']);
    expect(JSON.parse(localStorage.getItem(recentEmojiKey) ?? '[]')).toEqual(['🎉', '🚀']);
    // The tabs switch categories, with the arrow keys too.
    const tab = picker.querySelector<HTMLElement>('[role=tab][data-group=recent]');
    tab?.focus();
    if (tab) key(tab, 'ArrowRight');
    await settle();
    expect(picker.querySelector('[role=tab][aria-selected=true]')?.getAttribute('data-group')).toBe('smileys');
    expect(document.activeElement?.getAttribute('data-group')).toBe('smileys');
  });
});

describe('shortcodes in the composer', () => {
  const suggested = (target: HTMLElement) => [...target.querySelectorAll<HTMLElement>('[data-testid=shortcode-suggestions] [role=option]')].map((o) => o.querySelector('.code')?.textContent);

  it('suggests up to 8 shortcodes for ":smi", and Tab picks the chosen one', async () => {
    const { target, textarea } = await compose();
    await type(textarea, 'hello :smi');
    const codes = suggested(target);
    expect(codes.length).toBe(8);
    expect(codes[0]).toBe(':smile:');
    expect(textarea.getAttribute('aria-activedescendant')).toBe('shortcode-0');
    key(textarea, 'ArrowDown');
    expect(textarea.getAttribute('aria-activedescendant')).toBe('shortcode-1');
    const second = target.querySelector<HTMLElement>('#shortcode-1')?.dataset['emoji'];
    key(textarea, 'Tab');
    await settle();
    expect(textarea.value).toBe(`hello ${second}`);
    expect(target.querySelector('[data-testid=shortcode-suggestions]')).toBeNull();
  });

  it('Enter picks a suggestion instead of sending, Escape dismisses them', async () => {
    const { go, target, textarea } = await compose();
    await type(textarea, ':tad');
    key(textarea, 'Enter');
    await settle();
    expect(textarea.value).toBe('🎉');
    expect(go.calls.filter((c) => c.method === 'ChatService.SendText')).toEqual([]);
    await type(textarea, '🎉 :thumb');
    expect(suggested(target).length).toBeGreaterThan(0);
    key(textarea, 'Escape');
    expect(target.querySelector('[data-testid=shortcode-suggestions]')).toBeNull();
    await type(textarea, '🎉 :thumbs'); // the same shortcode stays dismissed
    expect(target.querySelector('[data-testid=shortcode-suggestions]')).toBeNull();
  });

  it('replaces a completed shortcode at a space or punctuation, and at the end when sending', async () => {
    const { go, textarea } = await compose();
    await type(textarea, 'Party :tada: ');
    expect(textarea.value).toBe('Party 🎉 ');
    expect(textarea.selectionStart).toBe('Party 🎉 '.length);
    await type(textarea, 'Party 🎉 yes :+1:!');
    expect(textarea.value).toBe('Party 🎉 yes 👍!');
    await type(textarea, 'Party 🎉 yes 👍! :rocket:');
    key(textarea, 'Enter');
    await settle();
    const sent = go.calls.filter((c) => c.method === 'ChatService.SendText').map((c) => c.args[1]);
    expect(sent).toEqual(['Party 🎉 yes 👍! 🚀']);
    expect(JSON.parse(localStorage.getItem(recentEmojiKey) ?? '[]')).toEqual(['👍', '🎉']);
  });
});
