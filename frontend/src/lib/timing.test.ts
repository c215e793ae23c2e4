import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftSaver } from './drafts';
import { TypingNotifier } from './typing';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('DraftSaver', () => {
  it('saves the last text after a pause, per conversation', () => {
    const save = vi.fn(async () => {});
    const d = new DraftSaver(save, 500);
    d.change('contact:A', 'h');
    d.change('contact:A', 'he');
    d.change('contact:B', 'x');
    vi.advanceTimersByTime(499);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save.mock.calls).toEqual([
      ['contact:A', 'he'],
      ['contact:B', 'x'],
    ]);
  });

  it('flushes at once and cancels after sending', () => {
    const save = vi.fn(async () => {});
    const d = new DraftSaver(save, 500);
    d.change('k', 'draft');
    d.flush('k');
    expect(save).toHaveBeenCalledWith('k', 'draft');
    d.change('k', 'sent text');
    d.cancel('k');
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(1);
  });
});

describe('TypingNotifier', () => {
  it('says typing at most every 5 s and stops after 5 s idle', () => {
    let now = 0;
    const sent: boolean[] = [];
    const n = new TypingNotifier((on) => sent.push(on), () => now);
    for (let i = 0; i < 10; i++) {
      now += 600;
      vi.advanceTimersByTime(600);
      n.input();
    }
    // 6 s of typing: once at the start, once after 5 s.
    expect(sent).toEqual([true, true]);
    now += 5000;
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([true, true, false]);
  });

  it('stops on send and says nothing if not typing', () => {
    const sent: boolean[] = [];
    const n = new TypingNotifier((on) => sent.push(on), () => 0);
    n.stop();
    n.input();
    n.stop();
    expect(sent).toEqual([true, false]);
  });
});
