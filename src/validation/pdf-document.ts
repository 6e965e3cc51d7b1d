/**
 * @module validation/pdf-document
 * Verification of a PDF's signatures (验章): for each signature, the /ByteRange (the whole file except
 * /Contents; gaps and later revisions reported), what changed after it (later signatures and
 * annotations told apart from content edits), the CMS message digest and signature (SM2 with ID
 * 1234567812345678, RSA, ECDSA; GB/T 35275 and RFC 5652 OIDs), the signer certificate at the signing
 * time, a signature time stamp, and the seal (电子印章) when one is carried (id-aa-eseal-seal). The
 * report has the same shape as for OFD; per-signature info adds the field, page and position of the
 * seal, the profile and the revision.
 */
import { EsealError } from '../util/errors.js';
import { parseDer, TAG } from '../util/der.js';
import { fromUtf8 } from '../util/bytes.js';
import { id_eseal_approval } from '../ses/oids.js';
import { parseSignedData, type ParsedSignedData } from '../pki/cms/parse.js';
import { verifySignedData } from '../pki/cms/verify.js';
import { digestNameOf, type DigestName } from '../pki/cms/digest.js';
import { id_sm2, id_sm2_1_sign, id_sm2_with_sm3 } from '../sm/oids.js';
import { parseSeal } from '../ses/parse.js';
import type { Seal } from '../ses/model.js';
import { readPdfSignatures, type PdfFacts, type PdfSignatureFacts } from '../pdf/extract.js';
import { byteRangeParts, digestParts } from '../pdf/byte-range.js';
import { id_aa_eseal_seal } from '../pdf/oids.js';
import type { PdfLimits } from '../pdf/limits.js';
import { checkCmsSignature, id_aa_signatureTimeStampToken } from './cms-signature.js';
import type { ValidationContext } from './context.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { Recorder, text } from './recorder.js';
import { finishSignatureReport, reportFor } from './report.js';
import { checkTimeStamp } from './timestamp-checks.js';
import type { CheckResult, SignatureInfo, SignatureReport, ValidationReport } from './types.js';

const SM2_OIDS = new Set([id_sm2_with_sm3, id_sm2_1_sign, id_sm2]);

export interface VerifyPdfOptions {
  limits?: Partial<PdfLimits>;
  /** the document's name for the report */
  name?: string;
}

/** Verifies every signature of a PDF. Never throws for bad input: an unreadable PDF is a failed report. */
export function verifyPdf(pdf: Uint8Array, ctx: ValidationContext, policy: Policy = DEFAULT_POLICY, opts: VerifyPdfOptions = {}): ValidationReport {
  let facts: PdfFacts;
  try {
    facts = readPdfSignatures(pdf, opts.limits ? { limits: opts.limits } : {});
  } catch (e) {
    const rec = new Recorder(policy);
    const code = e instanceof EsealError ? e.code : 'PDF_MALFORMED';
    rec.fail('SIGNATURE_FORMAT', text(`the PDF cannot be read: ${(e as Error).message}`, `无法读取该 PDF：${(e as Error).message}`), 'FORMAT_FAILURE', { code });
    return reportFor(ctx, policy, { type: 'pdf', ...(opts.name ? { name: opts.name } : {}), readable: false }, [finishSignatureReport('document', 'pdf', rec, {})]);
  }
  const signatures = facts.signatures.map((s) => verifyOne(pdf, facts, s, ctx, policy));
  const docRec = new Recorder(policy);
  for (const p of facts.problems) docRec.record('DOC_MODIFIED_AFTER_SIGNING', 'INDETERMINATE', text(p, `文档问题：${p}`), { maxLevel: 'WARN' });
  const documentChecks: CheckResult[] = docRec.results;
  return reportFor(
    ctx,
    policy,
    {
      type: 'pdf',
      ...(opts.name ? { name: opts.name } : {}),
      version: facts.version,
      fileSize: facts.fileSize,
      pageCount: facts.pageCount,
      revisions: facts.revisions.length,
      xref: facts.hybrid ? 'hybrid' : facts.xrefKind,
      encrypted: facts.encrypted,
      ...(facts.encryption ? { encryption: facts.encryption } : {}),
      ...(facts.docMdp ? { certification: { docMdp: facts.docMdp } } : {}),
    },
    signatures,
    documentChecks,
  );
}

/**
 * The esIDs of the seals carried by a PDF's signatures (so a seal status service can be asked before
 * verifying). Unreadable documents or signatures give no esID rather than an error.
 */
export function pdfSealIds(pdf: Uint8Array, opts: VerifyPdfOptions = {}): string[] {
  const ids = new Set<string>();
  try {
    for (const s of readPdfSignatures(pdf, opts.limits ? { limits: opts.limits } : {}).signatures) {
      try {
        const si = parseSignedData(s.contents ?? new Uint8Array(0), { allowTrailing: true }).signers[0];
        const v = si?.signedAttributes?.attributes.find((a) => a.oid === id_aa_eseal_seal)?.values[0];
        if (v) ids.add(parseSeal(v).info.esId);
      } catch {
        // not a CMS signature with a seal
      }
    }
  } catch {
    // not a readable PDF
  }
  return [...ids];
}

function profileOf(s: PdfSignatureFacts, parsed?: ParsedSignedData): string {
  if (s.type === 'DocTimeStamp' || s.subFilter === 'ETSI.RFC3161') return 'document-timestamp';
  const sm2 = parsed?.signers.some((si) => SM2_OIDS.has(si.signatureAlgorithm.oid));
  if (s.subFilter === 'ETSI.CAdES.detached') return sm2 ? 'pades-sm2' : 'international';
  if (s.subFilter === 'adbe.pkcs7.detached') return sm2 ? 'national' : 'pkcs7';
  return s.subFilter ?? 'unknown';
}

function verifyOne(pdf: Uint8Array, facts: PdfFacts, s: PdfSignatureFacts, ctx: ValidationContext, policy: Policy): SignatureReport {
  const rec = new Recorder(policy);
  const id = s.fieldName || `signature${s.index + 1}`;
  const br = s.byteRangeFacts;
  const revText = s.revision ? `revision ${s.revision} of ${facts.revisions.length}` : 'an earlier revision';
  const info: SignatureInfo = {
    fieldName: s.fieldName,
    ...(s.subFilter ? { subFilter: s.subFilter } : {}),
    ...(s.widgets[0]?.page ? { page: s.widgets[0].page } : {}),
    ...(s.widgets[0]?.position ? { position: s.widgets[0].position } : {}),
    widgets: s.widgets,
    ...(s.revision ? { revision: s.revision } : {}),
    revisions: facts.revisions.length,
    coversWholeDocument: br.coversWholeFile,
    ...(s.byteRange ? { byteRange: s.byteRange } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.location ? { location: s.location } : {}),
    ...(s.docMdp ? { certification: { docMdp: s.docMdp } } : {}),
    ...(s.signingTime ? { signingTime: s.signingTime.toISOString() } : {}),
  };

  // 1. the byte range
  if (br.ok) {
    rec.pass(
      'DOC_BYTE_RANGE',
      br.coversWholeFile
        ? text('the signature covers the whole file except its /Contents', '签名覆盖除 /Contents 外的整个文件')
        : text(`the signature covers ${revText} (bytes 0–${br.signedLength}); the ${facts.fileSize - (br.signedLength ?? 0)} bytes after it are later incremental updates`, `签名覆盖第 ${s.revision ?? '?'} 版（共 ${facts.revisions.length} 版），其后为增量更新`),
      { byteRange: s.byteRange },
    );
  } else {
    rec.fail('DOC_BYTE_RANGE', text(br.problems.join('; ') || 'the /ByteRange is unusable', `签名范围有问题：${br.problems.join('；')}`), 'FORMAT_FAILURE', { byteRange: s.byteRange, problems: br.problems });
  }

  // 2. what happened after the signed revision
  if (br.signedLength !== undefined) {
    if (br.coversWholeFile) rec.pass('DOC_MODIFIED_AFTER_SIGNING', text('nothing was added after signing', '签名后文档未被修改'));
    else if (s.changesAfter) {
      const c = s.changesAfter;
      const allowed = c.changes.filter((x) => x.allowed);
      const bad = c.changes.filter((x) => !x.allowed);
      const details = { docMdp: c.docMdp, changes: c.changes };
      if (c.incomplete) rec.indeterminate('DOC_MODIFIED_AFTER_SIGNING', text(`the changes after signing could not all be examined: ${c.error}`, `无法完整检查签名后的修改：${c.error}`), 'TRY_LATER', details);
      else if (bad.length)
        rec.fail('DOC_MODIFIED_AFTER_SIGNING', text(`the document was changed after signing: ${summarize(bad)}`, `签名后文档被修改（不允许的修改）：${summarize(bad)}`), 'HASH_FAILURE', details);
      else rec.pass('DOC_MODIFIED_AFTER_SIGNING', text(`only allowed changes after signing: ${summarize(allowed) || 'none'}`, `签名后仅有允许的修改：${summarize(allowed) || '无'}`), details);
    }
  }

  // 3. the signature itself
  if (!s.contents?.length) {
    rec.fail('SIGNATURE_FORMAT', text(`the signature cannot be read: ${s.errors.join('; ') || 'no /Contents'}`, '无法读取签名值'), 'FORMAT_FAILURE');
    return finishSignatureReport(id, 'pdf', rec, { ...info, profile: profileOf(s) });
  }
  const parts = (() => {
    try {
      return s.byteRange && br.signedLength !== undefined && br.signedLength <= pdf.length ? byteRangeParts(pdf, s.byteRange) : undefined;
    } catch {
      return undefined;
    }
  })();

  if (s.type === 'DocTimeStamp' || s.subFilter === 'ETSI.RFC3161') {
    let token: Uint8Array;
    try {
      token = parseDer(s.contents, { allowTrailing: true }).raw;
    } catch (e) {
      rec.fail('SIGNATURE_FORMAT', text(`the document time stamp is not DER: ${(e as Error).message}`, '文档时间戳格式错误'), 'FORMAT_FAILURE');
      return finishSignatureReport(id, 'pdf', rec, { ...info, profile: 'document-timestamp' });
    }
    rec.pass('SIGNATURE_FORMAT', text('RFC 3161 document time stamp (ETSI.RFC3161)', 'RFC 3161 文档时间戳'));
    const covered = parts ? concat(parts) : new Uint8Array(0);
    const t = checkTimeStamp(rec, 'SIGNATURE_TIMESTAMP', token, covered, ctx);
    return finishSignatureReport(id, 'pdf', rec, { ...info, profile: 'document-timestamp', ...(t ? { signingTime: t.toISOString(), signingTimeSource: 'timestamp' } : {}) });
  }
  if (s.subFilter !== 'adbe.pkcs7.detached' && s.subFilter !== 'ETSI.CAdES.detached') {
    rec.fail('SIGNATURE_FORMAT', text(`signatures of /SubFilter /${s.subFilter ?? '(none)'} are not supported (adbe.pkcs7.detached, ETSI.CAdES.detached and ETSI.RFC3161 are)`, `不支持 /SubFilter /${s.subFilter ?? '（无）'} 的签名`), 'FORMAT_FAILURE');
    return finishSignatureReport(id, 'pdf', rec, { ...info, profile: profileOf(s) });
  }

  let parsed: ParsedSignedData;
  try {
    parsed = parseSignedData(s.contents, { allowTrailing: true });
  } catch (e) {
    const enc = facts.encrypted ? ' (the document is encrypted; its signature values may be encrypted too)' : '';
    rec.fail('SIGNATURE_FORMAT', text(`/Contents is not a CMS SignedData: ${(e as Error).message}${enc}`, `/Contents 不是 CMS 签名数据：${(e as Error).message}`), 'FORMAT_FAILURE');
    return finishSignatureReport(id, 'pdf', rec, { ...info, profile: profileOf(s) });
  }
  const signer = parsed.signers[0];
  if (!signer || parsed.signers.length !== 1) {
    rec.fail('SIGNATURE_FORMAT', text(`a PDF signature has exactly one signer; this one has ${parsed.signers.length}`, `PDF 签名应有且只有一个签名者，此处有 ${parsed.signers.length} 个`), 'FORMAT_FAILURE');
    return finishSignatureReport(id, 'pdf', rec, { ...info, profile: profileOf(s, parsed) });
  }
  const digestName = digestNameOf(signer.digestAlgorithm.oid);
  const contentDigest = parts && digestName && digestName !== 'sha1' ? digestParts(digestName as DigestName, parts) : undefined;
  // without signed attributes (old PKCS#7 signers) the signature covers the ByteRange bytes themselves
  const cmsFacts = verifySignedData(parsed, !signer.signedAttributes && parts ? { detachedContent: concat(parts) } : contentDigest ? { contentDigest } : {})[0];
  if (!cmsFacts.signingTime && s.signingTime) cmsFacts.signingTime = s.signingTime; // PAdES: /M is the claimed time

  // the carried seal (a signed attribute: cannot be swapped)
  let seal: Seal | undefined;
  const sealAttr = signer.signedAttributes?.attributes.find((a) => a.oid === id_aa_eseal_seal);
  if (sealAttr) {
    try {
      if (sealAttr.values.length !== 1) throw new Error(`the seal attribute has ${sealAttr.values.length} values`);
      seal = parseSeal(sealAttr.values[0]);
    } catch (e) {
      rec.fail('SEAL_FORMAT', text(`the seal carried with the signature cannot be read: ${(e as Error).message}`, `签名中携带的印章无法解析：${(e as Error).message}`), 'FORMAT_FAILURE');
    }
  }
  const cmsInfo = checkCmsSignature(rec, { parsed, signer, facts: cmsFacts, ...(seal ? { seal } : {}) }, ctx, policy);
  // a use-approval record (用印审批) bound as a signed attribute (core/documents/pdf.ts writes it)
  const approvalAttr = signer.signedAttributes?.attributes.find((a) => a.oid === id_eseal_approval);
  let approval: unknown;
  if (approvalAttr?.values[0]) {
    try {
      const node = parseDer(approvalAttr.values[0]);
      const raw = node.tag === TAG.OCTET_STRING || node.tag === TAG.UTF8_STRING ? node.value : approvalAttr.values[0];
      approval = JSON.parse(fromUtf8(raw, true));
    } catch {
      approval = { unreadable: true };
    }
    rec.pass('APPROVAL_RECORD', text('the signature carries a use-approval record (a signed attribute)', '签章包含用印审批记录（签名属性）'), { approval });
  }
  const profile = profileOf(s, parsed);
  const pades =
    s.subFilter === 'ETSI.CAdES.detached'
      ? {
          level: signer.unsignedAttributes?.attributes.some((a) => a.oid === id_aa_signatureTimeStampToken) ? 'B-T' : 'B-B',
          signingCertificateV2: cmsFacts.signingCertificateMatches !== undefined,
        }
      : undefined;
  return finishSignatureReport(id, 'pdf', rec, {
    ...info,
    ...cmsInfo,
    ...(s.signingTime && !signer.signingTime ? { signingTime: s.signingTime.toISOString() } : {}),
    profile,
    cms: parsed.flavour === 'gbt35275' ? 'GB/T 35275' : 'RFC 5652',
    ...(pades ? { pades } : {}),
    carriesSeal: !!seal,
    ...(approval !== undefined ? { approval } : {}),
  });
}

function summarize(changes: { kind: string; description: string }[]): string {
  const byKind = new Map<string, string[]>();
  for (const c of changes) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c.description]);
  return [...byKind.entries()].map(([k, d]) => (d.length > 3 ? `${k}: ${d.slice(0, 3).join('; ')} and ${d.length - 3} more` : `${k}: ${d.join('; ')}`)).join(' | ');
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export type { SignatureReport };
