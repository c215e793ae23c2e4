// Work that reads layout, put off until the browser has drawn a frame.

/**
 * Runs fn in a task after the browser's next frame, when the page is laid
 * out and reading it costs nothing (at once in a task where there are no
 * frames); returns a function that cancels it. Focusing the composer while
 * a chat opens forced a layout of the half-built chat, which the frame then
 * laid out again (docs/benchmarks.md, UI frame times).
 */
export function afterFrame(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frame: number | undefined;
  if (typeof requestAnimationFrame === 'function') {
    frame = requestAnimationFrame(() => {
      frame = undefined;
      timer = setTimeout(fn, 0);
    });
  } else timer = setTimeout(fn, 0);
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}
