/**
 * @module validation/recorder
 * Collects check results for one signature under a policy, and turns them into the indication:
 * a FAIL-level check that failed decides it (TOTAL_FAILED before INDETERMINATE, first in check order);
 * WARN-level checks that did not pass become warnings; INFORM ones are only listed.
 */
import { CHECKS, type CheckId } from './catalog.js';
import type { Policy } from './policy.js';
import type { CheckResult, CheckStatus, Indication, LocalizedText, SubIndication } from './types.js';

export const text = (en: string, zh: string): LocalizedText => ({ en, zh });

export class Recorder {
  readonly results: CheckResult[] = [];
  constructor(private readonly policy: Policy) {}

  record(id: CheckId, status: CheckStatus, message: LocalizedText, opts: { subIndication?: SubIndication; details?: Record<string, unknown>; maxLevel?: 'WARN' } = {}): CheckResult {
    const def = CHECKS[id];
    const policyLevel = this.policy.levels[id];
    const level = opts.maxLevel && policyLevel === 'FAIL' ? opts.maxLevel : policyLevel;
    const ignored = level === 'IGNORE';
    const r: CheckResult = {
      id,
      title: def.title,
      status: ignored ? 'SKIPPED' : status,
      level,
      message: ignored ? text(`ignored by policy (${message.en})`, `按策略忽略（${message.zh}）`) : message,
      ...(status === 'FAILED' || status === 'INDETERMINATE'
        ? { subIndication: opts.subIndication ?? (status === 'INDETERMINATE' && def.failIndication === 'TOTAL_FAILED' ? 'TRY_LATER' : def.subIndication), failIndication: status === 'FAILED' ? def.failIndication : 'INDETERMINATE' }
        : {}),
      ...(opts.details ? { details: opts.details } : {}),
    };
    this.results.push(r);
    return r;
  }

  pass(id: CheckId, message: LocalizedText, details?: Record<string, unknown>): CheckResult {
    return this.record(id, 'PASSED', message, details ? { details } : {});
  }

  fail(id: CheckId, message: LocalizedText, subIndication?: SubIndication, details?: Record<string, unknown>): CheckResult {
    return this.record(id, 'FAILED', message, { ...(subIndication ? { subIndication } : {}), ...(details ? { details } : {}) });
  }

  indeterminate(id: CheckId, message: LocalizedText, subIndication?: SubIndication, details?: Record<string, unknown>): CheckResult {
    return this.record(id, 'INDETERMINATE', message, { ...(subIndication ? { subIndication } : {}), ...(details ? { details } : {}) });
  }

  /**
   * A check that could not be made because its data source was not given at all (no CRLs, no status
   * service): reported as not checked, at most a warning — a bare verification is not a failure.
   */
  notChecked(id: CheckId, message: LocalizedText, details?: Record<string, unknown>): CheckResult {
    return this.record(id, 'INDETERMINATE', message, { subIndication: 'TRY_LATER', maxLevel: 'WARN', ...(details ? { details } : {}) });
  }

  /** Indication and sub-indication implied by the recorded results. */
  verdict(): { indication: Indication; subIndication?: SubIndication; warnings: LocalizedText[] } {
    const decisive = this.results.filter((r) => r.level === 'FAIL' && (r.status === 'FAILED' || r.status === 'INDETERMINATE'));
    const failed = decisive.find((r) => r.failIndication === 'TOTAL_FAILED');
    const pick = failed ?? decisive[0];
    const warnings = this.results.filter((r) => r.level === 'WARN' && (r.status === 'FAILED' || r.status === 'INDETERMINATE')).map((r) => r.message);
    if (!pick) return { indication: 'TOTAL_PASSED', warnings };
    return { indication: pick.failIndication ?? 'INDETERMINATE', ...(pick.subIndication ? { subIndication: pick.subIndication } : {}), warnings };
  }
}
