/**
 * @module pdf/appearance/svg-to-pdf
 * Converts the vector subset of SVG that seal pictures use into PDF path operators (ISO 32000-1
 * §8.5): `<path>` (every command, arcs included), `<circle>`, `<ellipse>`, `<rect>`, `<line>`,
 * `<polyline>`, `<polygon>`, `<g>`, `transform`, fill / stroke / stroke-width / fill-rule (as
 * attributes or `style`). The seal SVGs of `ses/appearance` are exactly this (outlines only, no
 * text), so a seal is drawn as sharp vectors at any zoom. Anything else — `<text>`, `<image>`,
 * gradients, `<use>` — is refused with PDF_PICTURE_UNSUPPORTED, and the caller can fall back to a
 * raster picture.
 */
import { EsealError, fail } from '../../util/errors.js';
import { formatCompact as formatNumber } from '../serialize.js';

export interface SvgDrawing {
  /** the SVG's user-space box (viewBox, or 0 0 width height) */
  viewBox: [number, number, number, number];
  /** PDF content operators in SVG user space (y down); wrap them in a flipping `cm` */
  ops: string;
}

type Matrix = [number, number, number, number, number, number];

interface Style {
  fill: [number, number, number] | null;
  stroke: [number, number, number] | null;
  strokeWidth: number;
  evenOdd: boolean;
}

const MAX_SVG_BYTES = 4 * 1024 * 1024;
const MAX_ELEMENTS = 20_000;

const unsupported = (what: string): never => {
  throw new EsealError('PDF_PICTURE_UNSUPPORTED', `the seal's SVG picture uses ${what}, which eseal does not convert to PDF vectors`);
};

const NAMED: Record<string, [number, number, number]> = {
  black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], gray: [128, 128, 128], grey: [128, 128, 128],
  darkred: [139, 0, 0], crimson: [220, 20, 60], maroon: [128, 0, 0],
};

function color(v: string | undefined, inherited: [number, number, number] | null): [number, number, number] | null {
  if (v === undefined || v === 'inherit') return inherited;
  const s = v.trim().toLowerCase();
  if (s === 'none' || s === 'transparent') return null;
  if (s === 'currentcolor') return [0, 0, 0];
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
  m = /^rgb\(\s*([\d.]+)(%?)\s*,\s*([\d.]+)(%?)\s*,\s*([\d.]+)(%?)\s*\)$/.exec(s);
  if (m) return [1, 3, 5].map((i) => Math.min(255, Number(m![i]) * (m![i + 1] ? 2.55 : 1))) as [number, number, number];
  if (NAMED[s]) return NAMED[s];
  if (s.startsWith('url(')) unsupported('a paint server (gradient or pattern)');
  return unsupported(`the colour "${v}"`);
}

function parseAttrs(src: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  for (const m of src.matchAll(re)) out.set(m[1], decodeEntities(m[3] ?? m[4] ?? ''));
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function styleOf(attrs: Map<string, string>): Map<string, string> {
  const m = new Map(attrs);
  const st = attrs.get('style');
  if (st) for (const decl of st.split(';')) {
    const i = decl.indexOf(':');
    if (i > 0) m.set(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
  }
  return m;
}

function length(v: string | undefined, dflt = 0): number {
  if (v === undefined) return dflt;
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(px|pt|mm|cm|in)?\s*$/i.exec(v);
  if (!m) return unsupported(`the length "${v}"`);
  return Number(m[1]);
}

const mul = (a: Matrix, b: Matrix): Matrix => [
  a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1],
  a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3],
  a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5],
];

function parseTransform(t: string): Matrix {
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  for (const f of t.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const a = f[2].split(/[\s,]+/).filter(Boolean).map(Number);
    if (a.some((x) => !Number.isFinite(x))) unsupported(`the transform "${t}"`);
    let n: Matrix;
    switch (f[1]) {
      case 'matrix': n = [a[0], a[1], a[2], a[3], a[4], a[5]]; break;
      case 'translate': n = [1, 0, 0, 1, a[0], a[1] ?? 0]; break;
      case 'scale': n = [a[0], 0, 0, a[1] ?? a[0], 0, 0]; break;
      case 'rotate': {
        const r = (a[0] * Math.PI) / 180;
        const c = Math.cos(r);
        const s = Math.sin(r);
        n = [c, s, -s, c, 0, 0];
        if (a.length === 3) n = mul(mul([1, 0, 0, 1, a[1], a[2]], n), [1, 0, 0, 1, -a[1], -a[2]]);
        break;
      }
      case 'skewX': n = [1, 0, Math.tan((a[0] * Math.PI) / 180), 1, 0, 0]; break;
      case 'skewY': n = [1, Math.tan((a[0] * Math.PI) / 180), 0, 1, 0, 0]; break;
      default: return unsupported(`the transform function ${f[1]}()`);
    }
    if (n.some((x) => !Number.isFinite(x))) unsupported(`the transform "${t}"`);
    m = mul(m, n);
  }
  return m;
}

const f = formatNumber;

/** Path builder writing absolute PDF path operators. */
class PathOut {
  s = '';
  cx = 0;
  cy = 0;
  sx = 0;
  sy = 0;
  move(x: number, y: number) {
    this.s += `${f(x)} ${f(y)} m\n`;
    this.cx = this.sx = x;
    this.cy = this.sy = y;
  }
  line(x: number, y: number) {
    this.s += `${f(x)} ${f(y)} l\n`;
    this.cx = x;
    this.cy = y;
  }
  cubic(x1: number, y1: number, x2: number, y2: number, x: number, y: number) {
    this.s += `${f(x1)} ${f(y1)} ${f(x2)} ${f(y2)} ${f(x)} ${f(y)} c\n`;
    this.cx = x;
    this.cy = y;
  }
  quad(qx: number, qy: number, x: number, y: number) {
    const x0 = this.cx;
    const y0 = this.cy;
    this.cubic(x0 + (2 / 3) * (qx - x0), y0 + (2 / 3) * (qy - y0), x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), x, y);
  }
  close() {
    this.s += 'h\n';
    this.cx = this.sx;
    this.cy = this.sy;
  }
  /** SVG elliptical arc (SVG 1.1 F.6.5 endpoint → centre parameterisation), as cubic Béziers. */
  arc(rx: number, ry: number, phiDeg: number, large: boolean, sweep: boolean, x: number, y: number) {
    const x1 = this.cx;
    const y1 = this.cy;
    if (x1 === x && y1 === y) return;
    rx = Math.abs(rx);
    ry = Math.abs(ry);
    if (rx === 0 || ry === 0) return this.line(x, y);
    const phi = (phiDeg * Math.PI) / 180;
    const cos = Math.cos(phi);
    const sin = Math.sin(phi);
    const dx = (x1 - x) / 2;
    const dy = (y1 - y) / 2;
    const x1p = cos * dx + sin * dy;
    const y1p = -sin * dx + cos * dy;
    const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
    if (lambda > 1) {
      rx *= Math.sqrt(lambda);
      ry *= Math.sqrt(lambda);
    }
    const num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
    const den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
    let co = Math.sqrt(Math.max(0, num / den));
    if (large === sweep) co = -co;
    const cxp = (co * rx * y1p) / ry;
    const cyp = (-co * ry * x1p) / rx;
    const cx = cos * cxp - sin * cyp + (x1 + x) / 2;
    const cy = sin * cxp + cos * cyp + (y1 + y) / 2;
    const ang = (ux: number, uy: number, vx: number, vy: number) => {
      const a = Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
      return a;
    };
    const t1 = ang(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry);
    let dt = ang((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry);
    if (!sweep && dt > 0) dt -= 2 * Math.PI;
    else if (sweep && dt < 0) dt += 2 * Math.PI;
    const n = Math.ceil(Math.abs(dt) / (Math.PI / 2));
    const step = dt / n;
    const k = (4 / 3) * Math.tan(step / 4);
    let t = t1;
    for (let i = 0; i < n; i++) {
      const c1 = Math.cos(t);
      const s1 = Math.sin(t);
      const c2 = Math.cos(t + step);
      const s2 = Math.sin(t + step);
      const p = (px: number, py: number): [number, number] => [cx + cos * rx * px - sin * ry * py, cy + sin * rx * px + cos * ry * py];
      const [ax, ay] = p(c1 - k * s1, s1 + k * c1);
      const [bx, by] = p(c2 + k * s2, s2 - k * c2);
      const [ex, ey] = i === n - 1 ? [x, y] : p(c2, s2);
      this.cubic(ax, ay, bx, by, ex, ey);
      t += step;
    }
  }
  ellipse(cx: number, cy: number, rx: number, ry: number) {
    const k = 0.5522847498;
    this.move(cx + rx, cy);
    this.cubic(cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry);
    this.cubic(cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy);
    this.cubic(cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry);
    this.cubic(cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy);
    this.close();
  }
}

/** SVG path data (SVG 1.1 §8.3) into PDF path operators. */
export function pathDataToPdf(d: string, out = new PathOut()): string {
  const tokens = d.match(/[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  let i = 0;
  let cmd = '';
  let lastCtrl: [number, number] | undefined;
  let lastQuad: [number, number] | undefined;
  const num = () => {
    const t = tokens[i++];
    const v = Number(t);
    if (t === undefined || !Number.isFinite(v)) fail('PDF_PICTURE_UNSUPPORTED', `malformed SVG path data near "${d.slice(0, 40)}"`);
    return v;
  };
  // arc flags may be written without separators ("a1 1 0 0110 10"): split a flag token when needed
  const flag = () => {
    const t = tokens[i];
    if (t === '0' || t === '1') {
      i++;
      return t === '1';
    }
    if (t && /^[01]/.test(t)) {
      tokens[i] = t.slice(1);
      return t[0] === '1';
    }
    return num() !== 0;
  };
  while (i < tokens.length) {
    if (/^[A-Za-z]$/.test(tokens[i])) cmd = tokens[i++];
    else if (!cmd) fail('PDF_PICTURE_UNSUPPORTED', 'SVG path data does not start with a command');
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? out.cx : 0;
    const oy = rel ? out.cy : 0;
    const C = cmd.toUpperCase();
    let ctrl: [number, number] | undefined;
    let quad: [number, number] | undefined;
    switch (C) {
      case 'M':
        out.move(ox + num(), oy + num());
        cmd = rel ? 'l' : 'L'; // following pairs are line-tos
        break;
      case 'L':
        out.line(ox + num(), oy + num());
        break;
      case 'H':
        out.line(ox + num(), out.cy);
        break;
      case 'V':
        out.line(out.cx, oy + num());
        break;
      case 'C': {
        const x1 = ox + num(), y1 = oy + num(), x2 = ox + num(), y2 = oy + num(), x = ox + num(), y = oy + num();
        out.cubic(x1, y1, x2, y2, x, y);
        ctrl = [x2, y2];
        break;
      }
      case 'S': {
        const [x1, y1] = lastCtrl ? [2 * out.cx - lastCtrl[0], 2 * out.cy - lastCtrl[1]] : [out.cx, out.cy];
        const x2 = ox + num(), y2 = oy + num(), x = ox + num(), y = oy + num();
        out.cubic(x1, y1, x2, y2, x, y);
        ctrl = [x2, y2];
        break;
      }
      case 'Q': {
        const qx = ox + num(), qy = oy + num(), x = ox + num(), y = oy + num();
        out.quad(qx, qy, x, y);
        quad = [qx, qy];
        break;
      }
      case 'T': {
        const [qx, qy] = lastQuad ? [2 * out.cx - lastQuad[0], 2 * out.cy - lastQuad[1]] : [out.cx, out.cy];
        const x = ox + num(), y = oy + num();
        out.quad(qx, qy, x, y);
        quad = [qx, qy];
        break;
      }
      case 'A': {
        const rx = num(), ry = num(), phi = num();
        const large = flag();
        const sweep = flag();
        const x = ox + num(), y = oy + num();
        out.arc(rx, ry, phi, large, sweep, x, y);
        break;
      }
      case 'Z':
        out.close();
        break;
      default:
        fail('PDF_PICTURE_UNSUPPORTED', `unknown SVG path command ${cmd}`);
    }
    lastCtrl = ctrl;
    lastQuad = quad;
  }
  return out.s;
}

function numbers(s: string | undefined): number[] {
  return (s ?? '').split(/[\s,]+/).filter(Boolean).map(Number);
}

/** Converts SVG text into PDF operators in the SVG's user space. */
export function svgToPdf(svg: string): SvgDrawing {
  if (typeof svg !== 'string' || svg.length === 0) fail('PDF_PICTURE_UNSUPPORTED', 'the SVG picture is empty');
  if (svg.length > MAX_SVG_BYTES) fail('PDF_PICTURE_UNSUPPORTED', `the SVG picture is larger than ${MAX_SVG_BYTES} bytes`);
  const text = svg.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!DOCTYPE[\s\S]*?>/gi, '');
  const stack: { style: Style; ignore: boolean; tag: string }[] = [];
  let style: Style = { fill: [0, 0, 0], stroke: null, strokeWidth: 1, evenOdd: false };
  let viewBox: [number, number, number, number] | undefined;
  let ops = '';
  let elements = 0;
  let ignoreDepth = 0;
  const IGNORED = new Set(['title', 'desc', 'metadata']);
  for (const m of text.matchAll(/<(\/?)([\w:-]+)([^>]*?)(\/?)>/g)) {
    const [, closing, rawTag, rest, selfClosing] = m;
    const tag = rawTag.replace(/^svg:/, '');
    if (++elements > MAX_ELEMENTS) fail('PDF_PICTURE_UNSUPPORTED', `the SVG picture has more than ${MAX_ELEMENTS} elements`);
    if (closing) {
      const top = stack.pop();
      if (!top) fail('PDF_PICTURE_UNSUPPORTED', `the SVG has a stray </${tag}>`);
      if (top.ignore) ignoreDepth--;
      else if (top.tag === 'g' || top.tag === 'svg') ops += 'Q\n';
      style = top.style;
      continue;
    }
    if (ignoreDepth > 0 || IGNORED.has(tag)) {
      if (!selfClosing) {
        stack.push({ style, ignore: true, tag });
        ignoreDepth++;
      }
      continue;
    }
    const attrs = styleOf(parseAttrs(rest));
    if (attrs.get('display') === 'none' || attrs.get('visibility') === 'hidden') {
      if (!selfClosing) {
        stack.push({ style, ignore: true, tag });
        ignoreDepth++;
      }
      continue;
    }
    const next: Style = {
      fill: color(attrs.get('fill'), style.fill),
      stroke: color(attrs.get('stroke'), style.stroke),
      strokeWidth: attrs.has('stroke-width') ? length(attrs.get('stroke-width')) : style.strokeWidth,
      evenOdd: attrs.has('fill-rule') ? attrs.get('fill-rule') === 'evenodd' : style.evenOdd,
    };
    const tr = attrs.get('transform');
    const cm = tr ? parseTransform(tr) : undefined;
    const cmOp = cm ? `${cm.map(f).join(' ')} cm\n` : '';
    if (tag === 'svg') {
      if (stack.length === 0) {
        const vb = numbers(attrs.get('viewBox'));
        if (vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0) viewBox = vb as [number, number, number, number];
        else {
          const w = length(attrs.get('width'), NaN);
          const h = length(attrs.get('height'), NaN);
          if (!(w > 0 && h > 0)) fail('PDF_PICTURE_UNSUPPORTED', 'the SVG has neither a viewBox nor a width and height');
          viewBox = [0, 0, w, h];
        }
      } else unsupported('a nested <svg>');
      ops += 'q\n' + cmOp;
      if (!selfClosing) stack.push({ style, ignore: false, tag });
      else ops += 'Q\n';
      style = next;
      continue;
    }
    if (!viewBox) fail('PDF_PICTURE_UNSUPPORTED', 'the picture is not an SVG document (no <svg> root)');
    if (tag === 'g') {
      ops += 'q\n' + cmOp;
      if (!selfClosing) {
        stack.push({ style, ignore: false, tag });
        style = next;
      } else ops += 'Q\n';
      continue;
    }
    let path = '';
    const out = new PathOut();
    switch (tag) {
      case 'path':
        path = pathDataToPdf(attrs.get('d') ?? '', out);
        break;
      case 'circle': {
        const r = length(attrs.get('r'));
        if (r > 0) out.ellipse(length(attrs.get('cx')), length(attrs.get('cy')), r, r);
        path = out.s;
        break;
      }
      case 'ellipse': {
        const rx = length(attrs.get('rx'));
        const ry = length(attrs.get('ry'));
        if (rx > 0 && ry > 0) out.ellipse(length(attrs.get('cx')), length(attrs.get('cy')), rx, ry);
        path = out.s;
        break;
      }
      case 'rect': {
        const x = length(attrs.get('x'));
        const y = length(attrs.get('y'));
        const w = length(attrs.get('width'));
        const h = length(attrs.get('height'));
        if (w > 0 && h > 0) path = `${f(x)} ${f(y)} ${f(w)} ${f(h)} re\n`;
        break;
      }
      case 'line':
        out.move(length(attrs.get('x1')), length(attrs.get('y1')));
        out.line(length(attrs.get('x2')), length(attrs.get('y2')));
        path = out.s;
        next.fill = null;
        break;
      case 'polyline':
      case 'polygon': {
        const p = numbers(attrs.get('points'));
        for (let k = 0; k + 1 < p.length; k += 2) (k === 0 ? out.move : out.line).call(out, p[k], p[k + 1]);
        if (tag === 'polygon' && p.length >= 4) out.close();
        path = out.s;
        break;
      }
      case 'defs':
      case 'style':
      case 'text':
      case 'image':
      case 'use':
      case 'pattern':
      case 'linearGradient':
      case 'radialGradient':
      case 'mask':
      case 'clipPath':
      case 'filter':
      case 'foreignObject':
        return unsupported(`<${tag}>`);
      default:
        return unsupported(`the element <${tag}>`);
    }
    if (!selfClosing) {
      // an element with children (rare for shapes): keep the stack balanced
      stack.push({ style, ignore: false, tag });
      style = next;
    }
    if (!path) continue;
    const { fill, stroke } = next;
    if (!fill && !stroke) continue;
    let op = '';
    if (fill) op += `${fill.map((c) => f(c / 255)).join(' ')} rg\n`;
    if (stroke) op += `${stroke.map((c) => f(c / 255)).join(' ')} RG\n${f(next.strokeWidth)} w\n`;
    const paint = fill && stroke ? (next.evenOdd ? 'B*' : 'B') : fill ? (next.evenOdd ? 'f*' : 'f') : 'S';
    ops += cmOp ? `q\n${cmOp}${op}${path}${paint}\nQ\n` : `${op}${path}${paint}\n`;
  }
  if (!viewBox) fail('PDF_PICTURE_UNSUPPORTED', 'the picture is not an SVG document (no <svg> root)');
  while (stack.length) {
    const top = stack.pop()!;
    if (!top.ignore && (top.tag === 'g' || top.tag === 'svg')) ops += 'Q\n';
  }
  return { viewBox, ops };
}
