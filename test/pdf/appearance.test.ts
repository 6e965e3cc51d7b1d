/**
 * Seal pictures as PDF appearances: SVG → path operators (every path command, arcs, transforms,
 * shapes; refusals for what is not vector), PNG of every colour type / bit depth / interlacing and
 * with transparency → image + soft mask (checked against the pixels it was made from), JPEG passed
 * through. The rendered result of both kinds is checked in render.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import { svgToPdf, pathDataToPdf } from '../../src/pdf/appearance/svg-to-pdf.js';
import { jpegToImage, pngToImage } from '../../src/pdf/appearance/raster.js';
import { sealAppearance, vectorAppearance } from '../../src/pdf/appearance/seal-form.js';
import { renderSealSvg, sealAppearanceForType } from '../../src/ses/appearance/index.js';
import { loadSealFont } from '../../src/storage/assets.js';
import { PdfRef, PdfStream, type PdfValue } from '../../src/pdf/objects.js';

/** A PNG written here, independently of the decoder: IHDR, optional PLTE/tRNS, one IDAT of filter-0 rows. */
function png(width: number, height: number, colorType: number, depth: number, rows: number[][], extra: { plte?: number[]; trns?: number[] } = {}): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    out.set(Buffer.from(type, 'latin1'), 4);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  const raw = Uint8Array.from(rows.flatMap((r) => [0, ...r]));
  const parts = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (extra.plte) parts.push(chunk('PLTE', Uint8Array.from(extra.plte)));
  if (extra.trns) parts.push(chunk('tRNS', Uint8Array.from(extra.trns)));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

const pixels = (d: Uint8Array) => [...inflateSync(d)];

describe('SVG to PDF path operators', () => {
  it('every path command, relative and absolute, becomes m/l/c/h; quadratics become cubics', () => {
    const ops = pathDataToPdf('M10 10 L20 10 H30 V20 l-5 5 h-5 v-5 C0 0 1 1 2 2 S3 3 4 4 Q5 5 6 6 T8 8 z m1 1 q1 1 2 2 t2 2 c1 1 1 1 1 1 s1 1 1 1 Z');
    expect(ops).toMatch(/^10 10 m\n20 10 l\n30 10 l\n30 20 l\n25 25 l\n20 25 l\n20 20 l\n0 0 1 1 2 2 c\n/);
    expect(ops.match(/ c\n/g)!.length).toBe(8);
    expect(ops.match(/h\n/g)!.length).toBe(2);
    expect(ops).not.toMatch(/[A-Za-z]{2,}|NaN/);
  });

  it('arcs become Béziers that end exactly at the arc end, including flags written without spaces', () => {
    const ops = pathDataToPdf('M0 0 A10 10 0 0 1 20 0 a5 5 0 1010 0');
    const lines = ops.trim().split('\n');
    expect(lines[0]).toBe('0 0 m');
    expect(lines.some((l) => l.endsWith(' 20 0 c'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/ 30 0 c$/);
  });

  it('circles, ellipses, rects, polygons, groups with transforms and styles', () => {
    const d = svgToPdf(
      '<?xml version="1.0"?><!-- x --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 30"><title>t</title>' +
        '<g transform="translate(1,2) rotate(90)" style="fill:#f00;stroke:none"><circle cx="5" cy="5" r="4"/><rect x="1" y="1" width="3" height="2" fill-rule="evenodd"/></g>' +
        '<ellipse cx="20" cy="15" rx="10" ry="5" fill="none" stroke="rgb(230,0,18)" stroke-width="1.5"/><polygon points="0,0 10,0 5,5"/><line x1="0" y1="0" x2="5" y2="5" stroke="black"/></svg>',
    );
    expect(d.viewBox).toEqual([0, 0, 40, 30]);
    expect(d.ops).toContain('0 1 -1 0 1 2 cm'); // translate then rotate(90), composed
    expect(d.ops).toContain('1 0 0 rg');
    expect(d.ops).toContain('0.902 0 0.0706 RG\n1.5 w');
    expect(d.ops).toMatch(/re\nf\*\n/); // fill-rule evenodd
    expect(d.ops).toMatch(/\nS\n/);
  });

  it('our own seal pictures (outline-only SVG from ses/appearance) convert completely', () => {
    for (const type of ['official', 'invoice', 'legal-rep'] as const) {
      const s = renderSealSvg(sealAppearanceForType(type, type === 'legal-rep' ? '张三' : '广州市某某科技有限公司', type === 'invoice' ? '91440101MA5XXXXX0X' : undefined), loadSealFont());
      const a = vectorAppearance(s.svg, s.widthMm, s.heightMm);
      expect(a.kind).toBe('vector');
      const objs: PdfValue[] = [];
      const ref = a.emit({ add: (v) => (objs.push(v), new PdfRef(objs.length, 0)) });
      expect(ref.num).toBe(1);
      const form = objs[0] as PdfStream;
      expect(form.dict.get('BBox')).toEqual([0, 0, Math.round(s.widthMm * (72 / 25.4) * 1000) / 1000, Math.round(s.heightMm * (72 / 25.4) * 1000) / 1000]);
      const content = Buffer.from(inflateSync(form.raw)).toString('latin1');
      expect(content.startsWith('/GS0 gs\nq\n')).toBe(true);
      expect(content.match(/^f$/gm)?.length).toBeGreaterThanOrEqual(3); // one filled path per glyph (and the star)
    }
  });

  it('what is not vector is refused with PDF_PICTURE_UNSUPPORTED', () => {
    for (const bad of [
      '<svg viewBox="0 0 1 1"><text>印</text></svg>',
      '<svg viewBox="0 0 1 1"><image href="x.png"/></svg>',
      '<svg viewBox="0 0 1 1"><rect width="1" height="1" fill="url(#g)"/></svg>',
      '<svg viewBox="0 0 1 1"><use href="#a"/></svg>',
      'not svg at all',
      '<svg><path d="M0 0"/></svg>',
    ]) {
      expect(() => svgToPdf(bad), bad).toThrow(expect.objectContaining({ code: 'PDF_PICTURE_UNSUPPORTED' }));
    }
  });
});

describe('PNG and JPEG pictures', () => {
  it('RGBA → RGB samples + an 8-bit soft mask', () => {
    const img = pngToImage(png(2, 1, 6, 8, [[255, 0, 0, 255, 0, 0, 255, 0]]));
    expect(img).toMatchObject({ width: 2, height: 1, colorSpace: 'DeviceRGB', filter: 'FlateDecode' });
    expect(pixels(img.data)).toEqual([255, 0, 0, 0, 0, 255]);
    expect(pixels(img.smask!)).toEqual([255, 0]);
  });

  it('opaque RGB has no soft mask; gray + alpha; 16-bit samples keep their high byte', () => {
    expect(pngToImage(png(1, 1, 2, 8, [[1, 2, 3]])).smask).toBeUndefined();
    const ga = pngToImage(png(2, 1, 4, 8, [[10, 255, 20, 128]]));
    expect(ga.colorSpace).toBe('DeviceGray');
    expect(pixels(ga.data)).toEqual([10, 20]);
    expect(pixels(ga.smask!)).toEqual([255, 128]);
    const deep = pngToImage(png(1, 1, 2, 16, [[0xab, 0xcd, 0x12, 0x34, 0xff, 0x00]]));
    expect(pixels(deep.data)).toEqual([0xab, 0x12, 0xff]);
  });

  it('palettes with tRNS, and 1/2/4-bit gray scaled to 8 bits', () => {
    const pal = pngToImage(png(4, 1, 3, 2, [[0b00011011]], { plte: [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9], trns: [0, 255] }));
    expect(pixels(pal.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    expect(pixels(pal.smask!)).toEqual([0, 255, 255, 255]);
    const g1 = pngToImage(png(8, 1, 0, 1, [[0b10100000]]));
    expect(pixels(g1.data)).toEqual([255, 0, 255, 0, 0, 0, 0, 0]);
    const g4 = pngToImage(png(2, 1, 0, 4, [[0xf3]]));
    expect(pixels(g4.data)).toEqual([255, 51]);
    // colour key transparency for gray
    const key = pngToImage(png(2, 1, 0, 8, [[7, 8]], { trns: [0, 7] }));
    expect(pixels(key.smask!)).toEqual([0, 255]);
  });

  it('Adam7-interlaced PNGs: a 3 x 3 image spread over its passes', () => {
    // 3x3 gray, interlaced: passes 1 (0,0), 2 none (x0=4), 3 none (y0=4), 4 (2,0), 5 (0,2),(2,2), 6 (1,0),(1,2), 7 row 1
    const values = [10, 20, 30, 40, 50, 60, 70, 80, 90];
    const at = (x: number, y: number) => values[y * 3 + x];
    const passRows = [[[at(0, 0)]], [[at(2, 0)]], [[at(0, 2), at(2, 2)]], [[at(1, 0)], [at(1, 2)]], [[at(0, 1), at(1, 1), at(2, 1)]]];
    const raw = passRows.flatMap((rows) => rows.flatMap((r) => [0, ...r]));
    const p = png(3, 3, 0, 8, []);
    // rebuild with interlace = 1 and our pass data
    const ihdrAt = 8 + 8;
    const bytes = Uint8Array.from(p);
    bytes[ihdrAt + 12] = 1;
    const body = Buffer.from(bytes);
    const idatAt = body.indexOf(Buffer.from('IDAT')) - 4;
    const head = body.subarray(0, idatAt);
    const withCrc = (type: string, data: Buffer) => {
      const b = Buffer.alloc(12 + data.length);
      b.writeUInt32BE(data.length, 0);
      b.write(type, 4, 'latin1');
      data.copy(b, 8);
      return b;
    };
    const full = Buffer.concat([head, withCrc('IDAT', deflateSync(Uint8Array.from(raw))), withCrc('IEND', Buffer.alloc(0))]);
    const img = pngToImage(new Uint8Array(full));
    expect(pixels(img.data)).toEqual(values);
  });

  it('JPEG: size and components from SOF, data passed through as DCTDecode', () => {
    const sof = [0xff, 0xc0, 0, 17, 8, 0, 20, 0, 30, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    const jpg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, ...sof, 0xff, 0xd9]);
    const img = jpegToImage(jpg);
    expect(img).toMatchObject({ width: 30, height: 20, colorSpace: 'DeviceRGB', filter: 'DCTDecode' });
    expect(img.data).toBe(jpg);
  });

  it('unknown or broken pictures and absurd sizes are refused', () => {
    expect(() => sealAppearance({ type: 'GIF', data: Buffer.from('GIF89a....'), widthMm: 40, heightMm: 40 })).toThrow(/cannot be drawn/);
    expect(() => pngToImage(Buffer.from('not a png at all, really not'))).toThrow(expect.objectContaining({ code: 'PDF_PICTURE_UNSUPPORTED' }));
    expect(() => pngToImage(png(20_000, 1, 0, 8, [[0]]))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(() => sealAppearance({ type: 'SVG', data: Buffer.from('<svg viewBox="0 0 1 1"/>'), widthMm: 0, heightMm: 40 })).toThrow(/not usable/);
  });

  it('appearances are cached by the picture hash: building the same seal twice returns the same template', () => {
    const data = png(1, 1, 2, 8, [[1, 2, 3]]);
    const a = sealAppearance({ type: 'PNG', data, widthMm: 40, heightMm: 40 });
    expect(sealAppearance({ type: 'png', data: data.slice(), widthMm: 40, heightMm: 40 })).toBe(a);
    expect(sealAppearance({ type: 'PNG', data, widthMm: 41, heightMm: 40 })).not.toBe(a);
  });
});
