/**
 * @module validation/ofd-document
 * Verifying an OFD document (验章): every signature listed in Signatures.xml gets a report built from
 * the facts of src/ofd/facts.ts —
 *   DOC_REFERENCES  every protected file still has its digest (names the files that changed),
 *   DOC_SEAL_FILE   Seal.esl equals the seal inside TBS_Sign,
 * then the GB/T 38540 §7.3 checks of the SES_Signature over the Signature.xml bytes (Type="Seal",
 * via checkSesSignature), or the CMS checks of the GB/T 35275 SignedData (Type="Sign", variants a/b
 * via checkCmsSignature; a bare SM2 signature, variant c, with a certificate the caller supplies).
 *
 * Each signature's info adds what people ask: signer, seal name, esID, maker, signing time, the page
 * and position of every stamp, which files changed, and the seal picture as a data URL the web UI can
 * show (tax-bureau pictures, which are themselves OFD files, are rendered to SVG). The document check
 * DOC_MODIFIED_AFTER_SIGNING lists files no signature protects. Never throws for bad input.
 */
import { toBase64 } from '../util/base64.js';
import { EsealError } from '../util/errors.js';
import { dnGet, dnToString } from '../pki/name.js';
import type { Certificate } from '../pki/certificate.js';
import { parseSeal } from '../ses/parse.js';
import type { Seal } from '../ses/model.js';
import { ofdFacts, type OfdFacts, type OfdSignatureFacts } from '../ofd/facts.js';
import { sealPicturePreview } from '../ofd/render-svg.js';
import type { OfdLimits } from '../ofd/limits.js';
import { CHECKS } from './catalog.js';
import { checkCertificate } from './certificate-checks.js';
import { checkCmsSignature } from './cms-signature.js';
import type { ValidationContext } from './context.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { Recorder, text } from './recorder.js';
import { finishSignatureReport, reportFor } from './report.js';
import { sealInfo } from './seal.js';
import { checkSesSignature } from './ses-signature.js';
import type { CheckResult, SignatureInfo, SignatureReport, ValidationReport } from './types.js';

export interface VerifyOfdOptions {
  /** which document of the package (default 0) */
  documentIndex?: number;
  /** font for text in OFD seal pictures that do not embed theirs (e.g. storage/assets loadDocumentFont()) */
  fallbackFont?: Uint8Array;
  /** include the seal picture (data URL) in each signature's info (default true) */
  pictures?: boolean;
  limits?: Partial<OfdLimits>;
  /** a name for the document in the report */
  name?: string;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

function pictureInfo(seal: Seal, opts: VerifyOfdOptions): Record<string, unknown> {
  const p = seal.info.picture;
  const base = { type: p.type, widthMm: p.width, heightMm: p.height };
  if (opts.pictures === false) return base;
  try {
    const preview = sealPicturePreview(seal, opts.fallbackFont ? { fallbackFont: opts.fallbackFont } : {});
    return { ...base, mime: preview.mime, dataUrl: `data:${preview.mime};base64,${toBase64(preview.data)}` };
  } catch (e) {
    return { ...base, previewError: msg(e) };
  }
}

function recordReferences(rec: Recorder, f: OfdSignatureFacts): void {
  const n = f.references.length;
  if (f.referencesOk) {
    rec.pass('DOC_REFERENCES', text(`all ${n} protected files are unchanged (${f.checkMethod})`, `全部 ${n} 个受保护文件未被修改（${f.checkMethod}）`), { protected: n });
    return;
  }
  const unsupported = f.references.find((r) => r.status === 'unsupported-method');
  if (unsupported) {
    rec.indeterminate('DOC_REFERENCES', text(`the digest method "${f.checkMethod}" of the references is not supported`, `不支持引用的摘要算法“${f.checkMethod}”`), 'FORMAT_FAILURE');
    return;
  }
  if (n === 0) {
    rec.fail('DOC_REFERENCES', text('the signature protects no files (no References)', '签章未保护任何文件（无 Reference）'), 'FORMAT_FAILURE');
    return;
  }
  const parts: string[] = [];
  if (f.changed.length) parts.push(`changed: ${f.changed.join(', ')}`);
  if (f.missing.length) parts.push(`missing: ${f.missing.join(', ')}`);
  rec.fail(
    'DOC_REFERENCES',
    text(`the document was modified after signing — ${parts.join('; ')}`, `文档在签章后被修改——${f.changed.length ? `已修改：${f.changed.join('、')}` : ''}${f.changed.length && f.missing.length ? '；' : ''}${f.missing.length ? `已删除：${f.missing.join('、')}` : ''}`),
    'HASH_FAILURE',
    { changed: f.changed, missing: f.missing, references: f.references.filter((r) => r.status !== 'ok') },
  );
}

function baseInfo(f: OfdSignatureFacts): SignatureInfo {
  const d = f.description;
  return {
    type: f.type,
    signaturePath: '/' + f.path,
    ...(d?.signatureDateTime ? { signatureDateTime: d.signatureDateTime } : {}),
    ...(d?.provider ? { provider: d.provider } : {}),
    stamps: f.stamps.map((s) => ({ id: s.id, page: s.page, pageRef: s.pageRef, boundary: s.boundary, ...(s.clip ? { clip: s.clip } : {}) })),
    protectedFiles: f.references.length,
    changedFiles: [...f.changed, ...f.missing],
    locksDocument: f.locksSignatureList,
    ...(f.unprotected.length ? { unprotectedFiles: f.unprotected } : {}),
    ...(f.relative ? { relative: f.relative } : {}),
  };
}

function verifySignature(f: OfdSignatureFacts, facts: OfdFacts, ctx: ValidationContext, policy: Policy, opts: VerifyOfdOptions): SignatureReport {
  const rec = new Recorder(policy);
  const kind = f.type === 'Seal' ? 'ofd-seal' : 'ofd-sign';
  let info: SignatureInfo = baseInfo(f);
  if (f.error && !f.description) {
    rec.fail('SIGNATURE_FORMAT', text(f.error, `签章描述文件无法读取：${f.error}`), 'FORMAT_FAILURE');
    return finishSignatureReport(f.id, kind, rec, info);
  }
  recordReferences(rec, f);
  if (f.error) {
    rec.fail('SIGNATURE_FORMAT', text(f.error, `签名值文件缺失：${f.error}`), 'FORMAT_FAILURE');
    return finishSignatureReport(f.id, kind, rec, info);
  }
  const sigXml = f.description!.raw;
  if (f.type === 'Seal') {
    if (!f.ses) {
      rec.fail('SIGNATURE_FORMAT', text(f.sesError ?? 'SignedValue.dat is not an SES_Signature', `SignedValue.dat 不是可解析的电子签章数据：${f.sesError ?? ''}`), 'FORMAT_FAILURE');
      return finishSignatureReport(f.id, kind, rec, info);
    }
    if (f.sealFile) {
      if (f.sealFile.missing) rec.fail('DOC_SEAL_FILE', text(`Seal.esl /${f.sealFile.path} is named but not in the package`, `Seal.esl /${f.sealFile.path} 不在包中`));
      else if (f.sealFileMatches) rec.pass('DOC_SEAL_FILE', text(`/${f.sealFile.path} equals the seal inside TBS_Sign byte for byte`, `/${f.sealFile.path} 与签章数据中的印章逐字节一致`));
      else rec.fail('DOC_SEAL_FILE', text(`/${f.sealFile.path} differs from the seal inside TBS_Sign`, `/${f.sealFile.path} 与签章数据中的印章不一致`));
    }
    const sesInfo = checkSesSignature(rec, f.ses, { data: sigXml }, ctx, policy);
    info = { ...sesInfo, ...info, picture: { ...(sesInfo.picture as object), ...pictureInfo(f.ses.seal, opts) }, propertyInfoMatches: f.propertyInfoMatches };
    return finishSignatureReport(f.id, kind, rec, info);
  }

  // Type="Sign"
  let seal: Seal | undefined;
  if (f.sealFile?.bytes) {
    try {
      seal = parseSeal(f.sealFile.bytes);
    } catch (e) {
      rec.fail('DOC_SEAL_FILE', text(`Seal.esl is not a readable seal: ${msg(e)}`, `Seal.esl 无法解析：${msg(e)}`));
    }
  } else if (f.sealFile?.missing) rec.fail('DOC_SEAL_FILE', text(`Seal.esl /${f.sealFile.path} is named but not in the package`, `Seal.esl /${f.sealFile.path} 不在包中`));
  if (f.variant === 'c') {
    rec.pass('SIGNATURE_FORMAT', text('bare SM2 signature over Signature.xml (ofdrw DigitalSignContainer; not GM/T 0099)', '对 Signature.xml 的裸 SM2 签名（非 GM/T 0099 格式）'));
    const b = f.bare!;
    if (b.valid && b.certificate) {
      rec.pass('SIGNATURE_INTACT', text(`the SM2 signature verifies with the given certificate "${dnToString(b.certificate.subject)}"`, `SM2 签名可用所给证书“${dnToString(b.certificate.subject)}”验证`));
      checkCertificate(rec, 'signer', b.certificate, [], ctx, policy, ctx.time);
      info = { ...info, variant: 'c', signer: dnGet(b.certificate.subject, 'CN') ?? dnToString(b.certificate.subject), signerSubject: dnToString(b.certificate.subject), signingTimeSource: 'validation-time' };
    } else {
      rec.indeterminate('SIGNATURE_INTACT', text(b.reason ?? 'no certificate verifies the bare signature', `裸签名不含证书，无法验证：${b.reason ?? ''}`), 'NO_CERTIFICATE_CHAIN_FOUND');
      info = { ...info, variant: 'c' };
    }
    return finishSignatureReport(f.id, kind, rec, info);
  }
  if (!f.cms) {
    rec.fail('SIGNATURE_FORMAT', text(f.cmsError ?? 'SignedValue.dat is not a SignedData', `SignedValue.dat 不是 GB/T 35275 签名数据：${f.cmsError ?? ''}`), 'FORMAT_FAILURE');
    return finishSignatureReport(f.id, kind, rec, info);
  }
  const signer = f.cms.parsed.signers[0];
  const sf = f.cms.signers[0];
  const cmsInfo = checkCmsSignature(rec, { parsed: f.cms.parsed, signer, facts: sf, ...(seal ? { seal } : {}) }, ctx, policy);
  if (f.encapsulatedHashMatches !== undefined) {
    if (f.encapsulatedHashMatches) rec.pass('DATA_HASH', text('the signed content is the SM3 hash of Signature.xml', '签名原文为 Signature.xml 的 SM3 杂凑值'));
    else rec.fail('DATA_HASH', text('the signed content is not the SM3 hash of Signature.xml: Signature.xml changed', '签名原文与 Signature.xml 的 SM3 杂凑值不一致：Signature.xml 已被修改'));
  }
  info = { ...cmsInfo, ...info, variant: f.variant, ...(seal ? { picture: { ...sealInfo(seal).picture as object, ...pictureInfo(seal, opts) } } : {}) };
  return finishSignatureReport(f.id, kind, rec, info);
}

function documentChecks(facts: OfdFacts): CheckResult[] {
  if (!facts.signatures.length) return [];
  const def = CHECKS.DOC_MODIFIED_AFTER_SIGNING;
  if (!facts.unprotected.length) {
    return [{ id: def.id, title: def.title, status: 'PASSED', level: 'INFORM', message: text('every file of the package is protected by a signature or belongs to one', '包内每个文件都受签章保护或属于签章') }];
  }
  return [
    {
      id: def.id,
      title: def.title,
      status: 'FAILED',
      level: 'WARN',
      message: text(`files no signature protects (added after signing?): ${facts.unprotected.join(', ')}`, `无签章保护的文件（签章后添加？）：${facts.unprotected.join('、')}`),
      subIndication: 'HASH_FAILURE',
      failIndication: def.failIndication,
      details: { files: facts.unprotected },
    },
  ];
}

/** Verifies every signature of an OFD document. Never throws for bad input: an unreadable package is a FORMAT_FAILURE report. */
export function verifyOfd(bytes: Uint8Array, ctx: ValidationContext, policy: Policy = DEFAULT_POLICY, opts: VerifyOfdOptions = {}): ValidationReport {
  let facts: OfdFacts;
  const candidates: Certificate[] = [...ctx.trustAnchors, ...(ctx.intermediates ?? [])];
  try {
    facts = ofdFacts(bytes, { ...(opts.documentIndex !== undefined ? { documentIndex: opts.documentIndex } : {}), ...(opts.limits ? { read: { limits: opts.limits } } : {}), candidateCertificates: candidates });
  } catch (e) {
    const rec = new Recorder(policy);
    rec.fail('SIGNATURE_FORMAT', text(`not a readable OFD document: ${msg(e)}`, `无法读取的 OFD 文档：${msg(e)}`), 'FORMAT_FAILURE', e instanceof EsealError ? { code: e.code, ...(e.details ?? {}) } : undefined);
    return reportFor(ctx, policy, { type: 'ofd', ...(opts.name ? { name: opts.name } : {}), error: e instanceof EsealError ? e.code : 'ERROR' }, [finishSignatureReport('document', 'ofd-seal', rec, {})]);
  }
  const signatures = facts.signatures.map((f) => verifySignature(f, facts, ctx, policy, opts));
  const doc = facts.pkg.document(facts.documentIndex);
  return reportFor(
    ctx,
    policy,
    { type: 'ofd', ...(opts.name ? { name: opts.name } : {}), pages: doc.pages.length, signatureList: facts.signatureListPath ? '/' + facts.signatureListPath : undefined, ...(facts.warnings.length ? { warnings: facts.warnings } : {}) },
    signatures,
    documentChecks(facts),
  );
}
