// The preview before sending files: thumbnails, captions per file, adding
// and removing, "send as file", Enter and Esc, and what reaches Go.
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Receiver } from '../bridge';
import { translator } from '../i18n';
import { FakeGo, goError, settle } from '../testing/fakeGo';
import AttachmentPreview from './AttachmentPreview.svelte';

const t = translator('en');
const bob: Receiver = { type: 'contact', id: 'BOB00001' };
let cleanup: (() => void) | undefined;
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:thumb');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const file = (name: string, type: string, text = 'abc') => new File([text], name, { type });

function show(files: File[], go = new FakeGo()) {
  const target = document.createElement('div');
  document.body.append(target);
  const onSent = vi.fn();
  const onClose = vi.fn();
  const c = mount(AttachmentPreview, { target, props: { t, api: go.api(), receiver: bob, name: 'Bob', limits: go.limits, files, onSent, onClose } });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  const q = <T extends Element>(s: string) => target.querySelector<T>(s);
  const caption = () => {
    const el = q<HTMLTextAreaElement>('[data-testid=preview-caption]');
    if (!el) throw new Error('no caption field');
    return el;
  };
  const type = (text: string) => {
    caption().value = text;
    caption().dispatchEvent(new Event('input', { bubbles: true }));
  };
  const press = (key: string, el: Element = caption()) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  const tile = (name: string) => q<HTMLButtonElement>(`[data-name="${name}"] button.thumb`);
  return { go, c, target, q, onSent, onClose, caption, type, press, tile };
}

describe('AttachmentPreview', () => {
  it('shows images as thumbnails and other files by name, a caption per file, and sends each with its own', async () => {
    const { go, q, onSent, onClose, caption, type, press, tile, target } = show([file('a.png', 'image/png'), file('b.pdf', 'application/pdf')]);
    await settle();
    expect(q('h2')?.textContent).toBe('Send to Bob');
    expect(target.querySelectorAll('[data-testid=preview-item]')).toHaveLength(2);
    expect(tile('a.png')?.querySelector('img')?.getAttribute('src')).toBe('blob:thumb');
    expect(tile('b.pdf')?.querySelector('img')).toBeNull();
    // The last file added is shown large and its caption field has the focus.
    expect(q('[data-testid=preview-stage]')?.textContent).toContain('b.pdf');
    expect(document.activeElement).toBe(caption());
    type('the contract');
    tile('a.png')?.click();
    await settle();
    expect(q('[data-testid=preview-stage] img')?.getAttribute('alt')).toBe('a.png');
    expect(caption().value).toBe('');
    type('  a picture ');
    tile('b.pdf')?.click();
    await settle();
    expect(caption().value).toBe('the contract');
    press('Enter');
    await settle(10);
    expect(go.callsOf('ChatService.SendFile')).toEqual([
      [bob, { name: 'a.png', mime: 'image/png', data: 'YWJj', caption: 'a picture', sendAsFile: false }],
      [bob, { name: 'b.pdf', mime: 'application/pdf', data: 'YWJj', caption: 'the contract', sendAsFile: true }],
    ]);
    expect(onSent).toHaveBeenCalledTimes(2);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('sends images as files when asked, and offers that only with images', async () => {
    const { go, q, press } = show([file('a.png', 'image/png')]);
    await settle();
    const box = q<HTMLInputElement>('[data-testid=preview-as-file]');
    if (!box) throw new Error('no "send as file"');
    box.click();
    await settle();
    press('Enter');
    await settle(8);
    expect(go.callsOf('ChatService.SendFile').map((c) => (c[1] as { sendAsFile: boolean }).sendAsFile)).toEqual([true]);
    cleanup?.();
    const other = show([file('b.txt', 'text/plain')]);
    await settle();
    expect(other.q('[data-testid=preview-as-file]')).toBeNull();
  });

  it('adds more up to ten, says what was left out, removes one, and closes when the last is removed', async () => {
    const { c, q, target, onClose, tile } = show([file('a.png', 'image/png')]);
    await settle();
    const many = Array.from({ length: 11 }, (_, i) => file(`f${i}.txt`, 'text/plain'));
    c.add(many);
    await settle();
    expect(target.querySelectorAll('[data-testid=preview-item]')).toHaveLength(10);
    expect(q('[role=alert]')?.textContent).toBe('At most 10 files can be sent at once; 2 more were left out.');
    expect(q('[data-testid=preview-add]')).toBeNull();
    expect(q('.count')?.textContent).toBe('10 of 10 files');
    for (const b of [...target.querySelectorAll<HTMLButtonElement>('button.remove')]) b.click();
    await settle();
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(tile('a.png')).toBeNull();
  });

  it('takes files pasted while it is open', async () => {
    const { caption, target } = show([file('a.png', 'image/png')]);
    await settle();
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: { files: File[] } };
    Object.defineProperty(paste, 'clipboardData', { value: { files: [file('b.png', 'image/png')] } });
    caption().dispatchEvent(paste);
    await settle();
    expect(paste.defaultPrevented).toBe(true);
    expect([...target.querySelectorAll('[data-testid=preview-item]')].map((e) => e.getAttribute('data-name'))).toEqual(['a.png', 'b.png']);
  });

  it('keeps what was not sent, with its caption, when sending fails', async () => {
    const go = new FakeGo();
    let n = 0;
    go.overrides['ChatService.SendFile'] = () => {
      if (++n === 2) throw goError('ChatService.SendFile', 'notConnected', 'app: not connected');
      return { ...JSON.parse('{}'), id: 'x', receiver: bob, type: 'file', outgoing: true, sender: 'ME', text: '', date: 0, sortKey: 0, state: 'sending', unread: false, quote: null, file: null, location: null, reactions: [], edited: 0, sent: 0, delivered: 0, read: 0 };
    };
    const { q, target, onSent, onClose, caption, type, press, tile } = show([file('a.txt', 'text/plain'), file('b.txt', 'text/plain')], go);
    await settle();
    type('second');
    press('Enter');
    await settle(10);
    expect(onSent).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();
    expect(q('[role=alert]')?.textContent).toBe(`“b.txt” was not sent. ${t('error.notConnected')} The files not sent yet are still here.`);
    expect([...target.querySelectorAll('[data-testid=preview-item]')].map((e) => e.getAttribute('data-name'))).toEqual(['b.txt']);
    expect(tile('b.txt')).not.toBeNull();
    expect(caption().value).toBe('second');
  });

  it('cancels with Esc, and refuses a caption over the limit', async () => {
    const go = new FakeGo();
    go.limits = { ...go.limits, maxTextBytes: 5 };
    const { q, onClose, type, press } = show([file('a.txt', 'text/plain')], go);
    await settle();
    type('far too long');
    press('Enter');
    await settle();
    expect(q('[role=alert]')?.textContent).toBe('The caption of “a.txt” is too long (at most 5 bytes).');
    expect(go.callsOf('ChatService.SendFile')).toEqual([]);
    press('Escape');
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
