// Small real PNG images for the browser suites and benchmarks.
import { crc32, deflateSync } from 'node:zlib';

/** A w×h RGB PNG with a gradient; hue (0–255) shifts its colours. */
export function makePNG(w = 12, h = 12, hue = 0) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc(h * (1 + w * 3));
  const sx = 240 / w;
  const sy = 240 / h;
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 3)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (1 + w * 3) + 1 + x * 3;
      raw[o] = (Math.round(x * sx) + hue) & 0xff;
      raw[o + 1] = (Math.round(y * sy) + hue * 2) & 0xff;
      raw[o + 2] = (200 - Math.round(x * sx * 0.4) + hue * 3) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
