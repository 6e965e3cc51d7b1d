/**
 * @module ofd
 * OFD documents (GB/T 33190-2016) with GB/T 38540 seals: read any package (raw bytes of every entry
 * kept), create documents and fill templates, stamp in two phases (Type="Seal" and Type="Sign";
 * position, keyword and cross-page 骑缝章 placement; lock), extract verification facts, and render
 * pages to SVG. Pure: bytes in, bytes out; time, fonts and keys are parameters. PNG rendering is in
 * ./render-png.ts (native renderer, not re-exported so browsers can load this module).
 */
export * from './limits.js';
export * from './xml.js';
export * from './zip.js';
export * from './paths.js';
export * from './package.js';
export * from './page.js';
export * from './text.js';
export * from './signatures.js';
export * from './stamp.js';
export * from './facts.js';
export * from './render-svg.js';
export * from './font-subset.js';
export * from './create.js';
export * from './template.js';
