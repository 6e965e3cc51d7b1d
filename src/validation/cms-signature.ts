/**
 * @module validation/cms-signature
 * Checks for CMS signatures (PDF /Contents, OFD Type="Sign" GB/T 35275 SignedData): message digest,
 * the signature, the signer certificate at the signing time, a signature time stamp, and — when the
 * document carries the seal (电子印章) with the signature — the seal and the signer ↔ seal match.
 */
import { dnGet, dnToString } from '../pki/name.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import type { ParsedSignedData, ParsedSignerInfo } from '../pki/cms/parse.js';
import type { SignerVerificationFacts } from '../pki/cms/verify.js';
import { sealFacts, signerListedInSeal } from '../ses/facts.js';
import type { Seal } from '../ses/model.js';
import { checkCertificate } from './certificate-checks.js';
import type { ValidationContext } from './context.js';
import type { Policy } from './policy.js';
import { text, type Recorder } from './recorder.js';
import { checkSeal, sealInfo } from './seal.js';
import { checkTimeStamp } from './timestamp-checks.js';
import type { SignatureInfo } from './types.js';

/** id-aa-signatureTimeStampToken (RFC 3161 appendix A): unsigned attribute with a token over the signature value. */
export const id_aa_signatureTimeStampToken = '1.2.840.113549.1.9.16.2.14';

const iso = (d: Date) => d.toISOString();

export interface CmsCheckInput {
  parsed: ParsedSignedData;
  signer: ParsedSignerInfo;
  facts: SignerVerificationFacts;
  /** the seal carried with the signature (PDF national profile), if any */
  seal?: Seal;
}

export function checkCmsSignature(rec: Recorder, input: CmsCheckInput, ctx: ValidationContext, policy: Policy): SignatureInfo {
  const { parsed, signer, facts, seal } = input;
  rec.pass('SIGNATURE_FORMAT', text(`CMS SignedData (${parsed.flavour === 'gbt35275' ? 'GB/T 35275' : 'RFC 5652'})`, `CMS 签名数据（${parsed.flavour === 'gbt35275' ? 'GB/T 35275' : 'RFC 5652'}）`));

  if (facts.messageDigestMatches === true || (facts.signatureCovers === 'content' && facts.signatureValid)) {
    rec.pass('CMS_MESSAGE_DIGEST', text('the digest of the signed data matches', '签名数据的摘要一致'));
  } else if (facts.messageDigestMatches === false) {
    rec.fail('CMS_MESSAGE_DIGEST', text('the signed data changed: its digest differs from the messageDigest attribute', '签名数据已被修改：摘要与 messageDigest 属性不一致'), 'HASH_FAILURE');
  } else {
    rec.indeterminate('CMS_MESSAGE_DIGEST', text('the signed data was not available to compare its digest', '无法取得签名数据，未比较摘要'), 'SIGNED_DATA_NOT_FOUND');
  }

  const sigErrors = facts.errors.filter((e) => !/digest/i.test(e));
  if (facts.signatureValid) rec.pass('SIGNATURE_INTACT', text(`the ${facts.signatureAlgorithm} signature is valid`, '签名值有效'));
  else if (!facts.certificateFound) rec.fail('SIGNATURE_INTACT', text(`the signer certificate is not in the signature: ${sigErrors.join('; ')}`, '签名中没有签名人证书'), 'FORMAT_FAILURE');
  else rec.fail('SIGNATURE_INTACT', text(sigErrors.join('; ') || 'the signature does not verify', `签名值无效：${sigErrors.join('；')}`));

  // signing time: a valid signature time stamp proves it; the signingTime attribute only claims it
  const tsAttr = signer.unsignedAttributes?.attributes.find((a) => a.oid === id_aa_signatureTimeStampToken);
  let stamped: Date | undefined;
  if (tsAttr?.values[0]) stamped = checkTimeStamp(rec, 'SIGNATURE_TIMESTAMP', tsAttr.values[0], signer.signature, ctx);
  let t = ctx.time;
  let source: SignatureInfo['signingTimeSource'] = 'validation-time';
  if (stamped && policy.signingTime !== 'validation-time') {
    rec.pass('SIGNING_TIME_PROVEN', text(`signing time ${iso(stamped)} is proven by a time stamp`, `签名时间 ${iso(stamped)} 有时间戳证明`));
    t = stamped;
    source = 'timestamp';
  } else {
    rec.indeterminate('SIGNING_TIME_PROVEN', text(facts.signingTime ? `signing time ${iso(facts.signingTime)} is claimed, not proven by a time stamp` : 'no time stamp proves the signing time', facts.signingTime ? `签名时间 ${iso(facts.signingTime)} 为声明时间，无时间戳证明` : '没有时间戳证明签名时间'), 'TRY_LATER');
    if (policy.signingTime === 'best' && facts.signingTime) {
      t = facts.signingTime;
      source = 'claimed';
    }
  }

  // the signer certificate
  const others: Certificate[] = parsed.certificates.flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
  const cert = facts.certificate;
  if (cert) checkCertificate(rec, 'signer', cert, others, ctx, policy, t);
  else rec.fail('SIGNER_TRUSTED', text('the signer certificate cannot be read', '无法读取签名人证书'), 'NO_CERTIFICATE_CHAIN_FOUND');

  // the seal carried with the signature
  let sealSummary: SignatureInfo = {};
  if (seal) {
    const sf = sealFacts(seal);
    const listed = facts.certificateDer ? signerListedInSeal(seal, facts.certificateDer) : { ok: false, reason: 'no signer certificate' };
    if (listed.ok) rec.pass('SIGNER_IN_SEAL_CERT_LIST', text("the signer certificate is in the seal's certificate list", '签名人证书在印章证书列表中'));
    else rec.fail('SIGNER_IN_SEAL_CERT_LIST', text(listed.reason ?? 'signer not in certList', '签名人证书不在印章证书列表中'));
    checkSeal(rec, seal, sf, ctx, policy, t, others);
    sealSummary = sealInfo(seal, sf.makerCertificate.certificate);
  }

  return {
    ...sealSummary,
    ...(cert ? { signer: dnGet(cert.subject, 'CN') ?? dnToString(cert.subject), signerSubject: dnToString(cert.subject), signerCertificateSerial: cert.serialNumber } : {}),
    ...(facts.signingTime ? { signingTime: iso(facts.signingTime) } : {}),
    signingTimeSource: source,
    judgedAt: iso(t),
    digestAlgorithm: facts.digestAlgorithm,
    signatureAlgorithm: facts.signatureAlgorithm,
  };
}
