/**
 * @module ses/timestamp/asn1
 * RFC 3161 (GB/T 20520-2006) types as @peculiar/asn1-schema declarations, one type per file.
 * They build new structures; untrusted input passes `parseDer` before `AsnConvert.parse`.
 */
export * from './message_imprint.js';
export * from './accuracy.js';
export * from './tst_info.js';
export * from './time_stamp_req.js';
export * from './pki_free_text.js';
export * from './pki_status_info.js';
export * from './time_stamp_resp.js';
