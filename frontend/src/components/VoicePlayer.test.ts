// The voice message player. jsdom has no Web Audio and plays no media, so the
// decoder is a fake one (a decoded buffer made here) and HTMLMediaElement's
// play/pause/paused/currentTime are stubbed; the browser e2e plays real audio.
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError, type FileInfo } from '../bridge';
import { translator } from '../i18n';
import type { DecodedAudio } from '../lib/audio';
import { settle } from '../testing/fakeGo';
import VoicePlayer from './VoicePlayer.svelte';

const t = translator('en');
const file: FileInfo = { name: 'voice.ogg', size: 1200, mime: 'audio/ogg', thumbnail: false, width: 0, height: 0, duration: 12 };
let cleanup: (() => void) | undefined;
const playing = new WeakMap<HTMLMediaElement, boolean>();
const times = new WeakMap<HTMLMediaElement, number>();

beforeEach(() => {
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    playing.set(this, true);
    this.dispatchEvent(new Event('play'));
    return Promise.resolve();
  });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(function (this: HTMLMediaElement) {
    playing.set(this, false);
    this.dispatchEvent(new Event('pause'));
  });
  Object.defineProperty(HTMLMediaElement.prototype, 'paused', { configurable: true, get(this: HTMLMediaElement) { return !playing.get(this); } });
  Object.defineProperty(HTMLMediaElement.prototype, 'currentTime', {
    configurable: true,
    get(this: HTMLMediaElement) { return times.get(this) ?? 0; },
    set(this: HTMLMediaElement, v: number) { times.set(this, v); },
  });
  URL.createObjectURL = vi.fn(() => 'blob:voice');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => {
  cleanup?.();
  vi.restoreAllMocks();
});

/** A decoded second of a rising tone: the waveform grows from left to right. */
function decoded(duration = 10): DecodedAudio {
  const samples = new Float32Array(4800);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i / 3) * (i / samples.length);
  return { channels: [samples], duration };
}

function show(
  opts: { load?: () => Promise<{ name: string; mime: string; data: string }>; decode?: (bytes: ArrayBuffer) => Promise<DecodedAudio>; file?: FileInfo } = {},
) {
  const target = document.createElement('div');
  document.body.append(target);
  const load = vi.fn(opts.load ?? (() => Promise.resolve({ name: 'voice.ogg', mime: 'audio/ogg', data: 'T2dnUw==' })));
  const decode = vi.fn(opts.decode ?? ((_bytes: ArrayBuffer) => Promise.resolve(decoded())));
  const onSave = vi.fn();
  const c = mount(VoicePlayer, { target, props: { t, file: opts.file ?? file, load, onSave, decode } });
  cleanup = () => {
    unmount(c);
    target.remove();
  };
  const q = <T extends Element>(s: string) => target.querySelector<T>(s);
  return { target, load, decode, onSave, q };
}

describe('VoicePlayer', () => {
  it('fetches the file only on play, draws the waveform, plays, pauses and seeks by key', async () => {
    const { target, load, decode, q } = show();
    await settle();
    expect(load).not.toHaveBeenCalled();
    expect(q('[data-testid=voice-time]')?.textContent).toBe('0:12');
    expect(target.querySelectorAll('rect')).toHaveLength(48);

    q<HTMLButtonElement>('[data-testid=voice-play]')?.click();
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Uint8Array(decode.mock.calls[0]?.[0] ?? new ArrayBuffer(0))).toEqual(new Uint8Array([0x4f, 0x67, 0x67, 0x53]));
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
    expect(q('[data-testid=voice-play]')?.getAttribute('aria-label')).toBe('Pause');
    const heights = [...target.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(heights[47]).toBeGreaterThan(heights[2] ?? 0);
    expect(Math.max(...heights)).toBe(22);

    const wave = q<HTMLElement>('[role=slider]');
    wave?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await settle();
    expect(wave?.getAttribute('aria-valuetext')).toBe('0:05 of 0:10');
    expect(wave?.getAttribute('data-progress')).toBe('0.500');
    expect(target.querySelectorAll('rect.played')).toHaveLength(24);
    wave?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await settle();
    expect(wave?.getAttribute('aria-valuenow')).toBe('10');

    q<HTMLButtonElement>('[data-testid=voice-play]')?.click();
    await settle();
    expect(HTMLMediaElement.prototype.pause).toHaveBeenCalled();
    expect(q('[data-testid=voice-play]')?.getAttribute('aria-label')).toBe('Play voice message');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('gives a short clip a length of at least 0:01, and ends on its length', async () => {
    const { q } = show({ file: { ...file, duration: 0.5 }, decode: () => Promise.resolve(decoded(2.6)) });
    await settle();
    expect(q('[data-testid=voice-time]')?.textContent).toBe('0:01');
    q<HTMLButtonElement>('[data-testid=voice-play]')?.click();
    await settle();
    // The decoded length replaces the announced one; at the end the clock says it.
    q<HTMLElement>('[role=slider]')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    await settle();
    expect(q('[data-testid=voice-time]')?.textContent).toBe('0:03 / 0:03');
  });

  it('cycles the playback speed 1×, 1.5×, 2×', async () => {
    const { q } = show();
    const rate = () => q<HTMLButtonElement>('.rate');
    expect(rate()?.textContent).toBe('1×');
    rate()?.click();
    await settle();
    expect(rate()?.textContent).toBe('1.5×');
    expect(rate()?.getAttribute('aria-label')).toBe('Playback speed 1.5×');
    rate()?.click();
    rate()?.click();
    await settle();
    expect(rate()?.textContent).toBe('1×');
  });

  it('offers Save when the audio cannot be decoded', async () => {
    const { q, onSave } = show({ decode: () => Promise.reject(new DOMException('bad', 'EncodingError')) });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    q<HTMLButtonElement>('[data-testid=voice-play]')?.click();
    await settle();
    expect(q('[role=alert]')?.textContent).toContain('This voice message cannot be played here.');
    expect(HTMLMediaElement.prototype.play).not.toHaveBeenCalled();
    q<HTMLButtonElement>('[role=alert] button')?.click();
    expect(onSave).toHaveBeenCalledTimes(1);
  });

  it('says why the file could not be fetched, in words', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { q } = show({ load: () => Promise.reject(new BridgeError('ChatService.File', 'phonelink: not connected', 'notConnected')) });
    q<HTMLButtonElement>('[data-testid=voice-play]')?.click();
    await settle();
    const alert = q('[role=alert]')?.textContent ?? '';
    expect(alert).toContain('The voice message could not be loaded.');
    expect(alert).toContain(t('error.notConnected'));
    expect(alert).not.toContain('phonelink');
  });
});
