/**
 * @module ses/oids
 * Object identifiers seen in or used by seal structures (STANDARDS.md §1.1, §1.5).
 */
export { id_sm2_with_sm3, id_sm3 } from '../sm/oids.js';

/**
 * eseal's own arc for its ExtData values: a UUID OID (ITU-T X.667, arc 2.25), unique without
 * registration (UUID c774023c-5345-4560-8dde-dbde2c6c4a70).
 */
export const id_eseal = '2.25.265118722941068256193090895227418069616';
/** ExtData in TBS_Sign carrying the 用印审批 approval record of this use (JSON, UTF-8). */
export const id_eseal_approval = `${id_eseal}.1`;
/** ExtData in SES_SealInfo carrying the organisation's 统一社会信用代码 (UTF-8). */
export const id_eseal_uscc = `${id_eseal}.2`;
/** eseal's local TSA policy (see cli/tsa-dir.ts). */
export const id_eseal_tsa_policy = `${id_eseal}.3`;
/** Signed CMS attribute carrying the SESeal with a PDF signature (national profile, see docs/pdf.md). */
export const id_eseal_pdf_seal = `${id_eseal}.4`;

/** Vendor ExtData OIDs seen in real files (for display). */
export const KNOWN_EXT_OIDS: Record<string, string> = {
  '1.2.156.10197.6.7.2.2.1': 'tax bureau seal extension',
  '1.3.6.1.5.5.7.1.4': 'extra SM2 signature (Shandong, re-used ac-auditEntity)',
  [id_eseal_approval]: 'eseal approval record',
  [id_eseal_uscc]: 'unified social credit code',
  [id_eseal_pdf_seal]: 'SESeal carried with a PDF signature',
};
