// Mounts the chat view of one conversation over a FakeGo, as the app does:
// a started session, a draft saver, the view's first data settled.
import { mount, unmount } from 'svelte';
import type { Receiver } from '../bridge';
import ChatView from '../components/ChatView.svelte';
import { translator } from '../i18n';
import { DraftSaver } from '../lib/drafts';
import { Session } from '../lib/session.svelte';
import { settle, type FakeGo } from './fakeGo';

/** An open chat view: its element, its session, and how to take it down. */
export interface OpenChat {
  target: HTMLElement;
  session: Session;
  close: () => void;
}

/** Opens receiver's chat over go; highlight names a message to scroll to, as a search hit does. */
export async function openChat(go: FakeGo, receiver: Receiver, highlight = ''): Promise<OpenChat> {
  const target = document.createElement('div');
  document.body.append(target);
  const session = new Session(go.api());
  const stop = session.start();
  await settle();
  session.highlight = highlight;
  const drafts = new DraftSaver((_key, text) => go.api().chat.setDraft(receiver, text), 5);
  const c = mount(ChatView, { target, props: { t: translator('en'), locale: 'en', session, receiver, drafts } });
  await settle();
  return {
    target,
    session,
    close: () => {
      unmount(c);
      stop();
      target.remove();
    },
  };
}
