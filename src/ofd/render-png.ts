/**
 * @module ofd/render-png
 * OFD page previews as PNG through the same renderer as the seal pictures (resvg, a native module;
 * see ses/appearance/render-png.ts). Kept out of the ofd index: browsers use the SVG.
 */
import { renderSealPng } from '../ses/appearance/render-png.js';
import { renderPageSvg, type RenderOptions } from './render-svg.js';
import type { OfdPackage } from './package.js';

export const DEFAULT_PAGE_DPI = 150;

/** Renders page `pageIndex` (0-based) to PNG at `dpi` (default 150). */
export function renderPagePng(ofd: Uint8Array | OfdPackage, pageIndex: number, opts: RenderOptions & { dpi?: number } = {}): { png: Uint8Array; widthMm: number; heightMm: number; warnings: string[] } {
  const r = renderPageSvg(ofd, pageIndex, opts);
  return { png: renderSealPng(r.svg, { dpi: opts.dpi ?? DEFAULT_PAGE_DPI }), widthMm: r.widthMm, heightMm: r.heightMm, warnings: r.warnings };
}

/** SVG text → PNG (for SVGs made by renderPageSvg). */
export function svgToPng(svg: string, dpi = DEFAULT_PAGE_DPI): Uint8Array {
  return renderSealPng(svg, { dpi });
}
