import { describe, expect, it } from 'vitest';
import { blobToBase64, fromBase64, toBase64 } from './files';
import { formatSize, initials, utf8Bytes } from './format';
import { receiverFromKey, receiverKey } from './receiver';
import { sanitizeSvg } from './svg';

describe('files and formats', () => {
  it('round-trips base64', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(await blobToBase64(new Blob(['abc']))).toBe('YWJj');
  });

  it('formats sizes, initials and UTF-8 lengths', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(50 * 1024 * 1024)).toBe('50 MB');
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('echo')).toBe('EC');
    expect(initials('~Bob')).toBe('BO');
    expect(initials('  ')).toBe('?');
    expect(utf8Bytes('aä😀')).toBe(1 + 2 + 4);
  });

  it('turns receivers into keys and back', () => {
    expect(receiverKey({ type: 'distributionList', id: 'x:y' })).toBe('distributionList:x:y');
    expect(receiverFromKey('distributionList:x:y')).toEqual({ type: 'distributionList', id: 'x:y' });
    expect(receiverFromKey('channel:x')).toBeUndefined();
  });

  it('sanitises SVG markup', () => {
    const out = sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><script>x()</script><a href="javascript:x()"><rect/></a><rect width="1"/></svg>');
    expect(out).not.toMatch(/script|onload|href/);
    expect(out).toContain('<rect width="1"');
    expect(sanitizeSvg('<div>no</div>')).toBe('');
    expect(sanitizeSvg('not xml')).toBe('');
  });
});
