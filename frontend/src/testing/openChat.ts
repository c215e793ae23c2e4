// Mounts the chat view of one conversation over a FakeGo, as the app does:
// a started session, a draft saver, the view's first data settled.
import type { Receiver } from '../bridge';
import ChatView from '../components/ChatView.svelte';
import { translator } from '../i18n';
import { DraftSaver } from '../lib/drafts';
import type { FakeGo } from './fakeGo';
import { mountSession, type Mounted } from './mountSession';

/** An open chat view: its element, its session, and how to take it down. */
export type OpenChat = Mounted;

/** Opens receiver's chat over go; highlight names a message to scroll to, as a search hit does. */
export async function openChat(go: FakeGo, receiver: Receiver, highlight = ''): Promise<OpenChat> {
  return mountSession(ChatView, go, (session) => {
    session.highlight = highlight;
    const drafts = new DraftSaver((_key, text) => go.api().chat.setDraft(receiver, text), 5);
    return { t: translator('en'), locale: 'en', session, receiver, drafts };
  });
}
