import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver } from '../bridge';
import { translator } from '../i18n';
import { de } from '../i18n/de';
import { en } from '../i18n/en';
import { Session } from '../lib/session.svelte';
import { contact, FakeGo, message, settle } from '../testing/fakeGo';
import SearchResults from './SearchResults.svelte';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const alice: Receiver = { type: 'contact', id: 'ALICE001' };

describe('SearchResults', () => {
  it('labels your own message hits "You", a group member\'s with the member and the group, the others with the conversation', async () => {
    const go = new FakeGo();
    go.receivers = { ...go.receivers, contacts: [contact({ id: 'BOB00001', name: 'Bob' })] };
    const target = document.createElement('div');
    document.body.append(target);
    const session = new Session(go.api());
    const stop = session.start();
    await settle();
    const group: Receiver = { type: 'group', id: '0102030405060708' };
    const hits = [
      { message: message({ id: 'h1', receiver: alice, outgoing: true, sender: 'MYSELF01', text: 'see you at lunch' }), name: 'Alice', snippet: 'see you at «lunch»' },
      { message: message({ id: 'h2', receiver: alice, sender: 'ALICE001', text: 'lunch?' }), name: 'Alice', snippet: '«lunch»?' },
      { message: message({ id: 'h3', receiver: group, sender: 'BOB00001', text: '*lunch* for all' }), name: 'Climbers', snippet: '*«lunch»* for _all_' },
    ];
    const c = mount(SearchResults, { target, props: { t: translator('en'), locale: 'en', session, query: 'lunch', hits, searching: false } });
    cleanup = () => {
      unmount(c);
      stop();
      target.remove();
    };
    await settle();
    const senders = [...target.querySelectorAll('[data-testid=hit-sender]')].map((s) => s.textContent);
    expect(senders).toEqual([en['message.you'], 'Alice', 'Bob']);
    expect(target.querySelector('[data-message-id=h1]')?.textContent).toContain('in Alice');
    expect(target.querySelector('[data-message-id=h3]')?.textContent).toContain('in Climbers');
    // The snippet without markup markers, its match still marked.
    expect(target.querySelector('[data-message-id=h3] .snippet')?.textContent).toBe('lunch for all');
    expect(target.querySelector('[data-message-id=h3] mark')?.textContent).toBe('lunch');
    expect(de['message.you']).toBe('Du');
  });

  it('says in the search box what it searches', () => {
    expect(en['sidebar.search.placeholder']).toMatch(/messages/);
    expect(de['sidebar.search.placeholder']).toMatch(/Nachrichten/);
  });
});
