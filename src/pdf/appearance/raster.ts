/**
 * @module pdf/appearance/raster
 * Raster seal pictures as PDF image XObjects (ISO 32000-1 §8.9.5): PNG (ISO/IEC 15948, every colour
 * type and bit depth, Adam7 interlacing, tRNS) is decoded to 8-bit samples plus an /SMask for its
 * transparency; JPEG is passed through as /DCTDecode. Sizes are bounded; GIF and BMP are refused.
 */
import { EsealError, fail } from '../../util/errors.js';
import { deflate, inflate } from '../_zlib.js';
import { unfilterPng } from '../filters.js';

export interface RasterImage {
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';
  /** /Filter of `data` */
  filter: 'FlateDecode' | 'DCTDecode';
  data: Uint8Array;
  /** /Decode for Adobe-inverted CMYK JPEGs */
  decode?: number[];
  /** 8-bit alpha, Flate-compressed, when the picture has transparency */
  smask?: Uint8Array;
}

/** Largest picture side accepted (a 80 mm seal at 1200 dpi is ~3,800 px). */
export const MAX_PICTURE_PIXELS_PER_SIDE = 10_000;
/** Largest decoded picture (pixels). */
export const MAX_PICTURE_PIXELS = 40_000_000;

const unsupported = (m: string): never => {
  throw new EsealError('PDF_PICTURE_UNSUPPORTED', m);
};

function checkSize(w: number, h: number, what: string): void {
  if (!(w > 0 && h > 0)) unsupported(`the ${what} picture has no size`);
  if (w > MAX_PICTURE_PIXELS_PER_SIDE || h > MAX_PICTURE_PIXELS_PER_SIDE || w * h > MAX_PICTURE_PIXELS) {
    throw new EsealError('LIMIT_EXCEEDED', `the ${what} picture is ${w} x ${h} pixels, more than eseal draws (${MAX_PICTURE_PIXELS_PER_SIDE} per side, ${MAX_PICTURE_PIXELS} in all)`, { limit: 'picturePixels' });
  }
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Decodes a PNG into an image XObject description. */
export function pngToImage(png: Uint8Array): RasterImage {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 33 || !sig.every((v, i) => png[i] === v)) unsupported('the picture is not a PNG');
  let p = 8;
  let width = 0, height = 0, depth = 0, ctype = -1, interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatLen = 0;
  while (p + 8 <= png.length) {
    const len = u32(png, p);
    const type = String.fromCharCode(png[p + 4], png[p + 5], png[p + 6], png[p + 7]);
    const data = png.subarray(p + 8, p + 8 + len);
    if (p + 12 + len > png.length) unsupported(`the PNG chunk ${type} runs past the end of the file`);
    if (type === 'IHDR') {
      width = u32(data, 0);
      height = u32(data, 4);
      depth = data[8];
      ctype = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') {
      idat.push(data);
      idatLen += data.length;
    } else if (type === 'IEND') break;
    p += 12 + len;
  }
  checkSize(width, height, 'PNG');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[ctype] ?? 0;
  if (!channels || ![1, 2, 4, 8, 16].includes(depth) || (ctype !== 0 && ctype !== 3 && depth < 8) || (ctype === 3 && depth > 8)) unsupported(`PNG colour type ${ctype} with bit depth ${depth} is invalid`);
  if (ctype === 3 && !palette) unsupported('the PNG has a palette colour type but no palette');
  const compressed = new Uint8Array(idatLen);
  let o = 0;
  for (const c of idat) {
    compressed.set(c, o);
    o += c.length;
  }
  const bitsPerPixel = channels * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const rowBytes = (w: number) => Math.ceil((w * bitsPerPixel) / 8);
  // Adam7 passes (ISO/IEC 15948 §8.2) or the whole image as one pass
  const passes = interlace
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]];
  let expected = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw > 0 && ph > 0) expected += ph * (rowBytes(pw) + 1);
  }
  const raw = inflate(compressed, expected + 1024);
  const gray = ctype === 0 || ctype === 4;
  const outCh = gray ? 1 : 3;
  const color = new Uint8Array(width * height * outCh);
  const hasAlpha = ctype === 4 || ctype === 6 || !!trns;
  const alpha = hasAlpha ? new Uint8Array(width * height).fill(255) : undefined;
  const maxVal = (1 << Math.min(depth, 8)) - 1;
  const to8 = (v: number) => (depth === 16 ? v >> 8 : depth === 8 ? v : Math.round((v * 255) / maxVal));
  const keyGray = trns && ctype === 0 && trns.length >= 2 ? (trns[0] << 8) | trns[1] : -1;
  const keyRgb = trns && ctype === 2 && trns.length >= 6 ? [(trns[0] << 8) | trns[1], (trns[2] << 8) | trns[3], (trns[4] << 8) | trns[5]] : undefined;
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rb = rowBytes(pw);
    const len = ph * (rb + 1);
    if (offset + len > raw.length) unsupported('the PNG image data is truncated');
    const rows = unfilterPng(raw.subarray(offset, offset + len), rb, bpp);
    offset += len;
    for (let r = 0; r < ph; r++) {
      const row = rows.subarray(r * rb, (r + 1) * rb);
      const y = y0 + r * dy;
      // fast paths: 8-bit RGBA and RGB without interlacing (what renderers write)
      if (depth === 8 && dx === 1 && (ctype === 6 || (ctype === 2 && !keyRgb))) {
        const base = y * width;
        for (let c = 0, s = 0; c < pw; c++) {
          const o = (base + c) * 3;
          color[o] = row[s++];
          color[o + 1] = row[s++];
          color[o + 2] = row[s++];
          if (ctype === 6) alpha![base + c] = row[s++];
        }
        continue;
      }
      for (let c = 0; c < pw; c++) {
        const i = y * width + x0 + c * dx;
        // sample k of this pixel (full value, 0..2^depth-1)
        const at = c * channels;
        const sample = (k: number): number => {
          if (depth === 8) return row[at + k];
          if (depth === 16) return (row[(at + k) * 2] << 8) | row[(at + k) * 2 + 1];
          const bit = (at + k) * depth;
          return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        };
        if (ctype === 3) {
          const idx = sample(0);
          color[i * 3] = palette![idx * 3] ?? 0;
          color[i * 3 + 1] = palette![idx * 3 + 1] ?? 0;
          color[i * 3 + 2] = palette![idx * 3 + 2] ?? 0;
          if (alpha && trns) alpha[i] = idx < trns.length ? trns[idx] : 255;
        } else if (gray) {
          const g = sample(0);
          color[i] = to8(g);
          if (ctype === 4) alpha![i] = to8(sample(1));
          else if (alpha && g === keyGray) alpha[i] = 0;
        } else {
          const rr = sample(0), gg = sample(1), bb = sample(2);
          color[i * 3] = to8(rr);
          color[i * 3 + 1] = to8(gg);
          color[i * 3 + 2] = to8(bb);
          if (ctype === 6) alpha![i] = to8(sample(3));
          else if (alpha && keyRgb && rr === keyRgb[0] && gg === keyRgb[1] && bb === keyRgb[2]) alpha[i] = 0;
        }
      }
    }
  }
  const opaque = !alpha || alpha.every((a) => a === 255);
  return {
    width,
    height,
    colorSpace: gray ? 'DeviceGray' : 'DeviceRGB',
    filter: 'FlateDecode',
    // level 3: 5x faster than the default for ~15% more bytes (a seal picture is compressed once per seal)
    data: deflate(color, 3),
    ...(opaque ? {} : { smask: deflate(alpha!, 3) }),
  };
}

/** A baseline or progressive JPEG as a /DCTDecode image (its size and components read from SOFn). */
export function jpegToImage(jpg: Uint8Array): RasterImage {
  if (jpg.length < 4 || jpg[0] !== 0xff || jpg[1] !== 0xd8) unsupported('the picture is not a JPEG');
  let p = 2;
  let adobe = false;
  while (p + 4 <= jpg.length) {
    if (jpg[p] !== 0xff) {
      p++;
      continue;
    }
    const m = jpg[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    const len = (jpg[p + 2] << 8) | jpg[p + 3];
    if (m === 0xee && String.fromCharCode(...jpg.subarray(p + 4, p + 9)) === 'Adobe') adobe = true;
    if ((m >= 0xc0 && m <= 0xc3) || (m >= 0xc5 && m <= 0xc7) || (m >= 0xc9 && m <= 0xcb) || (m >= 0xcd && m <= 0xcf)) {
      const height = (jpg[p + 5] << 8) | jpg[p + 6];
      const width = (jpg[p + 7] << 8) | jpg[p + 8];
      const comps = jpg[p + 9];
      checkSize(width, height, 'JPEG');
      const colorSpace = comps === 1 ? 'DeviceGray' : comps === 3 ? 'DeviceRGB' : comps === 4 ? 'DeviceCMYK' : unsupported(`a JPEG with ${comps} components`);
      return { width, height, colorSpace, filter: 'DCTDecode', data: jpg, ...(comps === 4 && adobe ? { decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {}) };
    }
    if (m === 0xd9 || m === 0xda) break;
    p += 2 + len;
  }
  return fail('PDF_PICTURE_UNSUPPORTED', 'the JPEG has no frame header (SOF)');
}
