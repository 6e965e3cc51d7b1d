/**
 * @module core/documents/verifier
 * Document verifiers (OFD, PDF) as the verification use case sees them: bytes + context → report.
 */
import type { ValidationContext } from '../../validation/context.js';
import type { Policy } from '../../validation/policy.js';
import type { ValidationReport } from '../../validation/types.js';

export interface DocumentVerifier {
  format: 'ofd' | 'pdf';
  detect(bytes: Uint8Array): boolean;
  verify(bytes: Uint8Array, ctx: ValidationContext, policy: Policy): ValidationReport | Promise<ValidationReport>;
  /** the esIDs of the seals in the document (so their status can be fetched before verifying) */
  esIds?(bytes: Uint8Array): string[];
}


