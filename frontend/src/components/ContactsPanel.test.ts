import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../i18n/en';
import { translator } from '../i18n';
import { contact, FakeGo, settle } from '../testing/fakeGo';
import { mountSession } from '../testing/mountSession';
import ContactsPanel from './ContactsPanel.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;

afterEach(() => {
  cleanup?.();
  vi.restoreAllMocks();
});

// A contact added by ID that has sent a message with the nickname Bob.
const bob = contact({ id: 'BOB00001', name: '~Bob', nickname: 'Bob' });

async function open(go: FakeGo) {
  const m = await mountSession(ContactsPanel, go, (session) => ({ t, session, onClose: () => {} }));
  cleanup = m.close;
  return m;
}

const q = <T extends Element>(root: ParentNode, sel: string): T => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`no ${sel}`);
  return el;
};

function type(el: HTMLInputElement, text: string): void {
  el.value = text;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Opens Bob's details and the rename form. */
async function rename(target: HTMLElement): Promise<void> {
  const row = [...target.querySelectorAll<HTMLButtonElement>('li > button')].find((b) => b.textContent?.includes('BOB00001'));
  row?.click();
  await settle();
  q<HTMLButtonElement>(target, '[data-testid=rename-contact]').click();
  await settle();
}

describe('ContactsPanel', () => {
  it('lists a contact by its nickname and names it', async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, contacts: [contact({ id: 'ALICE001', name: 'Carla' }), bob] };
    const { target } = await open(go);
    const names = () => [...target.querySelectorAll('.name')].map((n) => n.textContent);
    expect(names()).toEqual(['~Bob', 'Carla']); // sorted without the ~

    await rename(target);
    expect(document.activeElement).toBe(q(target, '[data-testid=contact-first-name]'));
    expect(target.textContent).toContain('Leave both empty and the contact shows as ~Bob.');
    type(q(target, '[data-testid=contact-first-name]'), '  Bob ');
    type(q(target, '[data-testid=contact-last-name]'), 'Example');
    q<HTMLFormElement>(target, 'form.rename').requestSubmit();
    await settle();
    expect(go.callsOf('PeopleService.RenameContact')).toEqual([['BOB00001', 'Bob', 'Example']]);
    expect(names()).toEqual(['Bob Example', 'Carla']);
    expect(target.querySelector('form.rename')).toBeNull();

    // The form starts from the name as the phone keeps it; both empty clears it.
    await rename(target);
    expect(q<HTMLInputElement>(target, '[data-testid=contact-first-name]').value).toBe('Bob');
    type(q(target, '[data-testid=contact-first-name]'), '');
    type(q(target, '[data-testid=contact-last-name]'), '');
    q<HTMLFormElement>(target, 'form.rename').requestSubmit();
    await settle();
    expect(go.callsOf('PeopleService.RenameContact')[1]).toEqual(['BOB00001', '', '']);
    expect(names()).toEqual(['~Bob', 'Carla']);
  });

  it('shows the contact state in words, not the phone\'s raw value', async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, contacts: [contact({ id: 'ALICE001', name: 'Alice', state: 'ACTIVE' }), contact({ id: 'OLDONE01', name: 'Old', state: 'INVALID' })] };
    const { target } = await open(go);
    for (const [id, want] of [
      ['ALICE001', en['contacts.state.active']],
      ['OLDONE01', en['contacts.state.invalid']],
    ] as const) {
      [...target.querySelectorAll<HTMLButtonElement>('li > button')].find((b) => b.textContent?.includes(id))?.click();
      await settle();
      const dts = [...target.querySelectorAll('dt')];
      const state = dts.find((d) => d.textContent === en['contacts.state'])?.nextElementSibling?.textContent;
      expect(state).toBe(want);
    }
    expect(target.textContent).not.toMatch(/ACTIVE|INVALID/);
  });

  it('says what to do when a name is too long or the phone does not take it', async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, contacts: [bob] };
    const { target, session } = await open(go);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await rename(target);
    type(q(target, '[data-testid=contact-first-name]'), 'ä'.repeat(129));
    q<HTMLFormElement>(target, 'form.rename').requestSubmit();
    await settle();
    expect(q(target, '[role=alert]').textContent).toBe(en['contacts.nameTooLong']);
    expect(go.callsOf('PeopleService.RenameContact')).toEqual([]);

    go.overrides['PeopleService.RenameContact'] = () => {
      throw new Error('PeopleService.RenameContact: app: rename contact: webclient: badRequest');
    };
    type(q(target, '[data-testid=contact-first-name]'), 'Bob');
    q<HTMLFormElement>(target, 'form.rename').requestSubmit();
    await settle();
    expect(q(target, '[role=alert]').textContent).toBe(en['contacts.renameFailed']);

    session.setLink({ ...session.link, state: 'disconnected' });
    q<HTMLFormElement>(target, 'form.rename').requestSubmit();
    await settle();
    expect(q(target, '[role=alert]').textContent).toBe(en['contacts.renameOffline']);
    expect(target.textContent).not.toContain('badRequest');
  });
});
