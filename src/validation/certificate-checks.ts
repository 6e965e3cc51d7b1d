/**
 * @module validation/certificate-checks
 * Turns a certification path validation (src/pki/chain.ts) into policy checks for one role:
 * the seal maker (制章者) or the signer (签章人).
 */
import { validateChain, type ChainValidationResult } from '../pki/chain.js';
import { dnToString } from '../pki/name.js';
import type { Certificate } from '../pki/certificate.js';
import type { ValidationContext } from './context.js';
import type { Policy } from './policy.js';
import { text, type Recorder } from './recorder.js';
import type { CheckId } from './catalog.js';

export type CertificateRole = 'maker' | 'signer';

const IDS: Record<CertificateRole, { trusted: CheckId; validity: CheckId; constraints: CheckId; revocation: CheckId; keyUsage: CheckId; en: string; zh: string }> = {
  maker: { trusted: 'SEAL_MAKER_TRUSTED', validity: 'SEAL_MAKER_CERT_VALIDITY', constraints: 'SEAL_MAKER_CERT_CHAIN_CONSTRAINTS', revocation: 'SEAL_MAKER_CERT_REVOCATION', keyUsage: 'SEAL_MAKER_CERT_KEY_USAGE', en: 'seal maker certificate', zh: '制章者证书' },
  signer: { trusted: 'SIGNER_TRUSTED', validity: 'SIGNER_CERT_VALIDITY', constraints: 'SIGNER_CERT_CHAIN_CONSTRAINTS', revocation: 'SIGNER_CERT_REVOCATION', keyUsage: 'SIGNER_CERT_KEY_USAGE', en: 'signer certificate', zh: '签章人证书' },
};

const iso = (d: Date) => d.toISOString();

/**
 * Validates `cert` at `time` and records the five certificate checks of its role.
 * `validityTime` may differ from `time` (GM/T 0031-2025: a maker certificate valid at createDate).
 */
export function checkCertificate(
  rec: Recorder,
  role: CertificateRole,
  cert: Certificate,
  extra: Certificate[],
  ctx: ValidationContext,
  policy: Policy,
  time: Date,
  validityTime: Date = time,
): ChainValidationResult {
  const ids = IDS[role];
  const name = dnToString(cert.subject);
  const chainInput = {
    certificate: cert,
    intermediates: [...(ctx.intermediates ?? []), ...extra],
    trustAnchors: ctx.trustAnchors,
    crls: ctx.crls ?? [],
    requireRevocation: policy.requireRevocation,
  };
  const result = validateChain({ ...chainInput, time });
  // Validity may be judged at another time (createDate rule); everything else at `time`.
  const validityResult = validityTime.getTime() === time.getTime() ? result : validateChain({ ...chainInput, time: validityTime });
  const problems = (codes: string[], r: ChainValidationResult = result) => r.problems.filter((p) => codes.includes(p.code));

  // 1. trusted
  if (result.trusted) {
    rec.pass(ids.trusted, text(`${ids.en} "${name}" chains to the trust anchor "${dnToString(result.chain[result.chain.length - 1].subject)}"`, `${ids.zh}“${name}”可追溯到信任锚“${dnToString(result.chain[result.chain.length - 1].subject)}”`), {
      chain: result.chain.map((c) => dnToString(c.subject)),
    });
  } else {
    const p = result.problems.find((x) => x.code === 'NO_CERTIFICATE_CHAIN_FOUND' || x.code === 'SIGNATURE_INVALID');
    rec.fail(ids.trusted, text(`${ids.en} "${name}" is not trusted: ${p?.message ?? 'no path to a trust anchor'}${ctx.trustAnchors.length === 0 ? ' (no trust anchors were given)' : ''}`, `${ids.zh}“${name}”不可信：无法追溯到信任锚${ctx.trustAnchors.length === 0 ? '（未提供信任锚）' : ''}`), undefined, { problem: p?.message });
  }

  // 2. validity period of every certificate in the path
  const timing = problems(['EXPIRED', 'NOT_YET_VALID'], validityResult);
  if (timing.length === 0) rec.pass(ids.validity, text(`${ids.en} valid at ${iso(validityTime)}`, `${ids.zh}在 ${iso(validityTime)} 有效`));
  else {
    const first = timing[0];
    rec.fail(ids.validity, text(first.message, `${ids.zh}链中证书“${first.subject}”在 ${iso(validityTime)} ${first.code === 'EXPIRED' ? '已过期' : '尚未生效'}`), first.code === 'EXPIRED' ? 'EXPIRED' : 'NOT_YET_VALID', { problems: timing.map((p) => p.message) });
  }

  // 3. chain constraints (CA flags, path length, CA key usage, unknown critical extensions)
  const constraint = problems(['NOT_A_CA', 'PATH_LENGTH_EXCEEDED', 'UNKNOWN_CRITICAL_EXTENSION']).concat(result.problems.filter((p) => p.code === 'KEY_USAGE_MISSING' && (p.index ?? 0) > 0));
  if (constraint.length === 0) rec.pass(ids.constraints, text('basicConstraints, path length and CA key usage are respected', '基本约束、路径长度和 CA 密钥用法符合要求'));
  else rec.fail(ids.constraints, text(constraint.map((p) => p.message).join('; '), `${ids.zh}链不满足约束：${constraint.map((p) => p.code).join('、')}`), undefined, { problems: constraint.map((p) => p.message) });

  // 4. revocation
  const revoked = problems(['REVOKED']);
  const unchecked = problems(['REVOCATION_NOT_CHECKED']);
  const crlIssues = problems(['CRL_INVALID', 'CRL_STALE']);
  if (revoked.length) {
    rec.fail(ids.revocation, text(revoked[0].message, `${ids.zh}链中证书“${revoked[0].subject}”已于 ${result.revoked ? iso(result.revoked.date) : '?'} 被撤销${result.revoked?.reason ? `（${result.revoked.reason}）` : ''}`), 'REVOKED', {
      revokedAt: result.revoked?.date,
      reason: result.revoked?.reason,
    });
  } else if (ctx.crls === undefined) {
    rec.notChecked(ids.revocation, text('revocation not checked: no revocation data (CRL) was given', '未检查撤销状态：未提供撤销信息（CRL）'));
  } else if (unchecked.length) {
    const msg = text(`${unchecked.map((p) => p.message).join('; ')}${crlIssues.length ? `; ${crlIssues.map((p) => p.message).join('; ')}` : ''}`, `${ids.zh}链中有证书未能检查撤销状态（无可用 CRL）`);
    // CRLs were given but none covers this chain: undetermined (FAIL level); a warning unless required.
    if (policy.requireRevocation) rec.indeterminate(ids.revocation, msg, 'TRY_LATER');
    else rec.notChecked(ids.revocation, msg);
  } else {
    rec.pass(ids.revocation, text(`not revoked at ${iso(time)} (checked against CRLs)${crlIssues.length ? `; note: ${crlIssues.map((p) => p.message).join('; ')}` : ''}`, `在 ${iso(time)} 未被撤销（已核对 CRL）`));
  }

  // 5. key usage of the certificate itself: it must allow signatures
  const ku = cert.extensions.keyUsage;
  if (!ku || ku.includes('digitalSignature') || ku.includes('nonRepudiation')) {
    rec.pass(ids.keyUsage, text(ku ? `keyUsage allows signing (${ku.join(', ')})` : 'no keyUsage restriction', ku ? `密钥用法允许签名（${ku.join('、')}）` : '无密钥用法限制'));
  } else {
    rec.fail(ids.keyUsage, text(`${ids.en} keyUsage (${ku.join(', ')}) allows neither digitalSignature nor nonRepudiation`, `${ids.zh}的密钥用法（${ku.join('、')}）不允许数字签名`));
  }
  return result;
}
