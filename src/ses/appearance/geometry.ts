/**
 * @module ses/appearance/geometry
 * Plane geometry for seal layouts, in millimetres with SVG orientation (x right, y down, angles in
 * degrees clockwise). A glyph occupies an oriented box: its em cell scaled to `w` x `h`, centred on
 * (cx, cy) and turned by `rot` (0 = upright, 90 = top pointing right).
 */
import type { OutlineCommand } from './font.js';

export type Point = readonly [number, number];

export interface Box {
  cx: number;
  cy: number;
  w: number;
  h: number;
  /** Degrees, clockwise. */
  rot: number;
}

export const DEG = Math.PI / 180;

/** The four corners of a box: top-left, top-right, bottom-right, bottom-left (in the box's own frame). */
export function corners(b: Box): Point[] {
  const c = Math.cos(b.rot * DEG);
  const s = Math.sin(b.rot * DEG);
  const hw = b.w / 2;
  const hh = b.h / 2;
  return ([
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ] as const).map(([u, v]) => [b.cx + u * c - v * s, b.cy + u * s + v * c] as const);
}

/** Separating-axis test for two oriented boxes; `margin` is the clearance they must keep. */
export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
  const pa = corners(a);
  const pb = corners(b);
  for (const box of [a, b]) {
    const c = Math.cos(box.rot * DEG);
    const s = Math.sin(box.rot * DEG);
    for (const [ax, ay] of [
      [c, s],
      [-s, c],
    ] as const) {
      let minA = Infinity, maxA = -Infinity, minB = Infinity, maxB = -Infinity;
      for (const [x, y] of pa) {
        const d = x * ax + y * ay;
        if (d < minA) minA = d;
        if (d > maxA) maxA = d;
      }
      for (const [x, y] of pb) {
        const d = x * ax + y * ay;
        if (d < minB) minB = d;
        if (d > maxB) maxB = d;
      }
      if (maxA + margin <= minB || maxB + margin <= minA) return false;
    }
  }
  return true;
}

/** Largest distance from (cx, cy) to a corner of the box. */
export function maxCornerDistance(b: Box, cx: number, cy: number): number {
  return Math.max(...corners(b).map(([x, y]) => Math.hypot(x - cx, y - cy)));
}

/** Smallest distance from (cx, cy) to any point of the box (0 when the point is inside it). */
export function minDistanceToBox(b: Box, cx: number, cy: number): number {
  const c = Math.cos(b.rot * DEG);
  const s = Math.sin(b.rot * DEG);
  const dx = cx - b.cx;
  const dy = cy - b.cy;
  const u = dx * c + dy * s;
  const v = -dx * s + dy * c;
  const ou = Math.max(0, Math.abs(u) - b.w / 2);
  const ov = Math.max(0, Math.abs(v) - b.h / 2);
  return Math.hypot(ou, ov);
}

/** Value of (x/a)^2 + (y/b)^2 at the box's worst corner: <= 1 means inside the ellipse. */
export function maxEllipseValue(b: Box, cx: number, cy: number, a: number, bb: number): number {
  return Math.max(...corners(b).map(([x, y]) => ((x - cx) / a) ** 2 + ((y - cy) / bb) ** 2));
}

/** Fixed-point number text for SVG: two decimals (10 µm), no trailing zeros, never "-0". */
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

/**
 * Maps a glyph outline (font units, y up) into a box: the em cell [0, advance] x [emBottom, emTop]
 * fills the box exactly. Returns SVG path data with absolute coordinates, so the SVG carries no
 * transforms and every coordinate is where the ink is.
 */
export function outlineToPath(commands: readonly OutlineCommand[], advance: number, emBottom: number, emTop: number, box: Box): string {
  const sx = box.w / advance;
  const sy = box.h / (emTop - emBottom);
  const midY = (emTop + emBottom) / 2;
  const c = Math.cos(box.rot * DEG);
  const s = Math.sin(box.rot * DEG);
  const pt = (x: number, y: number): string => {
    const u = (x - advance / 2) * sx;
    const v = (midY - y) * sy;
    return `${num(box.cx + u * c - v * s)} ${num(box.cy + u * s + v * c)}`;
  };
  let d = '';
  for (const cmd of commands) {
    const a = cmd.args;
    switch (cmd.command) {
      case 'moveTo':
        d += `M${pt(a[0], a[1])}`;
        break;
      case 'lineTo':
        d += `L${pt(a[0], a[1])}`;
        break;
      case 'quadraticCurveTo':
        d += `Q${pt(a[0], a[1])} ${pt(a[2], a[3])}`;
        break;
      case 'bezierCurveTo':
        d += `C${pt(a[0], a[1])} ${pt(a[2], a[3])} ${pt(a[4], a[5])}`;
        break;
      case 'closePath':
        d += 'Z';
        break;
    }
  }
  return d;
}

/** A regular five-pointed star (五角星) centred on (cx, cy), one point up, as SVG path data. */
export function starPath(cx: number, cy: number, r: number): string {
  const inner = r * (Math.sin(18 * DEG) / Math.sin(126 * DEG)); // regular pentagram: 0.382 r
  let d = '';
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r : inner;
    const a = i * 36 * DEG;
    d += `${i === 0 ? 'M' : 'L'}${num(cx + rr * Math.sin(a))} ${num(cy - rr * Math.cos(a))}`;
  }
  return d + 'Z';
}
