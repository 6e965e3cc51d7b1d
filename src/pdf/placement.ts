/**
 * @module pdf/placement
 * Where the seal goes. Positions are given as people see the page: the seal's centre, measured from
 * the top-left corner of the visible page (CropBox, after /Rotate), in millimetres or points. This
 * module turns them into widget rectangles in the page's user space (ISO 32000-1 §8.3.2.3) and the
 * appearance matrix that keeps the seal upright on rotated pages.
 *
 * 骑缝章 cross-page seal: the picture is cut into as many vertical strips as there are pages in the
 * range, and page i shows strip i at its right edge, so that the fanned pages show the whole seal.
 */
import { fail } from '../util/errors.js';
import type { PdfPage } from './document.js';
import { PT_PER_MM } from './appearance/seal-form.js';

export type Unit = 'mm' | 'pt';

export type PdfPlacement =
  /** the seal's centre on a page (1-based), from the visible top-left corner */
  | { kind: 'position'; page: number; x: number; y: number; unit?: Unit }
  /** several positions at once (one signature, one widget each) */
  | { kind: 'positions'; at: { page: number; x: number; y: number }[]; unit?: Unit }
  /** centred on a text; `occurrence` 1-based or 'all' (default 1); `offset` moves the centre */
  | { kind: 'keyword'; keyword: string; occurrence?: number | 'all'; offset?: { x: number; y: number }; unit?: Unit }
  /** 骑缝章 on the right edge of pages `pages` (1-based, inclusive; default all); `y` = centre from the top (default: the middle) */
  | { kind: 'cross-page'; pages?: [number, number]; y?: number; unit?: Unit };

export interface WidgetPlan {
  page: PdfPage;
  /** widget rectangle in user space */
  rect: [number, number, number, number];
  /** appearance /Matrix (rotation that keeps the seal upright) */
  matrix?: [number, number, number, number, number, number];
  /** the part of the seal this widget shows (cross-page seals) */
  strip?: { index: number; count: number };
  /** the widget as seen: centre and size in points from the visible top-left corner */
  visible: { x: number; y: number; width: number; height: number };
}

export const toPt = (v: number, unit: Unit = 'mm'): number => (unit === 'pt' ? v : v * PT_PER_MM);

/** Visible size of a page in points (after rotation). */
export function visibleSize(p: PdfPage): { width: number; height: number } {
  const w = p.cropBox[2] - p.cropBox[0];
  const h = p.cropBox[3] - p.cropBox[1];
  return p.rotate % 180 === 0 ? { width: w, height: h } : { width: h, height: w };
}

/** User-space point of a visible point (u right, v down, from the visible top-left corner). */
export function visibleToUser(p: PdfPage, u: number, v: number): [number, number] {
  const [x0, y0, x1, y1] = p.cropBox;
  switch (p.rotate) {
    case 90: return [x0 + v, y0 + u];
    case 180: return [x1 - u, y0 + v];
    case 270: return [x1 - v, y1 - u];
    default: return [x0 + u, y1 - v];
  }
}

/** Visible point of a user-space point (inverse of {@link visibleToUser}). */
export function userToVisible(p: PdfPage, x: number, y: number): [number, number] {
  const [x0, y0, x1, y1] = p.cropBox;
  switch (p.rotate) {
    case 90: return [y - y0, x - x0];
    case 180: return [x1 - x, y - y0];
    case 270: return [y1 - y, x1 - x];
    default: return [x - x0, y1 - y];
  }
}

function rotationMatrix(r: number): WidgetPlan['matrix'] {
  switch (r) {
    case 90: return [0, 1, -1, 0, 0, 0];
    case 180: return [-1, 0, 0, -1, 0, 0];
    case 270: return [0, -1, 1, 0, 0, 0];
    default: return undefined;
  }
}

/** A widget of `width` x `height` points centred on visible point (cx, cy). */
export function planAt(page: PdfPage, cx: number, cy: number, width: number, height: number, strip?: WidgetPlan['strip']): WidgetPlan {
  const vs = visibleSize(page);
  if (!(cx >= 0 && cy >= 0 && cx <= vs.width && cy <= vs.height)) {
    fail('PDF_PLACEMENT_OUTSIDE', `the seal's centre (${cx.toFixed(1)}, ${cy.toFixed(1)}) pt is outside page ${page.index + 1} (${vs.width.toFixed(1)} x ${vs.height.toFixed(1)} pt)`);
  }
  const corners = [
    visibleToUser(page, cx - width / 2, cy - height / 2),
    visibleToUser(page, cx + width / 2, cy + height / 2),
  ];
  const rect: WidgetPlan['rect'] = [
    Math.min(corners[0][0], corners[1][0]),
    Math.min(corners[0][1], corners[1][1]),
    Math.max(corners[0][0], corners[1][0]),
    Math.max(corners[0][1], corners[1][1]),
  ];
  return { page, rect: rect.map(r3) as WidgetPlan['rect'], ...(page.rotate ? { matrix: rotationMatrix(page.rotate) } : {}), ...(strip ? { strip } : {}), visible: { x: cx, y: cy, width, height } };
}

/** The strips of a cross-page seal on `pages`. */
export function planCrossPage(pages: PdfPage[], width: number, height: number, y?: number): WidgetPlan[] {
  if (pages.length === 0) fail('INVALID_ARGUMENT', 'a cross-page seal needs at least one page');
  const n = pages.length;
  const sw = width / n;
  return pages.map((p, i) => {
    const vs = visibleSize(p);
    const cy = y ?? vs.height / 2;
    const top = Math.min(Math.max(cy, height / 2), vs.height - height / 2);
    return planAt(p, vs.width - sw / 2, top, sw, height, { index: i, count: n });
  });
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;
