/**
 * @module validation/report
 * Assembles per-signature and whole-document reports with one-line summaries in Chinese and English.
 */
import type { ValidationContext } from './context.js';
import type { Policy } from './policy.js';
import type { Recorder } from './recorder.js';
import type { CheckResult, LocalizedText, SignatureInfo, SignatureReport, ValidationReport } from './types.js';

const INDICATION_ZH = { TOTAL_PASSED: '验证通过', TOTAL_FAILED: '验证失败', INDETERMINATE: '无法确定', NO_SIGNATURE_FOUND: '未发现签章' } as const;

function who(info: SignatureInfo): LocalizedText {
  const en: string[] = [];
  const zh: string[] = [];
  if (info.sealName) {
    en.push(`seal "${info.sealName}"${info.esId ? ` (${info.esId})` : ''}`);
    zh.push(`印章“${info.sealName}”${info.esId ? `（${info.esId}）` : ''}`);
  }
  if (info.signer) {
    en.push(`signed by ${info.signer}`);
    zh.push(`签章人 ${info.signer}`);
  }
  if (info.signingTime) {
    en.push(`at ${info.signingTime}`);
    zh.push(`签章时间 ${info.signingTime}`);
  }
  return { en: en.join(', '), zh: zh.join('，') };
}

export function finishSignatureReport(id: string, kind: SignatureReport['kind'], rec: Recorder, info: SignatureInfo): SignatureReport {
  const v = rec.verdict();
  const w = who(info);
  const decisive = rec.results.find((r) => r.level === 'FAIL' && r.subIndication === v.subIndication && (r.status === 'FAILED' || r.status === 'INDETERMINATE'));
  const reason: LocalizedText | undefined = decisive?.message;
  const summary: LocalizedText = {
    en: `${id}: ${v.indication}${v.subIndication ? `/${v.subIndication}` : ''}${w.en ? ` — ${w.en}` : ''}${reason ? `. Reason: ${reason.en}` : ''}${v.warnings.length ? ` (${v.warnings.length} warning${v.warnings.length > 1 ? 's' : ''})` : ''}`,
    zh: `${id}：${INDICATION_ZH[v.indication]}${v.subIndication ? `（${v.subIndication}）` : ''}${w.zh ? `——${w.zh}` : ''}${reason ? `。原因：${reason.zh}` : ''}${v.warnings.length ? `（${v.warnings.length} 条警告）` : ''}`,
  };
  return { id, kind, indication: v.indication, ...(v.subIndication ? { subIndication: v.subIndication } : {}), info, checks: rec.results, warnings: v.warnings, summary };
}

export function reportFor(ctx: ValidationContext, policy: Policy, document: ValidationReport['document'], signatures: SignatureReport[], documentChecks?: CheckResult[]): ValidationReport {
  const indication: ValidationReport['indication'] =
    signatures.length === 0
      ? 'NO_SIGNATURE_FOUND'
      : signatures.some((s) => s.indication === 'TOTAL_FAILED')
        ? 'TOTAL_FAILED'
        : signatures.some((s) => s.indication === 'INDETERMINATE')
          ? 'INDETERMINATE'
          : 'TOTAL_PASSED';
  const passed = signatures.filter((s) => s.indication === 'TOTAL_PASSED').length;
  const summary: LocalizedText = {
    en: signatures.length === 0 ? 'No signature found.' : `${indication}: ${passed} of ${signatures.length} signature${signatures.length > 1 ? 's' : ''} passed.`,
    zh: signatures.length === 0 ? '未发现签章。' : `${INDICATION_ZH[indication]}：${signatures.length} 个签章中 ${passed} 个验证通过。`,
  };
  return {
    reportVersion: 1,
    validationTime: ctx.time.toISOString(),
    policy: policy.name,
    ...(document ? { document } : {}),
    indication,
    signatures,
    ...(documentChecks?.length ? { documentChecks } : {}),
    summary,
  };
}

/** A plain-text rendering of a report for terminals, in one language. */
export function reportToText(report: ValidationReport, locale: 'zh' | 'en' = 'en', verbose = false): string {
  const lines = [report.summary[locale]];
  for (const s of report.signatures) {
    lines.push('', s.summary[locale]);
    for (const c of s.checks) {
      if (!verbose && c.status === 'PASSED') continue;
      const mark = c.status === 'PASSED' ? 'ok  ' : c.status === 'SKIPPED' ? 'skip' : c.level === 'FAIL' ? 'FAIL' : c.level === 'WARN' ? 'warn' : 'info';
      lines.push(`  [${mark}] ${c.title[locale]}: ${c.message[locale]}`);
    }
  }
  for (const c of report.documentChecks ?? []) lines.push(`  [doc ] ${c.title[locale]}: ${c.message[locale]}`);
  return lines.join('\n') + '\n';
}
