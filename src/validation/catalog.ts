/**
 * @module validation/catalog
 * Every check the engine can report, with its meaning when it fails and its default policy level.
 * The default levels follow GB/T 38540 §6.3 (seal verification) and §7.3 (signature verification) as
 * set out in STANDARDS.md §1.7. IDs are stable.
 */
import type { Indication, Level, LocalizedText, SubIndication } from './types.js';

export interface CheckDefinition {
  id: string;
  title: LocalizedText;
  /** indication when this check FAILS at level FAIL */
  failIndication: Exclude<Indication, 'TOTAL_PASSED'>;
  subIndication: SubIndication;
  defaultLevel: Level;
}

const def = (id: string, en: string, zh: string, failIndication: CheckDefinition['failIndication'], subIndication: SubIndication, defaultLevel: Level = 'FAIL'): CheckDefinition => ({
  id,
  title: { en, zh },
  failIndication,
  subIndication,
  defaultLevel,
});

export const CHECKS = {
  // ---- the seal (电子印章), GB/T 38540 §6.3
  SEAL_FORMAT: def('SEAL_FORMAT', 'Seal structure', '印章数据格式', 'TOTAL_FAILED', 'FORMAT_FAILURE'),
  SEAL_MAKER_SIGNATURE: def('SEAL_MAKER_SIGNATURE', "Seal maker's signature", '制章者签名', 'TOTAL_FAILED', 'SEAL_SIGNATURE_INVALID'),
  SEAL_MAKER_TRUSTED: def('SEAL_MAKER_TRUSTED', 'Seal maker certificate trusted', '制章者证书可信', 'INDETERMINATE', 'SEAL_MAKER_UNTRUSTED'),
  SEAL_MAKER_CERT_VALIDITY: def('SEAL_MAKER_CERT_VALIDITY', 'Seal maker certificate validity period', '制章者证书有效期', 'TOTAL_FAILED', 'EXPIRED'),
  SEAL_MAKER_CERT_CHAIN_CONSTRAINTS: def('SEAL_MAKER_CERT_CHAIN_CONSTRAINTS', 'Seal maker certificate chain constraints', '制章者证书链约束', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE'),
  SEAL_MAKER_CERT_REVOCATION: def('SEAL_MAKER_CERT_REVOCATION', 'Seal maker certificate revocation', '制章者证书撤销状态', 'TOTAL_FAILED', 'REVOKED'),
  SEAL_MAKER_CERT_KEY_USAGE: def('SEAL_MAKER_CERT_KEY_USAGE', 'Seal maker certificate key usage', '制章者证书密钥用法', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE', 'WARN'),
  SEAL_VALIDITY_PERIOD: def('SEAL_VALIDITY_PERIOD', 'Seal validity period', '印章有效期', 'TOTAL_FAILED', 'SEAL_EXPIRED'),
  SEAL_STATUS: def('SEAL_STATUS', 'Seal status (revoked / suspended)', '印章状态（注销/停用）', 'TOTAL_FAILED', 'SEAL_REVOKED'),
  SEAL_PICTURE: def('SEAL_PICTURE', 'Seal picture', '印章图像', 'TOTAL_FAILED', 'FORMAT_FAILURE', 'WARN'),
  SEAL_TIMESTAMP: def('SEAL_TIMESTAMP', 'Seal time stamp', '印章时间戳', 'TOTAL_FAILED', 'TIMESTAMP_INVALID'),

  // ---- the electronic signature (电子签章), GB/T 38540 §7.3
  SIGNATURE_FORMAT: def('SIGNATURE_FORMAT', 'Signature structure', '签章数据格式', 'TOTAL_FAILED', 'FORMAT_FAILURE'),
  SIGNATURE_VERSION: def('SIGNATURE_VERSION', 'Signature version matches the seal', '签章版本与印章一致', 'TOTAL_FAILED', 'FORMAT_FAILURE', 'WARN'),
  SIGNATURE_INTACT: def('SIGNATURE_INTACT', "Signer's signature", '签章人签名', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE'),
  SIGNER_IN_SEAL_CERT_LIST: def('SIGNER_IN_SEAL_CERT_LIST', "Signer is in the seal's certificate list", '签章人证书属于印章证书列表', 'TOTAL_FAILED', 'SIGNER_NOT_IN_SEAL_CERT_LIST'),
  DATA_HASH: def('DATA_HASH', 'Hash of the signed original', '原文杂凑值', 'TOTAL_FAILED', 'HASH_FAILURE'),
  SIGNER_TRUSTED: def('SIGNER_TRUSTED', 'Signer certificate trusted', '签章人证书可信', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'),
  SIGNER_CERT_VALIDITY: def('SIGNER_CERT_VALIDITY', 'Signer certificate valid at signing time', '签章时签章人证书有效', 'TOTAL_FAILED', 'EXPIRED'),
  SIGNER_CERT_CHAIN_CONSTRAINTS: def('SIGNER_CERT_CHAIN_CONSTRAINTS', 'Signer certificate chain constraints', '签章人证书链约束', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE'),
  SIGNER_CERT_REVOCATION: def('SIGNER_CERT_REVOCATION', 'Signer certificate revocation', '签章人证书撤销状态', 'TOTAL_FAILED', 'REVOKED'),
  SIGNER_CERT_KEY_USAGE: def('SIGNER_CERT_KEY_USAGE', 'Signer certificate allows signing', '签章人证书密钥用法', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE'),
  SIGNATURE_TIMESTAMP: def('SIGNATURE_TIMESTAMP', 'Signature time stamp', '签章时间戳', 'TOTAL_FAILED', 'TIMESTAMP_INVALID'),
  SIGNING_TIME_PROVEN: def('SIGNING_TIME_PROVEN', 'Signing time proven by a time stamp', '签章时间有时间戳证明', 'INDETERMINATE', 'TRY_LATER', 'INFORM'),
  APPROVAL_RECORD: def('APPROVAL_RECORD', 'Use approval (用印审批) record', '用印审批记录', 'TOTAL_FAILED', 'SIG_CONSTRAINTS_FAILURE', 'INFORM'),

  // ---- CMS signatures (PDF, OFD Type="Sign")
  CMS_MESSAGE_DIGEST: def('CMS_MESSAGE_DIGEST', 'Message digest of the signed data', '签名数据摘要', 'TOTAL_FAILED', 'HASH_FAILURE'),

  // ---- documents (OFD, PDF)
  DOC_REFERENCES: def('DOC_REFERENCES', 'Protected files unchanged (OFD references)', '受保护文件未被修改', 'TOTAL_FAILED', 'HASH_FAILURE'),
  DOC_SEAL_FILE: def('DOC_SEAL_FILE', 'Seal.esl equals the signed seal', 'Seal.esl 与签章中的印章一致', 'TOTAL_FAILED', 'FORMAT_FAILURE'),
  DOC_BYTE_RANGE: def('DOC_BYTE_RANGE', 'Signed byte range covers the document', '签名范围覆盖文档', 'TOTAL_FAILED', 'FORMAT_FAILURE'),
  DOC_MODIFIED_AFTER_SIGNING: def('DOC_MODIFIED_AFTER_SIGNING', 'No disallowed changes after signing', '签名后无不允许的修改', 'TOTAL_FAILED', 'HASH_FAILURE'),
} satisfies Record<string, CheckDefinition>;

export type CheckId = keyof typeof CHECKS;

export const ALL_CHECK_IDS = Object.keys(CHECKS) as CheckId[];
