/**
 * checkSealPicture: every rule on synthetic pictures, the real pictures inside the sample seals, and
 * the FZZ-style "250 x 251 mm" that are really pixels.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PICTURE_MAX_BYTES, SVG_MAX_BYTES, checkSealPicture, type PictureCheckResult } from '../../src/ses/appearance/picture-check.js';
import { parseDer, readInteger, readOctetString, readString } from '../../src/util/der.js';
import { SAMPLES, sample } from '../helpers/openssl.js';

const enc = new TextEncoder();

function be32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** PNG signature + IHDR (CRC not checked by the header reader) + IEND. */
function png(w: number, h: number, extra = 0): Uint8Array {
  const ihdr = [...be32(13), ...enc.encode('IHDR'), ...be32(w), ...be32(h), 8, 6, 0, 0, 0, 0, 0, 0, 0];
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr, ...new Array(extra).fill(0), ...be32(0), ...enc.encode('IEND'), 0, 0, 0, 0]);
}
function gif(w: number, h: number): Uint8Array {
  return new Uint8Array([...enc.encode('GIF89a'), ...le16(w), ...le16(h), 0, 0, 0, 0x3b]);
}
function bmp(w: number, h: number, core = false): Uint8Array {
  const dib = core ? [...le32(12), ...le16(w), ...le16(h), 1, 0, 24, 0] : [...le32(40), ...le32(w), ...le32(h), 1, 0, 24, 0, ...new Array(24).fill(0)];
  return new Uint8Array([0x42, 0x4d, ...le32(14 + dib.length), 0, 0, 0, 0, ...le32(14 + dib.length), ...dib]);
}
/** JPEG: SOI, `app` APPn segments, DQT, SOF0 (or none), SOS, EOI. */
function jpeg(w: number, h: number, opts: { app?: number; sof?: boolean; fill?: boolean } = {}): Uint8Array {
  const seg = (m: number, body: number[]) => [0xff, m, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const parts: number[] = [0xff, 0xd8];
  parts.push(...seg(0xe0, [...enc.encode('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  for (let i = 0; i < (opts.app ?? 0); i++) parts.push(...seg(0xe1, [1, 2, 3]));
  if (opts.fill) parts.push(0xff, 0xff);
  parts.push(...seg(0xdb, new Array(65).fill(1)));
  if (opts.sof !== false) parts.push(...seg(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
  parts.push(...seg(0xda, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]), 0x12, 0x34, 0xff, 0xd9);
  return new Uint8Array(parts);
}
const svg = (body: string, root = '<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="40mm" viewBox="0 0 40 40">') => enc.encode(`${root}${body}</svg>`);

const codes = (r: PictureCheckResult) => r.problems.map((p) => `${p.severity}:${p.code}`);
const check = (type: string, data: Uint8Array, widthMm = 40, heightMm = 40) => checkSealPicture({ type, data, widthMm, heightMm });

describe('checkSealPicture: formats', () => {
  it('accepts each known format with matching magic bytes, type case-insensitive, and reads pixel sizes', () => {
    const cases: [string, Uint8Array, number, number][] = [
      ['PNG', png(400, 400), 400, 400],
      ['png', png(400, 400), 400, 400],
      ['GIF', gif(300, 300), 300, 300],
      ['Jpg', jpeg(500, 500), 500, 500],
      ['JPEG', jpeg(500, 500, { app: 3, fill: true }), 500, 500],
      ['BMP', bmp(472, 472), 472, 472],
      ['bmp', bmp(472, 472, true), 472, 472],
    ];
    for (const [type, data, w, h] of cases) {
      const r = check(type, data);
      expect(r.problems, type).toEqual([]);
      expect(r.ok).toBe(true);
      expect([r.pixelWidth, r.pixelHeight], type).toEqual([w, h]);
    }
    expect(check('SVG', svg('<circle cx="20" cy="20" r="19" fill="none" stroke="#E60012"/>')).problems).toEqual([]);
  });

  it('accepts an OFD (zip) picture, as tax seals use, without warnings', () => {
    const real = new Uint8Array(sample('extracted/gomain_zj_1.seal_picture.ofd'));
    expect(check('ofd', real, 30, 20)).toEqual({ ok: true, problems: [], detected: 'OFD' });
    expect(check('OFD', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 30, 20).problems).toEqual([]);
  });

  it('reports an unknown type, naming what the data looks like', () => {
    const r = check('TIFF', png(400, 400));
    expect(codes(r)).toEqual(['error:PICTURE_TYPE_UNKNOWN']);
    expect(r.problems[0].message).toBe('The picture type "TIFF" is not one of PNG, JPG, GIF, BMP, SVG or OFD; the data looks like a PNG image.');
    expect(r.ok).toBe(false);
  });

  it('reports magic bytes that disagree with the declared type', () => {
    const r = check('PNG', gif(300, 300));
    expect(codes(r)).toEqual(['error:PICTURE_TYPE_MISMATCH']);
    expect(r.problems[0].message).toBe('The picture is declared as PNG but its data is a GIF image.');
    const unknown = check('GIF', new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect(unknown.problems[0].message).toBe('The picture is declared as GIF but its data does not start like a GIF image.');
    expect(codes(check('ofd', png(400, 400)))).toEqual(['error:PICTURE_TYPE_MISMATCH']);
    expect(codes(check('svg', jpeg(500, 500)))).toEqual(['error:PICTURE_TYPE_MISMATCH']);
  });

  it('reports empty data', () => {
    expect(codes(check('PNG', new Uint8Array(0)))).toEqual(['error:PICTURE_EMPTY']);
  });

  it(`reports data over the size limit (${PICTURE_MAX_BYTES} bytes)`, () => {
    const r = check('PNG', png(2000, 2000, PICTURE_MAX_BYTES));
    expect(codes(r)).toEqual(['error:PICTURE_TOO_LARGE']);
    expect(r.problems[0].message).toMatch(/^The picture is \d+ bytes; at most 2097152 bytes are accepted for a seal picture\.$/);
  });

  it('reports unreadable headers and absurd pixel sizes', () => {
    expect(codes(check('PNG', png(400, 400).subarray(0, 20)))).toEqual(['error:PICTURE_HEADER_MALFORMED']);
    expect(codes(check('PNG', png(0, 400)))).toEqual(['error:PICTURE_HEADER_MALFORMED']);
    expect(check('PNG', png(0, 400)).problems[0].message).toBe('The PNG header cannot be read: the header gives 0 x 400 pixels.');
    const huge = check('PNG', png(40000, 40000));
    expect(codes(huge)).toEqual(['error:PICTURE_TOO_MANY_PIXELS']);
    expect(codes(check('JPG', jpeg(500, 500, { sof: false })))).toEqual(['error:PICTURE_HEADER_MALFORMED']);
    expect(check('JPG', jpeg(500, 500, { sof: false })).problems[0].message).toMatch(/image data starts before a frame header/);
  });

  it('walks at most 512 JPEG segments looking for the frame header', () => {
    expect(check('JPG', jpeg(500, 500, { app: 100 })).problems).toEqual([]);
    const r = check('JPG', jpeg(500, 500, { app: 600 }));
    expect(codes(r)).toEqual(['error:PICTURE_HEADER_MALFORMED']);
    expect(r.problems[0].message).toMatch(/no frame header \(SOF\) in the first 512 segments/);
    const truncated = jpeg(500, 500).subarray(0, 30);
    expect(check('JPG', truncated).problems[0].message).toMatch(/bad length|ends before/);
  });
});

describe('checkSealPicture: millimetres, shape and resolution', () => {
  it('reports sides outside 10..80 mm', () => {
    const small = check('PNG', png(100, 100), 5, 5);
    expect(codes(small)).toEqual(['error:PICTURE_SIZE_OUT_OF_RANGE']);
    expect(small.problems[0].message).toBe('The picture size 5 x 5 mm is outside the usual 10..80 mm for each side of a seal.');
    expect(codes(check('PNG', png(1500, 1500), 90, 90))).toEqual(['error:PICTURE_SIZE_OUT_OF_RANGE']);
    expect(codes(check('PNG', png(400, 400), 0, 40))).toEqual(['error:PICTURE_SIZE_INVALID']);
    expect(codes(check('PNG', png(400, 400), NaN, 40))).toEqual(['error:PICTURE_SIZE_INVALID']);
  });

  it('says so when the "millimetres" are really the pixel size (FZZ-style 250 x 251)', () => {
    const r = check('PNG', png(250, 251), 250, 251);
    expect(codes(r)).toEqual(['error:PICTURE_SIZE_IN_PIXELS']);
    expect(r.problems[0].message).toBe(
      "The picture size 250 x 251 mm is the picture's pixel size (250 x 251 px) written where millimetres belong; a seal is 10..80 mm a side (e.g. 40 x 40).",
    );
    const unknownPixels = check('SVG', svg(''), 250, 251);
    expect(codes(unknownPixels)).toEqual(['error:PICTURE_SIZE_IN_PIXELS']);
    expect(unknownPixels.problems[0].message).toMatch(/far larger than any seal and looks like a pixel size written where millimetres belong/);
  });

  it('reports strange shapes: a warning past 2:1, an error past 4:1', () => {
    expect(codes(check('PNG', png(1000, 400), 60, 25))).toEqual(['warning:PICTURE_ASPECT']);
    expect(check('PNG', png(1000, 400), 60, 25).ok).toBe(true);
    const r = check('PNG', png(1000, 120), 80, 10);
    expect(codes(r)).toEqual(['error:PICTURE_ASPECT']);
    expect(r.problems[0].message).toBe('The picture is 80 x 10 mm, a 8.0:1 shape no seal has (at most 4:1).');
  });

  it('warns when the raster resolution is below 100 dpi', () => {
    const r = check('GIF', gif(42, 42), 42, 42);
    expect(codes(r)).toEqual(['warning:PICTURE_LOW_RESOLUTION']);
    expect(r.problems[0].message).toBe('The 42 x 42 px picture shown at 42 x 42 mm has 25 dpi; at least 100 dpi is needed for a clear seal.');
    expect(r.ok).toBe(true);
    expect(check('PNG', png(158, 158), 40, 40).problems).toEqual([]); // 100.3 dpi
  });

  it('warns when pixels and millimetres have different shapes (the seal would be stretched)', () => {
    const r = check('PNG', png(400, 200), 40, 40);
    expect(codes(r)).toEqual(['warning:PICTURE_ASPECT_MISMATCH']);
    expect(r.problems[0].message).toBe('The picture is 400 x 200 px but shown at 40 x 40 mm, so it is stretched by 100%.');
  });
});

describe('checkSealPicture: SVG', () => {
  const bad: [string, string, string][] = [
    ['a <script> element', '<script>alert(1)</script>', 'SVG_SCRIPT'],
    ['an event handler', '<rect width="1" height="1" onload="alert(1)"/>', 'SVG_SCRIPT'],
    ['an http reference', '<image href="http://example.com/seal.png" width="40" height="40"/>', 'SVG_EXTERNAL_REFERENCE'],
    ['a file reference', '<use xlink:href="file:///etc/passwd#x"/>', 'SVG_EXTERNAL_REFERENCE'],
    ['an external url() paint', '<rect width="1" height="1" fill="url(http://example.com/p.svg#g)"/>', 'SVG_EXTERNAL_REFERENCE'],
    ['a CSS @import', '<style>@import "http://example.com/a.css";</style>', 'SVG_EXTERNAL_REFERENCE'],
    ['a foreignObject', '<foreignObject width="10" height="10"><p>x</p></foreignObject>', 'SVG_FOREIGN_OBJECT'],
    ['an unclosed element', '<g><path d="M0 0L1 1"/>', 'SVG_MALFORMED'],
    ['a mismatched end tag', '<g></path>', 'SVG_MALFORMED'],
  ];
  for (const [what, body, code] of bad) {
    it(`reports ${what}`, () => {
      const r = check('SVG', svg(body));
      expect(codes(r)).toContain(`error:${code}`);
      expect(r.ok).toBe(false);
      for (const p of r.problems) expect(p.message).toMatch(/^The SVG .+\.$/);
    });
  }

  it('reports DOCTYPE and ENTITY declarations', () => {
    const r = check('SVG', enc.encode('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'));
    expect(codes(r)).toContain('error:SVG_DOCTYPE');
  });

  it('reports a root element that is not <svg> and text that is not UTF-8', () => {
    expect(codes(check('SVG', enc.encode('<html><svg></svg></html>')))).toContain('error:SVG_MALFORMED');
    const notUtf8 = new Uint8Array([...enc.encode('<svg>'), 0xff, 0xfe, ...enc.encode('</svg>')]);
    expect(codes(check('SVG', notUtf8))).toEqual(['error:SVG_MALFORMED']);
  });

  it('accepts fragment references, embedded PNGs, comments and an XML declaration', () => {
    const ok = check(
      'svg',
      enc.encode(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- seal --><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40mm" height="40mm">' +
          '<defs><path id="p" d="M0 0L1 1"/></defs><use xlink:href="#p"/><rect fill="url(#g)" width="1" height="1"/>' +
          '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/><text>one = 1</text></svg>',
      ),
    );
    expect(ok.problems).toEqual([]);
  });

  it(`reports SVG over ${SVG_MAX_BYTES} bytes`, () => {
    const r = check('SVG', svg(`<!--${'x'.repeat(SVG_MAX_BYTES)}-->`));
    expect(codes(r)).toEqual(['error:PICTURE_TOO_LARGE']);
  });
});

describe('checkSealPicture: the pictures inside real seals', () => {
  const dir = join(SAMPLES, 'seals');
  const files = readdirSync(dir).filter((f) => /\.esl$/i.test(f) || f === 'SESealData_HebeiGede.DER');
  it('finds the sample seals', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const f of files) {
    it(`${f}: the picture passes`, () => {
      // SESeal → SES_SealInfo → picture (4th element) → type, data, width, height
      const info = parseDer(new Uint8Array(sample(`seals/${f}`)), { what: f }).children()[0];
      const [type, data, width, height] = info.children()[3].children();
      const input = { type: readString(type), data: readOctetString(data), widthMm: Number(readInteger(width)), heightMm: Number(readInteger(height)) };
      const r = checkSealPicture(input);
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
      if (f.includes('HebeiGede')) {
        expect(input).toMatchObject({ type: 'GIF', widthMm: 42, heightMm: 42 });
        expect(r.detected).toBe('GIF');
      } else {
        expect(input).toMatchObject({ type: 'PNG', widthMm: 40, heightMm: 40 });
        expect([r.detected, r.pixelWidth, r.pixelHeight]).toEqual(['PNG', 400, 400]);
      }
    });
  }
});
