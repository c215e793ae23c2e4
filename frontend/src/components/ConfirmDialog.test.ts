import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { translator } from '../i18n';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { Session } from '../lib/session.svelte';
import { connectedLink, FakeGo, goError, settle } from '../testing/fakeGo';
import LockedScreen from './LockedScreen.svelte';
import SettingsPanel from './SettingsPanel.svelte';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  vi.restoreAllMocks();
});

async function show(component: typeof SettingsPanel | typeof LockedScreen, go: FakeGo, locale: 'en' | 'de' = 'en') {
  const target = document.createElement('div');
  document.body.append(target);
  const session = new Session(go.api());
  session.link = { ...go.link };
  const c = mount(component, { target, props: { t: translator(locale), session, onClose: () => {} } });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  await settle();
  return { target, session };
}

const dialog = () => document.querySelector<HTMLElement>('[role=alertdialog]');
const press = (el: Element, key: string, shiftKey = false) =>
  el.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true }));

describe('forgetting this computer', () => {
  for (const component of [SettingsPanel, LockedScreen]) {
    const name = component === SettingsPanel ? 'settings' : 'the locked screen';
    it(`asks first, from ${name}, and Escape cancels`, async () => {
      const go = new FakeGo();
      go.link = component === SettingsPanel ? { ...connectedLink, remembered: true } : { ...connectedLink, state: 'locked', locked: true };
      const { target, session } = await show(component, go);
      const forget = target.querySelector<HTMLButtonElement>('[data-testid=forget]');
      forget?.focus();
      forget?.click();
      await settle();
      expect(go.callsOf('LinkService.Forget')).toEqual([]);
      const d = dialog();
      expect(d?.getAttribute('aria-modal')).toBe('true');
      expect(document.getElementById(d?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe(en['forget.title']);
      expect(document.getElementById(d?.getAttribute('aria-describedby') ?? '')?.textContent).toBe(en['forget.body']);
      // The safe choice has the focus; Tab cycles inside the dialog.
      expect(document.activeElement?.textContent).toBe(en['forget.cancel']);
      press(document.activeElement ?? document.body, 'Tab', true);
      expect(document.activeElement?.textContent).toBe(en['forget.confirm']);
      press(document.activeElement ?? document.body, 'Tab');
      expect(document.activeElement?.textContent).toBe(en['forget.cancel']);

      // Escape stays in the dialog: whatever listens on the window (closing the panel) does not see it.
      const outside = vi.fn();
      window.addEventListener('keydown', outside);
      press(document.activeElement ?? document.body, 'Escape');
      window.removeEventListener('keydown', outside);
      await settle();
      expect(outside).not.toHaveBeenCalled();
      expect(dialog()).toBeNull();
      expect(go.callsOf('LinkService.Forget')).toEqual([]);
      expect(document.activeElement).toBe(forget);

      forget?.click();
      await settle();
      document.querySelector<HTMLButtonElement>('[data-testid=confirm-ok]')?.click();
      await settle();
      expect(go.callsOf('LinkService.Forget')).toEqual([[]]);
      expect(session.link.state).toBe('unpaired');
      expect(dialog()).toBeNull();
    });
  }

  it('speaks German, and says in words why forgetting failed', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const go = new FakeGo();
    go.link = { ...connectedLink, remembered: true };
    go.overrides['LinkService.Forget'] = () => {
      throw goError('LinkService.Forget', 'notConnected', 'app: forget: the phone is not connected');
    };
    const { target } = await show(SettingsPanel, go, 'de');
    target.querySelector<HTMLButtonElement>('[data-testid=forget]')?.click();
    await settle();
    expect(dialog()?.textContent).toContain(de['forget.body']);
    document.querySelector<HTMLButtonElement>('[data-testid=confirm-ok]')?.click();
    await settle();
    expect(target.querySelector('[role=alert]')?.textContent).toBe(`Dieser Computer wurde nicht vergessen. ${de['error.notConnected']}`);
  });
});
