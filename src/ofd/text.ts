/**
 * @module ofd/text
 * Where each character of a page's text sits (GB/T 33190 §11: TextCode X/Y, DeltaX/DeltaY with the
 * "g" repetition, the object's CTM and Boundary), for keyword placement (关键字签章) and text search.
 * Template content counts too: invoice templates carry the "（章）" labels seals go on.
 */
import type { OfdBox, OfdDocument, OfdPackage } from './package.js';
import { apply, compose, IDENTITY, parsePage, parsePageContent, type Matrix, type PageObject, type ParsedPage, type TextObj } from './page.js';

export interface PlacedChar {
  ch: string;
  /** bounding box on the page, millimetres from the top-left corner */
  box: OfdBox;
}

/** A wide (CJK, full-width) character advances a whole em; others about half. */
export function isWide(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 0x1100 && !(cp >= 0xff61 && cp <= 0xffdc);
}

/** Character boxes of one text object, in page coordinates under `outer`. */
export function textObjectChars(t: TextObj, outer: Matrix = IDENTITY): PlacedChar[] {
  const m = compose(t.ctm ?? IDENTITY, compose([1, 0, 0, 1, t.boundary.x, t.boundary.y], outer));
  const out: PlacedChar[] = [];
  let cx = 0;
  let cy = 0;
  const s = t.size;
  for (const code of t.codes) {
    let x = code.x ?? cx;
    let y = code.y ?? cy;
    const chars = Array.from(code.text);
    chars.forEach((ch, i) => {
      const adv = code.deltaX[i] ?? (isWide(ch) ? s : s * 0.5) * t.hScale;
      const w = i < code.deltaX.length ? Math.min(Math.abs(adv) || s, s) : Math.abs(adv);
      const corners = [apply(m, x, y - s * 0.85), apply(m, x + w, y - s * 0.85), apply(m, x, y + s * 0.15), apply(m, x + w, y + s * 0.15)];
      const xs = corners.map((c) => c[0]);
      const ys = corners.map((c) => c[1]);
      const x0 = Math.min(...xs);
      const y0 = Math.min(...ys);
      out.push({ ch, box: { x: x0, y: y0, w: Math.max(...xs) - x0, h: Math.max(...ys) - y0 } });
      x += adv;
      y += code.deltaY[i] ?? 0;
    });
    cx = x;
    cy = y;
  }
  return out;
}

function walk(objects: PageObject[], outer: Matrix, out: PlacedChar[]): void {
  for (const o of objects) {
    if (o.kind === 'text') out.push(...textObjectChars(o, outer));
    else if (o.kind === 'block') walk(o.objects, outer, out);
  }
}

/** Every character of a page in content order: page layers first, then its templates. */
export function pageChars(pkg: OfdPackage, doc: OfdDocument, page: ParsedPage | number): PlacedChar[] {
  const p = typeof page === 'number' ? parsePage(pkg, doc, page) : page;
  const out: PlacedChar[] = [];
  for (const l of p.layers) walk(l.objects, IDENTITY, out);
  for (const t of p.templates) {
    const ref = doc.templates.get(t.id);
    if (!ref || !pkg.has(ref.path)) continue;
    const tp = parsePageContent(pkg, doc, ref.path, p.index, t.id);
    for (const l of tp.layers) walk(l.objects, IDENTITY, out);
  }
  return out;
}

/** The plain text of a page (content order, no layout). */
export function pageText(pkg: OfdPackage, doc: OfdDocument, page: number): string {
  return pageChars(pkg, doc, page)
    .map((c) => c.ch)
    .join('');
}

export interface KeywordHit {
  /** 0-based page index */
  page: number;
  /** union of the matched characters' boxes */
  box: OfdBox;
}

/** Finds a keyword on the pages (whitespace ignored on both sides), in page and content order. */
export function findKeyword(pkg: OfdPackage, doc: OfdDocument, keyword: string, pages?: [number, number]): KeywordHit[] {
  const needle = Array.from(keyword.replace(/\s+/g, ''));
  if (!needle.length) return [];
  const hits: KeywordHit[] = [];
  const from = pages ? Math.max(0, pages[0] - 1) : 0;
  const to = pages ? Math.min(doc.pages.length - 1, pages[1] - 1) : doc.pages.length - 1;
  for (let pi = from; pi <= to; pi++) {
    const chars = pageChars(pkg, doc, pi).filter((c) => !/\s/.test(c.ch));
    for (let i = 0; i + needle.length <= chars.length; i++) {
      let ok = true;
      for (let k = 0; k < needle.length && ok; k++) ok = chars[i + k].ch === needle[k];
      if (!ok) continue;
      const boxes = chars.slice(i, i + needle.length).map((c) => c.box);
      const x0 = Math.min(...boxes.map((b) => b.x));
      const y0 = Math.min(...boxes.map((b) => b.y));
      const x1 = Math.max(...boxes.map((b) => b.x + b.w));
      const y1 = Math.max(...boxes.map((b) => b.y + b.h));
      hits.push({ page: pi, box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } });
      i += needle.length - 1;
    }
  }
  return hits;
}
