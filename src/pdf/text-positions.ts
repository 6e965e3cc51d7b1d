/**
 * @module pdf/text-positions
 * Where a text is on the pages: pdfjs-dist extracts the text items with their matrices, and the
 * keyword's characters are located inside them. pdfjs runs in-process on the bytes given (no fonts,
 * CMaps or workers are fetched: `disableFontFace`, no `standardFontDataUrl`/`cMapUrl`), so this
 * module does no I/O; pdfjs is loaded only when a keyword placement asks for it.
 *
 * Matching ignores white space (a keyword split over several text items, or written with spaces
 * between CJK characters, is still found) and compares NFKC forms: CJK fonts' ToUnicode maps often
 * give Kangxi radicals (⽅ U+2F45) for the ideographs (方 U+65B9), or full-width punctuation. Character boxes inside an item are estimated from the
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
        const step = it.width / units.length;
        units.forEach((ch, k) => {
          if (/\s/.test(ch)) return;
          // a character cell: along the baseline from k·step to (k+1)·step, from 20% below it to 80% of the height above
          const pts = [
            [k * step, -0.2 * h],
            [(k + 1) * step, -0.2 * h],
            [k * step, 0.8 * h],
            [(k + 1) * step, 0.8 * h],
          ].map(([s, t]) => [e + ux * s + vx * t, f + uy * s + vy * t]);
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
