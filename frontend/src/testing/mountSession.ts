// Mounts a component over a FakeGo with a started session, as the app
// does: the session's first data settled before and after the mount.
import { mount, unmount, type Component } from 'svelte';
import { Session } from '../lib/session.svelte';
import { settle, type FakeGo } from './fakeGo';

/** A mounted component: its element, its session, and how to take it down. */
export interface Mounted {
  target: HTMLElement;
  session: Session;
  close: () => void;
}

/** Mounts component (any props: each test passes its own) with the props props(session) gives, over go. */
export async function mountSession(component: Component<any>, go: FakeGo, props: (session: Session) => Record<string, unknown>): Promise<Mounted> {
  const target = document.createElement('div');
  document.body.append(target);
  const session = new Session(go.api());
  const stop = session.start();
  await settle();
  const c = mount(component, { target, props: props(session) });
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
