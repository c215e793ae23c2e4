// The UI chrome draws SVG icons, never emoji (which show as empty boxes
// without a colour-emoji font); message text keeps its emoji.
import { viewOf } from '../lib/conversationPrefs';
import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver } from '../bridge';
import { translator } from '../i18n';
import { receiverKey } from '../lib/receiver';
import { conversation, FakeGo, message, settle } from '../testing/fakeGo';
import { openChat } from '../testing/openChat';
import ConversationRow from './ConversationRow.svelte';

const t = translator('en');
const alice: Receiver = { type: 'contact', id: 'ALICE001' };
const emoji = /\p{Extended_Pictographic}/u;
let cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

function place(): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  return target;
}

const icons = (root: ParentNode) => [...root.querySelectorAll('svg[data-icon]')].map((s) => s.getAttribute('data-icon'));

describe('icons', () => {
  it('marks pinned and muted conversations and files and places in the preview with SVG', async () => {
    const target = place();
    const rows = [
      conversation({
        receiver: alice,
        pinned: true,
        muted: true,
        lastMessage: message({ id: 'a', receiver: alice, text: '', file: { name: 'notes.pdf', size: 9, mime: 'application/pdf', thumbnail: false, width: 0, height: 0, duration: 0 } }),
      }),
      conversation({ receiver: { type: 'contact', id: 'BOB00001' }, lastMessage: message({ id: 'b', text: '', location: { lat: 1, lon: 2, description: 'Zürich' } }) }),
    ];
    for (const c of rows) {
      const r = mount(ConversationRow, { target, props: { t, locale: 'en', conversation: viewOf(c, undefined, 0), selected: false, senderName: (s: string) => s, onOpen: () => {}, onMenu: () => {} } });
      cleanups.push(() => unmount(r));
    }
    await settle();
    cleanups.push(() => target.remove());
    expect(target.textContent).not.toMatch(emoji);
    expect(icons(target)).toEqual(['pin', 'muted', 'attach', 'more', 'location', 'more']);
    expect(target.querySelector('[role=img][aria-label=Pinned]')).not.toBeNull();
    expect(target.textContent).toContain('notes.pdf');
    expect(target.textContent).toContain('Zürich');
  });

  it('draws files, places and delivery states with SVG, and keeps emoji in message text', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [
      message({ id: 'f', receiver: alice, sortKey: 1, text: '', file: { name: 'a.pdf', size: 3, mime: 'application/pdf', thumbnail: false, width: 0, height: 0, duration: 0 } }),
      message({ id: 'l', receiver: alice, sortKey: 2, text: '', location: { lat: 47.37, lon: 8.54, description: 'Zürich' } }),
      message({ id: 's', receiver: alice, sortKey: 3, outgoing: true, state: 'pending', text: 'on my way 🚲' }),
      message({ id: 'r', receiver: alice, sortKey: 4, outgoing: true, state: 'read', text: 'ok' }),
      message({ id: 'x', receiver: alice, sortKey: 5, outgoing: true, state: 'send-failed', text: 'oops' }),
    ]);
    const { target, close } = await openChat(go, alice);
    cleanups.push(close);
    const bubble = (id: string) => target.querySelector(`[data-message-id=${id}]`) ?? target;
    expect(icons(bubble('f'))).toContain('file');
    expect(icons(bubble('l'))).toContain('location');
    expect(icons(bubble('s'))).toContain('clock');
    expect(icons(bubble('r'))).toContain('checks');
    expect(icons(bubble('x'))).toContain('alert');
    expect(bubble('s').textContent).toContain('on my way 🚲');
    const chrome = [...target.querySelectorAll('[data-testid=message]')].map((r) => {
      const copy = r.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.text').forEach((el) => el.remove());
      return copy.textContent ?? '';
    });
    expect(chrome.join(' ')).not.toMatch(emoji);
    expect(chrome.join(' ')).not.toMatch(/[◷✓]/);
  });
});
