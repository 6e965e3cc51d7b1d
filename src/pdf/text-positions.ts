/**
 * @module pdf/text-positions
 * Where a text is on the pages: pdfjs-dist extracts the text items with their matrices, and the
 * keyword's characters are located inside them. pdfjs runs in-process on the bytes given (no fonts,
 * CMaps or workers are fetched: `disableFontFace`, no `standardFontDataUrl`/`cMapUrl`), so this
 * module does no I/O; pdfjs is loaded only when a keyword placement asks for it.
 *
 * Matching ignores white space (a keyword split over several text items, or written with spaces
 * between CJK characters, is still found) and compares NFKC forms: CJK fonts' ToUnicode maps often
 * give Kangxi radicals (⽅ U+2F45) for the ideographs (方 U+65B9), or full-width punctuation.
 *
 * pdfjs gives each text item's width, not each glyph's: the item's width is shared out among its
 * characters in proportion to typical advance widths (Helvetica's for ASCII, a full em for CJK), which
 * lands the seal within a millimetre or so of the word in common fonts. Character boxes inside an item are estimated from the
 * item's width, evenly per character: good enough to centre a seal on a word.
 */
import { fail } from '../util/errors.js';

export interface TextHit {
  /** 0-based page index */
  page: number;
  /** bounding box in the page's user space [x0, y0, x1, y1] */
  box: [number, number, number, number];
  /** the matched text as extracted */
  text: string;
}

interface Item {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

// Helvetica advance widths (1/1000 em) for ASCII 0x20–0x7E, from its AFM metrics
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** A typical advance width of `ch` (1/1000 em), for sharing an item's width among its characters. */
function advance(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c <= 0x7e) return ASCII_WIDTHS[c - 0x20];
  if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) || (c >= 0x3000 && c <= 0x303f) || c >= 0x20000) return 1000;
  return 556;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** Finds every occurrence of `keyword` (white space ignored) on every page, in reading order of the extraction. */
export async function findText(pdf: Uint8Array, keyword: string, opts: { maxPages?: number } = {}): Promise<TextHit[]> {
  const needle = keyword.normalize('NFKC').replace(/\s+/g, '');
  if (!needle) fail('INVALID_ARGUMENT', 'the keyword is empty');
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const lib = await pdfjs;
  const task = lib.getDocument({ data: pdf.slice(), disableFontFace: true, isEvalSupported: false, useSystemFonts: false, verbosity: 0, stopAtErrors: false });
  const hits: TextHit[] = [];
  try {
    const doc = await task.promise;
    const n = Math.min(doc.numPages, opts.maxPages ?? 10_000);
    for (let i = 1; i <= n; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      const chars: { c: string; box: [number, number, number, number] }[] = [];
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        const it = raw as Item;
        const units = [...it.str];
        if (!units.length) continue;
        const [a, b, c, d, e, f] = it.transform;
        const scaleX = Math.hypot(a, b) || 1;
        const ux = a / scaleX;
        const uy = b / scaleX;
        const scaleY = Math.hypot(c, d) || it.height || 1;
        const vx = c / scaleY;
        const vy = d / scaleY;
        const h = it.height || scaleY;
        const widths = units.map(advance);
        const total = widths.reduce((a, w) => a + w, 0) || 1;
        const scale = it.width / total;
        let at = 0;
        units.forEach((ch, k) => {
          const s0 = at * scale;
          at += widths[k];
          const s1 = at * scale;
          if (/\s/.test(ch)) return;
          // a character cell: along the baseline from s0 to s1, from 20% of the height below it to 80% above
          const pts = [
            [s0, -0.2 * h],
            [s1, -0.2 * h],
            [s0, 0.8 * h],
            [s1, 0.8 * h],
          ].map(([u, t]) => [e + ux * u + vx * t, f + uy * u + vy * t]);
          const xs = pts.map((p) => p[0]);
          const ys = pts.map((p) => p[1]);
          const box: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
          // NFKC: fonts often map CJK glyphs to Kangxi radicals (⽅ U+2F45 for 方) or full-width forms
          for (const n of ch.normalize('NFKC').replace(/\s+/g, '')) chars.push({ c: n, box });
        });
      }
      const text = chars.map((x) => x.c).join('');
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
        const span = chars.slice(at, at + needle.length);
        hits.push({
          page: i - 1,
          box: [Math.min(...span.map((s) => s.box[0])), Math.min(...span.map((s) => s.box[1])), Math.max(...span.map((s) => s.box[2])), Math.max(...span.map((s) => s.box[3]))],
          text: span.map((s) => s.c).join(''),
        });
      }
      page.cleanup();
    }
  } catch (e) {
    if ((e as { code?: string }).code) throw e;
    fail('PDF_TEXT_UNREADABLE', `the text of the PDF cannot be extracted to find the keyword: ${(e as Error).message}`);
  } finally {
    await task.destroy();
  }
  return hits;
}
