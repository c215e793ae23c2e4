// The image viewer: what it shows, previous and next (paging back through
// older messages), zoom, save, close. jsdom lays nothing out, so the
// viewport's size is given to the stage by hand.
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileData, Message } from '../bridge';
import { translator } from '../i18n';
import { message, settle } from '../testing/fakeGo';
import { reactive } from '../testing/reactive.svelte';
import ImageViewer from './ImageViewer.svelte';

const t = translator('en');
let cleanup: (() => void) | undefined;
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:full');
  URL.revokeObjectURL = vi.fn();
  // The stage's size (jsdom has no layout).
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
});
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  Reflect.deleteProperty(HTMLElement.prototype, 'clientHeight');
});

const image = (id: string, text: string, p: Partial<Message> = {}) =>
  message({ id, type: 'image', text, sender: 'BOB00001', file: { name: `${id}.png`, size: 10, mime: 'image/png', thumbnail: true, width: 1600, height: 1000, duration: 0 }, ...p });

function show(p: { images: Message[]; startId: string; more?: boolean; loadOlder?: () => Promise<boolean>; fail?: boolean }) {
  const target = document.createElement('div');
  document.body.append(target);
  const props = reactive({ more: p.more ?? false, images: p.images });
  const onSave = vi.fn();
  const onClose = vi.fn();
  const load = vi.fn((m: Message): Promise<FileData> =>
    p.fail ? Promise.reject(new Error('gone')) : Promise.resolve({ name: m.file?.name ?? '', mime: 'image/png', data: 'iVBORw0KGgo=' }),
  );
  const c = mount(ImageViewer, {
    target,
    props: {
      t,
      locale: 'en',
      get images() {
        return props.images;
      },
      startId: p.startId,
      get more() {
        return props.more;
      },
      loadOlder: p.loadOlder ?? (() => Promise.resolve(false)),
      thumbnail: () => (p.fail ? Promise.reject(new Error('gone')) : Promise.resolve('data:image/png;base64,AAAA')),
      load,
      senderName: (m: Message) => (m.outgoing ? 'You' : 'Bob'),
      onSave,
      onClose,
    },
  });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  const q = <T extends Element>(s: string) => target.querySelector<T>(s);
  const key = (k: string, init: KeyboardEventInit = {}) =>
    q('[data-testid=image-viewer]')?.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }));
  return { target, props, q, key, onSave, onClose, load };
}

describe('ImageViewer', () => {
  it('shows the image with its sender, date and caption, fitted to the window', async () => {
    const { q, load } = show({ images: [image('i1', 'first *one*', { date: Date.UTC(2025, 4, 6, 7, 8) })], startId: 'i1' });
    await settle();
    expect(q('[data-testid=viewer-sender]')?.textContent).toBe('Bob');
    expect(q('[data-testid=viewer-date]')?.textContent).toMatch(/May \d, 2025/);
    expect(q('[data-testid=viewer-caption] strong')?.textContent).toBe('one');
    expect(load).toHaveBeenCalledTimes(1);
    expect(q('img')?.getAttribute('src')).toBe('blob:full');
    expect(q('[data-testid=viewer-zoom]')?.textContent).toBe('50 %');
    expect(q<HTMLImageElement>('img')?.style.transform).toBe('translate(0px, 50px) scale(0.5)');
    expect(document.activeElement).toBe(q('[data-testid=viewer-close]'));
  });

  it('goes back and forth with the keys and the buttons', async () => {
    const { q, key } = show({ images: [image('i1', 'one'), image('i2', 'two'), image('i3', 'three')], startId: 'i2' });
    await settle();
    expect(q('[data-testid=viewer-position]')?.textContent).toBe('2 of 3');
    key('ArrowLeft');
    await settle();
    expect(q('[data-testid=viewer-caption]')?.textContent).toBe('one');
    expect(q<HTMLButtonElement>('[data-testid=viewer-prev]')?.disabled).toBe(true);
    q<HTMLButtonElement>('[data-testid=viewer-next]')?.click();
    key('ArrowRight');
    await settle();
    expect(q('[data-testid=viewer-caption]')?.textContent).toBe('three');
    expect(q<HTMLButtonElement>('[data-testid=viewer-next]')?.disabled).toBe(true);
  });

  it('loads older pages to go back past the first image loaded', async () => {
    const older = image('i0', 'older');
    let calls = 0;
    const v = show({
      images: [image('i1', 'one')],
      startId: 'i1',
      more: true,
      loadOlder: () => {
        calls++;
        // A page without images first, then one with.
        if (calls >= 2) {
          v.props.images = [older, ...v.props.images];
          v.props.more = false;
        }
        return Promise.resolve(true);
      },
    });
    await settle();
    expect(v.q<HTMLButtonElement>('[data-testid=viewer-prev]')?.disabled).toBe(false);
    v.key('ArrowLeft');
    await settle(10);
    expect(v.q('[data-testid=viewer-caption]')?.textContent).toBe('older');
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('zooms with the buttons, the keys and a double-click, and back to the fit', async () => {
    const { q, key } = show({ images: [image('i1', 'one')], startId: 'i1' });
    await settle();
    const zoom = () => q('[data-testid=viewer-zoom]')?.textContent;
    q<HTMLButtonElement>('[data-testid=viewer-zoom-in]')?.click();
    await settle();
    expect(zoom()).toBe('63 %');
    key('+');
    await settle();
    expect(zoom()).toBe('78 %');
    key('0');
    await settle();
    expect(zoom()).toBe('50 %');
    q('[data-testid=viewer-stage]')?.dispatchEvent(new MouseEvent('dblclick', { bubbles: true, clientX: 400, clientY: 300 }));
    await settle();
    expect(zoom()).toBe('100 %');
    key('-');
    await settle();
    expect(zoom()).toBe('80 %');
    // The percentage button toggles: not fitted → the fit.
    q<HTMLButtonElement>('[data-testid=viewer-zoom]')?.click();
    await settle();
    expect(zoom()).toBe('50 %');
    q('[data-testid=viewer-stage]')?.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100, clientX: 400, clientY: 300 }));
    await settle();
    expect(zoom()).toBe('63 %');
  });

  it('saves with the button and Ctrl+S, and closes with Esc on the image shown last', async () => {
    const { q, key, onSave, onClose } = show({ images: [image('i1', 'one'), image('i2', 'two')], startId: 'i1' });
    await settle();
    q<HTMLButtonElement>('[data-testid=viewer-save]')?.click();
    key('s', { ctrlKey: true });
    expect(onSave.mock.calls.map((c) => (c[0] as Message).id)).toEqual(['i1', 'i1']);
    key('ArrowRight');
    await settle();
    key('Escape');
    expect(onClose).toHaveBeenCalledWith('i2');
  });

  it('says so when the image cannot be loaded', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const noThumb = { name: 'x.png', size: 1, mime: 'image/png', thumbnail: false, width: 0, height: 0, duration: 0 };
    const v = show({ images: [image('i9', 'nine', { file: noThumb })], startId: 'i9', fail: true });
    await settle();
    expect(v.q('[data-testid=viewer-stage] [role=alert]')?.textContent).toMatch(/^The image could not be loaded\. /);
    vi.restoreAllMocks();
  });
});
