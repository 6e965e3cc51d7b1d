/** The platform's use cases: one verb each, `(input, ctx, deps)`. */
export * from './authorities.js';
export * from './organisations.js';
export * from './users.js';
export * from './applications.js';
export * from './seals.js';
export * from './grants.js';
export * from './approvals.js';
export * from './stamping.js';
export * from './batches.js';
export * from './status.js';
export * from './verification.js';
export * from './audit-log.js';
export * from './statistics.js';
export * from './trust.js';
export * from './listings.js';
