/**
 * @module validation/timestamp-checks
 * A time stamp (RFC 3161 / GB/T 20520 TimeStampToken) on a signature value: the seal's (v5) or the
 * electronic signature's. Its genTime, when the token is valid, proves when the signature existed.
 */
import { verifyTimeStampToken } from '../ses/timestamp/verify.js';
import type { CheckId } from './catalog.js';
import type { ValidationContext } from './context.js';
import { text, type Recorder } from './recorder.js';

/** Records the check and returns the proven time when the token is valid. */
export function checkTimeStamp(rec: Recorder, id: Extract<CheckId, 'SEAL_TIMESTAMP' | 'SIGNATURE_TIMESTAMP'>, token: Uint8Array, covered: Uint8Array, ctx: ValidationContext): Date | undefined {
  const what = id === 'SEAL_TIMESTAMP' ? { en: "the seal's time stamp", zh: '印章时间戳' } : { en: "the signature's time stamp", zh: '签章时间戳' };
  const f = verifyTimeStampToken(token, { data: covered, trust: ctx.trustAnchors, ...(ctx.intermediates ? { intermediates: ctx.intermediates } : {}), ...(ctx.crls ? { crls: ctx.crls } : {}) });
  if (!f.format.ok) {
    rec.fail(id, text(`${what.en} is not a valid time-stamp token: ${f.format.reason}`, `${what.zh}不是有效的时间戳令牌：${f.format.reason}`), 'TIMESTAMP_INVALID', { size: token.length });
    return undefined;
  }
  const details = { genTime: f.genTime, tsa: f.tsaCertificate?.subject, serialNumber: f.serialNumber, policy: f.policy, errors: f.errors, warnings: f.warnings };
  if (f.valid) {
    rec.pass(id, text(`${what.en} by "${f.tsaCertificate?.subject}" proves ${f.genTime!.toISOString()}`, `${what.zh}（时间戳机构“${f.tsaCertificate?.subject}”）证明时间 ${f.genTime!.toISOString()}`), details);
    return f.genTime;
  }
  // The token itself is sound but its TSA cannot be trusted: undetermined rather than false.
  const cryptoOk = f.messageImprintMatches === true && f.signatureValid && f.messageDigestMatches && f.signingCertificateMatches && f.timeStampingEku;
  const reason = f.errors.join('; ') || 'the time stamp does not verify';
  if (cryptoOk) rec.indeterminate(id, text(`${what.en} is intact but its TSA is not trusted: ${reason}`, `${what.zh}完整，但时间戳机构不可信：${reason}`), 'TIMESTAMP_INVALID', details);
  else rec.fail(id, text(`${what.en} is invalid: ${reason}`, `${what.zh}无效：${reason}`), 'TIMESTAMP_INVALID', details);
  return undefined;
}
