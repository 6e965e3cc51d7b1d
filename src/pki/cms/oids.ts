/**
 * @module pki/cms/oids
 * Object identifiers of CMS SignedData in its two families:
 * - RFC 5652 (PKCS#7 arc 1.2.840.113549.1.7) with the attribute OIDs of PKCS#9 / S/MIME (RFC 5652 §11,
 *   RFC 5035 ESS), also used with SM OIDs for the algorithms (STANDARDS.md §3, flavour "rfc5652");
 * - GB/T 35275-2017 (= GM/T 0010-2012) SM2 cryptographic message syntax, arc 1.2.156.10197.6.1.4.2
 *   (STANDARDS.md §1.1, flavour "gbt35275").
 */

/** RFC 5652 §4 id-data. */
export const id_data = '1.2.840.113549.1.7.1';
/** RFC 5652 §5 id-signedData. */
export const id_signedData = '1.2.840.113549.1.7.2';
/** GB/T 35275 §7 data (数据类型). */
export const id_gm_data = '1.2.156.10197.6.1.4.2.1';
/** GB/T 35275 §8 signedData (签名数据类型). */
export const id_gm_signedData = '1.2.156.10197.6.1.4.2.2';

/** RFC 5652 §11.1 content-type attribute. */
export const id_contentType = '1.2.840.113549.1.9.3';
/** RFC 5652 §11.2 message-digest attribute. */
export const id_messageDigest = '1.2.840.113549.1.9.4';
/** RFC 5652 §11.3 signing-time attribute. */
export const id_signingTime = '1.2.840.113549.1.9.5';
/** RFC 5652 §11.4 countersignature attribute (unsigned). */
export const id_countersignature = '1.2.840.113549.1.9.6';
/** RFC 2634 §5.4 ESS signing-certificate (SHA-1 cert hash). */
export const id_aa_signingCertificate = '1.2.840.113549.1.9.16.2.12';
/** RFC 5035 §3 ESS signing-certificate-v2 (any hash, SHA-256 by default). */
export const id_aa_signingCertificateV2 = '1.2.840.113549.1.9.16.2.47';
/** RFC 3161 Appendix A signature time-stamp token (unsigned attribute of CAdES / PAdES). */
export const id_aa_signatureTimeStampToken = '1.2.840.113549.1.9.16.2.14';

/** The two "data" content types: GB/T 35275 signers use either (the YNCA sample mixes them). */
export const DATA_TYPES: ReadonlySet<string> = new Set([id_data, id_gm_data]);
