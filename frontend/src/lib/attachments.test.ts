import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { addFiles, isMediaImage, maxAttachments, nameOf, refusalSentence, uploadOf } from './attachments';

const t = translator('en');
const file = (name: string, type: string, size = 3) => new File([new Uint8Array(size).fill(97)], name, { type });

describe('attachments', () => {
  it('previews and sends as images only the types every app shows as one', () => {
    expect(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'IMAGE/PNG'].every(isMediaImage)).toBe(true);
    expect(['image/svg+xml', 'image/heic', 'image/tiff', 'application/pdf', ''].some(isMediaImage)).toBe(false);
  });

  it('refuses files over the limit and empty ones, and caps the count', () => {
    const first = addFiles([], [file('a.png', 'image/png'), file('big.bin', 'application/octet-stream', 2000), file('empty.txt', 'text/plain', 0)], 1000);
    expect(first.items.map((a) => [a.file.name, a.image])).toEqual([['a.png', true]]);
    expect(first.refused).toEqual([
      { kind: 'tooLarge', name: 'big.bin', size: 2000 },
      { kind: 'empty', name: 'empty.txt' },
    ]);
    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.txt`, 'text/plain'));
    const second = addFiles(first.items, many, 1000);
    expect(second.items).toHaveLength(maxAttachments);
    expect(second.items[0]).toBe(first.items[0]);
    expect(second.refused).toEqual([{ kind: 'tooMany', dropped: 3 }]);
    expect(new Set(second.items.map((a) => a.key)).size).toBe(maxAttachments);
  });

  it('says each refusal in words', () => {
    expect(refusalSentence(t, { kind: 'tooLarge', name: 'big.bin', size: 2048 }, 1024)).toBe('“big.bin” is 2.0 KB; files may be at most 1.0 KB.');
    expect(refusalSentence(t, { kind: 'tooMany', dropped: 2 }, 1024)).toBe('At most 10 files can be sent at once; 2 more were left out.');
    expect(refusalSentence(t, { kind: 'empty', name: 'e.txt' }, 1024)).toBe('“e.txt” is empty and was left out.');
  });

  it('names a pasted file that has no name', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    expect(nameOf(file('', 'image/jpeg'), at)).toBe('pasted-20260102-030405.jpg');
    expect(nameOf(file('', ''), at)).toBe('pasted-20260102-030405.bin');
    expect(nameOf(file('x.png', 'image/png'), at)).toBe('x.png');
  });

  it('sends the bytes as they are, the caption trimmed, and non-images (or images when asked) as files', async () => {
    const { items } = addFiles([], [file('a.png', 'image/png'), file('b.pdf', 'application/pdf'), file('c', '')], 1000);
    const [img, pdf, bare] = items;
    if (!img || !pdf || !bare) throw new Error('not added');
    img.caption = '  hello  ';
    const at = new Date();
    expect(await uploadOf(img, false, at)).toEqual({ name: 'a.png', mime: 'image/png', data: 'YWFh', caption: 'hello', sendAsFile: false });
    expect((await uploadOf(img, true, at)).sendAsFile).toBe(true);
    expect(await uploadOf(pdf, false, at)).toEqual({ name: 'b.pdf', mime: 'application/pdf', data: 'YWFh', caption: '', sendAsFile: true });
    expect((await uploadOf(bare, false, at)).mime).toBe('application/octet-stream');
  });
});
