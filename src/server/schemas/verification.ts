/** @module server/schemas/verification — public verification of documents, seals and SES_Signatures. */
import { Base64, DateTime, Hex64, obj } from './common.js';

export const VerifyQuery = obj({ at: { ...DateTime, description: 'validation time (default now); the seal status is taken at the signing time' } });

/** The engine's report (docs/verification-report.md); the main fields are listed, the rest passes through. */
export const ValidationReport = {
  type: 'object',
  additionalProperties: true,
  required: ['reportVersion', 'validationTime', 'indication', 'signatures'],
  properties: {
    reportVersion: { type: 'integer' },
    validationTime: DateTime,
    policy: { type: 'string' },
    document: { type: 'object', additionalProperties: true },
    indication: { type: 'string', enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND'] },
    signatures: { type: 'array', items: { type: 'object', additionalProperties: true } },
    documentChecks: { type: 'array', items: { type: 'object', additionalProperties: true } },
    summary: { type: 'object', additionalProperties: true },
  },
} as const;

export const VerifySignatureBody = obj(
  {
    signature: { ...Base64, minLength: 1, maxLength: 4_000_000, description: 'SES_Signature (DER, base64)' },
    data: { ...Base64, maxLength: 70_000_000, description: 'the signed data, base64 (or give hash)' },
    hash: { ...Hex64, description: 'SM3 of the signed data, hex' },
  },
  ['signature'],
);
