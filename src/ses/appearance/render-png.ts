/**
 * @module ses/appearance/render-png
 * SVG → PNG with resvg (a native module). Kept out of the appearance index on purpose: browsers use
 * the SVG, and importing this file loads the native renderer. The seal SVGs carry their text as
 * outlines, so no system font is loaded and the picture is the same on every machine.
 */
import { Resvg } from '@resvg/resvg-js';
import { fail, EsealError } from '../../util/errors.js';
import { encodeSingleInkPng } from './png-palette.js';

export interface RenderPngOptions {
  /** Dots per inch for the SVG's millimetre size; default 300. */
  dpi?: number;
}

export const DEFAULT_PNG_DPI = 300;

/** Renders SVG text to PNG bytes with a transparent background, sized from the SVG's mm width/height at `dpi`. */
export function renderSealPng(svg: string, opts: RenderPngOptions = {}): Uint8Array {
  const dpi = opts.dpi ?? DEFAULT_PNG_DPI;
  if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi < 36 || dpi > 2400) fail('INVALID_ARGUMENT', `PNG resolution ${String(dpi)} dpi is outside 36..2400 dpi`);
  if (typeof svg !== 'string' || svg.length === 0) fail('INVALID_ARGUMENT', 'SVG text is empty');
  try {
    const r = new Resvg(svg, {
      dpi: 96,
      fitTo: { mode: 'zoom', value: dpi / 96 }, // resvg maps mm to px at 96 dpi
      font: { loadSystemFonts: false },
      shapeRendering: 2,
      textRendering: 2,
      imageRendering: 0,
    });
    const image = r.render();
    // One ink colour: a 4-bit palette PNG, about a fifth of the RGBA one (see png-palette.ts).
    const small = encodeSingleInkPng(new Uint8Array(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), image.width, image.height);
    if (small) return small;
    const png = image.asPng();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } catch (e) {
    throw new EsealError('INVALID_ARGUMENT', `SVG cannot be rendered: ${(e as Error).message}`, undefined, { cause: e });
  }
}
