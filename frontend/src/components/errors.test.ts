// Every error the UI shows is a translated sentence chosen by the failure's
// code; Go's raw text (here always containing "webclient:") reaches only the
// console.
import { mount, unmount, type Component } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GoErrorCode, Receiver } from '../bridge';
import { translator } from '../i18n';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { DraftSaver } from '../lib/drafts';
import { receiverKey } from '../lib/receiver';
import { Session } from '../lib/session.svelte';
import { connectedLink, contact, FakeGo, goError, message, settle } from '../testing/fakeGo';
import ChatView from './ChatView.svelte';
import ContactsPanel from './ContactsPanel.svelte';
import GroupsPanel from './GroupsPanel.svelte';
import LockedScreen from './LockedScreen.svelte';
import MainPane from './MainPane.svelte';
import PairingScreen from './PairingScreen.svelte';
import ProfilePanel from './ProfilePanel.svelte';

const t = translator('en');
const alice: Receiver = { type: 'contact', id: 'ALICE001' };
let cleanups: (() => void)[] = [];
let warn: { mock: { calls: unknown[][] } };

afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
  vi.restoreAllMocks();
});

/** Makes method fail as Go would, with code and a raw text. */
function fail(go: FakeGo, method: string, code: GoErrorCode): string {
  const raw = `phonelink: ${method}: webclient: ${code}`;
  go.overrides[method] = () => {
    throw goError(method, code, raw);
  };
  return raw;
}

async function show(component: Component<any>, props: Record<string, unknown>, go: FakeGo, start = true) {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const target = document.createElement('div');
  document.body.append(target);
  const session = new Session(go.api());
  const stop = start ? session.start() : () => {};
  if (!start) session.link = { ...go.link };
  await settle();
  const c = mount(component, { target, props: { t, session, onClose: () => {}, ...props } });
  cleanups.push(() => {
    unmount(c);
    stop();
    target.remove();
  });
  await settle();
  return { target, session };
}

const alertText = (root: ParentNode) => root.querySelector('[role=alert]')?.textContent?.trim();

function type(el: HTMLInputElement | HTMLTextAreaElement | null, text: string): void {
  if (!el) throw new Error('no field');
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** The raw error went to the console, and nowhere on the screen. */
function rawOnlyInConsole(root: HTMLElement, raw: string): void {
  expect(root.textContent).not.toContain('webclient');
  expect(warn.mock.calls.some((args: unknown[]) => args.some((a: unknown) => String(a).includes(raw)))).toBe(true);
}

describe('errors the UI shows', () => {
  it('adding an unknown Threema ID says so and what to do', async () => {
    const go = new FakeGo();
    const raw = fail(go, 'PeopleService.AddContact', 'invalidIdentity');
    const { target } = await show(ContactsPanel, {}, go);
    type(target.querySelector('[data-testid=add-contact]'), 'NOPE0000');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(alertText(target)).toBe(`The contact was not added. ${en['error.invalidIdentity']}`);
    rawOnlyInConsole(target, raw);
  });

  it('sending, retrying, saving and loading in a chat', async () => {
    const go = new FakeGo();
    go.messages.set(receiverKey(alice), [
      message({ id: 'f1', receiver: alice, outgoing: true, state: 'send-failed', text: 'again' }),
      message({ id: 'd1', receiver: alice, type: 'file', file: { name: 'a.pdf', size: 3, mime: 'application/pdf', thumbnail: false, width: 0, height: 0, duration: 0 } }),
    ]);
    const raw = fail(go, 'ChatService.SendText', 'notConnected');
    const drafts = new DraftSaver(() => Promise.resolve(), 5);
    const { target } = await show(ChatView, { locale: 'en', receiver: alice, drafts }, go);

    const textarea = target.querySelector<HTMLTextAreaElement>('[data-testid=composer]');
    type(textarea, 'hello');
    textarea?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(alertText(target.querySelector('.composer') ?? target)).toBe(`The message was not sent. ${en['error.notConnected']}`);

    [...target.querySelectorAll('button')].find((b) => b.textContent === en['message.retry'])?.click();
    await settle();
    expect(alertText(target)).toBe(`The message was not sent. ${en['error.notConnected']}`);

    fail(go, 'ChatService.File', 'fileUnavailable');
    target.querySelector<HTMLButtonElement>('[aria-label="Save a.pdf"]')?.click();
    await settle();
    expect(alertText(target)).toBe(`The file was not saved. ${en['error.fileUnavailable']}`);
    rawOnlyInConsole(target, raw);
  });

  it('a chat whose messages do not load', async () => {
    const go = new FakeGo();
    const raw = fail(go, 'ChatService.Messages', 'timeout');
    const drafts = new DraftSaver(() => Promise.resolve(), 5);
    const { target } = await show(ChatView, { locale: 'en', receiver: alice, drafts }, go);
    expect(alertText(target)).toBe(`The messages could not be loaded. ${en['error.timeout']}`);
    rawOnlyInConsole(target, raw);
    // Not also "No messages yet", which said the chat was empty while it had not loaded.
    expect(target.textContent).not.toContain(en['chat.empty']);
    // Try again loads the messages once the phone answers.
    delete go.overrides['ChatService.Messages'];
    go.messages.set(receiverKey(alice), [message({ id: 'm1', receiver: alice, sender: alice.id, text: 'here at last' })]);
    target.querySelector<HTMLButtonElement>('[data-testid=retry-load]')?.click();
    await settle();
    expect(alertText(target)).toBeUndefined();
    expect(target.textContent).toContain('here at last');
  });

  it('creating a group', async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, contacts: [contact({ id: 'BOB00001', name: 'Bob' })] };
    const raw = fail(go, 'PeopleService.CreateGroup', 'notAllowed');
    const { target } = await show(GroupsPanel, {}, go);
    target.querySelector<HTMLButtonElement>('[data-testid=new-group]')?.click();
    await settle();
    type(target.querySelector('[data-testid=group-name]'), 'Crew');
    target.querySelector<HTMLInputElement>('[data-testid=group-members] input[type=checkbox]')?.click();
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(alertText(target)).toBe(`That did not work. ${en['error.notAllowed']}`);
    rawOnlyInConsole(target, raw);
  });

  it('saving the nickname', async () => {
    const go = new FakeGo();
    const raw = fail(go, 'PeopleService.SetNickname', 'tooLong');
    const { target } = await show(ProfilePanel, {}, go);
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(alertText(target)).toBe(`Your profile was not changed. ${en['error.tooLong']}`);
    rawOnlyInConsole(target, raw);
  });

  it('unlocking when something other than the password is wrong', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'locked', locked: true };
    const raw = fail(go, 'LinkService.Unlock', 'noSession');
    const { target } = await show(LockedScreen, {}, go, false);
    type(target.querySelector('[data-testid=unlock-password]'), 'whatever');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(alertText(target)).toBe(`Kurier was not unlocked. ${en['error.noSession']}`);
    rawOnlyInConsole(target, raw);
  });

  it('starting to pair', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'unpaired', phone: '' };
    const raw = fail(go, 'LinkService.StartPairing', 'unknown');
    const { target } = await show(PairingScreen, {}, go, false);
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(alertText(target)).toBe(`No pairing code could be made. ${en['error.unknown']}`);
    rawOnlyInConsole(target, raw);
  });

  it('a failed pairing attempt reported in the link status', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'unpaired', phone: '', pairingCode: 'CODE', error: 'phonelink: signaling: webclient: dial tcp' };
    const { target } = await show(PairingScreen, {}, go, false);
    expect(alertText(target)).toBe(en['pairing.attemptFailed']);
    rawOnlyInConsole(target, 'dial tcp');
  });

  it('the start state that does not load, in German', async () => {
    const go = new FakeGo();
    const raw = fail(go, 'AboutService.Info', 'unknown');
    const drafts = new DraftSaver(() => Promise.resolve(), 5);
    const { target } = await show(MainPane, { t: translator('de'), locale: 'de', panel: 'none', drafts, onClosePanel: () => {} }, go);
    expect(alertText(target)).toBe(`Kurier konnte seine Einstellungen nicht laden. ${de['error.unknown']}`);
    rawOnlyInConsole(target, raw);
  });
});
