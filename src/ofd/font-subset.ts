/**
 * @module ofd/font-subset
 * Per-document TrueType subsets for the fonts an OFD embeds (GB/T 33190 §11.1 Font/FontFile): only
 * the glyphs the document's text uses, so a one-page document carries a few KiB of font instead of
 * the 2.8 MiB GB 2312 font.
 *
 * fontkit's TTFSubset copies the glyph outlines (composite glyphs included) but writes no `cmap`,
 * `name`, `OS/2` or `post`, which OFD readers need to map TextCode characters to glyphs. This module
 * assembles a complete sfnt around it: a Unicode `cmap` (format 4, plus format 12 beyond the BMP),
 * `OS/2` and `name` from the source font, a version 3 `post`, tables sorted and 4-byte aligned,
 * checksums and head.checkSumAdjustment as the OpenType spec requires.
 */
import * as fontkit from 'fontkit';
import { EsealError, fail } from '../util/errors.js';

type Font = fontkit.Font;

const cache = new WeakMap<Uint8Array, Font>();

/** Opens a TrueType font once per bytes object. */
export function openTrueType(bytes: Uint8Array): Font {
  const hit = cache.get(bytes);
  if (hit) return hit;
  let f: fontkit.Font | fontkit.FontCollection;
  try {
    f = fontkit.create(bytes as unknown as Parameters<typeof fontkit.create>[0]);
  } catch (e) {
    throw new EsealError('FONT_MALFORMED', `not a readable TrueType/OpenType font: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (!f || !('glyphForCodePoint' in f)) fail('FONT_MALFORMED', 'a font collection was given; pass one font');
  cache.set(bytes, f as Font);
  return f as Font;
}

function tableDirectory(b: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint16(4);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const p = 12 + 16 * i;
    const tag = String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
    const off = dv.getUint32(p + 8);
    const len = dv.getUint32(p + 12);
    if (off + len > b.length) fail('FONT_MALFORMED', `font table ${tag} lies outside the file`);
    out.set(tag, b.subarray(off, off + len));
  }
  return out;
}

function checksum(b: Uint8Array): number {
  let sum = 0;
  const n = b.length;
  for (let i = 0; i < n; i += 4) sum = (sum + ((b[i] << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0))) >>> 0;
  return sum >>> 0;
}

/** cmap with (3,1) and (0,3) → format 4 for the BMP, and (3,10) → format 12 when needed. */
function buildCmap(map: [number, number][]): Uint8Array {
  const sorted = [...map].sort((a, b) => a[0] - b[0]);
  const bmp = sorted.filter(([cp]) => cp < 0xffff);
  // segments of consecutive code points with consecutive glyph ids
  const segs: { start: number; end: number; delta: number }[] = [];
  for (const [cp, gid] of bmp) {
    const last = segs[segs.length - 1];
    if (last && cp === last.end + 1 && ((gid - cp) & 0xffff) === last.delta) last.end = cp;
    else segs.push({ start: cp, end: cp, delta: (gid - cp) & 0xffff });
  }
  segs.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const segX2 = segs.length * 2;
  const f4len = 16 + segs.length * 8;
  if (f4len > 0xffff) fail('LIMIT_EXCEEDED', 'too many characters for a format 4 cmap');
  const f4 = new Uint8Array(f4len);
  const d4 = new DataView(f4.buffer);
  let search = 1;
  let sel = 0;
  while (search * 2 <= segs.length) {
    search *= 2;
    sel++;
  }
  d4.setUint16(0, 4);
  d4.setUint16(2, f4len);
  d4.setUint16(6, segX2);
  d4.setUint16(8, search * 2);
  d4.setUint16(10, sel);
  d4.setUint16(12, segX2 - search * 2);
  segs.forEach((s, i) => {
    d4.setUint16(14 + i * 2, s.end);
    d4.setUint16(16 + segX2 + i * 2, s.start);
    d4.setUint16(16 + segX2 * 2 + i * 2, s.delta);
    d4.setUint16(16 + segX2 * 3 + i * 2, 0);
  });
  const astral = sorted.filter(([cp]) => cp > 0xffff);
  let f12: Uint8Array | undefined;
  if (astral.length) {
    f12 = new Uint8Array(16 + sorted.length * 12);
    const d = new DataView(f12.buffer);
    d.setUint16(0, 12);
    d.setUint32(4, f12.length);
    d.setUint32(12, sorted.length);
    sorted.forEach(([cp, gid], i) => {
      d.setUint32(16 + i * 12, cp);
      d.setUint32(20 + i * 12, cp);
      d.setUint32(24 + i * 12, gid);
    });
  }
  const records = f12 ? 3 : 2;
  const headLen = 4 + records * 8;
  const out = new Uint8Array(headLen + f4.length + (f12?.length ?? 0));
  const d = new DataView(out.buffer);
  d.setUint16(2, records);
  const rec = (i: number, platform: number, encoding: number, offset: number) => {
    d.setUint16(4 + i * 8, platform);
    d.setUint16(6 + i * 8, encoding);
    d.setUint32(8 + i * 8, offset);
  };
  rec(0, 0, 3, headLen);
  rec(1, 3, 1, headLen);
  if (f12) rec(2, 3, 10, headLen + f4.length);
  out.set(f4, headLen);
  if (f12) out.set(f12, headLen + f4.length);
  return out;
}

function postV3(orig: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(32);
  if (orig && orig.length >= 16) out.set(orig.subarray(0, 16));
  new DataView(out.buffer).setUint32(0, 0x00030000);
  return out;
}

function writeSfnt(tables: Map<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  let size = 12 + 16 * n;
  for (const t of tags) size += (tables.get(t)!.length + 3) & ~3;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let search = 1;
  let sel = 0;
  while (search * 2 <= n) {
    search *= 2;
    sel++;
  }
  dv.setUint32(0, 0x00010000);
  dv.setUint16(4, n);
  dv.setUint16(6, search * 16);
  dv.setUint16(8, sel);
  dv.setUint16(10, n * 16 - search * 16);
  let off = 12 + 16 * n;
  let headOff = -1;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!.slice();
    if (tag === 'head') new DataView(data.buffer).setUint32(8, 0); // checkSumAdjustment computed below
    const p = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[p + k] = tag.charCodeAt(k);
    dv.setUint32(p + 4, checksum(data));
    dv.setUint32(p + 8, off);
    dv.setUint32(p + 12, data.length);
    out.set(data, off);
    if (tag === 'head') headOff = off;
    off += (data.length + 3) & ~3;
  });
  if (headOff >= 0) dv.setUint32(headOff + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}

export interface FontSubset {
  /** the TrueType file to embed */
  bytes: Uint8Array;
  /** characters it maps */
  chars: string[];
  glyphCount: number;
}

/** A TrueType subset holding the glyphs of `text` (every character that the font has). */
export function subsetTrueType(fontBytes: Uint8Array, text: Iterable<string>): FontSubset {
  const font = openTrueType(fontBytes);
  const original = tableDirectory(fontBytes);
  if (!original.has('glyf')) fail('FONT_UNSUPPORTED', 'only TrueType (glyf) fonts can be subset; this font has CFF outlines');
  const cps = [...new Set(Array.from(text, (c) => c.codePointAt(0)!))].filter((cp) => cp >= 0x20 && font.hasGlyphForCodePoint(cp)).sort((a, b) => a - b);
  // fontkit's includeGlyph returns the new glyph id (its typings say boolean) and accepts an id
  const subset = font.createSubset() as unknown as { includeGlyph(gid: number): number; encode(): Uint8Array };
  const map: [number, number][] = [];
  for (const cp of cps) map.push([cp, subset.includeGlyph(font.glyphForCodePoint(cp).id)]);
  const encoded = subset.encode();
  const tables = tableDirectory(new Uint8Array(encoded));
  tables.set('cmap', buildCmap(map));
  for (const t of ['OS/2', 'name']) if (original.has(t)) tables.set(t, original.get(t)!);
  tables.set('post', postV3(original.get('post')));
  return { bytes: writeSfnt(tables), chars: cps.map((c) => String.fromCodePoint(c)), glyphCount: map.length + 1 };
}
