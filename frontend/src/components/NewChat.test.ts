import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { Session } from '../lib/session.svelte';
import { contact, conversation, FakeGo, settle } from '../testing/fakeGo';
import QuickSwitcher from './QuickSwitcher.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('new chat', () => {
  it('lists every contact and group, with a conversation or not, and opens the chosen one', async () => {
    const go = new FakeGo();
    go.receivers = {
      contacts: [contact({ id: 'BOB00001', name: 'Bob' }), contact({ id: 'ZOE00001', name: 'Zoe' })],
      groups: [
        { id: '0102030405060708', name: 'Fruit club', members: ['BOB00001'], administrator: 'ME000001', left: false, color: '#336699' },
        { id: '1112131415161718', name: 'Old group', members: [], administrator: 'BOB00001', left: true, color: '#336699' },
      ],
      distributionLists: [],
    };
    go.conversations = [conversation({ receiver: { type: 'contact', id: 'BOB00001' }, name: 'Bob' })];
    const target = document.createElement('div');
    document.body.append(target);
    const session = new Session(go.api());
    const stop = session.start();
    await settle();
    let closed = false;
    const c = mount(QuickSwitcher, { target, props: { t, session, mode: 'new', onClose: () => (closed = true) } });
    cleanup = () => {
      unmount(c);
      stop();
      target.remove();
    };
    await settle();
    const names = [...target.querySelectorAll('[role=option] button .name')].map((b) => b.textContent);
    expect(names).toEqual(['Bob', 'Fruit club', 'Zoe']);
    // Each beside the avatar the conversation list shows for it.
    const avatars = [...target.querySelectorAll('[role=option] button .avatar')].map((a) => a.textContent);
    expect(avatars).toEqual(['BO', 'FC', 'ZO']);
    const input = target.querySelector<HTMLInputElement>('input');
    if (!input) throw new Error('no input');
    input.value = 'zo';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(session.selected).toEqual({ type: 'contact', id: 'ZOE00001' });
    expect(closed).toBe(true);
  });
});
