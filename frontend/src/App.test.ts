import { flushSync, mount, tick, unmount } from 'svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { createApi } from './bridge';
import { WailsTransport, type WailsGlobals } from './bridge/wails';
import { de } from './i18n/de';
import { en } from './i18n/en';

// Mounts the whole shell over a Wails-shaped transport whose services keep
// state like the Go ones, and reads what it renders.
function world(settings: { theme: string; language: string }) {
  const state = { ...settings };
  const globals: WailsGlobals = {
    go: {
      app: {
        SettingsService: {
          Get: async () => ({ ...state }),
          SetTheme: async (theme) => Object.assign(state, { theme }),
          SetLanguage: async (language) => Object.assign(state, { language }),
        },
        LinkService: { Status: async () => ({ state: 'unpaired', since: 0 }) },
        AboutService: { Info: async () => ({ name: 'Kurier', version: 'v9.9.9', mode: 'window' }) },
      },
    },
    runtime: { EventsOnMultiple: () => () => {} },
  };
  return createApi(new WailsTransport(globals));
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

describe('App', () => {
  it('renders the shell in German with no English text', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const app = mount(App, { target, props: { api: world({ theme: 'dark', language: 'de' }) } });
    await settle();
    const text = target.textContent ?? '';
    expect(text).toContain(de['conversations.empty.title']);
    expect(text).toContain(de['link.unpaired']);
    const placeholder = target.querySelector('input[type=search]')?.getAttribute('placeholder');
    expect(placeholder).toBe(de['sidebar.search.placeholder']);
    for (const [key, english] of Object.entries(en)) {
      if (english === de[key as keyof typeof de]) continue;
      expect(text, key).not.toContain(english);
    }
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(document.documentElement.lang).toBe('de');
    unmount(app);
    target.remove();
  });

  it('changes theme and language from the settings panel', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const app = mount(App, { target, props: { api: world({ theme: 'light', language: 'en' }) } });
    await settle();
    target.querySelector<HTMLButtonElement>(`button[aria-label="${en['sidebar.settings']}"]`)?.click();
    await settle();
    target.querySelector<HTMLInputElement>('input[name=theme][value=dark]')?.click();
    target.querySelector<HTMLInputElement>('input[name=language][value=de]')?.click();
    await settle();
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(target.textContent).toContain(de['settings.title']);
    expect(target.textContent).toContain('v9.9.9');
    unmount(app);
    target.remove();
  });
});
