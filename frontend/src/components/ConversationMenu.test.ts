import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { conversation, FakeGo, settle } from '../testing/fakeGo';
import { mountSession } from '../testing/mountSession';
import Sidebar from './Sidebar.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const bob = { type: 'contact' as const, id: 'BOB00001' };
const carol = { type: 'contact' as const, id: 'CAROL001' };

async function open(go: FakeGo) {
  const m = await mountSession(Sidebar, go, (session) => ({ t, locale: 'en', session, onPanel: () => {}, onNewChat: () => {} }));
  cleanup = m.close;
  return m;
}

const row = (root: ParentNode, id: string) => root.querySelector<HTMLButtonElement>(`[data-testid=conversation-item][data-receiver="contact:${id}"]`);
const menuItem = (label: string) =>
  [...document.querySelectorAll<HTMLButtonElement>('[data-testid=conversation-menu] [role=menuitem]')].find((b) => b.textContent === label);

function rightClick(el: Element | null): void {
  el?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 20, clientY: 20 }));
}

describe('conversation menu', () => {
  it('archives a chat into "Archived (1)" and takes it out again', async () => {
    const go = new FakeGo();
    go.conversations = [conversation({ receiver: bob, name: 'Bob', lastActivity: 2 }), conversation({ receiver: carol, name: 'Carol', lastActivity: 1 })];
    const { target } = await open(go);
    rightClick(row(target, bob.id));
    await settle();
    expect(document.querySelector('[data-testid=conversation-menu]')).not.toBeNull();
    menuItem('Archive')?.click();
    await settle();
    expect(go.callsOf('ChatService.SetConversationPrefs')).toEqual([[{ receiver: bob, archived: true, mutedUntil: 0, markedUnread: false }]]);
    expect(row(target, bob.id)).toBeNull();
    const archived = target.querySelector<HTMLButtonElement>('[data-testid=archived]');
    expect(archived?.textContent).toContain('Archived (1)');
    archived?.click();
    await settle();
    expect(row(target, bob.id)).not.toBeNull();
    expect(row(target, carol.id)).toBeNull();
    rightClick(row(target, bob.id));
    await settle();
    menuItem('Take out of the archive')?.click();
    await settle();
    expect(row(target, bob.id)).not.toBeNull();
    expect(row(target, carol.id)).not.toBeNull();
    expect(target.querySelector('[data-testid=archived]')).toBeNull();
  });

  it('mutes until unmuted, marks unread until opened, pins on the phone, and opens by keyboard', async () => {
    const go = new FakeGo();
    go.conversations = [conversation({ receiver: bob, name: 'Bob' })];
    const { target, session } = await open(go);
    rightClick(row(target, bob.id));
    await settle();
    menuItem('Mute until I unmute')?.click();
    await settle();
    expect(target.querySelector('[aria-label=Muted]')).not.toBeNull();
    rightClick(row(target, bob.id));
    await settle();
    menuItem('Mark as unread')?.click();
    await settle();
    expect(target.querySelector('[data-testid=marked-unread]')).not.toBeNull();
    session.open(bob);
    await settle();
    expect(target.querySelector('[data-testid=marked-unread]')).toBeNull();
    expect(session.prefsOf(bob)).toEqual({ receiver: bob, archived: false, mutedUntil: -1, markedUnread: false });

    // Shift+F10 on the row opens the menu; Escape closes it and gives the focus back.
    const r = row(target, bob.id);
    r?.focus();
    r?.dispatchEvent(new KeyboardEvent('keydown', { key: 'F10', shiftKey: true, bubbles: true }));
    await settle();
    const menu = document.querySelector<HTMLElement>('[data-testid=conversation-menu]');
    expect(document.activeElement?.textContent).toBe('Pin to the top');
    menuItem('Pin to the top')?.click();
    await settle();
    expect(go.callsOf('ChatService.SetPinned')).toEqual([[bob, true]]);
    expect(menu?.isConnected).toBe(false);
  });

  it('asks before deleting all messages', async () => {
    const go = new FakeGo();
    go.conversations = [conversation({ receiver: bob, name: 'Bob' })];
    const { target } = await open(go);
    rightClick(row(target, bob.id));
    await settle();
    menuItem('Delete all messages…')?.click();
    await settle();
    expect(go.callsOf('ChatService.DeleteConversation')).toEqual([]);
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Delete all messages');
    expect(document.body.textContent).toContain('Delete all messages with Bob?');
    confirm?.click();
    await settle();
    expect(go.callsOf('ChatService.DeleteConversation')).toEqual([[bob]]);
  });

  it('asks about the messages in a group, not with it', async () => {
    const go = new FakeGo();
    const group = { type: 'group', id: '0102030405060708' } as const;
    go.conversations = [conversation({ receiver: group, name: 'Climbers' })];
    const { target } = await open(go);
    rightClick(target.querySelector<HTMLElement>(`[data-testid=conversation-item][data-receiver="group:${group.id}"]`));
    await settle();
    menuItem('Delete all messages…')?.click();
    await settle();
    expect(document.body.textContent).toContain('Delete all messages in Climbers?');
    [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Cancel')?.click();
  });
});
