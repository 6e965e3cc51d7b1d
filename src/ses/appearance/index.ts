/**
 * @module ses/appearance
 * Seal pictures (印模): generated as SVG from the seal's data with all text as outlines
 * (`renderSealSvg`), and checks for uploaded or embedded pictures (`checkSealPicture`). Pure: font
 * bytes are parameters (`storage/assets.ts` loads the shipped font).
 *
 * PNG output lives in `./render-png.ts`, which this index does not re-export: it loads resvg, a
 * native module, and browsers use the SVG.
 */
export * from './spec.js';
export * from './layout.js';
export * from './svg.js';
export * from './picture-check.js';
export * from './contact-sheet.js';
export { openSealFont, type SealFont, type GlyphOutline, type OutlineCommand } from './font.js';
export { type Box, type Point, corners, boxesOverlap } from './geometry.js';
