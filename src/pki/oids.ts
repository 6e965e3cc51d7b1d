/**
 * @module pki/oids
 * X.509 object identifiers used by eseal's certificates (RFC 5280, X.520, ETSI EN 319 412-1).
 */
export const id_sha1WithRSAEncryption = '1.2.840.113549.1.1.5';
export const id_sha256WithRSAEncryption = '1.2.840.113549.1.1.11';
export const id_sha384WithRSAEncryption = '1.2.840.113549.1.1.12';
export const id_sha512WithRSAEncryption = '1.2.840.113549.1.1.13';
export const id_rsaEncryption = '1.2.840.113549.1.1.1';
export const id_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const id_ecdsaWithSHA256 = '1.2.840.10045.4.3.2';
export const id_ecdsaWithSHA384 = '1.2.840.10045.4.3.3';
export const id_ecdsaWithSHA512 = '1.2.840.10045.4.3.4';

export const id_ce_subjectKeyIdentifier = '2.5.29.14';
export const id_ce_keyUsage = '2.5.29.15';
export const id_ce_basicConstraints = '2.5.29.19';
export const id_ce_cRLNumber = '2.5.29.20';
export const id_ce_cRLReasons = '2.5.29.21';
export const id_ce_cRLDistributionPoints = '2.5.29.31';
export const id_ce_certificatePolicies = '2.5.29.32';
export const id_ce_authorityKeyIdentifier = '2.5.29.35';
export const id_ce_extKeyUsage = '2.5.29.37';
export const id_ce_subjectAltName = '2.5.29.17';

export const id_kp_serverAuth = '1.3.6.1.5.5.7.3.1';
export const id_kp_clientAuth = '1.3.6.1.5.5.7.3.2';
export const id_kp_codeSigning = '1.3.6.1.5.5.7.3.3';
export const id_kp_emailProtection = '1.3.6.1.5.5.7.3.4';
export const id_kp_timeStamping = '1.3.6.1.5.5.7.3.8';
export const id_kp_OCSPSigning = '1.3.6.1.5.5.7.3.9';

/** Names of the distinguished-name attributes we read and write (RFC 4514 short names where they exist). */
export const DN_ATTRIBUTES: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  GN: '2.5.4.42',
  /** organizationIdentifier (X.520): carries the 统一社会信用代码 (unified social credit code) as "NTRCN-<code>" per ETSI EN 319 412-1. */
  OI: '2.5.4.97',
  E: '1.2.840.113549.1.9.1',
  UID: '0.9.2342.19200300.100.1.1',
  DC: '0.9.2342.19200300.100.1.25',
};

export const DN_NAMES: Record<string, string> = Object.fromEntries(Object.entries(DN_ATTRIBUTES).map(([k, v]) => [v, k]));
