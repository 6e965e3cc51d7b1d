/**
 * @module ses/asn1
 * The seal structures as @peculiar/asn1-schema declarations, one type per file, with the standard's
 * names (including its spelling `SES_ESPictrueInfo`). v4 = GB/T 38540-2020, v5 = GM/T 0031-2025,
 * v1 = GM/T 0031-2014 (legacy, read support). Parsing of untrusted files is done by ../parse-*.ts
 * over the original bytes; these classes build new structures and document the layout.
 */
export * from './v4/ext_data.js';
export * from './v4/ses_header.js';
export * from './v4/ses_cert_list.js';
export * from './v4/ses_es_property_info.js';
export * from './v4/ses_es_pictrue_info.js';
export * from './v4/ses_seal_info.js';
export * from './v4/se_seal.js';
export * from './v4/tbs_sign.js';
export * from './v4/ses_signature.js';
export * from './v5/se_seal.js';
export * from './v1/ses_es_property_info.js';
export * from './v1/ses_seal_info.js';
export * from './v1/ses_sign_info.js';
export * from './v1/se_seal.js';
export * from './v1/tbs_sign.js';
export * from './v1/ses_signature.js';
