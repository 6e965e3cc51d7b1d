/**
 * @module ofd/render-svg
 * Page previews: an OFD page (GB/T 33190 §8-§15) as SVG in millimetres — templates, layers of text,
 * paths, images, composite objects and page blocks, annotations (水印, stamps) and the signatures'
 * StampAnnots drawing the seal picture (PNG/JPEG/GIF/SVG, and the tax bureau's pictures that are
 * themselves OFD files, rendered recursively), clipped by Clip for cross-page seals.
 *
 * Text is drawn as glyph outlines (fontkit), taken from the font the document embeds (by code point,
 * or by glyph index where a CGTransform says so) and otherwise from `fallbackFont` (the caller passes
 * the project's Noto Serif CJK subset); no system font is needed and the SVG looks the same in every
 * viewer. Each glyph is defined once (`<defs>`) and placed with `<use>`. Pure: fonts are parameters.
 *
 * Images the renderer cannot show (JBIG2 "GBIG2", missing files) are drawn as grey boxes and listed
 * in `warnings`.
 */
import * as fontkit from 'fontkit';
import { toBase64 } from '../util/base64.js';
import { EsealError, fail } from '../util/errors.js';
import { parseSeal, parseSesSignature } from '../ses/parse.js';
import type { Seal } from '../ses/model.js';
import { num } from './_write.js';
import { readOfd, type OfdBox, type OfdDocument, type OfdPackage, type Resources } from './package.js';
import { parseColor, parseObjects, parsePage, parsePageContent, type Color, type Matrix, type PageObject, type ParsedPage, type TextObj } from './page.js';
import { dirOf, resolveLoc } from './paths.js';
import { readSignatureDescription, readSignatureList } from './signatures.js';
import { child, childText, children, xmlEscape } from './xml.js';
import { isWide } from './text.js';

export interface RenderOptions {
  /** a TrueType/OpenType font for text whose font is not embedded or lacks a glyph */
  fallbackFont?: Uint8Array;
  /** draw the signatures' stamps (default true) */
  stamps?: boolean;
  /** draw page annotations (default true) */
  annotations?: boolean;
  /** page background colour (default white; "none" for transparent) */
  background?: string;
  documentIndex?: number;
}

export interface RenderedPage {
  svg: string;
  widthMm: number;
  heightMm: number;
  warnings: string[];
}

type Font = fontkit.Font;

const fontCache = new WeakMap<Uint8Array, Font | null>();

function openFont(bytes: Uint8Array): Font | null {
  if (fontCache.has(bytes)) return fontCache.get(bytes)!;
  let f: Font | null = null;
  try {
    const parsed = fontkit.create(bytes as unknown as Parameters<typeof fontkit.create>[0]);
    if (parsed && 'glyphForCodePoint' in parsed) f = parsed as Font;
    else if (parsed && 'fonts' in parsed) f = ((parsed as unknown as { fonts: Font[] }).fonts[0] ?? null) as Font | null;
  } catch {
    f = null;
  }
  fontCache.set(bytes, f);
  return f;
}

interface State {
  pkg: OfdPackage;
  doc: OfdDocument;
  prefix: string;
  defs: string[];
  glyphIds: Map<string, string>;
  fontIds: Map<Font, number>;
  warnings: Set<string>;
  opts: RenderOptions;
  depth: number;
  counter: { n: number };
  objects: { n: number; max: number };
}

const rgb = (c: Color) => `rgb(${c.rgb[0]},${c.rgb[1]},${c.rgb[2]})`;
const mat = (m: Matrix) => `matrix(${m.map((v) => num(v, 4)).join(' ')})`;
const isIdentity = (m: Matrix) => m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0;

/** OFD AbbreviatedData (§9.3.2) → SVG path data. */
export function abbreviatedToSvg(data: string): string {
  const t = data.trim().split(/[\s,]+/).filter(Boolean);
  const out: string[] = [];
  const arity: Record<string, number> = { S: 2, M: 2, L: 2, Q: 4, B: 6, A: 7, C: 0 };
  for (let i = 0; i < t.length; ) {
    const c = t[i++];
    const n = arity[c];
    if (n === undefined) fail('OFD_MALFORMED', `path data: unknown command "${c.slice(0, 8)}"`);
    const args = t.slice(i, i + n).map(Number);
    if (args.length !== n || args.some((v) => !Number.isFinite(v))) fail('OFD_MALFORMED', `path data: command ${c} needs ${n} numbers`);
    i += n;
    const svgCmd = c === 'S' ? 'M' : c === 'B' ? 'C' : c === 'C' ? 'Z' : c;
    out.push(svgCmd + (n ? ' ' + args.map((v) => num(v, 4)).join(' ') : ''));
  }
  return out.join(' ');
}

function sniffImage(b: Uint8Array): string | undefined {
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (b.length > 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif';
  if (b.length > 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'image/webp';
  const head = new TextDecoder().decode(b.subarray(0, 256)).trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  return undefined;
}

function drawParamOf(st: State, res: Resources, id: string | undefined): { lineWidth?: number; fill?: Color; stroke?: Color } {
  const out: { lineWidth?: number; fill?: Color; stroke?: Color } = {};
  const seen = new Set<string>();
  let cur = id;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const el = res.drawParams.get(cur);
    if (!el) break;
    if (out.lineWidth === undefined && el.attrs.LineWidth !== undefined) out.lineWidth = Number(el.attrs.LineWidth);
    out.fill ??= parseColor(child(el, 'FillColor'), res);
    out.stroke ??= parseColor(child(el, 'StrokeColor'), res);
    cur = el.attrs.Relative;
  }
  return out;
}

function placeholder(st: State, x: number, y: number, w: number, h: number, why: string): string {
  st.warnings.add(why);
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="#e8e8e8" stroke="#999" stroke-width="0.2" stroke-dasharray="1 1"><title>${xmlEscape(why)}</title></rect>`;
}

function glyphRef(st: State, font: Font, gid: number): string | undefined {
  let fi = st.fontIds.get(font);
  if (fi === undefined) {
    fi = st.fontIds.size;
    st.fontIds.set(font, fi);
  }
  const key = `${fi}-${gid}`;
  let id = st.glyphIds.get(key);
  if (id === undefined) {
    let d = '';
    try {
      d = font.getGlyph(gid).path.toSVG();
    } catch {
      d = '';
    }
    id = `${st.prefix}g${key}`;
    st.glyphIds.set(key, id);
    st.defs.push(`<path id="${id}" d="${d}"/>`);
  }
  return id;
}

function textObject(st: State, t: TextObj, res: Resources, layerDp: string | undefined): string {
  const fontRes = res.fonts.get(t.font);
  let embedded: Font | null = null;
  if (fontRes?.file) {
    if (st.pkg.has(fontRes.file)) embedded = openFont(st.pkg.read(fontRes.file));
    else st.warnings.add(`font file /${fontRes.file} is missing`);
    if (!embedded && st.pkg.has(fontRes.file)) st.warnings.add(`font file /${fontRes.file} cannot be read; the fallback font is used`);
  }
  const fallback = st.opts.fallbackFont ? openFont(st.opts.fallbackFont) : null;
  const dp = drawParamOf(st, res, t.drawParam ?? layerDp);
  const fill = t.fillColor ?? dp.fill ?? { rgb: [0, 0, 0], alpha: 1 };
  const s = t.size;
  const uses: string[] = [];
  const texts: string[] = [];
  // CGTransform: code position → glyph ids
  const cg = new Map<number, number[]>();
  for (const c of t.cgTransforms) {
    for (let k = 0; k < c.codeCount; k++) {
      const gids = c.glyphCount === c.codeCount ? [c.glyphs[k]] : k === 0 ? c.glyphs : [];
      cg.set(c.codePosition + k, gids.filter((g) => g !== undefined));
    }
  }
  let cx = 0;
  let cy = 0;
  let pos = 0;
  for (const code of t.codes) {
    let x = code.x ?? cx;
    let y = code.y ?? cy;
    const chars = Array.from(code.text);
    chars.forEach((ch, i) => {
      let font: Font | null = null;
      let gids: number[] = [];
      const cp = ch.codePointAt(0)!;
      if (embedded && cg.has(pos)) {
        font = embedded;
        gids = cg.get(pos)!;
      } else if (embedded && embedded.hasGlyphForCodePoint(cp)) {
        font = embedded;
        gids = [embedded.glyphForCodePoint(cp).id];
      } else if (fallback && fallback.hasGlyphForCodePoint(cp)) {
        font = fallback;
        gids = [fallback.glyphForCodePoint(cp).id];
      }
      let adv: number | undefined = code.deltaX[i];
      if (font && gids.length && /\S/.test(ch)) {
        const k = s / font.unitsPerEm;
        let gx = x;
        for (const gid of gids) {
          const id = glyphRef(st, font, gid);
          uses.push(`<use href="#${id}" transform="matrix(${num(k * t.hScale, 5)} 0 0 ${num(-k, 5)} ${num(gx, 4)} ${num(y, 4)})"/>`);
          if (gids.length > 1) gx += font.getGlyph(gid).advanceWidth * k;
        }
        if (adv === undefined) adv = font.getGlyph(gids[0]).advanceWidth * k * t.hScale;
      } else if (/\S/.test(ch)) {
        texts.push(`<text x="${num(x, 4)}" y="${num(y, 4)}" font-size="${num(s, 4)}">${xmlEscape(ch)}</text>`);
        if (!fallback) st.warnings.add('text drawn without an embedded or fallback font (pass fallbackFont)');
      }
      if (adv === undefined) adv = (isWide(ch) ? s : s * 0.5) * t.hScale;
      x += adv;
      y += code.deltaY[i] ?? 0;
      pos++;
    });
    cx = x;
    cy = y;
  }
  if (!uses.length && !texts.length) return '';
  const bold = (t.weight ?? 400) >= 700 ? ` stroke="${rgb(fill)}" stroke-width="${num(s * 0.025, 4)}"` : '';
  const op = fill.alpha * t.alpha < 1 ? ` fill-opacity="${num(fill.alpha * t.alpha, 3)}"` : '';
  return `<g fill="${t.fill ? rgb(fill) : 'none'}"${op}${bold}>${uses.join('')}${texts.join('')}</g>`;
}

function pathObject(st: State, p: Extract<PageObject, { kind: 'path' }>, res: Resources, layerDp: string | undefined): string {
  let d: string;
  try {
    d = abbreviatedToSvg(p.data);
  } catch (e) {
    st.warnings.add((e as Error).message);
    return '';
  }
  const dp = drawParamOf(st, res, p.drawParam ?? layerDp);
  const stroke = p.strokeColor ?? dp.stroke ?? { rgb: [0, 0, 0], alpha: 1 };
  const fill = p.fillColor ?? dp.fill ?? { rgb: [0, 0, 0], alpha: 1 };
  const lw = p.lineWidth ?? dp.lineWidth ?? 0.353;
  const attrs = [
    `fill="${p.fill ? rgb(fill) : 'none'}"`,
    p.fill && fill.alpha * p.alpha < 1 ? `fill-opacity="${num(fill.alpha * p.alpha, 3)}"` : '',
    p.fill && p.evenOdd ? 'fill-rule="evenodd"' : '',
    p.stroke ? `stroke="${rgb(stroke)}" stroke-width="${num(lw, 4)}"` : '',
    p.stroke && stroke.alpha * p.alpha < 1 ? `stroke-opacity="${num(stroke.alpha * p.alpha, 3)}"` : '',
  ].filter(Boolean);
  return `<path d="${d}" ${attrs.join(' ')}/>`;
}

function imageObject(st: State, o: Extract<PageObject, { kind: 'image' }>, res: Resources): string {
  const m = res.media.get(o.resourceId);
  if (!m) return placeholder(st, 0, 0, 1, 1, `image resource ${o.resourceId} is not defined`);
  if (!st.pkg.has(m.file)) return placeholder(st, 0, 0, 1, 1, `image /${m.file} is missing from the package`);
  const bytes = st.pkg.read(m.file);
  const mime = sniffImage(bytes);
  if (!mime) return placeholder(st, 0, 0, 1, 1, `image /${m.file} (${m.format ?? 'unknown format'}) cannot be shown in a preview`);
  const op = o.alpha < 1 ? ` opacity="${num(o.alpha, 3)}"` : '';
  return `<image x="0" y="0" width="1" height="1" preserveAspectRatio="none"${op} href="data:${mime};base64,${toBase64(bytes)}"/>`;
}

function clipPathFor(st: State, clips: { data: string; ctm?: Matrix }[]): string | undefined {
  if (!clips.length) return undefined;
  const id = `${st.prefix}c${st.counter.n++}`;
  const paths = clips
    .map((c) => {
      try {
        return `<path d="${abbreviatedToSvg(c.data)}"${c.ctm ? ` transform="${mat(c.ctm)}"` : ''}/>`;
      } catch {
        return '';
      }
    })
    .join('');
  st.defs.push(`<clipPath id="${id}">${paths}</clipPath>`);
  return id;
}

function objects(st: State, list: PageObject[], res: Resources, layerDp: string | undefined, composites: string[]): string {
  let out = '';
  for (const o of list) {
    if (++st.objects.n > st.objects.max) throw new EsealError('LIMIT_EXCEEDED', `more than ${st.pkg.limits.maxRenderObjects} objects to draw on one page`, { limit: 'maxRenderObjects' });
    if (o.kind === 'block') {
      out += objects(st, o.objects, res, layerDp, composites);
      continue;
    }
    let inner = '';
    if (o.kind === 'text') inner = textObject(st, o, res, layerDp);
    else if (o.kind === 'path') inner = pathObject(st, o, res, layerDp);
    else if (o.kind === 'image') inner = imageObject(st, o, res);
    else if (o.kind === 'composite') {
      const c = res.composites.get(o.resourceId);
      if (!c) st.warnings.add(`composite resource ${o.resourceId} is not defined`);
      else if (composites.includes(o.resourceId)) fail('OFD_CIRCULAR_REFERENCE', `composite graphic unit ${o.resourceId} contains itself (${[...composites, o.resourceId].join(' → ')})`);
      else if (composites.length >= st.pkg.limits.maxRenderDepth) throw new EsealError('LIMIT_EXCEEDED', `composite graphic units nested deeper than ${st.pkg.limits.maxRenderDepth}`, { limit: 'maxRenderDepth' });
      else {
        const content = child(c.el, 'Content');
        const objs = content ? parseObjects(content, { res, what: `composite ${c.id}`, count: st.objects, depth: composites.length }) : [];
        inner = objects(st, objs, res, undefined, [...composites, o.resourceId]);
      }
    }
    if (!inner) continue;
    const ctm = o.ctm && !isIdentity(o.ctm) ? o.ctm : undefined;
    const outerClips = clipPathFor(st, o.clips.filter((c) => !c.transFlag));
    const innerClips = clipPathFor(st, o.clips.filter((c) => c.transFlag));
    let g = ctm || innerClips ? `<g${ctm ? ` transform="${mat(ctm)}"` : ''}${innerClips ? ` clip-path="url(#${innerClips})"` : ''}>${inner}</g>` : inner;
    const t = o.boundary.x !== 0 || o.boundary.y !== 0 ? ` transform="translate(${num(o.boundary.x, 4)} ${num(o.boundary.y, 4)})"` : '';
    if (t || outerClips) g = `<g${t}${outerClips ? ` clip-path="url(#${outerClips})"` : ''}>${g}</g>`;
    out += g;
  }
  return out;
}

function layers(st: State, page: ParsedPage): string {
  return page.layers.map((l) => objects(st, l.objects, page.res, l.drawParam, [])).join('');
}

function templateLayers(st: State, page: ParsedPage, where: 'Background' | 'Foreground'): string {
  let out = '';
  for (const t of page.templates) {
    const z = t.zOrder === 'Foreground' ? 'Foreground' : 'Background';
    if (z !== where) continue;
    const ref = st.doc.templates.get(t.id);
    if (!ref) {
      st.warnings.add(`template ${t.id} is not defined`);
      continue;
    }
    if (!st.pkg.has(ref.path)) {
      st.warnings.add(`template /${ref.path} is missing`);
      continue;
    }
    out += layers(st, parsePageContent(st.pkg, st.doc, ref.path, page.index, t.id));
  }
  return out;
}

function annotationLayer(st: State, page: ParsedPage): string {
  const path = st.doc.annotations;
  if (!path) return '';
  let out = '';
  const idx = st.pkg.xml(path);
  for (const p of children(idx, 'Page')) {
    if (p.attrs.PageID !== page.id) continue;
    const loc = childText(p, 'FileLoc');
    if (!loc) continue;
    const file = resolveLoc(dirOf(path), loc, 'annotation FileLoc');
    if (!st.pkg.has(file)) {
      st.warnings.add(`annotation file /${file} is missing`);
      continue;
    }
    for (const a of children(st.pkg.xml(file), 'Annot')) {
      if (a.attrs.Visible === 'false') continue;
      const ap = child(a, 'Appearance');
      if (!ap) continue;
      const b = (ap.attrs.Boundary ?? '').trim().split(/\s+/).map(Number);
      const objs = parseObjects(ap, { res: page.res, what: `/${file}`, count: st.objects, depth: 0 });
      const body = objects(st, objs, page.res, undefined, []);
      if (body) out += b.length === 4 && b.every(Number.isFinite) ? `<g transform="translate(${num(b[0], 4)} ${num(b[1], 4)})">${body}</g>` : body;
    }
  }
  return out;
}

/** The seal picture drawn into a box (mm): image, SVG, or an embedded OFD page rendered recursively. */
function sealPictureElement(st: State, seal: Seal, b: OfdBox): string {
  const p = seal.info.picture;
  const type = p.type.toLowerCase();
  if (type === 'ofd') {
    if (st.depth + 1 > st.pkg.limits.maxRenderDepth) throw new EsealError('LIMIT_EXCEEDED', `OFD seal pictures nested deeper than ${st.pkg.limits.maxRenderDepth}`, { limit: 'maxRenderDepth' });
    try {
      const sub = readOfd(p.data);
      const inner = renderInner(sub, 0, { ...st.opts, stamps: false, background: 'none' }, st.depth + 1, `${st.prefix}s${st.counter.n++}-`);
      inner.warnings.forEach((w) => st.warnings.add(`seal picture: ${w}`));
      st.defs.push(...inner.defs);
      return `<svg x="${num(b.x, 4)}" y="${num(b.y, 4)}" width="${num(b.w, 4)}" height="${num(b.h, 4)}" viewBox="${num(inner.area.x, 4)} ${num(inner.area.y, 4)} ${num(inner.area.w, 4)} ${num(inner.area.h, 4)}" preserveAspectRatio="none" overflow="hidden">${inner.body}</svg>`;
    } catch (e) {
      return placeholder(st, b.x, b.y, b.w, b.h, `the OFD seal picture cannot be drawn: ${(e as Error).message}`);
    }
  }
  const mime = sniffImage(p.data);
  if (!mime) return placeholder(st, b.x, b.y, b.w, b.h, `the seal picture (${p.type}) cannot be shown in a preview`);
  return `<image x="${num(b.x, 4)}" y="${num(b.y, 4)}" width="${num(b.w, 4)}" height="${num(b.h, 4)}" preserveAspectRatio="none" href="data:${mime};base64,${toBase64(p.data)}"/>`;
}

function stampLayer(st: State, page: ParsedPage): string {
  let list;
  try {
    list = readSignatureList(st.pkg, st.doc);
  } catch (e) {
    st.warnings.add(`signatures: ${(e as Error).message}`);
    return '';
  }
  if (!list) return '';
  let out = '';
  for (const e of list.entries) {
    let d;
    try {
      d = readSignatureDescription(st.pkg, e.path);
    } catch (err) {
      st.warnings.add(`signature ${e.id}: ${(err as Error).message}`);
      continue;
    }
    const annots = d.stampAnnots.filter((s) => s.pageRef === page.id);
    if (!annots.length) continue;
    let seal: Seal | undefined;
    try {
      if (d.sealPath && st.pkg.has(d.sealPath)) seal = parseSeal(st.pkg.read(d.sealPath));
      else if (e.type === 'Seal' && st.pkg.has(d.signedValuePath)) seal = parseSesSignature(st.pkg.read(d.signedValuePath)).seal;
    } catch (err) {
      st.warnings.add(`signature ${e.id}: the seal cannot be read (${(err as Error).message})`);
    }
    for (const a of annots) {
      const b = a.boundary;
      const pic = seal ? sealPictureElement(st, seal, { x: 0, y: 0, w: b.w, h: b.h }) : placeholder(st, 0, 0, b.w, b.h, `signature ${e.id} has a stamp but no seal picture`);
      let clip = '';
      if (a.clip) {
        const id = `${st.prefix}k${st.counter.n++}`;
        st.defs.push(`<clipPath id="${id}"><rect x="${num(a.clip.x, 4)}" y="${num(a.clip.y, 4)}" width="${num(a.clip.w, 4)}" height="${num(a.clip.h, 4)}"/></clipPath>`);
        clip = ` clip-path="url(#${id})"`;
      }
      out += `<g data-signature="${xmlEscape(e.id)}" data-stamp="${xmlEscape(a.id)}" transform="translate(${num(b.x, 4)} ${num(b.y, 4)})"><g${clip}>${pic}</g></g>`;
    }
  }
  return out;
}

interface Inner {
  defs: string[];
  body: string;
  area: OfdBox;
  warnings: string[];
}

function renderInner(pkg: OfdPackage, pageIndex: number, opts: RenderOptions, depth: number, prefix: string): Inner {
  const doc = pkg.document(opts.documentIndex ?? 0);
  const page = parsePage(pkg, doc, pageIndex);
  const st: State = { pkg, doc, prefix, defs: [], glyphIds: new Map(), fontIds: new Map(), warnings: new Set(), opts, depth, counter: { n: 0 }, objects: { n: 0, max: pkg.limits.maxRenderObjects } };
  const a = page.area;
  const bg = opts.background ?? '#ffffff';
  let body = bg !== 'none' ? `<rect x="${num(a.x, 4)}" y="${num(a.y, 4)}" width="${num(a.w, 4)}" height="${num(a.h, 4)}" fill="${xmlEscape(bg)}"/>` : '';
  body += templateLayers(st, page, 'Background');
  body += layers(st, page);
  body += templateLayers(st, page, 'Foreground');
  if (opts.annotations !== false) {
    try {
      body += annotationLayer(st, page);
    } catch (e) {
      st.warnings.add(`annotations: ${(e as Error).message}`);
    }
  }
  if (opts.stamps !== false) body += stampLayer(st, page);
  return { defs: st.defs, body, area: a, warnings: [...st.warnings, ...pkg.warnings] };
}

/** Renders page `pageIndex` (0-based) to a stand-alone SVG sized in millimetres. */
export function renderPageSvg(ofd: Uint8Array | OfdPackage, pageIndex: number, opts: RenderOptions = {}): RenderedPage {
  const pkg = ofd instanceof Uint8Array ? readOfd(ofd) : ofd;
  const inner = renderInner(pkg, pageIndex, opts, 0, 'p');
  const a = inner.area;
  if (!(a.w > 0 && a.h > 0 && a.w < 10_000 && a.h < 10_000)) fail('OFD_MALFORMED', `page ${pageIndex + 1} has an unusable size ${a.w} x ${a.h} mm`);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${num(a.w, 3)}mm" height="${num(a.h, 3)}mm" viewBox="${num(a.x, 4)} ${num(a.y, 4)} ${num(a.w, 4)} ${num(a.h, 4)}">\n` +
    (inner.defs.length ? `<defs>${inner.defs.join('')}</defs>\n` : '') +
    inner.body +
    '\n</svg>\n';
  return { svg, widthMm: a.w, heightMm: a.h, warnings: inner.warnings };
}

/** A seal picture as something a browser shows: the image itself, or SVG rendered from an OFD picture. */
export function sealPicturePreview(seal: Seal | Uint8Array, opts: Pick<RenderOptions, 'fallbackFont'> = {}): { mime: string; data: Uint8Array; warnings: string[] } {
  const s = seal instanceof Uint8Array ? parseSeal(seal) : seal;
  const p = s.info.picture;
  if (p.type.toLowerCase() === 'ofd') {
    const r = renderPageSvg(p.data, 0, { ...opts, stamps: false, background: 'none' });
    return { mime: 'image/svg+xml', data: new TextEncoder().encode(r.svg), warnings: r.warnings };
  }
  const mime = sniffImage(p.data);
  if (!mime) fail('SEAL_PICTURE_UNSUPPORTED', `the seal picture type "${p.type}" cannot be shown`);
  return { mime, data: p.data, warnings: [] };
}
