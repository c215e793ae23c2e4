// Recording a voice message in the composer. jsdom has neither getUserMedia
// nor MediaRecorder, so both are stubbed here (a recorder that hands over
// fixed bytes); the browser e2e records from Chromium's fake microphone.
import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message, Receiver } from '../bridge';
import { translator } from '../i18n';
import { DraftSaver } from '../lib/drafts';
import { FakeGo, message, settle } from '../testing/fakeGo';
import Composer from './Composer.svelte';

const t = translator('en');
const alice: Receiver = { type: 'contact', id: 'ALICE001' };
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

class FakeRecorder extends EventTarget {
  static isTypeSupported = (t: string) => t === 'audio/webm;codecs=opus';
  state: 'inactive' | 'recording' = 'inactive';
  readonly mimeType: string;
  constructor(_stream: unknown, opts?: { mimeType?: string }) {
    super();
    this.mimeType = opts?.mimeType ?? '';
  }
  start(): void {
    this.state = 'recording';
  }
  stop(): void {
    this.state = 'inactive';
    const ev = new Event('dataavailable') as Event & { data: Blob };
    ev.data = new Blob(['abc'], { type: this.mimeType });
    this.dispatchEvent(ev);
    this.dispatchEvent(new Event('stop'));
  }
}

function show(getUserMedia: () => Promise<unknown>) {
  const track = { stop: vi.fn() };
  vi.stubGlobal('MediaRecorder', FakeRecorder);
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia: vi.fn(getUserMedia) } });
  const go = new FakeGo();
  const target = document.createElement('div');
  document.body.append(target);
  const onSent = vi.fn();
  const c = mount(Composer, {
    target,
    props: { t, api: go.api(), receiver: alice, limits: go.limits, drafts: new DraftSaver(() => Promise.resolve()), quoteName: (id: string) => id, onSent },
  });
  cleanup = () => {
    unmount(c);
    target.remove();
    Reflect.deleteProperty(navigator, 'mediaDevices');
  };
  return { go, target, onSent, track, q: <T extends Element>(s: string) => target.querySelector<T>(s) };
}

describe('Composer voice recording', () => {
  it('offers the microphone while empty, records, shows the time, and sends a webm voice file', async () => {
    const track = { stop: vi.fn() };
    const { go, q, onSent } = show(() => Promise.resolve({ getTracks: () => [track] }));
    await settle();
    expect(q('[data-testid=record]')?.getAttribute('aria-label')).toBe('Record a voice message');
    const textarea = q<HTMLTextAreaElement>('textarea');
    if (!textarea) throw new Error('no textarea');
    textarea.value = 'hi';
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(q('[data-testid=record]')).toBeNull();
    textarea.value = '';
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();

    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    q<HTMLButtonElement>('[data-testid=record]')?.click();
    await settle();
    expect(q('[data-testid=recording]')?.textContent).toContain('Recording 0:00');
    now.mockReturnValue(1_002_460);
    q<HTMLButtonElement>('[data-testid=send-recording]')?.click();
    await settle(12);
    now.mockRestore();
    const sent = go.callsOf('ChatService.SendFile');
    expect(q('[role=alert]')?.textContent ?? '').toBe('');
    expect(sent).toHaveLength(1);
    const upload = sent[0]?.[1] as { name: string; mime: string; data: string; duration: number };
    expect(upload.duration).toBe(2.5); // its length, to a tenth of a second
    expect(upload.name).toMatch(/^voice-\d{8}-\d{6}\.webm$/);
    expect(upload.mime).toBe('audio/webm');
    expect(upload.data).toBe('YWJj');
    expect(track.stop).toHaveBeenCalled();
    expect(onSent).toHaveBeenCalled();
    expect(q('[data-testid=recording]')).toBeNull();
  });

  it('discards a cancelled recording', async () => {
    const track = { stop: vi.fn() };
    const { go, q } = show(() => Promise.resolve({ getTracks: () => [track] }));
    q<HTMLButtonElement>('[data-testid=record]')?.click();
    await settle();
    q<HTMLButtonElement>('[aria-label="Discard the recording"]')?.click();
    await settle();
    expect(go.callsOf('ChatService.SendFile')).toEqual([]);
    expect(track.stop).toHaveBeenCalled();
  });

  it('says in words that the microphone is not allowed', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { q } = show(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    q<HTMLButtonElement>('[data-testid=record]')?.click();
    await settle();
    expect(q('[role=alert]')?.textContent).toBe(t('composer.micDenied'));
  });

  it('offers no microphone where the engine cannot record (the window’s WebKitGTK)', async () => {
    const go = new FakeGo();
    const target = document.createElement('div');
    document.body.append(target);
    const c = mount(Composer, {
      target,
      props: { t, api: go.api(), receiver: alice, limits: go.limits, drafts: new DraftSaver(() => Promise.resolve()), quoteName: (id: string) => id, onSent: () => {} },
    });
    cleanup = () => {
      unmount(c);
      target.remove();
    };
    await settle();
    expect(target.querySelector('[data-testid=record]')).toBeNull();
    expect(target.querySelector('[data-testid=send]')).not.toBeNull();
  });
});

describe('Composer reply bar', () => {
  it('names what the reply answers in words: a voice message by its length, a text without its markup', async () => {
    const go = new FakeGo();
    const file = { name: 'voice-20261206-101500.ogg', size: 9, mime: 'audio/ogg', thumbnail: false, width: 0, height: 0, duration: 7 };
    const replyBar = async (quote: Message) => {
      const target = document.createElement('div');
      document.body.append(target);
      const props = { t, api: go.api(), receiver: alice, limits: go.limits, drafts: new DraftSaver(() => Promise.resolve()), quoteName: (id: string) => id, onSent: () => {}, quote };
      const c = mount(Composer, { target, props });
      await settle();
      const text = target.querySelector('.quote-text')?.textContent;
      const label = target.querySelector('.attachment .label')?.textContent;
      unmount(c);
      target.remove();
      return { text, label };
    };
    expect((await replyBar(message({ id: 'v', receiver: alice, type: 'file', text: '', file }))).text).toBe('Voice message (0:07)');
    expect(await replyBar(message({ id: 't', receiver: alice, sender: 'ALICE001', text: 'see *you*' }))).toEqual({ text: 'see you', label: 'Reply to ALICE001' });
    // Your own message: not your nickname (the demo world's is "You", in any language).
    expect((await replyBar(message({ id: 'o', receiver: alice, sender: 'MYSELF01', outgoing: true, text: 'mine' }))).label).toBe('Reply to yourself');
  });
});
