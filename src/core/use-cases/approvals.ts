/**
 * 用印审批: when a seal's policy asks for it, each use waits for an approver. The approval covers one
 * document (its SM3 hash) and is bound into the signature (an ExtData in TBS_Sign, or a signed
 * attribute in PDF), so a verifier sees who approved this use.
 */
import { fail } from '../../util/errors.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { StampApproval } from '../domain/types.js';
import { uuid } from '../ids.js';
import { required } from './_common.js';
import { grantUsable } from './grants.js';

export async function requestApproval(input: { sealId: string; documentHash: string; documentType?: string; purpose?: string }, ctx: ActionContext, deps: CoreDeps): Promise<StampApproval> {
  if (!/^[0-9a-f]{64}$/.test(input.documentHash ?? '')) fail('VALIDATION', 'documentHash must be the SM3 of the document, 64 lower-case hex digits', { field: 'documentHash' });
  return deps.store.transaction(async (tx) => {
    const seal = required(await tx.seals.get(input.sealId), 'seal', input.sealId);
    requirePermission(ctx.principal, 'approval.request', { organisationId: seal.organisationId, authorityId: seal.authorityId });
    const now = deps.clock.now();
    const grant = (await tx.grants.list({ sealId: seal.id, userId: ctx.principal.id ?? '' })).find((g) => !grantUsable(g, now, input.documentType));
    if (!grant) fail('FORBIDDEN', 'you hold no usable authorisation (用印授权) for this seal');
    const a: StampApproval = {
      id: uuid(deps.random),
      sealId: seal.id,
      grantId: grant.id,
      requestedBy: ctx.principal.id ?? 'unknown',
      ...(input.documentType ? { documentType: input.documentType } : {}),
      documentHash: input.documentHash,
      ...(input.purpose ? { purpose: input.purpose.slice(0, 500) } : {}),
      status: 'pending',
      createdAt: now,
    };
    await tx.approvals.insert(a);
    await audit(tx, deps, ctx, 'approval.request', { type: 'approval', id: a.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { sealId: seal.id, documentHash: a.documentHash, documentType: a.documentType });
    return a;
  });
}

export async function decideApproval(input: { approvalId: string; decision: 'approve' | 'reject'; reason?: string }, ctx: ActionContext, deps: CoreDeps): Promise<StampApproval> {
  return deps.store.transaction(async (tx) => {
    const a = required(await tx.approvals.get(input.approvalId, { lock: 'update' }), 'approval', input.approvalId);
    const seal = required(await tx.seals.get(a.sealId), 'seal', a.sealId);
    requirePermission(ctx.principal, 'approval.decide', { organisationId: seal.organisationId, authorityId: seal.authorityId });
    if (a.status !== 'pending') fail('TRANSITION_FORBIDDEN', `the approval request is already ${a.status}`);
    if (a.requestedBy === ctx.principal.id) fail('SEPARATION_OF_DUTIES', 'a use is approved by someone other than the requester');
    if (input.decision !== 'approve' && input.decision !== 'reject') fail('VALIDATION', 'decision must be approve or reject', { field: 'decision' });
    if (input.decision === 'reject' && !input.reason?.trim()) fail('REASON_REQUIRED', 'a rejection needs a reason');
    const updated: StampApproval = { ...a, status: input.decision === 'approve' ? 'approved' : 'rejected', approverId: ctx.principal.id ?? 'unknown', decidedAt: deps.clock.now(), ...(input.reason ? { reason: input.reason.trim() } : {}) };
    await tx.approvals.update(updated);
    await audit(tx, deps, ctx, `approval.${input.decision}`, { type: 'approval', id: a.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { sealId: seal.id, reason: input.reason });
    return updated;
  });
}

export async function listApprovals(filter: { sealId?: string; organisationId?: string; status?: StampApproval['status'] }, ctx: ActionContext, deps: CoreDeps): Promise<StampApproval[]> {
  let orgId = filter.organisationId;
  if (filter.sealId) orgId = required(await deps.store.repos.seals.get(filter.sealId), 'seal', filter.sealId).organisationId;
  if (!orgId) fail('VALIDATION', 'give sealId or organisationId');
  const org = required(await deps.store.repos.organisations.get(orgId), 'organisation', orgId);
  requirePermission(ctx.principal, 'approval.read', { organisationId: org.id, authorityId: org.authorityId });
  return deps.store.repos.approvals.list({ ...(filter.sealId ? { sealId: filter.sealId } : {}), organisationId: org.id, ...(filter.status ? { status: filter.status } : {}) });
}
