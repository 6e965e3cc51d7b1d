/**
 * @module ses/appearance/picture-check
 * Checks an uploaded or embedded seal picture (SES_ESPictrueInfo: type, data, width and height in
 * millimetres) before it goes into a seal, and explains what is wrong with pictures found in seals.
 * Pure and bounded: it reads only the image headers it needs (PNG IHDR, GIF screen descriptor, JPEG
 * SOF found by a bounded segment walk, BMP DIB header) and scans SVG text for active or external
 * content; it never decodes pixels.
 */
import { fromUtf8 } from '../../util/bytes.js';

export type PictureFormat = 'PNG' | 'JPG' | 'GIF' | 'BMP' | 'SVG' | 'OFD';

export interface PictureProblem {
  /** Stable code, e.g. PICTURE_TYPE_MISMATCH. */
  code: string;
  severity: 'error' | 'warning';
  /** One sentence for people. */
  message: string;
}

export interface PictureCheckInput {
  /** The declared type (SES_ESPictrueInfo.type): PNG, JPG/JPEG, GIF, BMP, SVG or ofd, any case. */
  type: string;
  data: Uint8Array;
  widthMm: number;
  heightMm: number;
}

export interface PictureCheckResult {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  problems: PictureProblem[];
  /** What the bytes are, by their magic number, when recognised. */
  detected?: PictureFormat;
  pixelWidth?: number;
  pixelHeight?: number;
}

/** Largest picture accepted (bytes): seal pictures are a few KiB to a few hundred KiB. */
export const PICTURE_MAX_BYTES = 2 * 1024 * 1024;
/** Largest SVG accepted (bytes); generated seal SVGs are well under 100 KiB. */
export const SVG_MAX_BYTES = 512 * 1024;
/** Usual seal sides in millimetres (name seals ~ 15 mm, official seals 42 mm, oval seals 40 mm). */
export const PICTURE_MIN_MM = 10;
export const PICTURE_MAX_MM = 80;
/** Below this resolution a printed seal looks blocky. */
export const PICTURE_MIN_DPI = 100;
/** Raster sides above this are refused (a seal at 80 mm and 1200 dpi is 3780 px). */
export const PICTURE_MAX_PIXELS_PER_SIDE = 10_000;
/** Segments walked in a JPEG before giving up on finding its frame header. */
const JPEG_MAX_SEGMENTS = 512;

const KNOWN: Record<string, PictureFormat> = { PNG: 'PNG', JPG: 'JPG', JPEG: 'JPG', GIF: 'GIF', BMP: 'BMP', SVG: 'SVG', OFD: 'OFD' };

export function checkSealPicture(input: PictureCheckInput): PictureCheckResult {
  const problems: PictureProblem[] = [];
  const error = (code: string, message: string) => problems.push({ code, severity: 'error', message });
  const warn = (code: string, message: string) => problems.push({ code, severity: 'warning', message });
  const data = input.data instanceof Uint8Array ? input.data : new Uint8Array(0);
  const declaredText = typeof input.type === 'string' ? input.type.trim() : '';
  const declared = KNOWN[declaredText.toUpperCase()];
  const detected = detectFormat(data);
  const result: PictureCheckResult = { ok: true, problems, ...(detected ? { detected } : {}) };

  // type and bytes
  if (data.length === 0) error('PICTURE_EMPTY', 'The picture has no data.');
  if (!declared) {
    error(
      'PICTURE_TYPE_UNKNOWN',
      `The picture type "${declaredText}" is not one of PNG, JPG, GIF, BMP, SVG or OFD${detected ? `; the data looks like ${describe(detected)}` : ''}.`,
    );
  } else if (data.length > 0 && detected !== declared) {
    error(
      'PICTURE_TYPE_MISMATCH',
      detected
        ? `The picture is declared as ${declaredText} but its data is ${describe(detected)}.`
        : `The picture is declared as ${declaredText} but its data does not start like ${describe(declared)}.`,
    );
  }
  const limit = detected === 'SVG' ? SVG_MAX_BYTES : PICTURE_MAX_BYTES;
  if (data.length > limit) error('PICTURE_TOO_LARGE', `The picture is ${data.length} bytes; at most ${limit} bytes are accepted for ${detected === 'SVG' ? 'SVG' : 'a seal picture'}.`);

  // pixel size from the header
  if (detected && detected !== 'SVG' && detected !== 'OFD') {
    const px = readPixelSize(detected, data);
    if (typeof px === 'string') error('PICTURE_HEADER_MALFORMED', `The ${detected === 'JPG' ? 'JPEG' : detected} header cannot be read: ${px}.`);
    else {
      result.pixelWidth = px.width;
      result.pixelHeight = px.height;
      if (px.width > PICTURE_MAX_PIXELS_PER_SIDE || px.height > PICTURE_MAX_PIXELS_PER_SIDE) {
        error('PICTURE_TOO_MANY_PIXELS', `The picture is ${px.width} x ${px.height} pixels; sides above ${PICTURE_MAX_PIXELS_PER_SIDE} pixels are refused.`);
      }
    }
  }
  if (detected === 'SVG' && data.length <= SVG_MAX_BYTES) checkSvg(data, error);

  // millimetres
  const w = input.widthMm;
  const h = input.heightMm;
  const sane = (v: number) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!sane(w) || !sane(h)) {
    error('PICTURE_SIZE_INVALID', `The picture size ${String(w)} x ${String(h)} mm is not a pair of positive numbers.`);
  } else {
    const inRange = (v: number) => v >= PICTURE_MIN_MM && v <= PICTURE_MAX_MM;
    const pxW = result.pixelWidth;
    const pxH = result.pixelHeight;
    const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(2, b * 0.02);
    if (!inRange(w) || !inRange(h)) {
      const matchesPixels = pxW !== undefined && pxH !== undefined && near(w, pxW) && near(h, pxH);
      if (matchesPixels || Math.max(w, h) > 2 * PICTURE_MAX_MM) {
        error(
          'PICTURE_SIZE_IN_PIXELS',
          `The picture size ${w} x ${h} mm is ${matchesPixels ? `the picture's pixel size (${pxW} x ${pxH} px)` : 'far larger than any seal and looks like a pixel size'}` +
            ` written where millimetres belong; a seal is ${PICTURE_MIN_MM}..${PICTURE_MAX_MM} mm a side (e.g. 40 x 40).`,
        );
      } else {
        error('PICTURE_SIZE_OUT_OF_RANGE', `The picture size ${w} x ${h} mm is outside the usual ${PICTURE_MIN_MM}..${PICTURE_MAX_MM} mm for each side of a seal.`);
      }
    } else {
      const ratio = Math.max(w, h) / Math.min(w, h);
      if (ratio > 4) error('PICTURE_ASPECT', `The picture is ${w} x ${h} mm, a ${ratio.toFixed(1)}:1 shape no seal has (at most 4:1).`);
      else if (ratio > 2) warn('PICTURE_ASPECT', `The picture is ${w} x ${h} mm, an unusual ${ratio.toFixed(1)}:1 shape for a seal.`);
      if (pxW !== undefined && pxH !== undefined && pxW > 0 && pxH > 0) {
        const dpi = Math.min(pxW / (w / 25.4), pxH / (h / 25.4));
        if (dpi < PICTURE_MIN_DPI) {
          warn('PICTURE_LOW_RESOLUTION', `The ${pxW} x ${pxH} px picture shown at ${w} x ${h} mm has ${Math.round(dpi)} dpi; at least ${PICTURE_MIN_DPI} dpi is needed for a clear seal.`);
        }
        const pxRatio = pxW / pxH;
        const mmRatio = w / h;
        if (Math.abs(pxRatio / mmRatio - 1) > 0.05) {
          warn('PICTURE_ASPECT_MISMATCH', `The picture is ${pxW} x ${pxH} px but shown at ${w} x ${h} mm, so it is stretched by ${Math.round(Math.abs(pxRatio / mmRatio - 1) * 100)}%.`);
        }
      }
    }
  }
  result.ok = !problems.some((p) => p.severity === 'error');
  return result;
}

function describe(f: PictureFormat): string {
  return f === 'OFD' ? 'an OFD package (zip)' : f === 'SVG' ? 'SVG text' : `a ${f} image`;
}

// ------------------------------------------------------------------------------------------ formats

function startsWith(d: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (d.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (d[at + i] !== magic[i]) return false;
  return true;
}

/** The format by magic number; SVG by its text starting with markup and holding an <svg element. */
export function detectFormat(d: Uint8Array): PictureFormat | undefined {
  if (startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'PNG';
  if (startsWith(d, [0xff, 0xd8, 0xff])) return 'JPG';
  if (startsWith(d, [0x47, 0x49, 0x46, 0x38]) && (d[4] === 0x37 || d[4] === 0x39) && d[5] === 0x61) return 'GIF';
  if (startsWith(d, [0x42, 0x4d]) && d.length >= 26) return 'BMP';
  if (startsWith(d, [0x50, 0x4b, 0x03, 0x04])) return 'OFD';
  const head = fromUtf8(d.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<') && /<svg[\s>]/i.test(head)) return 'SVG';
  return undefined;
}

const u16be = (d: Uint8Array, o: number) => (d[o] << 8) | d[o + 1];
const u32be = (d: Uint8Array, o: number) => ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
const u16le = (d: Uint8Array, o: number) => d[o] | (d[o + 1] << 8);
const i32le = (d: Uint8Array, o: number) => d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24);

/** Pixel width and height from the header, or why they cannot be read. */
export function readPixelSize(format: PictureFormat, d: Uint8Array): { width: number; height: number } | string {
  switch (format) {
    case 'PNG': {
      if (d.length < 33) return 'the file ends before the IHDR chunk';
      if (u32be(d, 8) !== 13 || fromUtf8(d.subarray(12, 16)) !== 'IHDR') return 'the first chunk is not a 13-byte IHDR';
      return positive(u32be(d, 16), u32be(d, 20));
    }
    case 'GIF':
      if (d.length < 10) return 'the file ends before the logical screen descriptor';
      return positive(u16le(d, 6), u16le(d, 8));
    case 'BMP': {
      const dib = d[14] | (d[15] << 8) | (d[16] << 16) | (d[17] << 24);
      if (dib === 12) return positive(u16le(d, 18), u16le(d, 20));
      if (dib < 40 || d.length < 26) return `the DIB header size ${dib} is not a known BMP header`;
      return positive(Math.abs(i32le(d, 18)), Math.abs(i32le(d, 22)));
    }
    case 'JPG':
      return jpegSize(d);
    default:
      return 'not a raster format';
  }
}

function positive(width: number, height: number): { width: number; height: number } | string {
  return width > 0 && height > 0 ? { width, height } : `the header gives ${width} x ${height} pixels`;
}

/** Walks JPEG marker segments (at most JPEG_MAX_SEGMENTS) to the first SOFn frame header. */
function jpegSize(d: Uint8Array): { width: number; height: number } | string {
  let off = 2;
  for (let seg = 0; seg < JPEG_MAX_SEGMENTS; seg++) {
    while (off < d.length && d[off] === 0xff && d[off + 1] === 0xff) off++; // fill bytes
    if (off + 4 > d.length) return 'the file ends before a frame header (SOF)';
    if (d[off] !== 0xff) return `no marker at offset ${off}`;
    const marker = d[off + 1];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      off += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return 'the image data starts before a frame header (SOF)';
    const len = u16be(d, off + 2);
    if (len < 2 || off + 2 + len > d.length) return `segment 0x${marker.toString(16)} at offset ${off} has a bad length`;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (len < 8) return 'the frame header is too short';
      return positive(u16be(d, off + 7), u16be(d, off + 5));
    }
    off += 2 + len;
  }
  return `no frame header (SOF) in the first ${JPEG_MAX_SEGMENTS} segments`;
}

// ------------------------------------------------------------------------------------------ SVG

function checkSvg(data: Uint8Array, error: (code: string, message: string) => void): void {
  let text: string;
  try {
    text = fromUtf8(data, true).replace(/^\uFEFF/, '');
  } catch {
    error('SVG_MALFORMED', 'The SVG is not valid UTF-8 text.');
    return;
  }
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    error('SVG_DOCTYPE', 'The SVG has a DOCTYPE or ENTITY declaration, which can expand without bound or read external files; seal pictures must not have one.');
  }
  if (/<script[\s>/]/i.test(text)) error('SVG_SCRIPT', 'The SVG contains a <script> element; seal pictures must be static.');
  for (const tag of text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<[A-Za-z][^>]*>/g)) {
    if (/\son[a-z]+\s*=/i.test(tag[0])) {
      error('SVG_SCRIPT', 'The SVG has an event handler attribute (on...=); seal pictures must be static.');
      break;
    }
  }
  if (/<foreignObject[\s>/]/i.test(text)) error('SVG_FOREIGN_OBJECT', 'The SVG contains a <foreignObject> element (embedded HTML); seal pictures must be plain SVG.');
  const external: string[] = [];
  for (const m of text.matchAll(/\s(?:xlink:)?href\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
    const v = (m[2] ?? m[3] ?? '').trim();
    if (!isLocalReference(v)) external.push(v);
  }
  for (const m of text.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    const v = m[2].trim();
    if (!isLocalReference(v)) external.push(v);
  }
  if (/@import/i.test(text)) external.push('@import');
  if (external.length > 0) {
    const shown = external.slice(0, 3).map((v) => (v.length > 60 ? v.slice(0, 57) + '...' : v));
    error('SVG_EXTERNAL_REFERENCE', `The SVG refers to outside resources (${shown.join(', ')}); a seal picture must be self-contained.`);
  }
  const structure = svgStructure(text);
  if (structure) error('SVG_MALFORMED', `The SVG is not well-formed: ${structure}.`);
}

/** Fragment references (#id) and embedded raster images are fine; anything that leaves the file is not. */
function isLocalReference(v: string): boolean {
  return v.startsWith('#') || /^data:image\/(png|jpeg|jpg|gif|bmp);base64,/i.test(v);
}

/** A light well-formedness check: tags balance and the root element is <svg>. Returns a problem or ''. */
function svgStructure(text: string): string {
  const body = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '');
  const stack: string[] = [];
  let root: string | undefined;
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(body)) !== null) {
    if (/</.test(body.slice(last, m.index))) return `a "<" at offset ${body.indexOf('<', last)} does not start a tag`;
    last = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (root === undefined) {
      if (close) return `it starts with the closing tag </${name}>`;
      root = name;
      if (root.replace(/^.*:/, '') !== 'svg') return `the root element is <${root}>, not <svg>`;
    } else if (stack.length === 0) return `there is content after the root element (<${close}${name}>)`;
    if (close) {
      const open = stack.pop();
      if (open !== name) return open ? `</${name}> closes <${open}>` : `</${name}> closes nothing`;
    } else if (!selfClose) stack.push(name);
  }
  if (/</.test(body.slice(last))) return 'a "<" does not start a tag';
  if (root === undefined) return 'there is no root element';
  if (stack.length > 0) return `<${stack[stack.length - 1]}> is never closed`;
  return '';
}
