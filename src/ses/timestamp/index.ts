/**
 * @module ses/timestamp
 * RFC 3161 / GB/T 20520 time stamps with SM2 (and RSA/ECDSA for interoperability): tokens in two
 * phases, parsing and verification facts, request/response messages and a local TSA. Pure.
 */
export * from './oids.js';
export * from './asn1/index.js';
export * from './token.js';
export * from './parse.js';
export * from './verify.js';
export * from './protocol.js';
export * from './tsa.js';
