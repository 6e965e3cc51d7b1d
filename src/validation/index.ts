/**
 * @module validation
 * The verification engine: facts (from the format code) → policy (data) → report (JSON + summaries
 * in Chinese and English), modelled on the EU DSS validation model and extended for seals. Pure:
 * time, trust anchors, revocation data and seal status are parameters.
 */
export * from './types.js';
export * from './catalog.js';
export * from './policy.js';
export * from './context.js';
export * from './recorder.js';
export * from './certificate-checks.js';
export * from './timestamp-checks.js';
export * from './seal.js';
export * from './ses-signature.js';
export * from './cms-signature.js';
export * from './report.js';
