/**
 * @module ofd/page
 * Page content (GB/T 33190 §8-§13): a page's area, templates and layers of graphic objects — text
 * (TextObject/TextCode with DeltaX/DeltaY and CGTransform), paths (AbbreviatedData), images,
 * composite objects and page blocks — parsed into plain values for rendering and keyword search.
 */
import { EsealError, fail } from '../util/errors.js';
import { emptyResources, parseBox, parseNumbers, type OfdBox, type OfdDocument, type OfdPackage, type Resources } from './package.js';
import { dirOf, resolveLoc } from './paths.js';
import { child, childText, children, type XmlElement } from './xml.js';

/** Affine matrix [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f (OFD CTM, as SVG matrix()). */
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 then m2 applied to a point: multiply(m2, m1) in column-vector terms; here `then(inner, outer)`. */
export function compose(inner: Matrix, outer: Matrix): Matrix {
  const [a, b, c, d, e, f] = inner;
  const [A, B, C, D, E, F] = outer;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export interface Color {
  /** 0-255 each */
  rgb: [number, number, number];
  /** 0-1 */
  alpha: number;
}

export interface ClipArea {
  /** path data (AbbreviatedData) in the clip's own coordinates */
  data: string;
  ctm?: Matrix;
  /** TransFlag: true = the clip is in the object's coordinate system after its CTM */
  transFlag: boolean;
}

interface Graphic {
  id?: string;
  boundary: OfdBox;
  ctm?: Matrix;
  /** 0-1 */
  alpha: number;
  lineWidth?: number;
  fillColor?: Color;
  strokeColor?: Color;
  drawParam?: string;
  clips: ClipArea[];
}

export interface TextCodeRun {
  x?: number;
  y?: number;
  deltaX: number[];
  deltaY: number[];
  text: string;
}

export interface CgTransform {
  codePosition: number;
  codeCount: number;
  glyphCount: number;
  glyphs: number[];
}

export interface TextObj extends Graphic {
  kind: 'text';
  font: string;
  size: number;
  fill: boolean;
  stroke: boolean;
  hScale: number;
  weight?: number;
  italic: boolean;
  codes: TextCodeRun[];
  cgTransforms: CgTransform[];
}

export interface PathObj extends Graphic {
  kind: 'path';
  stroke: boolean;
  fill: boolean;
  evenOdd: boolean;
  data: string;
}

export interface ImageObj extends Graphic {
  kind: 'image';
  resourceId: string;
}

export interface CompositeObj extends Graphic {
  kind: 'composite';
  resourceId: string;
}

export interface BlockObj {
  kind: 'block';
  objects: PageObject[];
}

export type PageObject = TextObj | PathObj | ImageObj | CompositeObj | BlockObj;

export interface Layer {
  type: string;
  drawParam?: string;
  objects: PageObject[];
}

export interface ParsedPage {
  index: number;
  id: string;
  path: string;
  area: OfdBox;
  templates: { id: string; zOrder: string }[];
  layers: Layer[];
  /** document resources plus the page's own (PageRes) */
  res: Resources;
}

export function parseMatrix(s: string | undefined): Matrix | undefined {
  const v = parseNumbers(s);
  return v.length === 6 && v.every(Number.isFinite) ? (v as Matrix) : undefined;
}

/** ST_Array with the "g N v" repetition of DeltaX/DeltaY (§11.3). */
export function expandDeltas(s: string | undefined, max = 1_000_000): number[] {
  if (!s) return [];
  const t = s.trim().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 'g') {
      const n = Number(t[i + 1]);
      const v = Number(t[i + 2]);
      if (!Number.isInteger(n) || n < 0 || !Number.isFinite(v)) fail('OFD_MALFORMED', `malformed "g" repetition in DeltaX/DeltaY "${s.slice(0, 80)}"`);
      if (out.length + n > max) throw new EsealError('LIMIT_EXCEEDED', `a DeltaX/DeltaY array expands to more than ${max} values`, { limit: 'deltas' });
      for (let k = 0; k < n; k++) out.push(v);
      i += 2;
    } else {
      const v = Number(t[i]);
      if (!Number.isFinite(v)) fail('OFD_MALFORMED', `DeltaX/DeltaY value "${t[i]}" is not a number`);
      out.push(v);
    }
  }
  return out;
}

/** Reads a colour element (FillColor / StrokeColor) to RGB. */
export function parseColor(el: XmlElement | undefined, res: Resources): Color | undefined {
  if (!el) return undefined;
  const alpha = el.attrs.Alpha !== undefined ? Math.max(0, Math.min(255, Number(el.attrs.Alpha) || 0)) / 255 : 1;
  const cs = el.attrs.ColorSpace ? res.colorSpaces.get(el.attrs.ColorSpace) : undefined;
  const type = (cs?.attrs.Type ?? 'RGB').toUpperCase();
  const bpc = Number(cs?.attrs.BitsPerComponent ?? 8) || 8;
  const maxv = 2 ** bpc - 1;
  let raw = el.attrs.Value;
  if (raw === undefined && el.attrs.Index !== undefined && cs) {
    const palette = children(child(cs, 'Palette'), 'CV');
    raw = palette[Number(el.attrs.Index)]?.text;
  }
  if (raw === undefined) {
    // pattern / shading colours: approximate with the first segment's colour, or black
    const seg = child(child(child(el, 'AxialShd') ?? child(el, 'RadialShd'), 'Segment'), 'Color');
    return seg ? parseColor(seg, res) : { rgb: [0, 0, 0], alpha };
  }
  const v = raw.trim().split(/\s+/).map((x) => (x.startsWith('#') ? parseInt(x.slice(1), 16) : Number(x)));
  if (v.some((x) => !Number.isFinite(x))) return { rgb: [0, 0, 0], alpha };
  const to255 = (x: number) => Math.max(0, Math.min(255, Math.round((x / maxv) * 255)));
  if (type === 'GRAY' || v.length === 1) return { rgb: [to255(v[0]), to255(v[0]), to255(v[0])], alpha };
  if (type === 'CMYK' && v.length >= 4) {
    const [c, m, y, k] = v.map((x) => x / maxv);
    return { rgb: [Math.round(255 * (1 - c) * (1 - k)), Math.round(255 * (1 - m) * (1 - k)), Math.round(255 * (1 - y) * (1 - k))], alpha };
  }
  return { rgb: [to255(v[0] ?? 0), to255(v[1] ?? 0), to255(v[2] ?? 0)], alpha };
}

interface Ctx {
  res: Resources;
  what: string;
  count: { n: number; max: number };
  depth: number;
  ids?: Set<string>;
}

function graphic(el: XmlElement, ctx: Ctx): Graphic {
  const boundary = parseBox(el.attrs.Boundary) ?? { x: 0, y: 0, w: 0, h: 0 };
  const ctm = parseMatrix(el.attrs.CTM);
  const lw = el.attrs.LineWidth !== undefined ? Number(el.attrs.LineWidth) : undefined;
  const fill = parseColor(child(el, 'FillColor'), ctx.res);
  const stroke = parseColor(child(el, 'StrokeColor'), ctx.res);
  const clips: ClipArea[] = [];
  for (const c of children(child(el, 'Clips'), 'Clip')) {
    for (const a of children(c, 'Area')) {
      const p = child(a, 'Path');
      const data = childText(p, 'AbbreviatedData');
      if (!data) continue;
      const actm = parseMatrix(a.attrs.CTM);
      clips.push({ data, ...(actm ? { ctm: actm } : {}), transFlag: c.attrs.TransFlag === 'true' || a.attrs.TransFlag === 'true' });
    }
  }
  return {
    ...(el.attrs.ID ? { id: el.attrs.ID } : {}),
    boundary,
    ...(ctm ? { ctm } : {}),
    alpha: el.attrs.Alpha !== undefined ? Math.max(0, Math.min(255, Number(el.attrs.Alpha) || 0)) / 255 : 1,
    ...(lw !== undefined && Number.isFinite(lw) ? { lineWidth: lw } : {}),
    ...(fill ? { fillColor: fill } : {}),
    ...(stroke ? { strokeColor: stroke } : {}),
    ...(el.attrs.DrawParam ? { drawParam: el.attrs.DrawParam } : {}),
    clips,
  };
}

/** Parses the graphic objects inside a Layer, PageBlock or CompositeGraphicUnit Content. */
export function parseObjects(container: XmlElement, ctx: Ctx): PageObject[] {
  if (ctx.depth > 32) throw new EsealError('LIMIT_EXCEEDED', `${ctx.what}: page blocks nested deeper than 32 levels`, { limit: 'maxRenderDepth' });
  const out: PageObject[] = [];
  for (const el of container.children) {
    if (++ctx.count.n > ctx.count.max) throw new EsealError('LIMIT_EXCEEDED', `${ctx.what}: more than ${ctx.count.max} drawing objects`, { limit: 'maxRenderObjects' });
    if (ctx.ids && el.attrs.ID) {
      if (ctx.ids.has(el.attrs.ID)) fail('OFD_DUPLICATE_ID', `${ctx.what}: object ID ${el.attrs.ID} is used twice`);
      ctx.ids.add(el.attrs.ID);
    }
    switch (el.local) {
      case 'TextObject': {
        const g = graphic(el, ctx);
        const codes = children(el, 'TextCode').map((c) => ({
          ...(c.attrs.X !== undefined && Number.isFinite(Number(c.attrs.X)) ? { x: Number(c.attrs.X) } : {}),
          ...(c.attrs.Y !== undefined && Number.isFinite(Number(c.attrs.Y)) ? { y: Number(c.attrs.Y) } : {}),
          deltaX: expandDeltas(c.attrs.DeltaX, c.text.length + 16),
          deltaY: expandDeltas(c.attrs.DeltaY, c.text.length + 16),
          text: c.text,
        }));
        const cgTransforms = children(el, 'CGTransform').map((t) => ({
          codePosition: Number(t.attrs.CodePosition) || 0,
          codeCount: Number(t.attrs.CodeCount) || 1,
          glyphCount: Number(t.attrs.GlyphCount) || 1,
          glyphs: parseNumbers(childText(t, 'Glyphs')).filter(Number.isFinite),
        }));
        const size = Number(el.attrs.Size);
        out.push({
          kind: 'text',
          ...g,
          font: el.attrs.Font ?? '',
          size: Number.isFinite(size) && size > 0 ? size : 3.5,
          fill: el.attrs.Fill !== 'false',
          stroke: el.attrs.Stroke === 'true',
          hScale: Number(el.attrs.HScale ?? 1) || 1,
          ...(el.attrs.Weight ? { weight: Number(el.attrs.Weight) } : {}),
          italic: el.attrs.Italic === 'true',
          codes,
          cgTransforms,
        });
        break;
      }
      case 'PathObject': {
        const data = childText(el, 'AbbreviatedData');
        if (!data) break;
        out.push({ kind: 'path', ...graphic(el, ctx), stroke: el.attrs.Stroke !== 'false', fill: el.attrs.Fill === 'true', evenOdd: el.attrs.Rule === 'Even-Odd', data });
        break;
      }
      case 'ImageObject':
        if (el.attrs.ResourceID) out.push({ kind: 'image', ...graphic(el, ctx), resourceId: el.attrs.ResourceID });
        break;
      case 'CompositeObject':
        if (el.attrs.ResourceID) out.push({ kind: 'composite', ...graphic(el, ctx), resourceId: el.attrs.ResourceID });
        break;
      case 'PageBlock':
        out.push({ kind: 'block', objects: parseObjects(el, { ...ctx, depth: ctx.depth + 1 }) });
        break;
      default:
        break; // Actions, CustomTags, … are not drawn
    }
  }
  return out;
}

function mergeResources(a: Resources, b: Resources): Resources {
  return {
    fonts: new Map([...a.fonts, ...b.fonts]),
    media: new Map([...a.media, ...b.media]),
    drawParams: new Map([...a.drawParams, ...b.drawParams]),
    colorSpaces: new Map([...a.colorSpaces, ...b.colorSpaces]),
    composites: new Map([...a.composites, ...b.composites]),
  };
}

/** Page-level resources (PageRes) of a page or template content file. */
function pageResources(pkg: OfdPackage, doc: OfdDocument, path: string, el: XmlElement): Resources {
  const locs = children(el, 'PageRes');
  if (!locs.length) return doc.res;
  const res = emptyResources();
  for (const l of locs) {
    const p = resolveLoc(dirOf(path), l.text, 'PageRes');
    if (!pkg.has(p)) {
      pkg.warnings.push(`/${path}: PageRes /${p} is missing`);
      continue;
    }
    const r = pkg.xml(p);
    const base = r.attrs.BaseLoc ? resolveLoc(dirOf(p), r.attrs.BaseLoc, 'PageRes BaseLoc') : dirOf(p);
    for (const f of children(child(r, 'Fonts'), 'Font')) {
      const file = childText(f, 'FontFile');
      if (f.attrs.ID) res.fonts.set(f.attrs.ID, { id: f.attrs.ID, fontName: f.attrs.FontName ?? '', bold: f.attrs.Bold === 'true', italic: f.attrs.Italic === 'true', ...(file ? { file: resolveLoc(base, file, 'FontFile') } : {}) });
    }
    for (const m of children(child(r, 'MultiMedias'), 'MultiMedia')) {
      const file = childText(m, 'MediaFile');
      if (m.attrs.ID && file) res.media.set(m.attrs.ID, { id: m.attrs.ID, type: m.attrs.Type ?? 'Image', file: resolveLoc(base, file, 'MediaFile') });
    }
    for (const d of children(child(r, 'DrawParams'), 'DrawParam')) if (d.attrs.ID) res.drawParams.set(d.attrs.ID, d);
    for (const c of children(child(r, 'ColorSpaces'), 'ColorSpace')) if (c.attrs.ID) res.colorSpaces.set(c.attrs.ID, c);
    for (const c of children(child(r, 'CompositeGraphicUnits'), 'CompositeGraphicUnit')) if (c.attrs.ID) res.composites.set(c.attrs.ID, { id: c.attrs.ID, width: Number(c.attrs.Width) || 0, height: Number(c.attrs.Height) || 0, el: c });
  }
  return mergeResources(doc.res, res);
}

/** Parses a page (or template page) content file. `index`/`id` identify it in messages. */
export function parsePageContent(pkg: OfdPackage, doc: OfdDocument, path: string, index: number, id: string, opts: { checkIds?: boolean } = {}): ParsedPage {
  if (!pkg.has(path)) fail('OFD_MISSING_ENTRY', `page ${index + 1} (ID ${id}): its content /${path} is not in the package`);
  const el = pkg.xml(path);
  if (el.local !== 'Page') fail('OFD_MALFORMED', `/${path}: the root element is <${el.name}>, not <ofd:Page>`);
  const res = pageResources(pkg, doc, path, el);
  const area = parseBox(childText(child(el, 'Area'), 'PhysicalBox')) ?? doc.pageArea;
  const templates = children(el, 'Template')
    .filter((t) => t.attrs.TemplateID)
    .map((t) => ({ id: t.attrs.TemplateID!, zOrder: t.attrs.ZOrder ?? doc.templates.get(t.attrs.TemplateID!)?.zOrder ?? 'Background' }));
  const ctx: Ctx = { res, what: `/${path}`, count: { n: 0, max: pkg.limits.maxRenderObjects }, depth: 0, ...(opts.checkIds ? { ids: new Set<string>() } : {}) };
  const layers = children(child(el, 'Content'), 'Layer').map((l) => {
    if (ctx.ids && l.attrs.ID) {
      if (ctx.ids.has(l.attrs.ID)) fail('OFD_DUPLICATE_ID', `/${path}: layer ID ${l.attrs.ID} is used twice`);
      ctx.ids.add(l.attrs.ID);
    }
    return { type: l.attrs.Type ?? 'Body', ...(l.attrs.DrawParam ? { drawParam: l.attrs.DrawParam } : {}), objects: parseObjects(l, ctx) };
  });
  return { index, id, path, area, templates, layers, res };
}

/** Parses page `index` (0-based) of a document. */
export function parsePage(pkg: OfdPackage, doc: OfdDocument, index: number, opts: { checkIds?: boolean } = {}): ParsedPage {
  const ref = doc.pages[index];
  if (!ref) fail('OFD_PAGE_OUT_OF_RANGE', `page ${index + 1} does not exist: the document has ${doc.pages.length} page(s)`);
  return parsePageContent(pkg, doc, ref.path, index, ref.id, opts);
}
