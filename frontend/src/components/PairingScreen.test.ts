import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/en';
import { translator } from '../i18n';
import { Session } from '../lib/session.svelte';
import { connectedLink, FakeGo, settle } from '../testing/fakeGo';
import LockedScreen from './LockedScreen.svelte';
import PairingScreen from './PairingScreen.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;

function show(component: typeof PairingScreen | typeof LockedScreen, go: FakeGo) {
  const target = document.createElement('div');
  document.body.append(target);
  const session = new Session(go.api());
  session.link = { ...go.link };
  const c = mount(component, { target, props: { t, session } });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  return { target, session };
}

afterEach(() => {
  cleanup?.();
  vi.restoreAllMocks();
});

function input(el: HTMLInputElement | null, value: string | boolean): void {
  if (!el) throw new Error('no input');
  if (typeof value === 'boolean') el.click();
  else {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

describe('PairingScreen', () => {
  it('starts pairing with a remembered password and shows the sanitised QR', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'unpaired', phone: '' };
    const { target, session } = show(PairingScreen, go);
    await settle();
    input(target.querySelector('input[type=checkbox]'), true);
    await settle();
    const [pw, confirm] = target.querySelectorAll<HTMLInputElement>('input[type=password]');
    input(pw ?? null, 'correct horse');
    input(confirm ?? null, 'correct hors');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toBe(en['pairing.passwordMismatch']);
    expect(go.callsOf('LinkService.StartPairing')).toEqual([]);

    input(confirm ?? null, 'correct horse');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(go.callsOf('LinkService.StartPairing')).toEqual([[{ remember: true, password: 'correct horse' }]]);
    expect(session.link.pairingCode).toBe('PAYLOAD-BASE64');
    const qr = target.querySelector('[data-testid=pairing-qr]');
    expect(qr?.getAttribute('data-pairing-code')).toBe('PAYLOAD-BASE64');
    expect(qr?.querySelector('svg rect')).not.toBeNull();
    expect(qr?.querySelector('script')).toBeNull();
  });

  it('offers to remember this computer while showing the code Go made at once', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'unpaired', phone: '', pairingCode: 'FIRST-CODE', remembered: false };
    const { target, session } = show(PairingScreen, go);
    await settle();
    expect(target.querySelector('[data-testid=pairing-qr]')?.getAttribute('data-pairing-code')).toBe('FIRST-CODE');
    const button = target.querySelector<HTMLButtonElement>('form button[type=submit]');
    expect(button?.textContent?.trim()).toBe(en['pairing.renew']);
    input(target.querySelector('input[type=checkbox]'), true);
    await settle();
    const [pw, confirm] = target.querySelectorAll<HTMLInputElement>('input[type=password]');
    input(pw ?? null, 'correct horse');
    input(confirm ?? null, 'correct horse');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(go.callsOf('LinkService.StartPairing')).toEqual([[{ remember: true, password: 'correct horse' }]]);
    expect(session.link.pairingCode).toBe('PAYLOAD-BASE64');
    // A remembered code needs no second offer.
    expect(target.querySelector('form')).toBeNull();
  });

  it('copies the pairing code', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'connecting', pairingCode: 'CODE' };
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { target } = show(PairingScreen, go);
    await settle();
    target.querySelector<HTMLButtonElement>('[data-testid=copy-pairing-code]')?.click();
    await settle();
    expect(writeText).toHaveBeenCalledWith('CODE');
    expect(target.textContent).toContain(en['pairing.copied']);
  });
});

describe('LockedScreen', () => {
  it('shows wrong passwords and unlocks with the right one', async () => {
    const go = new FakeGo();
    go.link = { ...connectedLink, state: 'locked', locked: true, remembered: true };
    const { target, session } = show(LockedScreen, go);
    input(target.querySelector('[data-testid=unlock-password]'), 'nope');
    target.querySelector('form')?.requestSubmit();
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toBe(en['locked.wrongPassword']);
    input(target.querySelector('[data-testid=unlock-password]'), 'secret-pass');
    target.querySelector<HTMLButtonElement>('[data-testid=unlock]')?.click();
    await settle();
    expect(go.callsOf('LinkService.Unlock')).toEqual([['nope'], ['secret-pass']]);
    expect(session.link.state).toBe('connecting');
  });
});
