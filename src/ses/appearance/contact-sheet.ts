/**
 * @module ses/appearance/contact-sheet
 * Several seal pictures on one SVG page with captions (as outlines), at true size in millimetres:
 * for documentation and for a gallery in the UI.
 */
import { fail } from '../../util/errors.js';
import { openSealFont, sealChars } from './font.js';
import { type Box, num, outlineToPath } from './geometry.js';
import type { SealAppearanceLayout } from './layout.js';
import { sealSvgBody } from './svg.js';

export interface ContactSheetItem {
  layout: SealAppearanceLayout;
  caption: string;
}

export interface ContactSheetOptions {
  /** Seals per row; default 3. */
  columns?: number;
  /** Width and height of the area each seal is centred in (mm); default: the largest seal + 8 mm. */
  cellMm?: number;
  /** Caption glyph height (mm); default 3.5. */
  captionMm?: number;
  /** Caption colour; default #333333. */
  captionColor?: string;
}

/** An SVG sheet (white background) with the seals on a grid, each captioned underneath. */
export function contactSheetSvg(items: readonly ContactSheetItem[], font: Uint8Array, opts: ContactSheetOptions = {}): string {
  if (items.length === 0) fail('INVALID_ARGUMENT', 'contact sheet: no seals given');
  const f = openSealFont(font);
  const columns = Math.max(1, Math.min(opts.columns ?? 3, items.length));
  const cell = opts.cellMm ?? Math.max(...items.map((i) => Math.max(i.layout.widthMm, i.layout.heightMm))) + 8;
  const capH = opts.captionMm ?? 3.5;
  const color = opts.captionColor ?? '#333333';
  const pad = 4;
  const rowH = cell + capH * 2;
  const rows = Math.ceil(items.length / columns);
  const W = pad * 2 + columns * cell;
  const H = pad * 2 + rows * rowH;
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${num(W)}mm" height="${num(H)}mm" viewBox="0 0 ${num(W)} ${num(H)}">\n`;
  out += `<rect x="0" y="0" width="${num(W)}" height="${num(H)}" fill="#FFFFFF"/>\n`;
  items.forEach((item, i) => {
    const x = pad + (i % columns) * cell;
    const y = pad + Math.floor(i / columns) * rowH;
    const l = item.layout;
    out += `<g transform="translate(${num(x + (cell - l.widthMm) / 2)} ${num(y + (cell - l.heightMm) / 2)})">\n${sealSvgBody(l)}</g>\n`;
    // Caption: one line of glyphs, narrowed to fit the cell.
    const chars = sealChars(item.caption, 'caption', 60);
    const outlines = chars.map((c) => f.glyph(c, `caption "${item.caption}"`));
    const natural = outlines.reduce((s, o) => s + (o.advance / f.unitsPerEm) * capH, 0);
    const k = Math.min(1, (cell - 2) / natural);
    let cx = x + cell / 2 - (natural * k) / 2;
    let d = '';
    for (const o of outlines) {
      const w = (o.advance / f.unitsPerEm) * capH * k;
      const box: Box = { cx: cx + w / 2, cy: y + cell + capH * 0.6, w, h: capH, rot: 0 };
      d += outlineToPath(o.commands, o.advance, f.emBottom, f.emTop, box);
      cx += w;
    }
    if (d) out += `<path data-role="caption" fill="${color}" d="${d}"/>\n`;
  });
  return out + '</svg>\n';
}
