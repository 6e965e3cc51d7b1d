/**
 * The stamped page as a viewer shows it: rendered by poppler's pdftoppm (an independent renderer),
 * the seal's red ink must sit where it was asked for and be the seal's size in millimetres — on plain
 * and rotated pages, on a keyword (located independently with `pdftotext -bbox`), and as 骑缝章 strips.
 *
 * `ESEAL_UPDATE_DOC_IMAGES=1 npx vitest run test/pdf/render.test.ts` also writes docs/img/pdf-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2Sign } from '../../src/sm/index.js';
import { toBase64 } from '../../src/util/base64.js';
import { completePdfStamp, preparePdfStamp, type PdfPlacement } from '../../src/pdf/index.js';
import { renderSealPng } from '../../src/ses/appearance/render-png.js';
import { tempDir } from '../helpers/openssl.js';
import { SIGN_TIME, fixture, pdfLibDocument, pdfPki, run, testSeal, writeTemp, type PdfPki } from './fixtures.js';

const tmp = tempDir('eseal-pdf-render-');
afterAll(() => tmp.cleanup());
const DOC_IMAGES = process.env.ESEAL_UPDATE_DOC_IMAGES === '1';
const IMG_DIR = join(__dirname, '../../docs/img');

let pki: PdfPki;
let svgSeal: Uint8Array;
let pngSeal: Uint8Array;

beforeAll(async () => {
  pki = await pdfPki();
  svgSeal = await testSeal(pki, { signers: [pki.holders[0].cert.der] });
  pngSeal = await testSeal(pki, { signers: [pki.holders[0].cert.der], type: 'invoice', code: '91440101MA5XXXXX0X', picture: 'png' });
});

async function stamp(pdf: Uint8Array, placement: PdfPlacement, seal = svgSeal): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, { certificates: [pki.holders[0].cert.der, pki.ca.der], seal, placement, signingTime: SIGN_TIME });
  return completePdfStamp(p, sm2Sign(pki.holders[0].key.d, p.toBeSigned));
}

interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Renders one page with pdftoppm as PPM (trivial to read) at `dpi`. */
function render(pdf: Uint8Array, page: number, dpi: number, name: string): Raster {
  const f = writeTemp(tmp.dir, `${name}.pdf`, pdf);
  const out = join(tmp.dir, `${name}-p${page}`);
  const r = run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', f, out]);
  expect(r.status, r.out).toBe(0);
  const b = readFileSync(`${out}.ppm`);
  const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(b.subarray(0, 40).toString('latin1'))!;
  const headerLen = m[0].length;
  return { width: Number(m[1]), height: Number(m[2]), rgb: new Uint8Array(b.subarray(headerLen)) };
}

/** Bounding box of the seal's red ink (pixels), or undefined. */
function redBox(r: Raster): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const i = (y * r.width + x) * 3;
      if (r.rgb[i] > 170 && r.rgb[i + 1] < 110 && r.rgb[i + 2] < 110) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** The red box in millimetres from the top-left corner. */
function redBoxMm(r: Raster, dpi: number) {
  const b = redBox(r);
  expect(b, 'no seal ink on the page').toBeDefined();
  const mm = (px: number) => (px * 25.4) / dpi;
  return { left: mm(b!.x0), top: mm(b!.y0), right: mm(b!.x1), bottom: mm(b!.y1), width: mm(b!.x1 - b!.x0), height: mm(b!.y1 - b!.y0) };
}

function expectRect(got: ReturnType<typeof redBoxMm>, want: { cx: number; cy: number; w: number; h: number }, tol = 0.6) {
  expect(Math.abs(got.width - want.w), `width ${got.width.toFixed(2)} mm vs ${want.w}`).toBeLessThan(tol);
  expect(Math.abs(got.height - want.h), `height ${got.height.toFixed(2)} mm vs ${want.h}`).toBeLessThan(tol);
  expect(Math.abs((got.left + got.right) / 2 - want.cx), `centre x ${((got.left + got.right) / 2).toFixed(2)} mm vs ${want.cx}`).toBeLessThan(tol);
  expect(Math.abs((got.top + got.bottom) / 2 - want.cy), `centre y ${((got.top + got.bottom) / 2).toFixed(2)} mm vs ${want.cy}`).toBeLessThan(tol);
}

/** Writes a PNG of pages side by side (for docs/img), composed as SVG and rendered with resvg. */
function docImage(name: string, pdf: Uint8Array, pages: number[], dpi = 40) {
  if (!DOC_IMAGES) return;
  const f = writeTemp(tmp.dir, `doc-${name}.pdf`, pdf);
  const imgs = pages.map((p) => {
    const out = join(tmp.dir, `doc-${name}-${p}`);
    expect(run('pdftoppm', ['-r', String(dpi), '-f', String(p), '-l', String(p), '-singlefile', '-png', f, out]).status).toBe(0);
    return readFileSync(`${out}.png`);
  });
  const w = Math.round((210 / 25.4) * dpi);
  const h = Math.round((297 / 25.4) * dpi);
  const gap = 12;
  const W = pages.length * w + (pages.length + 1) * gap;
  const H = h + 2 * gap;
  const body = imgs.map((png, i) => `<rect x="${gap + i * (w + gap) - 1}" y="${gap - 1}" width="${w + 2}" height="${h + 2}" fill="#888"/><image x="${gap + i * (w + gap)}" y="${gap}" width="${w}" height="${h}" href="data:image/png;base64,${toBase64(new Uint8Array(png))}"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${(W * 25.4) / 96}mm" height="${(H * 25.4) / 96}mm" viewBox="0 0 ${W} ${H}"><rect width="${W}" height="${H}" fill="#e8e8e8"/>${body}</svg>`;
  writeFileSync(join(IMG_DIR, `pdf-${name}.png`), renderSealPng(svg, { dpi: 96 }));
}

describe('the seal on the rendered page: right place, right size', () => {
  const DPI = 100;

  it('page + position in mm: the 42 mm seal is centred on (60 mm, 80 mm)', async () => {
    const out = await stamp(await pdfLibDocument(1), { kind: 'position', page: 1, x: 60, y: 80 });
    expectRect(redBoxMm(render(out, 1, DPI, 'pos'), DPI), { cx: 60, cy: 80, w: 42, h: 42 });
    docImage('normal', out, [1], 60);
  });

  it('positions in points, and a raster (PNG) invoice seal of 40 x 28 mm', async () => {
    const out = await stamp(await pdfLibDocument(1), { kind: 'position', page: 1, x: 300, y: 400, unit: 'pt' }, pngSeal);
    const mm = (pt: number) => (pt * 25.4) / 72;
    expectRect(redBoxMm(render(out, 1, DPI, 'pt'), DPI), { cx: mm(300), cy: mm(400), w: 40, h: 28 }, 0.8);
  });

  it('on pages rotated by 90°, 180° and 270°, the position is measured on the page as displayed and the seal stays upright', async () => {
    for (const rotate of [90, 180, 270]) {
      const cx = rotate === 180 ? 60 : 200;
      const out = await stamp(await pdfLibDocument(1, { rotate }), { kind: 'position', page: 1, x: cx, y: 60 }, pngSeal);
      const r = render(out, 1, DPI, `rot${rotate}`);
      expect(r.width > r.height).toBe(rotate !== 180); // displayed landscape except at 180°
      expectRect(redBoxMm(r, DPI), { cx, cy: 60, w: 40, h: 28 }, 0.8); // wider than tall
      // and not upside down: the round seal's name arc (dense ink) is in the upper half
      const round = render(await stamp(await pdfLibDocument(1, { rotate }), { kind: 'position', page: 1, x: cx, y: 60 }), 1, DPI, `rotr${rotate}`);
      const b = redBox(round)!;
      let top = 0;
      let bottom = 0;
      for (let y = b.y0; y < b.y1; y++) {
        for (let x = b.x0; x < b.x1; x++) {
          const i = (y * round.width + x) * 3;
          if (round.rgb[i] > 170 && round.rgb[i + 1] < 110 && round.rgb[i + 2] < 110) (y < (b.y0 + b.y1) / 2 ? top++ : bottom++);
        }
      }
      expect(top, `rotation ${rotate}: ink above ${top}, below ${bottom}`).toBeGreaterThan(bottom * 1.2);
    }
  });

  it('keyword: the seal is centred on the word, as located independently by pdftotext -bbox', async () => {
    const pdf = await pdfLibDocument(1);
    const out = await stamp(pdf, { kind: 'keyword', keyword: 'SEAL-HERE' });
    const bbox = run('pdftotext', ['-bbox', writeTemp(tmp.dir, 'kw-src.pdf', pdf), '-']).out;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">SEAL-HERE<\/word>/.exec(bbox)!;
    expect(m).not.toBeNull();
    const mm = (pt: string) => (Number(pt) * 25.4) / 72;
    const cx = (mm(m[1]) + mm(m[3])) / 2;
    const cy = (mm(m[2]) + mm(m[4])) / 2;
    expectRect(redBoxMm(render(out, 1, DPI, 'kw'), DPI), { cx, cy, w: 42, h: 42 }, 1.5);
  });

  it('keyword in a LibreOffice document (CJK): both occurrences of （盖章） get a seal', async () => {
    const out = await stamp(fixture('libreoffice-contract-zh.pdf'), { kind: 'keyword', keyword: '（盖章）', occurrence: 'all' });
    const r = render(out, 2, 50, 'kw-zh');
    const b = redBoxMm(r, 50);
    expect(b.width).toBeGreaterThan(42 + 30); // two seals side by side
    expect(b.height).toBeLessThan(43);
    docImage('keyword', out, [2], 60);
  });

  it('骑缝章 on 3 pages: each page shows one third of the seal at its right edge', async () => {
    const out = await stamp(await pdfLibDocument(3), { kind: 'cross-page' });
    for (const page of [1, 2, 3]) {
      const b = redBoxMm(render(out, page, DPI, `cross${page}`), DPI);
      expect(Math.abs(b.right - 210), `page ${page} right edge ${b.right}`).toBeLessThan(0.6);
      expect(b.width).toBeLessThanOrEqual(14 + 0.6);
      expect(b.width).toBeGreaterThan(10);
      expect(Math.abs(b.height - 42) < 0.6 || page !== 2, `page ${page} height ${b.height}`).toBe(true);
      expect(Math.abs((b.top + b.bottom) / 2 - 297 / 2)).toBeLessThan(3);
    }
    docImage('cross-page', out, [1, 2, 3], 40);
  });
});
