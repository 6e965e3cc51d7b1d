/**
 * @module ses/timestamp/oids
 * RFC 3161 object identifiers.
 */

/** id-ct-TSTInfo (RFC 3161 §2.4.2): eContentType of a TimeStampToken. */
export const id_ct_TSTInfo = '1.2.840.113549.1.9.16.1.4';

/** PKIStatus values (RFC 3161 §2.4.2). */
export const PKI_STATUS = {
  granted: 0,
  grantedWithMods: 1,
  rejection: 2,
  waiting: 3,
  revocationWarning: 4,
  revocationNotification: 5,
} as const;
export type PkiStatusName = keyof typeof PKI_STATUS;

/** PKIFailureInfo bit numbers (RFC 3161 §2.4.2). */
export const PKI_FAILURE_INFO = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  timeNotAvailable: 14,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  addInfoNotAvailable: 17,
  systemFailure: 25,
} as const;
export type PkiFailureInfoName = keyof typeof PKI_FAILURE_INFO;
