/**
 * @module pki/cms
 * CMS SignedData (RFC 5652) and GB/T 35275 / GM/T 0010 SM2 SignedData: two-phase building, parsing
 * that keeps the original bytes, and per-signer verification facts. Used by OFD `Type="Sign"`
 * signatures, PDF `/Contents` and RFC 3161 time stamps. Pure.
 */
export * from './oids.js';
export * from './digest.js';
export * from './algorithms.js';
export * from './attributes.js';
export * from './ess.js';
export * from './build.js';
export * from './parse.js';
export * from './signer-certificate.js';
export * from './verify.js';
