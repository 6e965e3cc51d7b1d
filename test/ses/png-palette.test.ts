import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { encodeSingleInkPng } from '../../src/ses/appearance/png-palette.js';

/** premultiplied RGBA: a red disc with soft edges */
function disc(size: number, rgb = [230, 0, 18]): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - size / 2, y - size / 2);
      const a = Math.round(255 * Math.min(1, Math.max(0, size / 3 - r)));
      px.set([Math.round((rgb[0] * a) / 255), Math.round((rgb[1] * a) / 255), Math.round((rgb[2] * a) / 255), a], (y * size + x) * 4);
    }
  return px;
}

describe('single-ink palette PNG', () => {
  it('writes 4-bit palette PNG chunks whose pixels keep the ink and alpha (16 steps)', () => {
    const px = disc(64);
    const png = encodeSingleInkPng(px, 64, 64)!;
    expect(Buffer.from(png.subarray(12, 16)).toString()).toBe('IHDR');
    expect([png[24], png[25]]).toEqual([4, 3]);
    const text = Buffer.from(png).toString('latin1');
    const plte = png.subarray(text.indexOf('PLTE') + 4, text.indexOf('PLTE') + 4 + 48);
    for (let i = 0; i < 16; i++) expect(Array.from(plte.subarray(i * 3, i * 3 + 3))).toEqual([230, 0, 18]);
    const idatAt = text.indexOf('IDAT');
    const len = new DataView(png.buffer, png.byteOffset).getUint32(idatAt - 4);
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len));
    expect(raw.length).toBe(64 * 33);
    // centre pixel opaque (index 15), corner transparent (index 0)
    expect(raw[32 * 33 + 1 + 16] >> 4).toBe(15);
    expect(raw[1] >> 4).toBe(0);
  });
  it('refuses pictures of more than one colour (the caller keeps RGBA)', () => {
    const px = disc(32);
    px.set([0, 0, 255, 255], (16 * 32 + 16) * 4);
    expect(encodeSingleInkPng(px, 32, 32)).toBeUndefined();
  });
});
