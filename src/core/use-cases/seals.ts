/**
 * A seal's life after it is made: issue (发放), suspend (停用) / resume, report lost (挂失), change (变更:
 * the new seal replaces the old when it is issued), revoke (注销/吊销), expire. Every change takes the
 * seal's row lock, so a stamp in another process sees the change from the instant it commits.
 */
import { fail } from '../../util/errors.js';
import { requirePermission, can, type Permission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import { nextSealStatus, type SealAction } from '../domain/seal-lifecycle.js';
import type { Repositories, SealFilter } from '../ports.js';
import type { SealEvent, SealRecord } from '../domain/types.js';
import { uuid } from '../ids.js';
import { invalidateCrlCache } from './verification.js';
import { required } from './_common.js';

const PERMISSION: Record<Exclude<SealAction, 'expire'>, Permission> = {
  issue: 'seal.issue',
  suspend: 'seal.suspend',
  resume: 'seal.resume',
  'report-lost': 'seal.report-lost',
  revoke: 'seal.revoke',
  change: 'seal.change',
};

async function transition(tx: Repositories, seal: SealRecord, action: SealAction, reason: string | undefined, ctx: ActionContext, deps: CoreDeps, extra: Record<string, unknown> = {}): Promise<SealRecord> {
  const now = deps.clock.now();
  const status = nextSealStatus(seal.status, action, reason);
  const updated: SealRecord = { ...seal, status, updatedAt: now };
  if (!(await tx.seals.update(updated))) fail('CONFLICT', 'the seal was changed by someone else meanwhile; try again');
  const event: SealEvent = { id: uuid(deps.random), sealId: seal.id, status, at: now, ...(reason ? { reason } : {}), ...(ctx.principal.id ? { actorId: ctx.principal.id } : {}) };
  await tx.sealEvents.insert(event);
  await audit(tx, deps, ctx, `seal.${action}`, { type: 'seal', id: seal.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { esId: seal.esId, from: seal.status, to: status, reason, ...extra });
  return { ...updated, version: seal.version + 1 };
}

/**
 * Changes a seal's status. Issuing a seal made for a change (变更) also revokes the seal it replaces,
 * in the same transaction, and links the two.
 */
export async function changeSealStatus(input: { sealId: string; action: Exclude<SealAction, 'expire' | 'change'>; reason?: string }, ctx: ActionContext, deps: CoreDeps): Promise<SealRecord> {
  if (!(input.action in PERMISSION) || input.action === ('change' as string)) fail('VALIDATION', `action must be one of issue, suspend, resume, report-lost, revoke`, { field: 'action' });
  return deps.store.transaction(async (tx) => {
    const seal = required(await tx.seals.get(input.sealId, { lock: 'update' }), 'seal', input.sealId);
    requirePermission(ctx.principal, PERMISSION[input.action], { organisationId: seal.organisationId, authorityId: seal.authorityId });
    const updated = await transition(tx, seal, input.action, input.reason?.trim(), ctx, deps);
    if (input.action === 'issue' && seal.replacesId) {
      const old = await tx.seals.get(seal.replacesId, { lock: 'update' });
      if (old && (old.status === 'active' || old.status === 'suspended')) {
        const replaced = await transition(tx, old, 'change', `replaced by ${seal.esId} (变更)`, ctx, deps, { replacedBy: seal.id });
        await tx.seals.update({ ...replaced, replacedById: seal.id });
      }
    }
    // a revoked or lost seal's certificate goes on the CRL at once (in this process; others within the TTL)
    if (updated.status === 'revoked' || updated.status === 'lost' || input.action === 'issue') invalidateCrlCache(seal.authorityId);
    return updated;
  });
}

/** Marks every seal whose validity ended as expired (run at start-up and periodically). */
export async function expireSeals(ctx: ActionContext, deps: CoreDeps): Promise<number> {
  const now = deps.clock.now();
  let n = 0;
  for (const status of ['made', 'active', 'suspended', 'lost'] as const) {
    for (const s of await deps.store.repos.seals.list({ status, limit: 10_000 })) {
      if (s.validEnd >= now) continue;
      await deps.store.transaction(async (tx) => {
        const seal = await tx.seals.get(s.id, { lock: 'update' });
        if (seal && seal.status === status && seal.validEnd < now) {
          await transition(tx, seal, 'expire', undefined, ctx, deps);
          n++;
        }
      });
    }
  }
  return n;
}

export async function getSeal(sealId: string, ctx: ActionContext, deps: CoreDeps): Promise<SealRecord> {
  const seal = required(await deps.store.repos.seals.get(sealId), 'seal', sealId);
  requirePermission(ctx.principal, 'seal.read', { organisationId: seal.organisationId, authorityId: seal.authorityId });
  return seal;
}

/** Seals the principal may see: an organisation's, an authority's, or all for the operator. */
export async function listSeals(filter: SealFilter, ctx: ActionContext, deps: CoreDeps): Promise<{ items: SealRecord[]; total: number }> {
  const scoped = { ...filter };
  if (!can(ctx.principal, 'seal.read')) requirePermission(ctx.principal, 'seal.read');
  const isOperator = ctx.principal.grants.some((g) => g.role === 'operator');
  if (!isOperator) {
    const orgs = new Set(ctx.principal.grants.flatMap((g) => (g.organisationId ? [g.organisationId] : [])));
    const auths = new Set(ctx.principal.grants.flatMap((g) => (g.authorityId && !g.organisationId ? [g.authorityId] : [])));
    if (scoped.organisationId) {
      const org = required(await deps.store.repos.organisations.get(scoped.organisationId), 'organisation', scoped.organisationId);
      requirePermission(ctx.principal, 'seal.read', { organisationId: org.id, authorityId: org.authorityId });
    } else if (scoped.authorityId) {
      requirePermission(ctx.principal, 'seal.read', { authorityId: scoped.authorityId });
    } else if (orgs.size === 1 && auths.size === 0) scoped.organisationId = [...orgs][0];
    else if (auths.size === 1 && orgs.size === 0) scoped.authorityId = [...auths][0];
    else fail('VALIDATION', 'give organisationId or authorityId to list seals');
  }
  const [items, total] = await Promise.all([deps.store.repos.seals.list(scoped), deps.store.repos.seals.count(scoped)]);
  return { items, total };
}

export async function sealHistory(sealId: string, ctx: ActionContext, deps: CoreDeps): Promise<SealEvent[]> {
  await getSeal(sealId, ctx, deps);
  return deps.store.repos.sealEvents.listForSeal(sealId);
}

/** 全省印章目录: the public directory entry of a seal (no keys, no private data). */
export function directoryEntry(s: SealRecord, orgName?: string, authorityName?: string) {
  return {
    esId: s.esId,
    name: s.name,
    type: s.type,
    status: s.status,
    organisation: orgName,
    authority: authorityName,
    validStart: s.validStart.toISOString(),
    validEnd: s.validEnd.toISOString(),
    ...(s.replacedById ? { replaced: true } : {}),
  };
}

/** Public search of the seal directory. */
export async function searchDirectory(filter: { query?: string; status?: SealRecord['status']; type?: string; authorityId?: string; limit?: number; offset?: number }, deps: CoreDeps) {
  const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
  const f: SealFilter = { ...filter, limit, offset: filter.offset ?? 0 };
  const [items, total] = await Promise.all([deps.store.repos.seals.list(f), deps.store.repos.seals.count(f)]);
  const orgNames = new Map<string, string>();
  const authNames = new Map<string, string>();
  for (const s of items) {
    if (!orgNames.has(s.organisationId)) orgNames.set(s.organisationId, (await deps.store.repos.organisations.get(s.organisationId))?.name ?? '');
    if (!authNames.has(s.authorityId)) authNames.set(s.authorityId, (await deps.store.repos.authorities.get(s.authorityId))?.name ?? '');
  }
  return { total, items: items.filter((s) => s.status !== 'made').map((s) => directoryEntry(s, orgNames.get(s.organisationId), authNames.get(s.authorityId))) };
}
