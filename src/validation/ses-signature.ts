/**
 * @module validation/ses-signature
 * Electronic signature verification (GB/T 38540 §7.3 as in STANDARDS.md §1.7): format, the signer's
 * signature over TBS_Sign, signer ↔ seal certList, the embedded seal (§6.3) at the signing time, the
 * signer certificate at the signing time, a time stamp over the signature value, and dataHash against
 * the original. Document formats (OFD, PDF) add their own checks to the same recorder.
 */
import { EsealError } from '../util/errors.js';
import { fromUtf8 } from '../util/bytes.js';
import { dnGet, dnToString } from '../pki/name.js';
import type { Certificate } from '../pki/certificate.js';
import { parseSesSignature } from '../ses/parse.js';
import { sesSignatureFacts, type SesSignatureFacts, type SignatureFactsInput } from '../ses/facts.js';
import { id_eseal_approval } from '../ses/oids.js';
import type { SesSignature } from '../ses/model.js';
import { checkCertificate } from './certificate-checks.js';
import type { ValidationContext } from './context.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { Recorder, text } from './recorder.js';
import { checkSeal, sealInfo } from './seal.js';
import { checkTimeStamp } from './timestamp-checks.js';
import { finishSignatureReport, reportFor } from './report.js';
import type { SignatureInfo, SignatureReport, ValidationReport } from './types.js';

const iso = (d: Date) => d.toISOString();

/** Decides the time certificates and the seal are judged at, and records how it is known. */
function signingTime(rec: Recorder, sig: SesSignature, facts: SesSignatureFacts, ctx: ValidationContext, policy: Policy): { t: Date; source: 'timestamp' | 'claimed' | 'validation-time' } {
  let stamped: Date | undefined;
  if (sig.timeStamp) stamped = checkTimeStamp(rec, 'SIGNATURE_TIMESTAMP', sig.timeStamp, sig.signature, ctx);
  if (stamped && policy.signingTime !== 'validation-time') {
    rec.pass('SIGNING_TIME_PROVEN', text(`signing time ${iso(stamped)} is proven by a time stamp`, `签章时间 ${iso(stamped)} 有时间戳证明`));
    return { t: stamped, source: 'timestamp' };
  }
  rec.indeterminate('SIGNING_TIME_PROVEN', text(facts.signTime ? `signing time ${iso(facts.signTime)} is claimed by the signer, not proven by a time stamp` : 'no signing time is proven by a time stamp', facts.signTime ? `签章时间 ${iso(facts.signTime)} 由签章方声明，无时间戳证明` : '签章时间没有时间戳证明'), 'TRY_LATER');
  if (policy.signingTime === 'best' && facts.signTime) return { t: facts.signTime, source: 'claimed' };
  return { t: ctx.time, source: 'validation-time' };
}

function approvalInfo(sig: SesSignature): unknown {
  const ext = sig.extDatas.find((e) => e.oid === id_eseal_approval);
  if (!ext) return undefined;
  try {
    return JSON.parse(fromUtf8(ext.value, true));
  } catch {
    return { unreadable: true };
  }
}

/**
 * Records every check of an SES_Signature into `rec` and returns the facts shown to people.
 * `extraCerts` may complete certificate chains (e.g. certificates carried by the document).
 */
export function checkSesSignature(rec: Recorder, sig: SesSignature, input: SignatureFactsInput, ctx: ValidationContext, policy: Policy, extraCerts: Certificate[] = []): SignatureInfo {
  const facts = sesSignatureFacts(sig, input);
  rec.pass('SIGNATURE_FORMAT', text(`${sig.layout === 'v1' ? 'GM/T 0031-2014 (v1)' : `GB/T 38540 (TBS_Sign version ${sig.version})`} signature structure`, `${sig.layout === 'v1' ? 'GM/T 0031-2014（v1）' : `GB/T 38540（版本 ${sig.version}）`} 签章结构`));
  if (facts.versionConsistent.ok) rec.pass('SIGNATURE_VERSION', text('TBS_Sign version matches the seal', '签章版本与印章一致'));
  else rec.fail('SIGNATURE_VERSION', text(facts.versionConsistent.reason!, `签章版本 ${sig.version} 与印章版本 ${sig.seal.info.header.version} 不一致`));

  // the signer's signature over the original TBS_Sign bytes
  if (facts.signature.ok) rec.pass('SIGNATURE_INTACT', text("the signer's SM2 signature over TBS_Sign is valid", '签章人对待签名数据的 SM2 签名有效'));
  else rec.fail('SIGNATURE_INTACT', text(facts.signature.reason ?? 'signature invalid', `签章人签名无效：${facts.signature.reason ?? ''}`), facts.signature.ok === null ? 'FORMAT_FAILURE' : undefined);

  // the signer must be one the seal allows
  if (facts.signerInCertList.ok) rec.pass('SIGNER_IN_SEAL_CERT_LIST', text("the signer certificate is in the seal's certificate list", '签章人证书在印章的证书列表中'));
  else rec.fail('SIGNER_IN_SEAL_CERT_LIST', text(facts.signerInCertList.reason ?? 'signer not in certList', '签章人证书不在印章的证书列表中'));

  // dataHash
  if (facts.dataHash_matches.ok === true) rec.pass('DATA_HASH', text('dataHash equals the SM3 hash of the original', '原文杂凑值与原文的 SM3 杂凑值一致'));
  else if (facts.dataHash_matches.ok === false) rec.fail('DATA_HASH', text(facts.dataHash_matches.reason!, '原文杂凑值与原文不一致：原文已被修改'));
  else rec.indeterminate('DATA_HASH', text(facts.dataHash_matches.reason!, '未提供原文，未比较原文杂凑值'), 'SIGNED_DATA_NOT_FOUND');

  const { t, source } = signingTime(rec, sig, facts, ctx, policy);

  // the signer certificate at the signing time
  const signer = facts.signerCertificate.certificate;
  const sealCerts = facts.seal.signerCertificates.flatMap((c) => (c.certificate ? [c.certificate] : []));
  if (signer) checkCertificate(rec, 'signer', signer, [...extraCerts, ...sealCerts], ctx, policy, t);
  else rec.fail('SIGNER_TRUSTED', text(`the signer certificate cannot be read: ${facts.signerCertificate.error}`, `无法读取签章人证书：${facts.signerCertificate.error}`), 'FORMAT_FAILURE');

  // the embedded seal at the signing time
  checkSeal(rec, sig.seal, facts.seal, ctx, policy, t, extraCerts);

  const approval = approvalInfo(sig);
  if (approval !== undefined) rec.pass('APPROVAL_RECORD', text('the signature carries a use-approval record', '签章包含用印审批记录'), { approval });

  return {
    ...sealInfo(sig.seal, facts.seal.makerCertificate.certificate),
    ...(signer ? { signer: dnGet(signer.subject, 'CN') ?? dnToString(signer.subject), signerSubject: dnToString(signer.subject), signerCertificateSerial: signer.serialNumber } : {}),
    signingTime: facts.signTime ? iso(facts.signTime) : facts.signTimeText,
    signingTimeSource: source,
    judgedAt: iso(t),
    propertyInfo: sig.propertyInfo,
    ...(approval !== undefined ? { approval } : {}),
  };
}

export interface VerifySesSignatureOptions extends SignatureFactsInput {
  id?: string;
}

/** Verifies an SES_Signature (e.g. SignedValue.dat) over the given original or hash. Never throws for bad input. */
export function verifySesSignature(der: Uint8Array, opts: VerifySesSignatureOptions, ctx: ValidationContext, policy: Policy = DEFAULT_POLICY): ValidationReport {
  const id = opts.id ?? 'signature';
  const rec = new Recorder(policy);
  let sig: SesSignature;
  try {
    sig = parseSesSignature(der);
  } catch (e) {
    rec.fail('SIGNATURE_FORMAT', text(`not a readable SES_Signature: ${(e as Error).message}`, `无法解析的签章数据：${(e as Error).message}`), 'FORMAT_FAILURE', e instanceof EsealError ? { code: e.code } : undefined);
    return reportFor(ctx, policy, { type: 'ses-signature' }, [finishSignatureReport(id, 'ses-signature', rec, {})]);
  }
  const info = checkSesSignature(rec, sig, opts, ctx, policy);
  return reportFor(ctx, policy, { type: 'ses-signature' }, [finishSignatureReport(id, 'ses-signature', rec, info)]);
}

export type { SignatureReport };
