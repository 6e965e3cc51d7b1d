/**
 * @module pdf/appearance/seal-form
 * The seal picture (印模) as a PDF form XObject (ISO 32000-1 §8.10) of exactly the seal's size in
 * millimetres: vector operators for SVG pictures, an image XObject (+ soft mask) for PNG and JPEG.
 * The ink is painted with the Multiply blend mode, as a real stamp's: text under the seal stays
 * readable.
 *
 * Building an appearance (parsing the SVG, decoding and compressing a PNG) costs more than the rest
 * of a stamp; the result is a template that writes its objects into any number of documents, and
 * the last few templates are kept (keyed by the picture's SM3 hash).
 */
import { fail } from '../../util/errors.js';
import { fromUtf8, toHex } from '../../util/bytes.js';
import { sm3 } from '../../sm/sm3.js';
import { deflate } from '../_zlib.js';
import { PdfStream, dict, name, type PdfRef, type PdfValue } from '../objects.js';
import { formatCompact as formatNumber } from '../serialize.js';
import { jpegToImage, pngToImage, type RasterImage } from './raster.js';
import { svgToPdf } from './svg-to-pdf.js';

/** Points per millimetre (1 pt = 1/72 in). */
export const PT_PER_MM = 72 / 25.4;

/** Where a template writes its objects. */
export interface ObjectSink {
  /** stores an indirect object and returns its reference */
  add(v: PdfValue): PdfRef;
}

export interface SealAppearance {
  widthMm: number;
  heightMm: number;
  widthPt: number;
  heightPt: number;
  kind: 'vector' | 'image';
  /** writes the picture's objects; returns the form XObject, BBox [0 0 widthPt heightPt] */
  emit(sink: ObjectSink): PdfRef;
}

export interface SealPicture {
  /** SES_ESPictrueInfo.type: "SVG", "PNG", "JPG"/"JPEG" (any case) */
  type: string;
  data: Uint8Array;
  widthMm: number;
  heightMm: number;
}

export interface AppearanceOptions {
  /** blend mode of the ink; default Multiply */
  blend?: 'Multiply' | 'Normal';
  /** reuse (and keep) the template of a recent identical picture; default true */
  cache?: boolean;
}

const CACHE_SIZE = 16;
const cache = new Map<string, SealAppearance>();

function checkSize(widthMm: number, heightMm: number): void {
  for (const v of [widthMm, heightMm]) if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 500) fail('INVALID_ARGUMENT', `seal picture size ${widthMm} x ${heightMm} mm is not usable (0 < side ≤ 500 mm)`);
}

/** Resources with the ink's blend mode as /GS0 (none for Normal). */
const resourcesWith = (blend: string, more: Record<string, PdfValue> = {}) =>
  dict({ ...more, ExtGState: blend === 'Normal' ? undefined : dict({ GS0: dict({ Type: name('ExtGState'), BM: name(blend) }) }) });

/** The appearance of a seal picture; recent results are reused. */
export function sealAppearance(picture: SealPicture, opts: AppearanceOptions = {}): SealAppearance {
  checkSize(picture.widthMm, picture.heightMm);
  const blend = opts.blend ?? 'Multiply';
  if (opts.cache === false) return buildAppearance(picture, blend);
  const key = `${picture.type.toUpperCase()}|${picture.widthMm}|${picture.heightMm}|${blend}|${toHex(sm3(picture.data))}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const a = buildAppearance(picture, blend);
  cache.set(key, a);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return a;
}

function buildAppearance(picture: SealPicture, blend: string): SealAppearance {
  const t = picture.type.trim().toUpperCase();
  if (t === 'SVG') return vectorAppearance(fromUtf8(picture.data), picture.widthMm, picture.heightMm, blend);
  let img: RasterImage;
  if (t === 'PNG') img = pngToImage(picture.data);
  else if (t === 'JPG' || t === 'JPEG') img = jpegToImage(picture.data);
  else if (picture.data[0] === 0x89 && picture.data[1] === 0x50) img = pngToImage(picture.data);
  else if (picture.data[0] === 0xff && picture.data[1] === 0xd8) img = jpegToImage(picture.data);
  else return fail('PDF_PICTURE_UNSUPPORTED', `seal pictures of type "${picture.type}" cannot be drawn in a PDF (SVG, PNG and JPEG can)`);
  return imageAppearance(img, picture.widthMm, picture.heightMm, blend);
}

/** A vector appearance from SVG text (outline-only SVG, as `ses/appearance` renders). */
export function vectorAppearance(svg: string, widthMm: number, heightMm: number, blend = 'Multiply'): SealAppearance {
  checkSize(widthMm, heightMm);
  const { viewBox, ops } = svgToPdf(svg);
  const w = widthMm * PT_PER_MM;
  const h = heightMm * PT_PER_MM;
  const [vx, vy, vw, vh] = viewBox;
  const s = Math.min(w / vw, h / vh);
  const tx = (w - vw * s) / 2;
  const ty = (h - vh * s) / 2;
  const f = formatNumber;
  const gs = blend === 'Normal' ? '' : '/GS0 gs\n';
  const content = `${gs}q\n${f(s)} 0 0 ${f(-s)} ${f(tx - vx * s)} ${f(h - ty + vy * s)} cm\n${ops}Q\n`;
  const bytes = new Uint8Array(content.length);
  for (let i = 0; i < content.length; i++) bytes[i] = content.charCodeAt(i);
  const data = deflate(bytes);
  const resources = resourcesWith(blend);
  return {
    widthMm,
    heightMm,
    widthPt: w,
    heightPt: h,
    kind: 'vector',
    emit(sink) {
      return sink.add(
        new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, round(w), round(h)], Resources: resources, Filter: name('FlateDecode') }), data),
      );
    },
  };
}

function imageAppearance(img: RasterImage, widthMm: number, heightMm: number, blend: string): SealAppearance {
  const w = widthMm * PT_PER_MM;
  const h = heightMm * PT_PER_MM;
  const f = formatNumber;
  const gs = blend === 'Normal' ? '' : '/GS0 gs\n';
  const content = `${gs}q\n${f(round(w))} 0 0 ${f(round(h))} 0 0 cm\n/Im0 Do\nQ\n`;
  const bytes = Uint8Array.from(content, (c) => c.charCodeAt(0));
  return {
    widthMm,
    heightMm,
    widthPt: w,
    heightPt: h,
    kind: 'image',
    emit(sink) {
      const smask = img.smask
        ? sink.add(new PdfStream(dict({ Type: name('XObject'), Subtype: name('Image'), Width: img.width, Height: img.height, ColorSpace: name('DeviceGray'), BitsPerComponent: 8, Filter: name('FlateDecode') }), img.smask))
        : undefined;
      const im = sink.add(
        new PdfStream(
          dict({
            Type: name('XObject'),
            Subtype: name('Image'),
            Width: img.width,
            Height: img.height,
            ColorSpace: name(img.colorSpace),
            BitsPerComponent: 8,
            Filter: name(img.filter),
            Interpolate: true,
            Decode: img.decode,
            SMask: smask,
          }),
          img.data,
        ),
      );
      const res = resourcesWith(blend, { XObject: dict({ Im0: im }) });
      return sink.add(new PdfStream(dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, round(w), round(h)], Resources: res }), bytes));
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

