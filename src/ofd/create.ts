/**
 * @module ofd/create
 * Making OFD documents (GB/T 33190-2016): pages of any size with text (Chinese included, drawn with
 * a per-document TrueType subset of the font the caller passes), paragraphs that wrap, lines,
 * rectangles, images and QR codes. Every object gets a unique ID and Document.xml's MaxUnitID is the
 * largest; the layout is the one STANDARDS.md §2.1 shows (OFD.xml, Doc_0/Document.xml, PublicRes.xml,
 * DocumentRes.xml, Res/, Pages/Page_N/Content.xml).
 *
 * Coordinates are millimetres from the page's top-left corner. Pure: fonts, time and the document ID
 * are parameters (the ID defaults to a hash of the content, so the same input gives the same bytes).
 */
import { toHex, utf8 } from '../util/bytes.js';
import { fail } from '../util/errors.js';
import { sm3 } from '../sm/sm3.js';
import { encode as encodeQr } from 'uqr';
import { box, deltas, num, OFD_NS, XML_DECL } from './_write.js';
import { openTrueType, subsetTrueType } from './font-subset.js';
import { isWide } from './text.js';
import { xmlEscape } from './xml.js';
import { writeZip, type ZipWriteEntry } from './zip.js';

export type RGB = [number, number, number] | string;

export interface TextItem {
  type: 'text';
  /** left edge (or centre / right edge with `align`), mm */
  x: number;
  /** top of the line box, mm */
  y: number;
  text: string;
  /** font size in mm (default 3.5278 = 10 pt) */
  size?: number;
  color?: RGB;
  bold?: boolean;
  align?: 'left' | 'center' | 'right';
  /** extra space between characters, mm */
  letterSpacing?: number;
}

export interface ParagraphItem {
  type: 'paragraph';
  x: number;
  y: number;
  /** wrap width, mm */
  width: number;
  text: string;
  size?: number;
  /** line distance as a multiple of the size (default 1.6) */
  lineHeight?: number;
  color?: RGB;
  bold?: boolean;
  /** first-line indent in characters (default 0; Chinese body text uses 2) */
  indent?: number;
}

export interface LineItem {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** line width, mm (default 0.25) */
  width?: number;
  color?: RGB;
  dash?: [number, number];
}

export interface RectItem {
  type: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  lineWidth?: number;
  /** outline colour; null = no outline (default black) */
  stroke?: RGB | null;
  /** fill colour; default none */
  fill?: RGB | null;
}

export interface ImageItem {
  type: 'image';
  x: number;
  y: number;
  w: number;
  h: number;
  data: Uint8Array;
  /** PNG, JPEG or GIF (default: from the bytes) */
  format?: 'PNG' | 'JPEG' | 'GIF';
}

export interface QrItem {
  type: 'qr';
  x: number;
  y: number;
  /** side length, mm (default 25) */
  size?: number;
  text: string;
  /** error correction (default M) */
  ecc?: 'L' | 'M' | 'Q' | 'H';
  color?: RGB;
}

export type OfdItem = TextItem | ParagraphItem | LineItem | RectItem | ImageItem | QrItem;

export interface OfdPageSpec {
  /** page size (default the document's) */
  widthMm?: number;
  heightMm?: number;
  items: OfdItem[];
}

export interface OfdDocInfo {
  title?: string;
  author?: string;
  subject?: string;
  creator?: string;
  creatorVersion?: string;
  /** 32 hex digits; default: derived from the content */
  docId?: string;
  creationDate?: Date;
  customData?: Record<string, string>;
}

export interface OfdFonts {
  /** TrueType font for regular text (e.g. storage/assets loadDocumentFont()) */
  regular: Uint8Array;
  /** TrueType font for bold text (default: regular) */
  bold?: Uint8Array;
  /** embed only the glyphs used (default true); false embeds the whole font */
  subset?: boolean;
  /** FontName / FamilyName written in PublicRes.xml */
  names?: { regular?: string; bold?: string; family?: string };
}

export interface OfdCreateSpec {
  /** default page size (A4: 210 x 297) */
  widthMm?: number;
  heightMm?: number;
  pages: OfdPageSpec[];
  info?: OfdDocInfo;
  fonts: OfdFonts;
}

export const A4 = { widthMm: 210, heightMm: 297 } as const;
export const DEFAULT_TEXT_SIZE = 3.5278;
/** baseline from the top of the line box, in font sizes (the CJK em box: 0.88 above the baseline) */
const ASCENT = 0.88;

function color(c: RGB | undefined | null, dflt = '0 0 0'): string {
  if (c === undefined || c === null) return dflt;
  if (typeof c === 'string') {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c.trim());
    if (!m) fail('INVALID_ARGUMENT', `colour "${c}" is not #rrggbb`);
    return `${parseInt(m[1], 16)} ${parseInt(m[2], 16)} ${parseInt(m[3], 16)}`;
  }
  if (c.length !== 3 || c.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) fail('INVALID_ARGUMENT', `colour [${c.join(', ')}] must be three integers 0-255`);
  return c.join(' ');
}

function finite(what: string, ...v: number[]): void {
  if (v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) fail('INVALID_ARGUMENT', `${what}: coordinates and sizes must be finite numbers (mm)`);
}

function sniff(data: Uint8Array): 'PNG' | 'JPEG' | 'GIF' | undefined {
  if (data[0] === 0x89 && data[1] === 0x50) return 'PNG';
  if (data[0] === 0xff && data[1] === 0xd8) return 'JPEG';
  if (data[0] === 0x47 && data[1] === 0x49 && data[2] === 0x46) return 'GIF';
  return undefined;
}

/** Advance widths in mm for a text at a size, from the font's metrics. */
export function measure(fontBytes: Uint8Array, text: string, size: number, letterSpacing = 0): number[] {
  const f = openTrueType(fontBytes);
  const k = size / f.unitsPerEm;
  return Array.from(text, (ch) => {
    const cp = ch.codePointAt(0)!;
    const adv = f.hasGlyphForCodePoint(cp) ? f.glyphForCodePoint(cp).advanceWidth * k : (isWide(ch) ? size : size / 2);
    return adv + letterSpacing;
  });
}

/** Breaks text into lines that fit `width` (CJK anywhere; Latin words kept whole when they fit; "\n" forces a break). */
export function wrapText(fontBytes: Uint8Array, text: string, size: number, width: number, indentChars = 0): string[] {
  const out: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    const chars = Array.from(para);
    const adv = measure(fontBytes, para, size);
    let line = '';
    let w = indentChars * size;
    let first = true;
    let i = 0;
    while (i < chars.length) {
      // a Latin word moves as a unit
      let j = i + 1;
      if (/[A-Za-z0-9]/.test(chars[i])) while (j < chars.length && /[A-Za-z0-9.,:;!?'"%-]/.test(chars[j])) j++;
      const ww = adv.slice(i, j).reduce((s, v) => s + v, 0);
      const avail = width - (first ? indentChars * size : 0);
      if (line && w + ww > avail + 1e-6) {
        out.push(line);
        line = '';
        w = 0;
        first = false;
        if (chars[i] === ' ') {
          i++;
          continue;
        }
        // closing punctuation does not start a line (避头): keep it on the previous one
        if (/[，。、；：？！）》」』,.;:?!)]/.test(chars[i]) && out.length) {
          out[out.length - 1] += chars[i];
          i++;
          continue;
        }
      }
      if (ww > (first ? width - indentChars * size : width) && j - i > 1) j = i + 1; // a word longer than the line
      line += chars.slice(i, j).join('');
      w += adv.slice(i, j).reduce((s, v) => s + v, 0);
      i = j;
    }
    out.push(line);
  }
  return out;
}

interface Builder {
  nextId(): number;
  fontId(bold: boolean): number;
  used: { regular: Set<string>; bold: Set<string> };
  media: { id: number; file: string; format: string; data: Uint8Array }[];
  fonts: OfdFonts;
}

function textObject(b: Builder, t: TextItem): string {
  finite('text item', t.x, t.y);
  if (typeof t.text !== 'string') fail('INVALID_ARGUMENT', 'text item: text must be a string');
  const text = t.text.replace(/[\r\n\t]/g, ' ');
  if (!text) return '';
  const size = t.size ?? DEFAULT_TEXT_SIZE;
  finite('text size', size);
  if (size <= 0 || size > 500) fail('INVALID_ARGUMENT', `text size ${size} mm is not plausible`);
  const bold = !!t.bold;
  const fontBytes = bold ? (b.fonts.bold ?? b.fonts.regular) : b.fonts.regular;
  for (const ch of text) (bold ? b.used.bold : b.used.regular).add(ch);
  const adv = measure(fontBytes, text, size, t.letterSpacing ?? 0);
  const width = adv.reduce((s, v) => s + v, 0) - (t.letterSpacing ?? 0);
  const x = t.align === 'center' ? t.x - width / 2 : t.align === 'right' ? t.x - width : t.x;
  const id = b.nextId();
  const fid = b.fontId(bold);
  const dx = adv.slice(0, -1);
  return (
    `<ofd:TextObject ID="${id}" Boundary="${box(x, t.y, Math.max(width, 0.01), size * 1.2)}" Font="${fid}" Size="${num(size, 4)}"${bold && !b.fonts.bold ? ' Weight="700"' : ''}>` +
    `<ofd:FillColor Value="${color(t.color)}"/>` +
    `<ofd:TextCode X="0" Y="${num(size * ASCENT, 4)}"${dx.length ? ` DeltaX="${deltas(dx)}"` : ''}>${xmlEscape(text)}</ofd:TextCode></ofd:TextObject>`
  );
}

function itemXml(b: Builder, it: OfdItem): string {
  switch (it.type) {
    case 'text':
      return textObject(b, it);
    case 'paragraph': {
      finite('paragraph', it.x, it.y, it.width);
      if (it.width <= 0) fail('INVALID_ARGUMENT', 'paragraph width must be positive');
      const size = it.size ?? DEFAULT_TEXT_SIZE;
      const lh = size * (it.lineHeight ?? 1.6);
      const fontBytes = it.bold ? (b.fonts.bold ?? b.fonts.regular) : b.fonts.regular;
      const lines = wrapText(fontBytes, it.text, size, it.width, it.indent ?? 0);
      return lines
        .map((line, i) => textObject(b, { type: 'text', x: it.x + (i === 0 ? (it.indent ?? 0) * size : 0), y: it.y + i * lh, text: line, size, ...(it.color ? { color: it.color } : {}), ...(it.bold ? { bold: true } : {}) }))
        .join('');
    }
    case 'line': {
      finite('line', it.x1, it.y1, it.x2, it.y2);
      const lw = it.width ?? 0.25;
      const x = Math.min(it.x1, it.x2) - lw;
      const y = Math.min(it.y1, it.y2) - lw;
      const w = Math.abs(it.x2 - it.x1) + 2 * lw;
      const h = Math.abs(it.y2 - it.y1) + 2 * lw;
      return (
        `<ofd:PathObject ID="${b.nextId()}" Boundary="${box(x, y, w, h)}" LineWidth="${num(lw, 4)}"${it.dash ? ` DashPattern="${num(it.dash[0])} ${num(it.dash[1])}"` : ''}>` +
        `<ofd:StrokeColor Value="${color(it.color)}"/><ofd:AbbreviatedData>M ${num(it.x1 - x)} ${num(it.y1 - y)} L ${num(it.x2 - x)} ${num(it.y2 - y)}</ofd:AbbreviatedData></ofd:PathObject>`
      );
    }
    case 'rect': {
      finite('rect', it.x, it.y, it.w, it.h);
      const lw = it.lineWidth ?? 0.25;
      const stroke = it.stroke !== null;
      const fill = it.fill !== undefined && it.fill !== null;
      return (
        `<ofd:PathObject ID="${b.nextId()}" Boundary="${box(it.x, it.y, it.w, it.h)}" LineWidth="${num(lw, 4)}"${stroke ? '' : ' Stroke="false"'}${fill ? ' Fill="true"' : ''}>` +
        (fill ? `<ofd:FillColor Value="${color(it.fill)}"/>` : '') +
        (stroke ? `<ofd:StrokeColor Value="${color(it.stroke)}"/>` : '') +
        `<ofd:AbbreviatedData>M 0 0 L ${num(it.w)} 0 L ${num(it.w)} ${num(it.h)} L 0 ${num(it.h)} C</ofd:AbbreviatedData></ofd:PathObject>`
      );
    }
    case 'image': {
      finite('image', it.x, it.y, it.w, it.h);
      if (!(it.data instanceof Uint8Array) || !it.data.length) fail('INVALID_ARGUMENT', 'image item: data must be the image bytes');
      const format = it.format ?? sniff(it.data);
      if (!format) fail('INVALID_ARGUMENT', 'image item: only PNG, JPEG and GIF images can be placed');
      const id = b.nextId();
      b.media.push({ id, file: `image_${id}.${format === 'JPEG' ? 'jpg' : format.toLowerCase()}`, format, data: it.data });
      return `<ofd:ImageObject ID="${b.nextId()}" ResourceID="${id}" Boundary="${box(it.x, it.y, it.w, it.h)}" CTM="${num(it.w, 4)} 0 0 ${num(it.h, 4)} 0 0"/>`;
    }
    case 'qr': {
      const size = it.size ?? 25;
      finite('qr', it.x, it.y, size);
      if (typeof it.text !== 'string' || !it.text) fail('INVALID_ARGUMENT', 'qr item: text is empty');
      if (utf8(it.text).length > 2000) fail('INVALID_ARGUMENT', 'qr item: text longer than 2000 bytes');
      const qr = encodeQr(it.text, { ecc: it.ecc ?? 'M', border: 0 });
      const n = qr.size;
      const m = size / n;
      let d = '';
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; ) {
          if (!qr.data[r][c]) {
            c++;
            continue;
          }
          let e = c;
          while (e < n && qr.data[r][e]) e++;
          d += `M ${num(c * m, 4)} ${num(r * m, 4)} L ${num(e * m, 4)} ${num(r * m, 4)} L ${num(e * m, 4)} ${num((r + 1) * m, 4)} L ${num(c * m, 4)} ${num((r + 1) * m, 4)} C `;
          c = e;
        }
      }
      return `<ofd:PathObject ID="${b.nextId()}" Boundary="${box(it.x, it.y, size, size)}" Stroke="false" Fill="true"><ofd:FillColor Value="${color(it.color)}"/><ofd:AbbreviatedData>${d.trim()}</ofd:AbbreviatedData></ofd:PathObject>`;
    }
  }
  fail('INVALID_ARGUMENT', `unknown item type "${(it as { type: string }).type}"`);
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Builds an OFD package. */
export function createOfd(spec: OfdCreateSpec): Uint8Array {
  if (!spec || !Array.isArray(spec.pages) || spec.pages.length === 0) fail('INVALID_ARGUMENT', 'an OFD document needs at least one page');
  if (spec.pages.length > 10_000) fail('LIMIT_EXCEEDED', `${spec.pages.length} pages: at most 10,000 can be created at once`);
  if (!(spec.fonts?.regular instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'fonts.regular must be the bytes of a TrueType font');
  const W = spec.widthMm ?? A4.widthMm;
  const H = spec.heightMm ?? A4.heightMm;
  finite('page size', W, H);
  if (W <= 0 || H <= 0 || W > 5000 || H > 5000) fail('INVALID_ARGUMENT', `page size ${W} x ${H} mm is not plausible`);
  let next = 0;
  const fontIds: { regular?: number; bold?: number } = {};
  const b: Builder = {
    nextId: () => ++next,
    fontId(bold) {
      const key = bold && spec.fonts.bold ? 'bold' : 'regular';
      return (fontIds[key] ??= ++next);
    },
    used: { regular: new Set(), bold: new Set() },
    media: [],
    fonts: spec.fonts,
  };
  const pageIds: number[] = [];
  const pageXml: string[] = [];
  for (const [i, p] of spec.pages.entries()) {
    if (!p || !Array.isArray(p.items)) fail('INVALID_ARGUMENT', `page ${i + 1}: items must be a list`);
    const pid = b.nextId();
    pageIds.push(pid);
    const lid = b.nextId();
    const body = p.items.map((it) => itemXml(b, it)).join('');
    const pw = p.widthMm ?? W;
    const ph = p.heightMm ?? H;
    finite(`page ${i + 1} size`, pw, ph);
    pageXml.push(
      `${XML_DECL}<ofd:Page xmlns:ofd="${OFD_NS}">` +
        (pw !== W || ph !== H ? `<ofd:Area><ofd:PhysicalBox>${box(0, 0, pw, ph)}</ofd:PhysicalBox></ofd:Area>` : '') +
        `<ofd:Content><ofd:Layer ID="${lid}">${body}</ofd:Layer></ofd:Content></ofd:Page>\n`,
    );
  }
  const files: ZipWriteEntry[] = [];
  const date = spec.info?.creationDate;
  const add = (name: string, data: Uint8Array | string, compress = true) => files.push({ name, data: typeof data === 'string' ? utf8(data) : data, compress, ...(date ? { date } : {}) });

  // fonts: per-document subsets
  let fontsXml = '';
  const family = spec.fonts.names?.family ?? 'Noto Serif CJK SC';
  for (const key of ['regular', 'bold'] as const) {
    const id = fontIds[key];
    if (id === undefined) continue;
    const bytes = key === 'bold' ? spec.fonts.bold! : spec.fonts.regular;
    const chars = key === 'bold' ? b.used.bold : new Set([...b.used.regular, ...(spec.fonts.bold ? [] : b.used.bold)]);
    const file = spec.fonts.subset === false ? bytes : subsetTrueType(bytes, chars).bytes;
    const name = spec.fonts.names?.[key] ?? (key === 'bold' ? `${family} Bold` : family);
    add(`Doc_0/Res/font_${id}.ttf`, file);
    fontsXml += `<ofd:Font ID="${id}" FontName="${xmlEscape(name)}" FamilyName="${xmlEscape(family)}"${key === 'bold' ? ' Bold="true"' : ''}><ofd:FontFile>font_${id}.ttf</ofd:FontFile></ofd:Font>`;
  }
  for (const m of b.media) add(`Doc_0/Res/${m.file}`, m.data, false);
  const maxUnitId = next;

  const info = spec.info ?? {};
  const docId = info.docId ?? toHex(sm3(utf8(pageXml.join('') + JSON.stringify({ ...info, creationDate: date?.toISOString() })))).slice(0, 32);
  if (!/^[0-9a-fA-F]{32}$/.test(docId)) fail('INVALID_ARGUMENT', 'docId must be 32 hex digits');
  const custom = Object.entries(info.customData ?? {});
  const docInfo =
    `<ofd:DocID>${docId}</ofd:DocID>` +
    (info.title ? `<ofd:Title>${xmlEscape(info.title)}</ofd:Title>` : '') +
    (info.author ? `<ofd:Author>${xmlEscape(info.author)}</ofd:Author>` : '') +
    (info.subject ? `<ofd:Subject>${xmlEscape(info.subject)}</ofd:Subject>` : '') +
    (date ? `<ofd:CreationDate>${ymd(date)}</ofd:CreationDate>` : '') +
    `<ofd:Creator>${xmlEscape(info.creator ?? 'eseal')}</ofd:Creator><ofd:CreatorVersion>${xmlEscape(info.creatorVersion ?? '0.1.0')}</ofd:CreatorVersion>` +
    (custom.length ? `<ofd:CustomDatas>${custom.map(([k, v]) => `<ofd:CustomData Name="${xmlEscape(k)}">${xmlEscape(v)}</ofd:CustomData>`).join('')}</ofd:CustomDatas>` : '');
  const out: ZipWriteEntry[] = [];
  const put = (name: string, s: string) => out.push({ name, data: utf8(s), ...(date ? { date } : {}) });
  put('OFD.xml', `${XML_DECL}<ofd:OFD xmlns:ofd="${OFD_NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo>${docInfo}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n`);
  put(
    'Doc_0/Document.xml',
    `${XML_DECL}<ofd:Document xmlns:ofd="${OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>${maxUnitId}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>${box(0, 0, W, H)}</ofd:PhysicalBox></ofd:PageArea>` +
      `<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>${b.media.length ? '<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>' : ''}</ofd:CommonData>` +
      `<ofd:Pages>${pageIds.map((id, i) => `<ofd:Page ID="${id}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('')}</ofd:Pages></ofd:Document>\n`,
  );
  put('Doc_0/PublicRes.xml', `${XML_DECL}<ofd:Res xmlns:ofd="${OFD_NS}" BaseLoc="Res">${fontsXml ? `<ofd:Fonts>${fontsXml}</ofd:Fonts>` : ''}</ofd:Res>\n`);
  if (b.media.length) {
    put(
      'Doc_0/DocumentRes.xml',
      `${XML_DECL}<ofd:Res xmlns:ofd="${OFD_NS}" BaseLoc="Res"><ofd:MultiMedias>${b.media.map((m) => `<ofd:MultiMedia ID="${m.id}" Type="Image" Format="${m.format}"><ofd:MediaFile>${m.file}</ofd:MediaFile></ofd:MultiMedia>`).join('')}</ofd:MultiMedias></ofd:Res>\n`,
    );
  }
  pageXml.forEach((x, i) => put(`Doc_0/Pages/Page_${i}/Content.xml`, x));
  return writeZip([...out, ...files]);
}

/** `eseal ofd create --text …`: the same text on N A4 pages, with a page number at the foot. */
export function simpleTextDocument(text: string, opts: { pages?: number; fonts: OfdFonts; title?: string; creationDate?: Date; size?: number }): Uint8Array {
  const n = opts.pages ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10_000) fail('INVALID_ARGUMENT', `page count ${n} must be 1-10000`);
  const size = opts.size ?? 4.2333;
  const pages: OfdPageSpec[] = [];
  for (let i = 0; i < n; i++) {
    const items: OfdItem[] = [];
    if (opts.title) items.push({ type: 'text', x: 105, y: 25, text: opts.title, size: 7.05, bold: true, align: 'center' });
    items.push({ type: 'paragraph', x: 25, y: opts.title ? 42 : 30, width: 160, text, size, indent: 2 });
    items.push({ type: 'text', x: 105, y: 280, text: `第 ${i + 1} 页 共 ${n} 页`, size: 3.175, align: 'center', color: [96, 96, 96] });
    pages.push({ items });
  }
  return createOfd({ pages, fonts: opts.fonts, info: { ...(opts.title ? { title: opts.title } : {}), ...(opts.creationDate ? { creationDate: opts.creationDate } : {}) } });
}
