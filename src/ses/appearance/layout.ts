/**
 * @module ses/appearance/layout
 * Where every glyph of a seal goes. Pure geometry in millimetres, deterministic (fixed search steps,
 * no randomness), so the same spec and font always give the same picture.
 *
 * Rules (see docs/seal-appearances.md):
 * - Round seals: the name runs clockwise along the upper arc, characters evenly spaced, each turned to
 *   the tangent with its top outward. It spans at most `maxNameArcDeg` (250°). A long name first
 *   loses spacing, then character width (down to half width), then size. Glyph boxes stay inside the
 *   ring less a gap and outside the star's bounding circle plus a gap. The code runs left to right
 *   along the lower arc, tops inward, smaller; the purpose sits horizontally under the star.
 * - Oval seals: the name follows the upper arc of the ellipse (evenly spaced by arc length, each
 *   glyph on the local normal), the code crosses the middle, the purpose is below it.
 * - Square seals: the name fills a grid of cells read right column first, top to bottom.
 */
import { fail } from '../../util/errors.js';
import { type SealFont, type GlyphOutline, openSealFont, sealChars } from './font.js';
import { type Box, DEG, boxesOverlap, maxCornerDistance, maxEllipseValue, minDistanceToBox, outlineToPath, starPath } from './geometry.js';
import { type SealAppearanceSpec, type ResolvedSpec, resolveSpec } from './spec.js';

export type GlyphRole = 'name' | 'purpose' | 'code' | 'caption';

export interface PlacedGlyph {
  char: string;
  role: GlyphRole;
  /** The glyph's em cell on the seal. */
  box: Box;
  /** SVG path data, absolute millimetre coordinates. */
  path: string;
}

export type Shape =
  | { shape: 'circle'; cx: number; cy: number; r: number }
  | { shape: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { shape: 'rect'; x: number; y: number; width: number; height: number };

export interface SealAppearanceLayout {
  kind: SealAppearanceSpec['kind'];
  widthMm: number;
  heightMm: number;
  color: string;
  /** The border's centre line; drawn with `borderWidth`. */
  border: Shape;
  borderWidth: number;
  /** Every glyph box lies inside this (the border's inner edge less a gap). */
  textArea: Shape;
  star?: { cx: number; cy: number; r: number; path: string };
  /** Glyph boxes keep at least this distance from the star's centre (star radius + gap). */
  starClearance?: number;
  glyphs: PlacedGlyph[];
}

/** Longest texts accepted (characters). */
export const MAX_NAME_CHARS = 40;
export const MAX_PURPOSE_CHARS = 12;
export const MAX_CODE_CHARS = 24;
export const MAX_SQUARE_CHARS = 8;

/** Lays out a seal; see the module comment for the rules. */
export function layoutSeal(spec: SealAppearanceSpec, fontBytes: Uint8Array): SealAppearanceLayout {
  const s = resolveSpec(spec);
  const font = openSealFont(fontBytes);
  switch (s.kind) {
    case 'round':
      return layoutRound(s, font);
    case 'oval':
      return layoutOval(s, font);
    default:
      return layoutSquare(s, font);
  }
}

// ------------------------------------------------------------------------------------------ text runs

interface Run {
  role: GlyphRole;
  chars: string[];
  outlines: GlyphOutline[];
  /** Advance widths in ems. */
  adv: number[];
}

function run(font: SealFont, role: GlyphRole, text: string, what: string, max: number): Run {
  const chars = sealChars(text, what, max);
  const outlines = chars.map((c) => font.glyph(c, `${what} "${text}"`));
  return { role, chars, outlines, adv: outlines.map((o) => o.advance / font.unitsPerEm) };
}

function place(font: SealFont, r: Run, boxes: Box[]): PlacedGlyph[] {
  return boxes.map((box, i) => ({
    char: r.chars[i],
    role: r.role,
    box,
    path: outlineToPath(r.outlines[i].commands, r.outlines[i].advance, font.emBottom, font.emTop, box),
  }));
}

/** Search ranges: [nominal, minimum]. Heights in mm, widths as a fraction of the em, gaps × height. */
interface Fit {
  h: readonly [number, number];
  ws: readonly [number, number];
  gap: readonly [number, number];
}

/** Candidate (height, width scale) pairs in the order a long text is squeezed: width first, then size. */
function* candidates(f: Fit): Generator<[number, number]> {
  for (let h = f.h[0]; h >= f.h[1] - 1e-9; h *= 0.97) {
    for (let ws = f.ws[0]; ws >= f.ws[1] - 1e-9; ws -= 0.02) yield [h, ws];
  }
}

// ------------------------------------------------------------------------------------------ circle arcs

interface CircleArcParams extends Fit {
  /** Glyph corners stay within this radius. */
  outer: number;
  /** Glyph inner edges stay at or beyond this radius. */
  innerMin: number;
  maxSpanDeg: number;
  /** Short texts spread up to this span (with at most 3x the natural gap). */
  minSpanDeg: number;
}

interface CircleArcFit {
  h: number;
  rc: number;
  widths: number[];
  /** Centre angles, degrees, 0 at the middle of the run, increasing in reading order. */
  angles: number[];
  spanDeg: number;
}

function fitCircleArc(adv: number[], p: CircleArcParams): CircleArcFit | null {
  const n = adv.length;
  for (const [h, ws] of candidates(p)) {
    const widths = adv.map((a) => a * h * ws);
    const wMax = Math.max(...widths);
    const reach = p.outer ** 2 - (wMax / 2) ** 2;
    if (reach <= 0) continue;
    const rc = Math.sqrt(reach) - h / 2;
    const rin = rc - h / 2;
    if (rin < p.innerMin) continue;
    const aw = widths.map((w) => (2 * Math.atan(w / 2 / rin)) / DEG);
    const sumAw = aw.reduce((x, y) => x + y, 0);
    const gapMin = (p.gap[1] * h) / rin / DEG;
    const gapNat = (p.gap[0] * h) / rin / DEG;
    if (sumAw + (n - 1) * gapMin > p.maxSpanDeg) continue;
    let gap = n > 1 ? Math.min(gapNat, (p.maxSpanDeg - sumAw) / (n - 1)) : 0;
    if (n > 1 && sumAw + (n - 1) * gap < p.minSpanDeg) gap = Math.min(3 * gapNat, (p.minSpanDeg - sumAw) / (n - 1));
    const span = sumAw + (n - 1) * gap;
    const angles: number[] = [];
    let a = -span / 2;
    for (let i = 0; i < n; i++) {
      angles.push(a + aw[i] / 2);
      a += aw[i] + gap;
    }
    return { h, rc, widths, angles, spanDeg: span };
  }
  return null;
}

// ------------------------------------------------------------------------------------------ lines

interface LineParams extends Fit {
  /** Centre of the line's box for a given glyph height. */
  anchor: (h: number) => { cx: number; cy: number };
  accept: (boxes: Box[]) => boolean;
}

function fitLine(adv: number[], p: LineParams): Box[] | null {
  const n = adv.length;
  for (const [h, ws] of candidates(p)) {
    for (const g of [p.gap[0], p.gap[1]]) {
      const widths = adv.map((a) => a * h * ws);
      const total = widths.reduce((x, y) => x + y, 0) + (n - 1) * g * h;
      const { cx, cy } = p.anchor(h);
      const boxes: Box[] = [];
      let x = cx - total / 2;
      for (const w of widths) {
        boxes.push({ cx: x + w / 2, cy, w, h, rot: 0 });
        x += w + g * h;
      }
      if (p.accept(boxes)) return boxes;
    }
  }
  return null;
}

const clearOf = (boxes: Box[], others: readonly PlacedGlyph[], margin: number) =>
  boxes.every((b) => others.every((o) => !boxesOverlap(b, o.box, margin)));

// ------------------------------------------------------------------------------------------ round

function layoutRound(s: ResolvedSpec, font: SealFont): SealAppearanceLayout {
  const D = s.sizeMm.width;
  const R = D / 2;
  const cx = R;
  const cy = R;
  const ring = s.ringWidthMm ?? round2(Math.max(0.6, D * 0.0286));
  const gapRing = Math.max(0.5, D * 0.025);
  const outer = R - ring - gapRing;
  const withStar = s.star !== false;
  const starR = D / 6;
  const starClear = withStar ? starR + D * 0.03 : D * 0.12;
  const glyphs: PlacedGlyph[] = [];

  const name = run(font, 'name', s.name, 'seal name', MAX_NAME_CHARS);
  const code = s.code !== undefined && s.code.trim() !== '' ? run(font, 'code', s.code, 'seal code', MAX_CODE_CHARS) : undefined;
  const purpose = s.purpose !== undefined && s.purpose.trim() !== '' ? run(font, 'purpose', s.purpose, 'seal purpose', MAX_PURPOSE_CHARS) : undefined;

  // The code first: the name gets what is left of the circle.
  const sepDeg = 14;
  let codeFit: CircleArcFit | null = null;
  if (code) {
    codeFit = fitCircleArc(code.adv, {
      outer,
      innerMin: starClear,
      h: [D * 0.062, D * 0.04],
      ws: [0.9, 0.55],
      gap: [0.25, 0.06],
      maxSpanDeg: 110,
      minSpanDeg: 0,
    });
    if (!codeFit) fail('LIMIT_EXCEEDED', `seal code "${s.code}" does not fit on the lower arc of a ${D} mm seal`);
  }
  const maxName = Math.min(s.maxNameArcDeg ?? 250, codeFit ? 360 - codeFit.spanDeg - 2 * sepDeg : 360);
  const nameFit = fitCircleArc(name.adv, {
    outer,
    innerMin: starClear,
    h: [D * 0.165, D * 0.07],
    ws: [0.85, 0.5],
    gap: [0.3, 0.06],
    maxSpanDeg: maxName,
    minSpanDeg: Math.min(maxName, 40 * (name.chars.length - 1)),
  });
  if (!nameFit) fail('LIMIT_EXCEEDED', `seal name "${s.name}" (${name.chars.length} characters) does not fit on a ${D} mm seal`);
  glyphs.push(
    ...place(
      font,
      name,
      nameFit.angles.map((a, i) => ({ cx: cx + nameFit.rc * Math.sin(a * DEG), cy: cy - nameFit.rc * Math.cos(a * DEG), w: nameFit.widths[i], h: nameFit.h, rot: a })),
    ),
  );
  if (code && codeFit) {
    const f = codeFit;
    // Lower arc, left to right: angle measured from the bottom, tops pointing at the centre.
    glyphs.push(...place(font, code, f.angles.map((a, i) => ({ cx: cx + f.rc * Math.sin(a * DEG), cy: cy + f.rc * Math.cos(a * DEG), w: f.widths[i], h: f.h, rot: -a }))));
  }
  if (purpose) {
    const limit = codeFit ? codeFit.rc - codeFit.h / 2 - gapRing * 0.6 : outer;
    const top = withStar ? cy + starClear - D * 0.01 : undefined;
    const placed = glyphs.slice();
    const boxes = fitLine(purpose.adv, {
      h: [D * 0.115, D * 0.055],
      ws: [0.85, 0.45],
      gap: [0.12, 0.03],
      anchor: (h) => ({ cx, cy: top !== undefined ? top + h / 2 : cy }),
      accept: (bs) => bs.every((b) => maxCornerDistance(b, cx, cy) <= limit) && clearOf(bs, placed, gapRing * 0.6),
    });
    if (!boxes) fail('LIMIT_EXCEEDED', `seal purpose "${s.purpose}" does not fit under the star of a ${D} mm seal`);
    glyphs.push(...place(font, purpose, boxes));
  }
  return {
    kind: 'round',
    widthMm: D,
    heightMm: D,
    color: s.color,
    border: { shape: 'circle', cx, cy, r: R - ring / 2 },
    borderWidth: ring,
    textArea: { shape: 'circle', cx, cy, r: outer },
    ...(withStar ? { star: { cx, cy, r: starR, path: starPath(cx, cy, starR) }, starClearance: starClear } : {}),
    glyphs,
  };
}

// ------------------------------------------------------------------------------------------ oval

/** Arc length along the ellipse (cx + A sin t, cy - B cos t) from t = 0, tabulated on [0, π]. */
function arcTable(A: number, B: number): { steps: number; s: Float64Array } {
  const steps = 720;
  const s = new Float64Array(steps + 1);
  const dt = Math.PI / steps;
  for (let i = 1; i <= steps; i++) {
    const t = (i - 0.5) * dt;
    s[i] = s[i - 1] + Math.hypot(A * Math.cos(t), B * Math.sin(t)) * dt;
  }
  return { steps, s };
}

function tAtLength(tab: { steps: number; s: Float64Array }, len: number): number {
  const { steps, s } = tab;
  const sign = len < 0 ? -1 : 1;
  const L = Math.abs(len);
  let lo = 0;
  let hi = steps;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s[mid] <= L) lo = mid;
    else hi = mid;
  }
  const frac = s[hi] > s[lo] ? (L - s[lo]) / (s[hi] - s[lo]) : 0;
  return sign * (lo + Math.min(1, frac)) * (Math.PI / steps);
}

function fitEllipseArc(adv: number[], cx: number, cy: number, ea: number, eb: number, maxSpanDeg: number, p: Fit): Box[] | null {
  const n = adv.length;
  const T = (maxSpanDeg / 2) * DEG;
  for (const [h, ws] of candidates(p)) {
    const widths = adv.map((a) => a * h * ws);
    const sumW = widths.reduce((x, y) => x + y, 0);
    for (let inset = 0; inset < h; inset += 0.05) {
      const A = ea - h / 2 - inset;
      const B = eb - h / 2 - inset;
      if (B <= h / 2) break;
      const tab = arcTable(A, B);
      const avail = 2 * tab.s[Math.round((T / Math.PI) * tab.steps)];
      if (sumW + (n - 1) * p.gap[1] * h > avail) break; // smaller insets only shorten the arc
      const gap = n > 1 ? Math.min(p.gap[0] * h, (avail - sumW) / (n - 1)) : 0;
      const total = sumW + (n - 1) * gap;
      const boxes: Box[] = [];
      let s = -total / 2;
      for (let i = 0; i < n; i++) {
        const t = tAtLength(tab, s + widths[i] / 2);
        // Outward normal of the ellipse at t; the glyph's top points along it.
        const rot = Math.atan2(Math.sin(t) / A, Math.cos(t) / B) / DEG;
        boxes.push({ cx: cx + A * Math.sin(t), cy: cy - B * Math.cos(t), w: widths[i], h, rot });
        s += widths[i] + gap;
      }
      if (boxes.some((b) => maxEllipseValue(b, cx, cy, ea, eb) > 1)) continue;
      let apart = true;
      for (let i = 0; i + 1 < n && apart; i++) apart = !boxesOverlap(boxes[i], boxes[i + 1], 0.04 * h);
      if (!apart) break; // inner edges crowd on the tight ends: squeeze the glyphs instead
      return boxes;
    }
  }
  return null;
}

function layoutOval(s: ResolvedSpec, font: SealFont): SealAppearanceLayout {
  const W = s.sizeMm.width;
  const H = s.sizeMm.height;
  const cx = W / 2;
  const cy = H / 2;
  const ring = s.ringWidthMm ?? round2(Math.max(0.6, W * 0.025));
  const gap = Math.max(0.5, W * 0.02);
  const ea = W / 2 - ring - gap;
  const eb = H / 2 - ring - gap;
  const glyphs: PlacedGlyph[] = [];

  const name = run(font, 'name', s.name, 'seal name', MAX_NAME_CHARS);
  const code = s.code !== undefined && s.code.trim() !== '' ? run(font, 'code', s.code, 'seal code', MAX_CODE_CHARS) : undefined;
  const purpose = s.purpose !== undefined && s.purpose.trim() !== '' ? run(font, 'purpose', s.purpose, 'seal purpose', MAX_PURPOSE_CHARS) : undefined;

  // Tax-bureau sizes for 40 x 28 mm: name 4.2 mm high, 3 mm wide; number 3.7 x 1.3 mm; 发票专用章 4.6 x 3 mm.
  const k = Math.min(W / 40, H / 28);
  const nameBoxes = fitEllipseArc(name.adv, cx, cy, ea, eb, s.maxNameArcDeg ?? 220, { h: [4.2 * k, 1.8 * k], ws: [0.72, 0.45], gap: [0.35, 0.05] });
  if (!nameBoxes) fail('LIMIT_EXCEEDED', `seal name "${s.name}" (${name.chars.length} characters) does not fit on a ${W} x ${H} mm oval seal`);
  glyphs.push(...place(font, name, nameBoxes));

  const inside = (bs: Box[]) => bs.every((b) => maxEllipseValue(b, cx, cy, ea, eb) <= 1);
  const vGap = 0.6 * k;
  let codeBottom = cy;
  if (code) {
    const placed = glyphs.slice();
    const boxes = fitLine(code.adv, {
      h: [3.7 * k, 2 * k],
      ws: [0.6, 0.4],
      gap: [0.12, 0.03],
      anchor: () => ({ cx, cy }),
      accept: (bs) => inside(bs) && clearOf(bs, placed, gap),
    });
    if (!boxes) fail('LIMIT_EXCEEDED', `seal code "${s.code}" does not fit across a ${W} x ${H} mm oval seal`);
    glyphs.push(...place(font, code, boxes));
    codeBottom = cy + boxes[0].h / 2;
  }
  if (purpose) {
    const placed = glyphs.slice();
    const top = code ? codeBottom + vGap : cy - 0.4 * k;
    const boxes = fitLine(purpose.adv, {
      h: [4.6 * k, 2 * k],
      ws: [0.65, 0.4],
      gap: [0.12, 0.03],
      anchor: (h) => ({ cx, cy: top + h / 2 }),
      accept: (bs) => inside(bs) && clearOf(bs, placed, vGap * 0.8),
    });
    if (!boxes) fail('LIMIT_EXCEEDED', `seal purpose "${s.purpose}" does not fit on a ${W} x ${H} mm oval seal`);
    glyphs.push(...place(font, purpose, boxes));
  }
  return {
    kind: 'oval',
    widthMm: W,
    heightMm: H,
    color: s.color,
    border: { shape: 'ellipse', cx, cy, rx: W / 2 - ring / 2, ry: H / 2 - ring / 2 },
    borderWidth: ring,
    textArea: { shape: 'ellipse', cx, cy, rx: ea, ry: eb },
    glyphs,
  };
}

// ------------------------------------------------------------------------------------------ square

function layoutSquare(s: ResolvedSpec, font: SealFont): SealAppearanceLayout {
  const W = s.sizeMm.width;
  const H = s.sizeMm.height;
  const m = Math.min(W, H);
  const ring = s.ringWidthMm ?? round2(Math.max(0.5, m * 0.06));
  const gap = Math.max(0.3, m * 0.04);
  let chars = sealChars(s.name, 'seal name', MAX_SQUARE_CHARS);
  if (s.appendYin) {
    if (chars.length === 3) chars = [...chars, '印'];
    else if (chars.length === 2) chars = [...chars, '之', '印'];
  }
  if (chars.length > MAX_SQUARE_CHARS) fail('LIMIT_EXCEEDED', `seal name "${s.name}" has too many characters for a square seal (at most ${MAX_SQUARE_CHARS})`);
  const r: Run = { role: 'name', chars, outlines: chars.map((c) => font.glyph(c, `seal name "${s.name}"`)), adv: [] };
  const x0 = ring + gap;
  const y0 = ring + gap;
  const iw = W - 2 * x0;
  const ih = H - 2 * y0;
  const cellGap = m * 0.03;
  const n = chars.length;
  // Columns right to left; the right column takes the extra character of an odd count.
  const columns = n === 1 ? [1] : [Math.ceil(n / 2), Math.floor(n / 2)];
  const colW = (iw - (columns.length - 1) * cellGap) / columns.length;
  const boxes: Box[] = [];
  columns.forEach((rows, col) => {
    const left = x0 + iw - (col + 1) * colW - col * cellGap;
    const rowH = (ih - (rows - 1) * cellGap) / rows;
    for (let row = 0; row < rows; row++) boxes.push({ cx: left + colW / 2, cy: y0 + row * (rowH + cellGap) + rowH / 2, w: colW, h: rowH, rot: 0 });
  });
  return {
    kind: 'square',
    widthMm: W,
    heightMm: H,
    color: s.color,
    border: { shape: 'rect', x: ring / 2, y: ring / 2, width: W - ring, height: H - ring },
    borderWidth: ring,
    textArea: { shape: 'rect', x: x0, y: y0, width: iw, height: ih },
    glyphs: place(font, r, boxes),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Distance checks the tests and callers can reuse: how far each glyph box keeps from the star centre. */
export function starDistance(l: SealAppearanceLayout, g: PlacedGlyph): number {
  return l.star ? minDistanceToBox(g.box, l.star.cx, l.star.cy) : Infinity;
}
