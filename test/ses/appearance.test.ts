/**
 * Seal appearance (印模): golden SVGs (byte-exact) and PNGs (decoded pixels, small tolerance), the
 * geometry rules for names of 2..30 characters, determinism, bad input, the shipped font.
 *
 * UPDATE_GOLDEN=1 npx vitest run test/ses/appearance.test.ts   rewrites test/golden/appearance/ and
 * the pictures of docs/seal-appearances.md (docs/img/seal-*.png).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import {
  type SealAppearanceSpec,
  type SealAppearanceLayout,
  type SealType,
  SEAL_TYPES,
  boxesOverlap,
  checkSealPicture,
  contactSheetSvg,
  corners,
  renderSealSvg,
  sealAppearanceForType,
} from '../../src/ses/appearance/index.js';
import { renderSealPng } from '../../src/ses/appearance/render-png.js';
import { assetsDir, loadDocumentFont, loadSealFont } from '../../src/storage/assets.js';
import { isEsealError } from '../../src/util/errors.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN = join(__dirname, '../golden/appearance');
const DOCS_IMG = join(__dirname, '../../docs/img');
const font = loadSealFont();

const NAME30 = '中华人民共和国广东省广州市天河区某某某某科技发展有限责任公司';

/** The golden cases: file stem → spec. */
const CASES: Record<string, SealAppearanceSpec> = {
  'round-official-42': sealAppearanceForType('official', '广东省人民政府办公厅'),
  'round-official-40-code': { ...sealAppearanceForType('official', '广州市某某科技有限公司', '4401060012345'), sizeMm: { width: 40, height: 40 } },
  'round-contract-38': sealAppearanceForType('contract', '广州市某某科技有限公司', '4401060012345'),
  'round-finance-38': sealAppearanceForType('finance', '广州市某某科技有限公司'),
  'round-contract-30-chars': sealAppearanceForType('contract', NAME30, '4401060012345'),
  'round-official-short': sealAppearanceForType('official', '张三公司'),
  'oval-invoice-40x28': sealAppearanceForType('invoice', '广州市某某科技有限公司', '91440101MA5CXXXX1X'),
  'oval-finance-40x30': { kind: 'oval', name: '深圳市某某贸易有限公司', purpose: '财务专用章', code: '91440300MA5FXXXX2Y' },
  'square-legal-rep-zhangsan': sealAppearanceForType('legal-rep', '张三'),
  'square-legal-rep-3-chars': sealAppearanceForType('legal-rep', '李小龙'),
  'square-personal-ouyang': sealAppearanceForType('personal', '欧阳娜娜'),
  'square-personal-zhangsan': sealAppearanceForType('personal', '张三'),
};

// ------------------------------------------------------------------------------------ PNG decoding

/** A small PNG decoder (8-bit RGBA or RGB, or a 4/8-bit palette with tRNS; not interlaced): enough for our output. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0, height = 0, colorType = 0, depth = 8;
  let plte: Uint8Array = new Uint8Array(0);
  let trns: Uint8Array = new Uint8Array(0);
  const idat: Uint8Array[] = [];
  while (off < png.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      depth = body[8];
      colorType = body[9];
      expect([2, 3, 6]).toContain(colorType);
      expect(colorType === 3 ? [4, 8] : [8], 'bit depth').toContain(depth);
      expect(body[12], 'interlace').toBe(0);
    } else if (type === 'PLTE') plte = body;
    else if (type === 'tRNS') trns = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = colorType === 3 ? Math.ceil((width * depth) / 8) : width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0;
      const b = prev[x];
      const c = x >= bpp ? prev[x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      if (colorType === 3) {
        const idx = depth === 8 ? cur[x] : x & 1 ? cur[x >> 1] & 15 : cur[x >> 1] >> 4;
        out.set([plte[idx * 3], plte[idx * 3 + 1], plte[idx * 3 + 2], idx < trns.length ? trns[idx] : 255], (y * width + x) * 4);
      } else out.set([cur[x * bpp], cur[x * bpp + 1], cur[x * bpp + 2], bpp === 4 ? cur[x * bpp + 3] : 255], (y * width + x) * 4);
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/**
 * Fraction of pixels that look different: compared as colour over white (so the colour a fully
 * transparent pixel happens to carry does not count) with a tolerance of 24 per channel.
 */
function pixelDifference(a: Uint8Array, b: Uint8Array): { differing: number; width: number; height: number } {
  const A = decodePng(a);
  const B = decodePng(b);
  expect([B.width, B.height]).toEqual([A.width, A.height]);
  let differing = 0;
  for (let i = 0; i < A.rgba.length; i += 4) {
    let d = 0;
    const over = (p: Uint8Array, k: number) => (p[i + k] * p[i + 3] + 255 * (255 - p[i + 3])) / 255;
    for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs(over(A.rgba, k) - over(B.rgba, k)));
    if (d > 24) differing++;
  }
  return { differing: differing / (A.width * A.height), width: A.width, height: A.height };
}

// ------------------------------------------------------------------------------------ golden files

describe('seal appearance: golden pictures', () => {
  if (UPDATE) mkdirSync(GOLDEN, { recursive: true });
  for (const [stem, spec] of Object.entries(CASES)) {
    it(`${stem} (SVG byte-exact, PNG by pixels)`, () => {
      const { svg } = renderSealSvg(spec, font);
      const png = renderSealPng(svg);
      const svgPath = join(GOLDEN, `${stem}.svg`);
      const pngPath = join(GOLDEN, `${stem}.png`);
      if (UPDATE) {
        writeFileSync(svgPath, svg);
        writeFileSync(pngPath, png);
      }
      expect(svg === readFileSync(svgPath, 'utf8'), `${stem}.svg differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(true);
      const diff = pixelDifference(png, new Uint8Array(readFileSync(pngPath)));
      expect(diff.differing, `${stem}.png: share of pixels that differ`).toBeLessThan(0.002);
    });
  }

  it('the pictures of docs/seal-appearances.md', () => {
    const docFont = loadDocumentFont();
    const byType: Record<SealType, SealAppearanceSpec> = {
      official: sealAppearanceForType('official', '广东省人民政府办公厅'),
      contract: sealAppearanceForType('contract', '广州市某某科技有限公司', '4401060012345'),
      finance: sealAppearanceForType('finance', '广州市某某科技有限公司', '4401060012346'),
      invoice: sealAppearanceForType('invoice', '广州市某某科技有限公司', '91440101MA5CXXXX1X'),
      'legal-rep': sealAppearanceForType('legal-rep', '张三'),
      personal: sealAppearanceForType('personal', '欧阳娜娜'),
    };
    const captions: Record<SealType, string> = {
      official: 'official 公章 42 mm',
      contract: 'contract 合同专用章 38 mm',
      finance: 'finance 财务专用章 38 mm',
      invoice: 'invoice 发票专用章 40×28',
      'legal-rep': 'legal-rep 法定代表人名章 20×20',
      personal: 'personal 个人名章 20×20',
    };
    const items = [
      ...SEAL_TYPES.map((t) => ({ layout: renderSealSvg(byType[t], font).layout, caption: captions[t] })),
      { layout: renderSealSvg(CASES['round-contract-30-chars'], font).layout, caption: '30 characters 30 个字' },
      { layout: renderSealSvg(CASES['oval-finance-40x30'], font).layout, caption: 'oval finance 椭圆财务章 40×30' },
      { layout: renderSealSvg(CASES['round-official-short'], font).layout, caption: 'short name 短名称' },
      { layout: renderSealSvg(CASES['square-legal-rep-3-chars'], font).layout, caption: '3 characters + 印' },
      { layout: renderSealSvg(sealAppearanceForType('personal', '张三'), font).layout, caption: '2 characters 两字名章' },
      { layout: renderSealSvg(sealAppearanceForType('invoice', '某某公司', '91440101MA5CXXXX1X'), font).layout, caption: 'short invoice name' },
    ];
    const sheet = contactSheetSvg(items, docFont, { columns: 4 });
    expect(sheet).not.toMatch(/<text|<image|href/);
    if (UPDATE) {
      mkdirSync(DOCS_IMG, { recursive: true });
      for (const t of SEAL_TYPES) writeFileSync(join(DOCS_IMG, `seal-${t}.png`), renderSealPng(renderSealSvg(byType[t], font).svg, { dpi: 200 }));
      writeFileSync(join(DOCS_IMG, 'seal-contact-sheet.png'), renderSealPng(sheet, { dpi: 120 }));
    }
    for (const t of SEAL_TYPES) expect(existsSync(join(DOCS_IMG, `seal-${t}.png`)), `docs/img/seal-${t}.png`).toBe(true);
    expect(existsSync(join(DOCS_IMG, 'seal-contact-sheet.png'))).toBe(true);
  });
});

// ------------------------------------------------------------------------------------ geometry

/** All coordinate pairs of a glyph path (on-curve and control points: the curve lies in their hull). */
function pathPoints(d: string): [number, number][] {
  const nums = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  expect(nums.length % 2).toBe(0);
  const pts: [number, number][] = [];
  for (let i = 0; i < nums.length; i += 2) pts.push([nums[i], nums[i + 1]]);
  return pts;
}

/** Angle of a point seen from the centre, degrees clockwise from straight up, in (-180, 180]. */
const bearing = (x: number, y: number, cx: number, cy: number) => Math.atan2(x - cx, -(y - cy)) * (180 / Math.PI);

function checkRoundGeometry(l: SealAppearanceLayout, maxArc: number): void {
  expect(l.textArea.shape).toBe('circle');
  if (l.textArea.shape !== 'circle' || l.border.shape !== 'circle') return;
  const { cx, cy, r: textR } = l.textArea;
  const ringInner = l.border.r - l.borderWidth / 2;
  const star = l.star!;
  for (const g of l.glyphs) {
    // em boxes: inside the text area (ring less a gap), outside the star's bounding circle
    for (const [x, y] of corners(g.box)) expect(Math.hypot(x - cx, y - cy), `${g.char} box corner`).toBeLessThanOrEqual(textR + 1e-6);
    // the ink: every outline point inside the ring's inner edge and outside the star's circle
    for (const [x, y] of pathPoints(g.path)) {
      const r = Math.hypot(x - cx, y - cy);
      expect(r, `${g.char} outline inside the ring`).toBeLessThan(ringInner);
      expect(r, `${g.char} outline outside the star`).toBeGreaterThan(star.r);
    }
  }
  for (const g of l.glyphs) {
    const c = corners(g.box);
    const nearest = Math.min(...c.map(([x, y]) => Math.hypot(x - cx, y - cy)));
    if (g.role !== 'purpose') expect(nearest, `${g.char} box clear of the star`).toBeGreaterThan(star.r);
    else expect(Math.min(...c.map(([, y]) => y)), 'purpose under the star').toBeGreaterThan(star.cy + star.r);
  }
  // no two glyphs overlap
  for (let i = 0; i < l.glyphs.length; i++) {
    for (let j = i + 1; j < l.glyphs.length; j++) {
      expect(boxesOverlap(l.glyphs[i].box, l.glyphs[j].box), `${l.glyphs[i].char}#${i} overlaps ${l.glyphs[j].char}#${j}`).toBe(false);
    }
  }
  // the name: clockwise, evenly spaced, upright to the arc, within the maximum arc
  const name = l.glyphs.filter((g) => g.role === 'name');
  const angles = name.map((g) => bearing(g.box.cx, g.box.cy, cx, cy));
  for (let i = 0; i < name.length; i++) {
    expect(name[i].box.rot, 'turned to the tangent, top outward').toBeCloseTo(angles[i], 6);
    for (const [x, y] of corners(name[i].box)) expect(Math.abs(bearing(x, y, cx, cy))).toBeLessThanOrEqual(maxArc / 2 + 1e-6);
  }
  for (let i = 1; i < angles.length; i++) {
    expect(angles[i]).toBeGreaterThan(angles[i - 1]);
    if (i > 1) expect(angles[i] - angles[i - 1]).toBeCloseTo(angles[1] - angles[0], 6);
  }
  expect(angles[0] + angles[angles.length - 1], 'symmetric about the top').toBeCloseTo(0, 6);
  // the code: left to right along the lower arc, tops toward the centre
  const code = l.glyphs.filter((g) => g.role === 'code');
  for (let i = 0; i < code.length; i++) {
    expect(code[i].box.cy).toBeGreaterThan(cy);
    if (i > 0) expect(code[i].box.cx).toBeGreaterThan(code[i - 1].box.cx);
    const up = [Math.sin((code[i].box.rot * Math.PI) / 180), -Math.cos((code[i].box.rot * Math.PI) / 180)];
    const toCentre = [cx - code[i].box.cx, cy - code[i].box.cy];
    expect(up[0] * toCentre[1] - up[1] * toCentre[0], 'code glyph top points at the centre').toBeCloseTo(0, 6);
    expect(up[0] * toCentre[0] + up[1] * toCentre[1]).toBeGreaterThan(0);
  }
}

function checkOvalGeometry(l: SealAppearanceLayout): void {
  if (l.textArea.shape !== 'ellipse' || l.border.shape !== 'ellipse') throw new Error('not an oval layout');
  const { cx, cy, rx, ry } = l.textArea;
  const inRx = l.border.rx - l.borderWidth / 2;
  const inRy = l.border.ry - l.borderWidth / 2;
  for (const g of l.glyphs) {
    for (const [x, y] of corners(g.box)) expect(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2, `${g.char} box inside`).toBeLessThanOrEqual(1 + 1e-9);
    for (const [x, y] of pathPoints(g.path)) expect(((x - cx) / inRx) ** 2 + ((y - cy) / inRy) ** 2, `${g.char} ink inside the ring`).toBeLessThan(1);
  }
  for (let i = 0; i < l.glyphs.length; i++) {
    for (let j = i + 1; j < l.glyphs.length; j++) expect(boxesOverlap(l.glyphs[i].box, l.glyphs[j].box), `${l.glyphs[i].char}#${i} overlaps ${l.glyphs[j].char}#${j}`).toBe(false);
  }
  const name = l.glyphs.filter((g) => g.role === 'name');
  const angles = name.map((g) => bearing(g.box.cx, g.box.cy, cx, cy));
  for (let i = 1; i < name.length; i++) expect(angles[i], 'name reads clockwise over the top').toBeGreaterThan(angles[i - 1]);
  expect(angles[0] + angles[angles.length - 1], 'symmetric about the top').toBeCloseTo(0, 6);
  const code = l.glyphs.filter((g) => g.role === 'code');
  const purpose = l.glyphs.filter((g) => g.role === 'purpose');
  for (const g of code) expect(g.box.rot).toBe(0);
  if (code.length && purpose.length) expect(purpose[0].box.cy).toBeGreaterThan(code[0].box.cy);
}

describe('seal appearance: geometry', () => {
  const base = '广州市天河区某某某某科技发展有限责任公司中华人民共和国广东省';
  for (let n = 2; n <= 30; n++) {
    const name = Array.from(base).slice(0, n).join('');
    it(`round seals, ${n}-character name: text inside the ring, clear of the star, no overlaps, even and upright`, () => {
      checkRoundGeometry(renderSealSvg(sealAppearanceForType('official', name), font).layout, 250);
      const contract = renderSealSvg(sealAppearanceForType('contract', name, '4401060012345'), font).layout;
      checkRoundGeometry(contract, 250);
      checkRoundGeometry(renderSealSvg({ kind: 'round', name, purpose: '财务专用章', code: '91440101MA5CXXXX1X', sizeMm: { width: 40, height: 40 } }, font).layout, 250);
      checkRoundGeometry(renderSealSvg({ kind: 'round', name, maxNameArcDeg: 200 }, font).layout, 200);
    });
    it(`oval seals, ${n}-character name: text inside the ring, no overlaps`, () => {
      checkOvalGeometry(renderSealSvg(sealAppearanceForType('invoice', name, '91440101MA5CXXXX1X'), font).layout);
      checkOvalGeometry(renderSealSvg({ kind: 'oval', name, purpose: '财务专用章' }, font).layout);
    });
  }

  it('long names are squeezed (narrower, then smaller) while short ones keep the nominal size', () => {
    const short = renderSealSvg(sealAppearanceForType('official', '广东省人民政府'), font).layout.glyphs[0].box;
    const ten = renderSealSvg(sealAppearanceForType('official', '广东省人民政府办公厅'), font).layout.glyphs[0].box;
    const long = renderSealSvg(sealAppearanceForType('official', NAME30), font).layout.glyphs[0].box;
    expect(ten.h).toBeCloseTo(short.h, 6);
    expect(ten.w).toBeLessThan(short.w);
    expect(long.h).toBeLessThan(ten.h);
    expect(long.w / long.h).toBeLessThan(ten.w / ten.h + 1e-9);
  });

  it('square seals: cells read right column first, top to bottom; 印 / 之印 fill four cells', () => {
    const order = (name: string, appendYin = false) =>
      renderSealSvg({ kind: 'square', name, appendYin }, font)
        .layout.glyphs.slice()
        .sort((a, b) => b.box.cx - a.box.cx || a.box.cy - b.box.cy)
        .map((g) => g.char)
        .join('');
    expect(order('欧阳娜娜')).toBe('欧阳娜娜');
    expect(order('李小龙', true)).toBe('李小龙印');
    expect(order('张三', true)).toBe('张三之印');
    expect(order('张三')).toBe('张三');
    expect(order('李小龙')).toBe('李小龙');
    const l = renderSealSvg({ kind: 'square', name: '李小龙' }, font).layout;
    expect(l.glyphs[2].box.h, 'the third character fills the left column').toBeGreaterThan(l.glyphs[0].box.h * 1.9);
    if (l.textArea.shape !== 'rect') throw new Error('rect');
    const a = l.textArea;
    for (const g of l.glyphs) {
      for (const [x, y] of corners(g.box)) {
        expect(x).toBeGreaterThanOrEqual(a.x - 1e-9);
        expect(x).toBeLessThanOrEqual(a.x + a.width + 1e-9);
        expect(y).toBeGreaterThanOrEqual(a.y - 1e-9);
        expect(y).toBeLessThanOrEqual(a.y + a.height + 1e-9);
      }
    }
  });
});

// ------------------------------------------------------------------------------------ API behaviour

describe('seal appearance: API', () => {
  it('is deterministic: same input, byte-identical SVG (also from a copy of the font bytes)', () => {
    for (const spec of Object.values(CASES)) {
      const a = renderSealSvg(spec, font).svg;
      const b = renderSealSvg(spec, new Uint8Array(font)).svg;
      expect(a === b).toBe(true);
    }
  });

  it('SVG has no text, fonts, transforms or external references; sizes in mm', () => {
    const r = renderSealSvg(CASES['round-contract-38'], font);
    expect(r.widthMm).toBe(38);
    expect(r.heightMm).toBe(38);
    expect(r.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="38mm" height="38mm" viewBox="0 0 38 38">/);
    expect(r.svg).not.toMatch(/<text|font-family|transform=|href|<image|<script/);
    expect(r.svg).toContain('#E60012');
    const check = checkSealPicture({ type: 'svg', data: new TextEncoder().encode(r.svg), widthMm: 38, heightMm: 38 });
    expect(check.problems).toEqual([]);
  });

  it('PNG: transparent background, red ink, size from mm and dpi, passes the picture check', () => {
    const { svg } = renderSealSvg(CASES['round-official-42'], font);
    const png = renderSealPng(svg);
    const { width, height, rgba } = decodePng(png);
    expect(Math.abs(width - (42 / 25.4) * 300)).toBeLessThanOrEqual(1);
    expect(height).toBe(width);
    expect(rgba[3], 'corner is transparent').toBe(0);
    const c = (Math.floor(height / 2) * width + Math.floor(width / 2)) * 4; // the star's centre
    expect([...rgba.subarray(c, c + 4)]).toEqual([0xe6, 0x00, 0x12, 255]);
    expect(decodePng(renderSealPng(svg, { dpi: 150 })).width).toBe(Math.round(width / 2));
    expect(checkSealPicture({ type: 'PNG', data: png, widthMm: 42, heightMm: 42 }).problems).toEqual([]);
    expect(() => renderSealPng(svg, { dpi: 0 })).toThrow(/dpi/);
  });

  it('maps every CLI seal type to a shape, size and purpose', () => {
    const m = Object.fromEntries(SEAL_TYPES.map((t) => [t, sealAppearanceForType(t, '某某公司', '123')]));
    expect(m.official).toMatchObject({ kind: 'round', sizeMm: { width: 42, height: 42 }, code: '123' });
    expect(m.official.purpose).toBeUndefined();
    expect(m.contract).toMatchObject({ kind: 'round', purpose: '合同专用章', sizeMm: { width: 38, height: 38 } });
    expect(m.finance).toMatchObject({ kind: 'round', purpose: '财务专用章', sizeMm: { width: 38, height: 38 } });
    expect(m.invoice).toMatchObject({ kind: 'oval', purpose: '发票专用章', sizeMm: { width: 40, height: 28 } });
    expect(m['legal-rep']).toMatchObject({ kind: 'square', appendYin: true, sizeMm: { width: 20, height: 20 } });
    expect(m.personal).toMatchObject({ kind: 'square', sizeMm: { width: 20, height: 20 } });
    expect(sealAppearanceForType('official', '某某公司').code).toBeUndefined();
    expect(() => sealAppearanceForType('stamp' as SealType, 'x')).toThrow(/unknown seal type "stamp"/);
  });

  const bad: [string, () => unknown, string, RegExp][] = [
    ['empty name', () => renderSealSvg({ kind: 'round', name: '' }, font), 'INVALID_ARGUMENT', /seal name is empty/],
    ['blank name', () => renderSealSvg({ kind: 'square', name: '   ' }, font), 'INVALID_ARGUMENT', /seal name is empty/],
    ['character missing from the font', () => renderSealSvg({ kind: 'round', name: '某某堃业有限公司' }, font), 'GLYPH_MISSING', /no glyph for "堃" \(U\+5803\)/],
    ['emoji', () => renderSealSvg({ kind: 'square', name: '张😀' }, font), 'GLYPH_MISSING', /"😀" \(U\+1F600\)/],
    ['missing character in the purpose', () => renderSealSvg({ kind: 'round', name: '某某公司', purpose: '𠀀专用章' }, font), 'GLYPH_MISSING', /seal purpose .*U\+20000/],
    ['control character', () => renderSealSvg({ kind: 'round', name: '某某\u0007公司' }, font), 'INVALID_ARGUMENT', /control character U\+0007/],
    ['diameter 0', () => renderSealSvg({ kind: 'round', name: '某某公司', sizeMm: { width: 0, height: 0 } }, font), 'INVALID_ARGUMENT', /width 0 mm is outside 20\.\.80 mm/],
    ['diameter 500', () => renderSealSvg({ kind: 'round', name: '某某公司', sizeMm: { width: 500, height: 500 } }, font), 'INVALID_ARGUMENT', /outside/],
    ['NaN size', () => renderSealSvg({ kind: 'square', name: '张三', sizeMm: { width: NaN, height: 20 } }, font), 'INVALID_ARGUMENT', /width NaN mm/],
    ['round but not a circle', () => renderSealSvg({ kind: 'round', name: '某某公司', sizeMm: { width: 42, height: 40 } }, font), 'INVALID_ARGUMENT', /width = height/],
    ['tall oval', () => renderSealSvg({ kind: 'oval', name: '某某公司', sizeMm: { width: 28, height: 40 } }, font), 'INVALID_ARGUMENT', /wider than tall/],
    ['unknown kind', () => renderSealSvg({ kind: 'hexagon' as 'round', name: '某某公司' }, font), 'INVALID_ARGUMENT', /unknown kind "hexagon"/],
    ['colour injection', () => renderSealSvg({ kind: 'round', name: '某某公司', color: 'red" onload="x' }, font), 'INVALID_ARGUMENT', /not #RRGGBB/],
    ['41-character name', () => renderSealSvg({ kind: 'round', name: '某'.repeat(41) }, font), 'LIMIT_EXCEEDED', /41 characters; at most 40/],
    ['9-character square seal', () => renderSealSvg({ kind: 'square', name: '某'.repeat(9) }, font), 'LIMIT_EXCEEDED', /at most 8/],
    ['code with markup', () => renderSealSvg({ kind: 'round', name: '某某公司', code: '12<3' }, font), 'INVALID_ARGUMENT', /digits, Latin letters/],
    ['name too long for a small seal', () => renderSealSvg({ kind: 'round', name: '某'.repeat(40), sizeMm: { width: 20, height: 20 }, maxNameArcDeg: 60 }, font), 'LIMIT_EXCEEDED', /does not fit on a 20 mm seal/],
    ['not a font', () => renderSealSvg({ kind: 'round', name: '某某公司' }, new Uint8Array(100)), 'FONT_MALFORMED', /not a readable/],
  ];
  for (const [what, f, code, msg] of bad) {
    it(`refuses ${what} with a clear EsealError`, () => {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(isEsealError(err), String(err)).toBe(true);
      expect((err as { code: string }).code).toBe(code);
      expect((err as Error).message).toMatch(msg);
    });
  }
});

// ------------------------------------------------------------------------------------ the font

describe('seal appearance: the shipped fonts', () => {
  it('are TrueType-outline subsets covering all 6763 GB 2312 hanzi, ASCII and full-width forms, under 6 MB together', () => {
    const doc = loadDocumentFont();
    expect(loadSealFont()).toBe(font); // cached
    expect(font.length + doc.length).toBeLessThan(6 * 1024 * 1024);
    expect(statSync(join(assetsDir(), 'fonts/OFL.txt')).size).toBeGreaterThan(3000);
    const gb = new TextDecoder('gb2312');
    const hanzi = new Set<number>();
    for (let hi = 0xb0; hi <= 0xf7; hi++) {
      for (let lo = 0xa1; lo <= 0xfe; lo++) {
        const c = gb.decode(new Uint8Array([hi, lo])).codePointAt(0)!;
        if (c >= 0x4e00 && c <= 0x9fff) hanzi.add(c);
      }
    }
    expect(hanzi.size).toBe(6763);
    for (const bytes of [font, doc]) {
      const f = fontkit.create(Buffer.from(bytes)) as fontkit.Font;
      const tags = Object.keys((f as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables);
      expect(tags).toContain('glyf');
      expect(tags).not.toContain('CFF ');
      const missing = [...hanzi].filter((c) => !f.hasGlyphForCodePoint(c));
      expect(missing.map((c) => String.fromCodePoint(c))).toEqual([]);
      for (let c = 0x20; c < 0x7f; c++) expect(f.hasGlyphForCodePoint(c), `U+${c.toString(16)}`).toBe(true);
      for (const ch of '，。、；：？！（）《》【】“”—…·０１ＡＺ') expect(f.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true);
    }
  });

  it("subsets with fontkit's TrueType subsetter (as the PDF/OFD writers will) and the subset re-parses", () => {
    const f = fontkit.create(Buffer.from(font)) as fontkit.Font;
    const subset = f.createSubset();
    const text = '广州市某某科技有限公司合同专用章0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (const ch of text) subset.includeGlyph(f.glyphForCodePoint(ch.codePointAt(0)!));
    const bytes = subset.encode();
    expect(bytes.length).toBeLessThan(40_000);
    const g = fontkit.create(Buffer.from(bytes)) as fontkit.Font;
    expect(g.numGlyphs).toBe(new Set(text).size + 1); // + .notdef
    const tags = Object.keys((g as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables);
    expect(tags).toEqual(expect.arrayContaining(['glyf', 'loca', 'head', 'hhea', 'hmtx', 'maxp']));
    for (let id = 1; id < g.numGlyphs; id++) expect(g.getGlyph(id).path.commands.length, `glyph ${id}`).toBeGreaterThan(0);
  });
});
