/**
 * @module sm
 * National algorithms: SM2 (GB/T 32918), SM3 (GB/T 32905), SM4 (GB/T 32907), key formats.
 * Pure: bytes in, bytes out; no file system, network, environment or clock.
 */
export * from './sm3.js';
export * from './sm3-prefix.js';
export * from './sm4.js';
export * from './sm4-aead.js';
export * from './sm2/index.js';
export * from './key-formats.js';
export * from './oids.js';
export { randomBytes } from './_node.js';
