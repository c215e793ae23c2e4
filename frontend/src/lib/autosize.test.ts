// fitToText: an emptied field goes back to its one row without measuring
// (no layout while a chat opens); a field with text is measured and capped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitToText } from './autosize';

afterEach(() => vi.restoreAllMocks());

function field(value: string): HTMLTextAreaElement {
  const row = document.createElement('div');
  const el = document.createElement('textarea');
  row.append(el);
  el.value = value;
  return el;
}

describe('fitToText', () => {
  it('gives an empty field back its one row without laying out the page', () => {
    const el = field('');
    el.style.height = '120px';
    el.style.overflowY = 'auto';
    const scrollHeight = vi.spyOn(el, 'scrollHeight', 'get');
    fitToText(el, 180);
    expect(scrollHeight).not.toHaveBeenCalled();
    expect(el.style.height).toBe('');
    expect(el.style.overflowY).toBe('hidden');
  });

  it('fits a field with text to it, up to the most, then scrolls', () => {
    const el = field('one\ntwo\nthree');
    vi.spyOn(el, 'scrollHeight', 'get').mockReturnValue(60);
    fitToText(el, 180);
    expect(el.style.height).toBe('60px');
    expect(el.style.overflowY).toBe('hidden');
    vi.spyOn(el, 'scrollHeight', 'get').mockReturnValue(400);
    fitToText(el, 180);
    expect(el.style.height).toBe('180px');
    expect(el.style.overflowY).toBe('auto');
  });
});
