/**
 * @module ses/appearance/png-palette
 * A seal picture is one ink colour on a transparent background, anti-aliased at the edges. Written as
 * an indexed PNG (16 alpha steps of the ink in a PLTE/tRNS palette, 4 bits per pixel) it is about a
 * fifth of the size of the renderer's RGBA PNG — and every seal travels inside every signature made
 * with it, so its size is paid on every stamp (hashing, storage, transfer).
 */
import { zlibSync } from 'fflate';
import { crc32 } from '../../util/crc32.js';
import { concatBytes } from '../../util/bytes.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const LEVELS = 16;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels as a 4-bit palette PNG when every visible pixel has the same colour (within a
 * small tolerance); returns undefined otherwise (the caller keeps the RGBA PNG). `premultiplied`:
 * colour channels are scaled by alpha, as resvg renders them.
 */
export function encodeSingleInkPng(rgba: Uint8Array, width: number, height: number, premultiplied = true): Uint8Array | undefined {
  const colour = (i: number): [number, number, number] => {
    const k = premultiplied ? 255 / rgba[i + 3] : 1;
    return [Math.min(255, Math.round(rgba[i] * k)), Math.min(255, Math.round(rgba[i + 1] * k)), Math.min(255, Math.round(rgba[i + 2] * k))];
  };
  let ink: [number, number, number] | undefined;
  for (let i = 0; i < rgba.length && !ink; i += 4) if (rgba[i + 3] === 255) ink = colour(i);
  for (let i = 0; ink && i < rgba.length; i += 4) {
    if (rgba[i + 3] < 32) continue; // faint edge pixels carry little colour information
    const c = colour(i);
    if (Math.abs(c[0] - ink[0]) > 24 || Math.abs(c[1] - ink[1]) > 24 || Math.abs(c[2] - ink[2]) > 24) return undefined;
  }
  if (!ink) ink = [0, 0, 0];
  const rowBytes = Math.ceil(width / 2);
  const raw = new Uint8Array((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (rowBytes + 1); // filter byte 0 (None): flat areas compress well as they are
    for (let x = 0; x < width; x++) {
      const a = rgba[(y * width + x) * 4 + 3];
      const level = Math.round((a * (LEVELS - 1)) / 255);
      raw[row + 1 + (x >> 1)] |= x & 1 ? level : level << 4;
    }
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([4, 3, 0, 0, 0], 8); // bit depth 4, colour type 3 (palette), deflate, filter 0, no interlace
  const plte = new Uint8Array(LEVELS * 3);
  const trns = new Uint8Array(LEVELS);
  for (let i = 0; i < LEVELS; i++) {
    plte.set(ink, i * 3);
    trns[i] = Math.round((i * 255) / (LEVELS - 1));
  }
  return concatBytes(SIGNATURE, chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('tRNS', trns), chunk('IDAT', zlibSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)));
}
