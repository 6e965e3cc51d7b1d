/**
 * @module core/domain/seal-lifecycle
 * The seal lifecycle as a pure transition table:
 *
 *   made ──issue (发放)──▶ active ──suspend (停用)──▶ suspended ──resume──▶ active
 *                           │  ╰──report-lost (挂失)──▶ lost ──revoke──▶ revoked
 *                           ├──revoke (注销/吊销)──▶ revoked                (terminal)
 *                           ├──change (变更: a new seal replaces it)──▶ revoked
 *                           └──expire (validEnd passed)──▶ expired        (terminal)
 *
 * Applications go submitted ──approve/reject (审核)──▶ approved/rejected ──make (制章)──▶ made.
 * Only `active` seals stamp.
 */
import { fail } from '../../util/errors.js';
import type { SealApplication, SealStatus } from './types.js';

export type SealAction = 'issue' | 'suspend' | 'resume' | 'report-lost' | 'revoke' | 'change' | 'expire';

export const SEAL_TRANSITIONS: Record<SealAction, { from: SealStatus[]; to: SealStatus; reasonRequired: boolean; zh: string }> = {
  issue: { from: ['made'], to: 'active', reasonRequired: false, zh: '发放' },
  suspend: { from: ['active'], to: 'suspended', reasonRequired: true, zh: '停用' },
  resume: { from: ['suspended'], to: 'active', reasonRequired: false, zh: '恢复' },
  'report-lost': { from: ['active', 'suspended'], to: 'lost', reasonRequired: true, zh: '挂失' },
  revoke: { from: ['made', 'active', 'suspended', 'lost'], to: 'revoked', reasonRequired: true, zh: '注销/吊销' },
  change: { from: ['active', 'suspended'], to: 'revoked', reasonRequired: true, zh: '变更' },
  expire: { from: ['made', 'active', 'suspended', 'lost'], to: 'expired', reasonRequired: false, zh: '过期' },
};

export const SEAL_ACTIONS = Object.keys(SEAL_TRANSITIONS) as SealAction[];

const DONE: Record<SealAction, string> = { issue: 'issued', suspend: 'suspended', resume: 'resumed', 'report-lost': 'reported lost', revoke: 'revoked', change: 'changed', expire: 'expired' };

/** The state after `action`, or an EsealError TRANSITION_FORBIDDEN naming the rule. */
export function nextSealStatus(current: SealStatus, action: SealAction, reason?: string): SealStatus {
  const t = SEAL_TRANSITIONS[action];
  if (!t) fail('INVALID_ARGUMENT', `unknown seal action "${action}"`);
  if (!t.from.includes(current)) {
    fail('TRANSITION_FORBIDDEN', `a ${current} seal cannot be ${DONE[action]} (${t.zh}); allowed from: ${t.from.join(', ')}`, { from: current, action });
  }
  if (t.reasonRequired && !reason?.trim()) fail('REASON_REQUIRED', `${action} (${t.zh}) needs a reason`);
  return t.to;
}

/** Actions allowed from a status (for UIs). */
export function allowedSealActions(current: SealStatus): SealAction[] {
  return SEAL_ACTIONS.filter((a) => SEAL_TRANSITIONS[a].from.includes(current));
}

/** Can a seal in this status, with this validity, stamp at time t? */
export function sealCanStamp(status: SealStatus, validStart: Date, validEnd: Date, t: Date): { ok: true } | { ok: false; reason: string; code: string } {
  if (status !== 'active') return { ok: false, code: `SEAL_${status.toUpperCase()}`, reason: `the seal is ${status}` };
  if (t < validStart) return { ok: false, code: 'SEAL_NOT_YET_VALID', reason: `the seal is valid from ${validStart.toISOString()}` };
  if (t > validEnd) return { ok: false, code: 'SEAL_EXPIRED', reason: `the seal expired at ${validEnd.toISOString()}` };
  return { ok: true };
}

export type ApplicationAction = 'approve' | 'reject' | 'make';

export const APPLICATION_TRANSITIONS: Record<ApplicationAction, { from: SealApplication['status']; to: SealApplication['status'] }> = {
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'rejected' },
  make: { from: 'approved', to: 'made' },
};

export function nextApplicationStatus(current: SealApplication['status'], action: ApplicationAction): SealApplication['status'] {
  const t = APPLICATION_TRANSITIONS[action];
  if (current !== t.from) fail('TRANSITION_FORBIDDEN', `an application that is ${current} cannot be ${{ approve: 'approved', reject: 'rejected', make: 'made' }[action]}; it must be ${t.from}`, { from: current, action });
  return t.to;
}
