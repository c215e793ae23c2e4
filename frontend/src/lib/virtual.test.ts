import { describe, expect, it } from 'vitest';
import { scrollToShow, visibleRange, windowDown, windowLatest, windowUp } from './virtual';

describe('visibleRange', () => {
  it('renders the visible rows plus overscan', () => {
    expect(visibleRange(0, 640, 64, 5000, 4)).toEqual({ start: 0, end: 15, offset: 0, total: 320000 });
    expect(visibleRange(6400, 640, 64, 5000, 4)).toEqual({ start: 96, end: 115, offset: 6144, total: 320000 });
  });

  it('clamps at the end and for short lists', () => {
    expect(visibleRange(1e9, 640, 64, 5000, 4)).toMatchObject({ end: 5000 });
    expect(visibleRange(1e9, 640, 64, 5000, 4).start).toBe(4990 - 4);
    expect(visibleRange(0, 640, 64, 3, 4)).toEqual({ start: 0, end: 3, offset: 0, total: 192 });
    expect(visibleRange(0, 640, 64, 0)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
    expect(visibleRange(-50, 640, 64, 100, 0).start).toBe(0);
  });

  it('renders a bounded number of rows however long the list', () => {
    for (const count of [10_000, 1_000_000]) {
      const r = visibleRange(12345, 800, 64, count);
      expect(r.end - r.start).toBeLessThanOrEqual(Math.ceil(800 / 64) + 1 + 8);
    }
  });
});

describe('scrollToShow', () => {
  it('scrolls only as far as needed', () => {
    expect(scrollToShow(0, 640, 640, 64)).toBe(0);
    expect(scrollToShow(20, 0, 640, 64)).toBe(21 * 64 - 640);
    expect(scrollToShow(12, 640, 640, 64)).toBe(640);
  });
});

describe('message windows', () => {
  it('moves and bounds the window', () => {
    expect(windowLatest(500, 150)).toEqual({ start: 350, end: 500 });
    expect(windowLatest(20, 150)).toEqual({ start: 0, end: 20 });
    expect(windowUp({ start: 350, end: 500 }, 500, 50, 150)).toEqual({ start: 300, end: 450 });
    expect(windowUp({ start: 20, end: 100 }, 500, 50, 150)).toEqual({ start: 0, end: 100 });
    expect(windowDown({ start: 300, end: 450 }, 500, 50, 150)).toEqual({ start: 350, end: 500 });
    expect(windowDown({ start: 0, end: 100 }, 500, 50, 150)).toEqual({ start: 0, end: 150 });
    expect(windowDown({ start: 400, end: 490 }, 500, 50, 150)).toEqual({ start: 400, end: 500 });
  });
});
