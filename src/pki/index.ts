/**
 * @module pki
 * SM2 X.509 certificates (GB/T 20518 profile of RFC 5280), CRLs and path validation. Pure.
 */
export * from './oids.js';
export * from './name.js';
export * from './algorithms.js';
export * from './extensions.js';
export * from './certificate.js';
export * from './certificate-builder.js';
export * from './crl.js';
export * from './chain.js';
export * from './cms/index.js';
