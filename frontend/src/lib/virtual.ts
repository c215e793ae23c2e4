// Virtual list maths for fixed-height rows: which rows to draw for a scroll
// position, and where to scroll to show a row.

/** The rows to render and where they sit. */
export interface VisibleRange {
  /** First row to render (inclusive). */
  start: number;
  /** Last row to render (exclusive). */
  end: number;
  /** Pixels above the first rendered row. */
  offset: number;
  /** Height of all rows together. */
  total: number;
}

/** Computes the rendered rows for a viewport, with overscan rows on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 4,
): VisibleRange {
  const total = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, total - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(viewportHeight, 0) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scrollTop that brings row index fully into view, changing as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** A window [start, end) over a long list that is rendered in full. */
export interface Window {
  start: number;
  end: number;
}

/** Moves a window of at most max items towards the start of a list of length n by step. */
export function windowUp(w: Window, n: number, step: number, max: number): Window {
  const start = Math.max(0, w.start - step);
  return { start, end: Math.min(n, Math.max(start, Math.min(w.end, start + max))) };
}

/** Moves a window of at most max items towards the end of a list of length n by step. */
export function windowDown(w: Window, n: number, step: number, max: number): Window {
  const end = Math.min(n, w.end + step);
  return { start: Math.max(0, w.start, end - max), end };
}

/** The window showing the newest max items of a list of length n. */
export function windowLatest(n: number, max: number): Window {
  return { start: Math.max(0, n - max), end: n };
}
