// Fits a text field's height to its text, for engines without CSS
// field-sizing (the window's WebKitGTK lacks it; Chromium has it).

/**
 * Fits el to its text, up to max pixels, then lets it scroll. Measuring
 * collapses the field for a moment; its parent keeps its height meanwhile,
 * so that what sits above (the message list) does not grow and lose its place.
 */
export function fitToText(el: HTMLTextAreaElement, max: number): void {
  // Empty, the field is one row (rows="1" and the style's min-height): no
  // need to lay out the page to measure it, as a chat just opened would be.
  if (el.value === '') {
    el.style.height = '';
    el.style.overflowY = 'hidden';
    return;
  }
  const row = el.parentElement;
  if (row) row.style.minHeight = `${row.offsetHeight}px`;
  el.style.height = 'auto';
  const borders = el.offsetHeight - el.clientHeight;
  const wanted = el.scrollHeight + borders;
  el.style.height = `${Math.min(wanted, max)}px`;
  el.style.overflowY = wanted > max ? 'auto' : 'hidden';
  if (row) row.style.minHeight = '';
}
