/**
 * @module pdf/oids
 * Object identifiers of eseal's PDF signatures.
 */

/**
 * CMS signed attribute carrying the SESeal (电子印章, GB/T 38540) the signer stamped with; its single
 * value is the SESeal DER itself. Signed, so the seal cannot be swapped for another one in which the
 * signer is also listed (docs/pdf.md, "Where the seal travels").
 * ```asn
 * id-aa-eseal-seal OBJECT IDENTIFIER ::= { id-eseal 4 }
 * ESealAttribute ::= SESeal    -- GB/T 38540-2020 §5 (v4) / GM/T 0031-2025 (v5)
 * ```
 */
export { id_eseal_pdf_seal as id_aa_eseal_seal } from '../ses/oids.js';

/** RFC 3161 Appendix A signature time-stamp token (the unsigned attribute of PAdES B-T). */
export { id_aa_signatureTimeStampToken } from '../pki/cms/oids.js';
