/**
 * @module ses/appearance/svg
 * The seal picture as SVG: one `<path>` per glyph with absolute coordinates in millimetres, the
 * border as a stroked circle, ellipse or rectangle, the star as a path. No `<text>`, no fonts, no
 * transforms, no external references: the SVG renders the same in any viewer, and the same spec and
 * font give byte-identical output.
 */
import { num } from './geometry.js';
import { type SealAppearanceLayout, type Shape, layoutSeal } from './layout.js';
import type { SealAppearanceSpec } from './spec.js';

export interface SealSvg {
  svg: string;
  widthMm: number;
  heightMm: number;
  /** The layout the SVG was drawn from (glyph boxes, text area), for checks and composition. */
  layout: SealAppearanceLayout;
}

/** Renders a seal picture (印模) from the seal's data; `font` is the bytes of a TrueType/OpenType font. */
export function renderSealSvg(spec: SealAppearanceSpec, font: Uint8Array): SealSvg {
  const layout = layoutSeal(spec, font);
  return { svg: layoutToSvg(layout), widthMm: layout.widthMm, heightMm: layout.heightMm, layout };
}

export function layoutToSvg(l: SealAppearanceLayout): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(l.widthMm)}mm" height="${num(l.heightMm)}mm" viewBox="0 0 ${num(l.widthMm)} ${num(l.heightMm)}">\n` +
    sealSvgBody(l) +
    '</svg>\n'
  );
}

/** The SVG elements of a seal (no root element), in the layout's millimetre coordinates. */
export function sealSvgBody(l: SealAppearanceLayout): string {
  let out = `<g fill="${l.color}" data-seal="${l.kind}">\n`;
  out += shapeElement(l.border, `fill="none" stroke="${l.color}" stroke-width="${num(l.borderWidth)}"`) + '\n';
  if (l.star) out += `<path data-role="star" d="${l.star.path}"/>\n`;
  for (const g of l.glyphs) out += `<path data-role="${g.role}" d="${g.path}"/>\n`;
  return out + '</g>\n';
}

export function shapeElement(s: Shape, attrs: string): string {
  switch (s.shape) {
    case 'circle':
      return `<circle cx="${num(s.cx)}" cy="${num(s.cy)}" r="${num(s.r)}" ${attrs}/>`;
    case 'ellipse':
      return `<ellipse cx="${num(s.cx)}" cy="${num(s.cy)}" rx="${num(s.rx)}" ry="${num(s.ry)}" ${attrs}/>`;
    default:
      return `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.width)}" height="${num(s.height)}" ${attrs}/>`;
  }
}
