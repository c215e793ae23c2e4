import { afterEach, describe, expect, it } from 'vitest';
import type { Group } from '../bridge';
import { translator } from '../i18n';
import { FakeGo, settle } from '../testing/fakeGo';
import { mountSession } from '../testing/mountSession';
import GroupsPanel from './GroupsPanel.svelte';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const group = (g: Partial<Group>): Group => ({ id: 'g1', name: 'Crew', members: ['MYSELF01', 'BOB00001'], administrator: 'MYSELF01', left: false, color: '#123456', ...g });

async function open(go: FakeGo) {
  const m = await mountSession(GroupsPanel, go, (session) => ({ t: translator('en'), session, onClose: () => {} }));
  cleanup = m.close;
  return m;
}

const button = (root: ParentNode, text: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);

describe('GroupsPanel', () => {
  it('ends your own group for everyone after asking, then deletes it after asking again', async () => {
    // Your own group could only be edited: neither ended nor, once left, deleted.
    const go = new FakeGo();
    go.receivers = { ...go.receivers, groups: [group({})] };
    const { target, session } = await open(go);
    button(target, 'Edit')?.click();
    await settle();
    button(target, 'End group')?.click();
    await settle();
    const dialog = () => document.querySelector('[data-testid=confirm-dialog]');
    expect(dialog()?.textContent).toContain('End “Crew”?');
    expect(go.callsOf('PeopleService.LeaveGroup')).toEqual([]);
    document.querySelector<HTMLButtonElement>('[data-testid=confirm-ok]')?.click();
    await settle();
    expect(go.callsOf('PeopleService.LeaveGroup')).toEqual([['g1']]);
    expect(target.textContent).toContain('left');

    button(target, 'Delete')?.click();
    await settle();
    expect(dialog()?.textContent).toContain('Delete “Crew”?');
    expect(dialog()?.textContent).toContain('The others keep theirs');
    document.querySelector<HTMLButtonElement>('[data-testid=confirm-cancel]')?.click();
    await settle();
    expect(go.callsOf('PeopleService.DeleteGroup')).toEqual([]);
    button(target, 'Delete')?.click();
    await settle();
    document.querySelector<HTMLButtonElement>('[data-testid=confirm-ok]')?.click();
    await settle();
    expect(go.callsOf('PeopleService.DeleteGroup')).toEqual([['g1']]);
    expect(session.receivers.groups).toEqual([]);
    expect(target.textContent).toContain('No groups yet.');
  });

  it("leaves another's group at once, and offers no way to end it", async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, groups: [group({ administrator: 'BOB00001' })] };
    const { target } = await open(go);
    button(target, 'Edit')?.click();
    await settle();
    expect(button(target, 'End group')).toBeUndefined();
    button(target, 'Leave group')?.click();
    await settle();
    expect(go.callsOf('PeopleService.LeaveGroup')).toEqual([['g1']]);
    expect(button(target, 'Delete')).toBeDefined();
  });
});
