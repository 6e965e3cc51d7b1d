/**
 * @module validation/seal
 * Seal verification (GB/T 38540 §6.3 as in STANDARDS.md §1.7): format, the maker's signature over the
 * signed bytes, the maker certificate (trust, validity, revocation, key usage), the seal's validity
 * period and status at the time, the picture, and a v5 seal time stamp.
 */
import { EsealError } from '../util/errors.js';
import { dnGet, dnToString } from '../pki/name.js';
import type { Certificate } from '../pki/certificate.js';
import { parseSeal } from '../ses/parse.js';
import { sealFacts, type SealFacts } from '../ses/facts.js';
import type { Seal } from '../ses/model.js';
import { checkSealPicture } from '../ses/appearance/picture-check.js';
import { checkCertificate } from './certificate-checks.js';
import { sealStatusAt, type ValidationContext } from './context.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { Recorder, text } from './recorder.js';
import { checkTimeStamp } from './timestamp-checks.js';
import { finishSignatureReport, reportFor } from './report.js';
import type { SignatureInfo, SignatureReport, ValidationReport } from './types.js';

const iso = (d: Date) => d.toISOString();

export function sealInfo(seal: Seal, makerCert?: Certificate): SignatureInfo {
  return {
    sealName: seal.info.property.name,
    esId: seal.info.esId,
    sealType: seal.info.property.type,
    sealLayout: seal.layout,
    vid: seal.info.header.vid,
    ...(makerCert ? { maker: dnGet(makerCert.subject, 'CN') ?? dnToString(makerCert.subject) } : {}),
    sealValidity: { createDate: iso(seal.info.property.createDate), validStart: iso(seal.info.property.validStart), validEnd: iso(seal.info.property.validEnd) },
    picture: { type: seal.info.picture.type, widthMm: seal.info.picture.width, heightMm: seal.info.picture.height },
  };
}

/**
 * Records the seal checks for `seal` judged at time `t` (the verification time for a stand-alone seal,
 * the signing time for a seal inside a signature).
 */
export function checkSeal(rec: Recorder, seal: Seal, facts: SealFacts, ctx: ValidationContext, policy: Policy, t: Date, extraCerts: Certificate[] = []): void {
  rec.pass('SEAL_FORMAT', text(`${seal.layout === 'v1' ? 'GM/T 0031-2014 (v1)' : seal.layout === 'v5' ? 'GM/T 0031-2025 (v5)' : 'GB/T 38540-2020 (v4)'} seal structure`, `${seal.layout === 'v1' ? 'GM/T 0031-2014（v1）' : seal.layout === 'v5' ? 'GM/T 0031-2025（v5）' : 'GB/T 38540-2020（v4）'} 印章结构`));

  // maker signature over the original bytes
  if (facts.makerSignature.ok) rec.pass('SEAL_MAKER_SIGNATURE', text("the maker's SM2 signature over the seal information is valid", '制章者对印章信息的 SM2 签名有效'));
  else if (facts.makerSignature.ok === false) rec.fail('SEAL_MAKER_SIGNATURE', text(facts.makerSignature.reason ?? 'maker signature invalid', `制章者签名无效：${facts.makerSignature.reason ?? ''}`));
  else rec.fail('SEAL_MAKER_SIGNATURE', text(facts.makerSignature.reason ?? 'maker signature could not be checked', `无法验证制章者签名：${facts.makerSignature.reason ?? ''}`), 'FORMAT_FAILURE');

  // maker certificate
  const maker = facts.makerCertificate.certificate;
  if (maker) {
    const validityTime = policy.makerCertValidAtCreateDate ? seal.info.property.createDate : t;
    checkCertificate(rec, 'maker', maker, extraCerts, ctx, policy, t, validityTime);
  } else {
    rec.fail('SEAL_MAKER_TRUSTED', text(`the maker certificate cannot be read: ${facts.makerCertificate.error}`, `无法读取制章者证书：${facts.makerCertificate.error}`), 'FORMAT_FAILURE');
  }

  // validity period of the seal at t
  const { validStart, validEnd } = seal.info.property;
  if (t < validStart) rec.fail('SEAL_VALIDITY_PERIOD', text(`the seal is not valid before ${iso(validStart)} (checked at ${iso(t)})`, `印章在 ${iso(validStart)} 之前无效（检查时间 ${iso(t)}）`), 'SEAL_NOT_YET_VALID');
  else if (t > validEnd) rec.fail('SEAL_VALIDITY_PERIOD', text(`the seal expired at ${iso(validEnd)} (checked at ${iso(t)})`, `印章已于 ${iso(validEnd)} 过期（检查时间 ${iso(t)}）`), 'SEAL_EXPIRED');
  else rec.pass('SEAL_VALIDITY_PERIOD', text(`${iso(t)} is within the seal validity ${iso(validStart)} … ${iso(validEnd)}`, `${iso(t)} 在印章有效期 ${iso(validStart)} 至 ${iso(validEnd)} 内`));

  // status from the status service
  const record = ctx.sealStatus?.(seal.info.esId);
  if (!ctx.sealStatus) rec.notChecked('SEAL_STATUS', text('seal status not checked: no status service was consulted', '未检查印章状态：未查询印章状态服务'));
  else if (!record) rec.notChecked('SEAL_STATUS', text(`seal status not checked: the status service does not know seal ${seal.info.esId} (made by another provider?)`, `未检查印章状态：印章状态服务中没有印章 ${seal.info.esId}（其他制章机构的印章？）`));
  else {
    const s = sealStatusAt(record, t);
    if (s.status === 'active') rec.pass('SEAL_STATUS', text(`the seal was active at ${iso(t)}`, `印章在 ${iso(t)} 处于有效状态`), { source: record.source });
    else {
      const sub = s.status === 'suspended' ? 'SEAL_SUSPENDED' : s.status === 'expired' ? 'SEAL_EXPIRED' : 'SEAL_REVOKED';
      const zh = { suspended: '已停用', lost: '已挂失', revoked: '已注销/吊销', expired: '已过期', active: '有效' }[s.status];
      rec.fail('SEAL_STATUS', text(`the seal was ${s.status} at ${iso(t)} (since ${s.since ? iso(s.since) : '?'}${s.reason ? `: ${s.reason}` : ''})`, `印章在 ${iso(t)} ${zh}（自 ${s.since ? iso(s.since) : '?'}${s.reason ? `，原因：${s.reason}` : ''}）`), sub, { status: s.status, since: s.since, reason: s.reason });
    }
  }

  // picture
  const pic = checkSealPicture({ type: seal.info.picture.type, data: seal.info.picture.data, widthMm: seal.info.picture.width, heightMm: seal.info.picture.height });
  const errors = pic.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) rec.pass('SEAL_PICTURE', text(`${seal.info.picture.type} picture, ${seal.info.picture.width} x ${seal.info.picture.height} mm${pic.problems.length ? ` (${pic.problems.map((p) => p.message).join('; ')})` : ''}`, `${seal.info.picture.type} 图像，${seal.info.picture.width} x ${seal.info.picture.height} 毫米`));
  else rec.fail('SEAL_PICTURE', text(errors.map((p) => p.message).join('; '), `印章图像有问题：${errors.map((p) => p.code).join('、')}`), undefined, { problems: pic.problems });

  // v5 seal time stamp (over the maker's signature value)
  if (seal.timeStamp) checkTimeStamp(rec, 'SEAL_TIMESTAMP', seal.timeStamp, seal.signature, ctx);
}

/** Verifies a stand-alone seal (Seal.esl) at ctx.time. Never throws for bad input: reports it. */
export function verifySeal(der: Uint8Array, ctx: ValidationContext, policy: Policy = DEFAULT_POLICY): ValidationReport {
  const rec = new Recorder(policy);
  let seal: Seal;
  try {
    seal = parseSeal(der);
  } catch (e) {
    rec.fail('SEAL_FORMAT', text(`not a readable seal: ${(e as Error).message}`, `无法解析的印章数据：${(e as Error).message}`), 'FORMAT_FAILURE', e instanceof EsealError ? { code: e.code } : undefined);
    return reportFor(ctx, policy, { type: 'seal' }, [finishSignatureReport('seal', 'seal', rec, {})]);
  }
  const facts = sealFacts(seal);
  checkSeal(rec, seal, facts, ctx, policy, ctx.time);
  return reportFor(ctx, policy, { type: 'seal' }, [finishSignatureReport('seal', 'seal', rec, sealInfo(seal, facts.makerCertificate.certificate))]);
}

export type { SignatureReport };
