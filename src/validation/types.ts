/**
 * @module validation/types
 * The shape of verification results, modelled on the EU DSS validation model (ETSI EN 319 102-1
 * indications) and extended for seals. This shape is documented in docs/verification-report.md and is
 * stable: other tools may rely on the names.
 */

/** Overall outcome of one signature (DSS/ETSI vocabulary). */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** Why a signature is not TOTAL_PASSED. DSS names where they fit, plus seal-specific ones. */
export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'TRY_LATER'
  | 'SEAL_MAKER_UNTRUSTED'
  | 'SEAL_SIGNATURE_INVALID'
  | 'SEAL_EXPIRED'
  | 'SEAL_NOT_YET_VALID'
  | 'SEAL_REVOKED'
  | 'SEAL_SUSPENDED'
  | 'SIGNER_NOT_IN_SEAL_CERT_LIST'
  | 'TIMESTAMP_INVALID';

/** How much a check matters, set per check by the policy. */
export type Level = 'FAIL' | 'WARN' | 'INFORM' | 'IGNORE';

/** What a single check found. */
export type CheckStatus = 'PASSED' | 'FAILED' | 'INDETERMINATE' | 'SKIPPED';

export interface LocalizedText {
  en: string;
  zh: string;
}

export interface CheckResult {
  /** stable check id, e.g. SEAL_MAKER_SIGNATURE */
  id: string;
  /** what was checked */
  title: LocalizedText;
  status: CheckStatus;
  /** the policy level that applied */
  level: Level;
  /** the reason (always given unless PASSED; for PASSED a short confirmation) */
  message: LocalizedText;
  /** set when status is FAILED or INDETERMINATE */
  subIndication?: SubIndication;
  /** what failure of this check means for the signature */
  failIndication?: Exclude<Indication, 'TOTAL_PASSED'>;
  details?: Record<string, unknown>;
}

/** Facts shown to people about the signature (who, which seal, when, where). */
export interface SignatureInfo {
  signer?: string;
  signerCertificateSerial?: string;
  sealName?: string;
  esId?: string;
  sealType?: number;
  sealLayout?: string;
  maker?: string;
  vid?: string;
  signingTime?: string;
  /** where the signing time came from */
  signingTimeSource?: 'timestamp' | 'claimed' | 'validation-time';
  /** document-specific additions (pages, positions, profile, ...) */
  [key: string]: unknown;
}

export interface SignatureReport {
  /** identifies the signature inside its container (e.g. "s001", "Sign_0", "Signature1", "seal") */
  id: string;
  /** what was verified */
  kind: 'seal' | 'ses-signature' | 'ofd-seal' | 'ofd-sign' | 'pdf';
  indication: Indication;
  subIndication?: SubIndication;
  info: SignatureInfo;
  checks: CheckResult[];
  /** messages of WARN-level checks that did not pass */
  warnings: LocalizedText[];
  summary: LocalizedText;
}

export interface ValidationReport {
  /** report format version */
  reportVersion: 1;
  /** the time validation was performed for (ISO 8601) */
  validationTime: string;
  policy: string;
  document?: { type: 'seal' | 'ses-signature' | 'ofd' | 'pdf'; name?: string; [key: string]: unknown };
  /** TOTAL_PASSED only if there is at least one signature and every one passed */
  indication: Indication | 'NO_SIGNATURE_FOUND';
  signatures: SignatureReport[];
  /** document-level findings (e.g. changes after the last signature) */
  documentChecks?: CheckResult[];
  summary: LocalizedText;
}
