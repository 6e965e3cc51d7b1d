/**
 * @module core
 * The platform: domain (entities, seal lifecycle, roles), use cases, and the ports adapters implement.
 */
export * from './domain/types.js';
export * from './domain/seal-lifecycle.js';
export * from './domain/roles.js';
export * from './auth/permissions.js';
export * from './auth/password.js';
export * from './ports.js';
export * from './signer.js';
export * from './context.js';
export * from './ids.js';
export * from './audit-chain.js';
export * from './documents/stamper.js';
export * from './documents/verifier.js';
export * from './documents/formats.js';
export * from './use-cases/index.js';
