import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { de } from './i18n/de';
import { en } from './i18n/en';
import { connectedLink, contact, conversation, FakeGo, message, settle, until } from './testing/fakeGo';

/** Unmounts the shells still mounted: a test that failed leaves its own, whose window listeners would answer the next test's keys. */
const mounted = new Set<() => void>();

// Mounts the whole shell over a fake Go whose services keep state like the
// real ones, and reads what it renders.
function start(go: FakeGo) {
  const target = document.createElement('div');
  document.body.append(target);
  const app = mount(App, { target, props: { api: go.api() } });
  const done = () => {
    if (!mounted.delete(done)) return;
    unmount(app);
    target.remove();
  };
  mounted.add(done);
  return { target, done };
}

function unpaired(settings: { theme: 'light' | 'dark'; language: 'en' | 'de' }): FakeGo {
  const go = new FakeGo();
  go.settings = { ...go.settings, ...settings };
  go.link = { ...connectedLink, state: 'unpaired', world: 'external', phone: '' };
  return go;
}

afterEach(() => {
  for (const done of [...mounted]) done();
  vi.restoreAllMocks();
});

describe('App', () => {
  it('renders the shell in German with no English text', async () => {
    const { target, done } = start(unpaired({ theme: 'dark', language: 'de' }));
    await settle();
    const text = target.textContent ?? '';
    expect(text).toContain(de['conversations.empty.title']);
    expect(text).toContain(de['link.unpaired']);
    expect(text).toContain(de['pairing.title']);
    const placeholder = target.querySelector('input[type=search]')?.getAttribute('placeholder');
    expect(placeholder).toBe(de['sidebar.search.placeholder']);
    for (const [key, english] of Object.entries(en)) {
      if (english === de[key as keyof typeof de]) continue;
      expect(text, key).not.toContain(english);
    }
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(document.documentElement.lang).toBe('de');
    expect(target.querySelectorAll('[role=status]')).toHaveLength(1);
    expect(target.querySelector('[data-testid=demo-banner]')).toBeNull();
    done();
  });

  it('says "No conversations yet" only once the conversations have loaded, not while they load', async () => {
    const go = new FakeGo();
    let answer: (c: unknown) => void = () => {};
    go.overrides['ChatService.Conversations'] = () => new Promise((resolve) => (answer = resolve));
    const { target, done } = start(go);
    await settle();
    expect(target.textContent).not.toContain(en['conversations.empty.title']);
    answer([]);
    await settle();
    expect(target.textContent).toContain(en['conversations.empty.title']);
    done();
  });

  it('changes theme, language and notification settings from the settings panel', async () => {
    const go = unpaired({ theme: 'light', language: 'en' });
    const { target, done } = start(go);
    await settle();
    target.querySelector<HTMLButtonElement>(`button[aria-label="${en['sidebar.settings']}"]`)?.click();
    await settle();
    target.querySelector<HTMLInputElement>('input[name=theme][value=dark]')?.click();
    target.querySelector<HTMLInputElement>('input[name=language][value=de]')?.click();
    target.querySelector<HTMLInputElement>('input[name=preview]')?.click();
    await settle();
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(target.textContent).toContain(de['settings.title']);
    // The settings sit in the panel frame of the other panels; "Version 9.9.9", not "Version v9.9.9".
    expect(target.querySelector('section.panel[aria-labelledby=settings-title]')).not.toBeNull();
    expect(target.textContent).toContain('Version 9.9.9');
    expect(target.textContent).not.toContain('v9.9.9');
    expect(go.settings.preview).toBe(false);
    done();
  });

  it('lists conversations virtualised and puts the unread total in the title', async () => {
    const go = new FakeGo();
    go.conversations = Array.from({ length: 5000 }, (_, i) =>
      conversation({
        receiver: { type: 'contact', id: `ID${String(i).padStart(6, '0')}` },
        name: `Person ${i}`,
        lastActivity: 10_000 - i,
        unreadCount: i < 3 ? 1 : 0,
        pinned: i === 4999,
      }),
    );
    const { target, done } = start(go);
    await settle();
    const items = target.querySelectorAll('[data-testid=conversation-item]');
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(40);
    expect(items[0]?.getAttribute('data-receiver')).toBe('contact:ID004999');
    expect(target.querySelector('[data-testid=demo-banner]')?.textContent).toContain(en['demo.banner']);
    expect(target.querySelector('[data-testid=link-state]')?.getAttribute('data-state')).toBe('connected');
    expect(document.title).toBe('(3) Kurier');
    go.emit('conversations:changed', {
      conversations: [conversation({ receiver: { type: 'contact', id: 'ID000000' }, name: 'Person 0', unreadCount: 5, lastActivity: 20_000 })],
      replace: false,
    });
    await settle();
    expect(document.title).toBe('(7) Kurier');
    expect(target.querySelector('[data-testid=conversation-item]')?.getAttribute('data-receiver')).toBe('contact:ID004999');
    done();
  });

  it('shows one pane at a time in a narrow window: list, chat, back', async () => {
    const go = new FakeGo();
    go.conversations = [conversation({ receiver: { type: 'contact', id: 'A' }, name: 'A', lastActivity: 10 })];
    const { target, done } = start(go);
    await settle();
    const shell = () => target.querySelector<HTMLElement>('[data-testid=shell]')?.dataset['view'];
    expect(shell()).toBe('list');
    target.querySelector<HTMLButtonElement>('[data-receiver="contact:A"]')?.click();
    await settle();
    expect(shell()).toBe('main');
    const back = target.querySelector<HTMLButtonElement>('[data-testid=back]');
    expect(back?.getAttribute('aria-label')).toBe(en['chat.back']);
    back?.click();
    await settle();
    expect(shell()).toBe('list');
    expect(target.querySelector('[data-testid=chat-view]')).toBeNull();
    target.querySelector<HTMLButtonElement>(`button[aria-label="${en['sidebar.contacts']}"]`)?.click();
    await settle();
    expect(shell()).toBe('main');
    done();
  });

  it('opens a conversation, and Alt+ArrowDown moves to the next one', async () => {
    const go = new FakeGo();
    go.conversations = ['A', 'B'].map((id, i) => conversation({ receiver: { type: 'contact', id }, name: id, lastActivity: 10 - i }));
    go.messages.set('contact:A', [message({ id: 'a1', text: 'hello from A' })]);
    const { target, done } = start(go);
    await settle();
    target.querySelector<HTMLButtonElement>('[data-receiver="contact:A"]')?.click();
    await settle();
    expect(target.querySelector('[data-testid=chat-view]')?.getAttribute('data-receiver')).toBe('contact:A');
    expect(target.textContent).toContain('hello from A');
    // Marked read after the frame that draws the chat.
    await until(() => go.callsOf('ChatService.MarkRead').length > 0);
    expect(go.callsOf('ChatService.MarkRead')).toEqual([[{ type: 'contact', id: 'A' }]]);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true }));
    await settle();
    expect(target.querySelector('[data-testid=chat-view]')?.getAttribute('data-receiver')).toBe('contact:B');
    done();
  });

  it('notifies through Go in window mode when unfocused, without text when preview is off', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const go = new FakeGo('wails');
    go.settings.preview = false;
    go.conversations = [conversation({ receiver: { type: 'contact', id: 'A' }, name: 'Alice' })];
    const { done } = start(go);
    await settle();
    go.emit('messages:changed', {
      receiver: { type: 'contact', id: 'A' },
      messages: [message({ id: 'n1', receiver: { type: 'contact', id: 'A' }, text: 'secret' })],
      removed: [],
      incoming: true,
    });
    await settle();
    expect(go.callsOf('NotificationService.Show')).toEqual([[{ title: 'Kurier', body: en['notify.generic'] }]]);
    done();
  });

  it('names the group and the member who wrote in its notification, and a voice message by its length', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const go = new FakeGo('wails');
    const group = { type: 'group', id: '0102030405060708' } as const;
    go.conversations = [conversation({ receiver: group, name: 'Climbers' })];
    go.receivers = { ...go.receivers, contacts: [contact({ id: 'BOB00001', name: 'Bob' })] };
    const { done } = start(go);
    await settle();
    const file = { name: 'voice-20261206-101500.ogg', size: 9, mime: 'audio/ogg', thumbnail: false, width: 0, height: 0, duration: 4 };
    go.emit('messages:changed', {
      receiver: group,
      messages: [message({ id: 'v1', receiver: group, sender: 'BOB00001', type: 'file', text: '', file })],
      removed: [],
      incoming: true,
    });
    await settle();
    expect(go.callsOf('NotificationService.Show')).toEqual([[{ title: 'Climbers', body: 'Bob: Voice message (0:04)' }]]);
    done();
  });

  it('opens the quick switcher with Ctrl+K and the help with ?', async () => {
    const go = new FakeGo();
    go.conversations = [conversation({ receiver: { type: 'group', id: 'g1' }, name: 'Climbing crew' })];
    const { target, done } = start(go);
    await settle();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));
    await settle();
    const input = document.querySelector<HTMLInputElement>('[role=combobox]');
    expect(input).not.toBeNull();
    if (!input) return;
    input.value = 'clm';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    expect(target.querySelector('[data-testid=chat-view]')?.getAttribute('data-receiver')).toBe('group:g1');
    (document.activeElement as HTMLElement | null)?.blur();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }));
    await settle();
    expect(document.body.textContent).toContain(en['help.title']);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await settle();
    expect(document.body.textContent).not.toContain(en['help.title']);
    done();
  });
});
