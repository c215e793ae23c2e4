import { describe, expect, it, vi } from 'vitest';
import { conversation, message } from '../testing/fakeGo';
import { contrast } from './color';
import { LinkNotices, notificationFor, shouldNotify } from './notify';
import { summaryOf } from './preview';
import { translator } from '../i18n';

const settings = { theme: 'light', language: 'en', notifications: true, sound: true, preview: true } as const;
const conv = conversation({ receiver: { type: 'contact', id: 'A' }, name: 'Alice' });

describe('notifications', () => {
  it('notifies only when enabled, unfocused and not muted', () => {
    expect(shouldNotify(settings, false, conv)).toBe(true);
    expect(shouldNotify(settings, true, conv)).toBe(false);
    expect(shouldNotify({ ...settings, notifications: false }, false, conv)).toBe(false);
    expect(shouldNotify(settings, false, { ...conv, muted: true })).toBe(false);
  });

  it('says what a message without text is', () => {
    const file = { name: 'voice-20261206-101500.ogg', size: 9, mime: 'audio/ogg', thumbnail: false, width: 0, height: 0, duration: 6.6 };
    const voice = message({ id: 'v', type: 'file', text: '', file });
    expect(notificationFor(settings, 'Kurier', 'New message', 'Alice', voice, summaryOf(voice, translator('en')).text)).toEqual({
      title: 'Alice',
      body: 'Voice message (0:07)',
    });
  });

  it('names the member who wrote in a group before the text', () => {
    const m = message({ id: 'g', receiver: { type: 'group', id: '0102030405060708' }, sender: 'BOB00001', text: 'see you' });
    expect(notificationFor(settings, 'Kurier', 'New message', 'Climbers', m, 'see you', 'Bob')).toEqual({ title: 'Climbers', body: 'Bob: see you' });
    expect(notificationFor({ ...settings, preview: false }, 'Kurier', 'New message', 'Climbers', m, 'see you', 'Bob')).toEqual({
      title: 'Kurier',
      body: 'New message',
    });
  });

  it('hides sender and text without preview', () => {
    const m = message({ id: '1', text: 'secret plans' });
    expect(notificationFor(settings, 'Kurier', 'New message', 'Alice', m, 'secret plans')).toEqual({ title: 'Alice', body: 'secret plans' });
    expect(notificationFor({ ...settings, preview: false }, 'Kurier', 'New message', 'Alice', m, 'secret plans')).toEqual({
      title: 'Kurier',
      body: 'New message',
    });
  });
});

describe('theme colours', () => {
  // The pairs the UI draws text with; WCAG AA asks 4.5:1 for text.
  it.each([
    ['light text', '#1c2129', '#ffffff'],
    ['light muted', '#5d6875', '#e9edf2'],
    ['light accent button', '#ffffff', '#0b7a5a'],
    ['light link', '#0b57a4', '#eef1f5'],
    ['light outgoing bubble', '#1c2129', '#d5f0e4'],
    ['light banner', '#4a3500', '#fff1c9'],
    ['dark text', '#e8ebef', '#1f232a'],
    ['dark muted', '#9aa4b0', '#14171c'],
    ['dark accent button', '#0d1a14', '#2fbf8f'],
    ['dark link', '#7cb7ff', '#2a3039'],
    ['dark outgoing bubble', '#e8ebef', '#1f4437'],
    ['dark banner', '#ffe7a3', '#3d3210'],
  ])('%s has enough contrast', (_name, fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('LinkNotices', () => {
  it('tells when the phone is gone for longer than the delay, and when it is back', () => {
    vi.useFakeTimers();
    try {
      const said: string[] = [];
      const n = new LinkNotices((w) => said.push(w), 1000);
      n.update('disconnected'); // never connected yet: nothing to say
      vi.advanceTimersByTime(2000);
      expect(said).toEqual([]);
      n.update('connected');
      n.update('disconnected');
      vi.advanceTimersByTime(999);
      expect(said).toEqual([]);
      n.update('connecting');
      vi.advanceTimersByTime(1);
      expect(said).toEqual(['lost']);
      n.update('connected');
      expect(said).toEqual(['lost', 'back']);
      // A short drop says nothing.
      n.update('disconnected');
      vi.advanceTimersByTime(500);
      n.update('connected');
      vi.advanceTimersByTime(2000);
      expect(said).toEqual(['lost', 'back']);
      n.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
