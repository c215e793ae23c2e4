// The context menu of a message in the open conversation, with the forward
// and details dialogs and the composer's edit mode, over the fake Go side.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message, Receiver } from '../bridge';
import { en } from '../i18n/en';
import { editWindowMs, menuActions, placeMenu } from '../lib/messageMenu';
import { receiverKey } from '../lib/receiver';
import { conversation, FakeGo, message, settle } from '../testing/fakeGo';
import { openChat } from '../testing/openChat';

const alice: Receiver = { type: 'contact', id: 'ALICE001' };
const bob: Receiver = { type: 'contact', id: 'BOB00001' };
const team: Receiver = { type: 'group', id: 'abcd' };
let cleanup: (() => void) | undefined;

afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.unstubAllGlobals();
});

async function open(go: FakeGo, messages: Message[]) {
  go.messages.set(receiverKey(alice), messages);
  go.conversations = [
    conversation({ receiver: alice, name: 'Alice' }),
    conversation({ receiver: team, name: 'Team' }),
    conversation({ receiver: bob, name: 'Bob' }),
  ];
  const chat = await openChat(go, alice);
  cleanup = chat.close;
  return chat.target;
}

const bubble = (target: HTMLElement, id: string) => {
  const b = target.querySelector<HTMLElement>(`[data-message-id="${id}"] .bubble`);
  if (!b) throw new Error(`no bubble ${id}`);
  return b;
};
/** Moves the pointer onto a message's row (beside its bubble) and clicks its ⋯ button. */
async function hoverMore(b: HTMLElement): Promise<void> {
  b.parentElement?.dispatchEvent(new MouseEvent('pointerover', { bubbles: true }));
  await settle();
  const more = b.querySelector<HTMLElement>('[data-testid=message-more]');
  if (!more) throw new Error('no ⋯ button on the hovered bubble');
  more.click();
}
const menu = () => document.querySelector<HTMLElement>('[data-testid=message-menu]');
const entries = () => [...(menu()?.querySelectorAll<HTMLElement>('[data-action]') ?? [])].map((e) => e.dataset['action']);
const key = (el: Element, init: KeyboardEventInit) => el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
const rightClick = (el: Element) => el.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 30, clientY: 40 }));

async function choose(action: string): Promise<void> {
  menu()?.querySelector<HTMLElement>(`[data-action="${action}"]`)?.click();
  await settle();
}

describe('message menu', () => {
  it('opens by right click with the entries of an incoming text, and Escape closes it and gives focus back', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm1', receiver: alice, sortKey: 1, text: 'hello' })]);
    const b = bubble(target, 'm1');
    b.focus();
    const ev = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 30, clientY: 40 });
    b.dispatchEvent(ev);
    await settle();
    expect(ev.defaultPrevented).toBe(true);
    expect(menu()).not.toBeNull();
    expect(entries()).toEqual(['reply', 'copy', 'forward', 'details', 'delete']);
    expect(menu()?.querySelectorAll('[data-emoji]').length).toBeGreaterThan(2);
    expect(document.activeElement?.getAttribute('data-action')).toBe('reply');
    key(document.activeElement ?? b, { key: 'Escape' });
    await settle();
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(b);
  });

  it('opens from the keyboard (ContextMenu key, Shift+F10) and the arrow keys move through it', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm1', receiver: alice, sortKey: 1 })]);
    const b = bubble(target, 'm1');
    b.focus();
    key(b, { key: 'ContextMenu' });
    await settle();
    expect(menu()).not.toBeNull();
    key(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('data-action')).toBe('copy');
    key(document.activeElement!, { key: 'End' });
    expect(document.activeElement?.getAttribute('data-action')).toBe('delete');
    key(document.activeElement!, { key: 'ArrowDown' }); // wraps to the first reaction
    expect(document.activeElement?.hasAttribute('data-emoji')).toBe(true);
    key(document.activeElement!, { key: 'Escape' });
    await settle();
    expect(menu()).toBeNull();

    key(b, { key: 'F10', shiftKey: true });
    await settle();
    expect(menu()).not.toBeNull();
    // An outside click closes it.
    document.body.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true }));
    await settle();
    expect(menu()).toBeNull();
  });

  it('opens from the ⋯ button; one menu at a time', async () => {
    const go = new FakeGo();
    const target = await open(go, [
      message({ id: 'm1', receiver: alice, sortKey: 1 }),
      message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, sender: 'MYSELF01', date: Date.now() }),
    ]);
    // The hover buttons are drawn for the message under the pointer, one at a time.
    expect(bubble(target, 'm1').querySelector('[data-testid=message-more]')).toBeNull();
    await hoverMore(bubble(target, 'm1'));
    expect(target.querySelectorAll('[data-testid=message-more]').length).toBe(1);
    await settle();
    expect(entries()).not.toContain('edit');
    await hoverMore(bubble(target, 'm2'));
    await settle();
    expect(document.querySelectorAll('[data-testid=message-menu]').length).toBe(1);
    expect(entries()).toEqual(['reply', 'copy', 'forward', 'details', 'edit', 'delete', 'deleteForEveryone']);
  });

  it('offers edit and delete for everyone only when the phone takes them, and no menu on a status message', async () => {
    const go = new FakeGo();
    go.limits = { ...go.limits, canEdit: false };
    const target = await open(go, [
      message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, sender: 'MYSELF01', date: Date.now() }),
      message({ id: 's1', receiver: alice, sortKey: 3, type: 'status', text: 'Alice joined' }),
    ]);
    rightClick(bubble(target, 'm2'));
    await settle();
    expect(entries()).toEqual(['reply', 'copy', 'forward', 'details', 'delete']);
    key(menu()!, { key: 'Escape' });
    await settle();
    const status = target.querySelector('[data-message-id="s1"] .status-message');
    const ev = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    status?.dispatchEvent(ev);
    await settle();
    expect(ev.defaultPrevented).toBe(false);
    expect(menu()).toBeNull();
  });

  it('copies the text and says so, with the Clipboard API or without it', async () => {
    const go = new FakeGo();
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const target = await open(go, [message({ id: 'm1', receiver: alice, sortKey: 1, text: 'copy me' })]);
    rightClick(bubble(target, 'm1'));
    await settle();
    await choose('copy');
    expect(writeText).toHaveBeenCalledWith('copy me');
    expect(target.querySelector('[data-testid=notice]')?.textContent).toBe(en['menu.copied']);

    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    const exec = vi.fn(() => true);
    document.execCommand = exec;
    rightClick(bubble(target, 'm1'));
    await settle();
    await choose('copy');
    expect(exec).toHaveBeenCalledWith('copy');
    expect(target.querySelector('[role=alert]')).toBeNull();

    exec.mockReturnValue(false);
    rightClick(bubble(target, 'm1'));
    await settle();
    await choose('copy');
    expect(target.querySelector('[role=alert]')?.textContent).toBe(en['menu.copyFailed']);
  });

  it('asks before deleting, for me and for everyone', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, sender: 'MYSELF01', date: Date.now() })]);
    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('delete');
    expect(document.querySelector('[data-testid=confirm-dialog]')?.textContent).toContain(en['menu.deleteTitle']);
    document.querySelector<HTMLElement>('[data-testid=confirm-cancel]')?.click();
    await settle();
    expect(go.callsOf('ChatService.DeleteMessage')).toEqual([]);

    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('deleteForEveryone');
    expect(document.querySelector('[data-testid=confirm-dialog]')?.textContent).toContain(en['menu.deleteEveryoneTitle']);
    document.querySelector<HTMLElement>('[data-testid=confirm-ok]')?.click();
    await settle();
    expect(go.callsOf('ChatService.DeleteForEveryone')).toEqual([[alice, 'm2']]);

    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('delete');
    document.querySelector<HTMLElement>('[data-testid=confirm-ok]')?.click();
    await settle();
    expect(go.callsOf('ChatService.DeleteMessage')).toEqual([[alice, 'm2']]);
    expect(target.querySelector('[data-message-id="m2"]')).toBeNull();
  });

  it('edits an own message in the composer: Enter saves, Escape cancels and gives the draft back', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, sender: 'MYSELF01', text: 'helo', date: Date.now() })]);
    const field = target.querySelector<HTMLTextAreaElement>('[data-testid=composer]')!;
    field.value = 'a draft';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('edit');
    expect(target.querySelector('[data-testid=editing]')?.textContent).toContain(en['composer.editing']);
    expect(field.value).toBe('helo');
    key(field, { key: 'Escape' });
    await settle();
    expect(target.querySelector('[data-testid=editing]')).toBeNull();
    expect(field.value).toBe('a draft');

    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('edit');
    field.value = 'hello';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    key(field, { key: 'Enter' });
    await settle();
    expect(go.callsOf('ChatService.EditMessage')).toEqual([[alice, 'm2', 'hello']]);
    expect(go.callsOf('ChatService.SendText')).toEqual([]);
    expect(target.querySelector('[data-testid=editing]')).toBeNull();
    expect(field.value).toBe('a draft');
  });

  it('forwards to the conversations ticked in the dialog, found with its search box', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm1', receiver: alice, sortKey: 1, text: 'pass *it* on' })]);
    rightClick(bubble(target, 'm1'));
    await settle();
    await choose('forward');
    const dialog = document.querySelector<HTMLElement>('[data-testid=forward-dialog]')!;
    expect(dialog.querySelector('[data-testid=forward-preview]')?.textContent).toBe('pass it on');
    const search = dialog.querySelector<HTMLInputElement>('[data-testid=forward-search]')!;
    expect(document.activeElement).toBe(search);
    const send = dialog.querySelector<HTMLButtonElement>('[data-testid=forward-send]')!;
    expect(send.disabled).toBe(true);
    search.value = 'tea';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    const targets = () => [...dialog.querySelectorAll<HTMLInputElement>('[data-testid=forward-target]')];
    expect(targets().map((b) => b.dataset['receiver'])).toEqual([receiverKey(team)]);
    targets()[0]?.click();
    search.value = '';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    targets().find((b) => b.dataset['receiver'] === receiverKey(bob))?.click();
    await settle();
    expect(send.textContent).toContain('Forward to 2');
    send.click();
    await settle();
    expect(go.callsOf('ChatService.Forward')).toEqual([[alice, 'm1', [team, bob]]]);
    expect(document.querySelector('[data-testid=forward-dialog]')).toBeNull();
    expect(target.querySelector('[data-testid=notice]')?.textContent).toBe(en['forward.done']);
  });

  it('explains a failed forward in the dialog', async () => {
    const go = new FakeGo();
    const target = await open(go, [message({ id: 'm1', receiver: alice, sortKey: 1 })]);
    go.overrides['ChatService.Forward'] = () => Promise.reject(new Error('app: forward: secret detail'));
    rightClick(bubble(target, 'm1'));
    await settle();
    await choose('forward');
    const dialog = document.querySelector<HTMLElement>('[data-testid=forward-dialog]')!;
    dialog.querySelector<HTMLInputElement>('[data-testid=forward-target]')?.click();
    await settle();
    dialog.querySelector<HTMLButtonElement>('[data-testid=forward-send]')?.click();
    await settle();
    const alert = dialog.querySelector('[role=alert]')?.textContent ?? '';
    expect(alert).toContain('The message was not forwarded.');
    expect(alert).not.toContain('secret detail');
    key(dialog, { key: 'Escape' });
    await settle();
    expect(document.querySelector('[data-testid=forward-dialog]')).toBeNull();
  });

  it('shows the details: times as far as known, and the message id', async () => {
    const go = new FakeGo();
    const delivered = Date.UTC(2025, 0, 1, 12, 5);
    const target = await open(go, [
      message({ id: 'm2', receiver: alice, sortKey: 2, outgoing: true, sender: 'MYSELF01', sent: Date.UTC(2025, 0, 1, 12), delivered, state: 'delivered' }),
    ]);
    rightClick(bubble(target, 'm2'));
    await settle();
    await choose('details');
    const dialog = document.querySelector<HTMLElement>('[data-testid=details-dialog]')!;
    const value = (k: string) => dialog.querySelector(`[data-detail="${k}"]`)?.textContent;
    expect(value('delivered')).toBe(new Date(delivered).toLocaleString('en'));
    expect(value('read')).toBe(en['details.unknown']);
    expect(value('edited')).toBe(en['details.notEdited']);
    expect(value('id')).toBe('m2');
    dialog.querySelector<HTMLButtonElement>('button')?.click();
    await settle();
    expect(document.querySelector('[data-testid=details-dialog]')).toBeNull();
    expect(document.activeElement).toBe(bubble(target, 'm2'));
  });
});

describe('menuActions', () => {
  const now = Date.UTC(2025, 0, 1, 13);
  const mine = { outgoing: true, sender: 'MYSELF01', date: now - 60_000 };
  const group: Receiver = { type: 'group', id: 'abcd' };
  it.each([
    ['incoming text', message({ id: 'a' }), true, 'reply react copy forward details delete'],
    ['own text', message({ id: 'a', ...mine }), true, 'reply react copy forward details edit delete deleteForEveryone'],
    ['own text, no edits', message({ id: 'a', ...mine }), false, 'reply react copy forward details delete'],
    ['own image without caption', message({ id: 'a', ...mine, type: 'image', text: '' }), true, 'reply react forward details delete deleteForEveryone'],
    ['location', message({ id: 'a', type: 'location', text: '', location: { lat: 1, lon: 2, description: 'Zoo' } }), true, 'reply react copy forward details delete'],
    ['queued', message({ id: 'a', ...mine, state: 'queued' }), true, 'copy details delete'],
    ['failed', message({ id: 'a', ...mine, state: 'send-failed' }), true, 'reply copy forward details delete'],
    ['status', message({ id: 'a', type: 'status' }), true, ''],
    ['own text in a group', message({ id: 'a', ...mine, receiver: group }), true, 'reply react copy forward details edit delete deleteForEveryone'],
    ["a member's text in a group", message({ id: 'a', receiver: group, sender: 'BOB00001' }), true, 'reply react copy forward details delete'],
    ['own text, 6 hours old', message({ id: 'a', ...mine, date: now - editWindowMs }), true, 'reply react copy forward details edit delete deleteForEveryone'],
    ['own text, older than 6 hours', message({ id: 'a', ...mine, date: now - editWindowMs - 1 }), true, 'reply react copy forward details delete'],
  ])('%s', (_name, m, canEdit, want) => {
    expect(menuActions(m, canEdit, now).join(' ')).toBe(want);
  });
});

describe('placeMenu', () => {
  const view = { width: 800, height: 600 };
  const size = { width: 200, height: 300 };
  it('opens at the point when it fits', () => expect(placeMenu(100, 100, size, view)).toEqual({ left: 100, top: 100 }));
  it('flips left and up near the right and bottom edges', () => expect(placeMenu(700, 500, size, view)).toEqual({ left: 500, top: 200 }));
  it('stays inside a window smaller than the flip needs', () =>
    expect(placeMenu(150, 250, size, { width: 300, height: 400 })).toEqual({ left: 4, top: 4 }));
});
