/**
 * @module ses
 * GB/T 38540-2020 seals (电子印章) and electronic signatures (电子签章), with GM/T 0031-2014 (v1) read
 * support and GM/T 0031-2025 (v5): structures, parsing over the original bytes, two-phase making,
 * verification facts, time stamps and the seal appearance (印模). Pure. PNG rendering is in
 * ./appearance/render-png.ts (native renderer, not re-exported here so browsers can load this module).
 */
export * from './oids.js';
export * from './model.js';
export * from './parse.js';
export * from './build.js';
export * from './facts.js';
export * from './timestamp/index.js';
export * from './appearance/index.js';
export * from './seal-types.js';
