/** 用印授权: a seal manager grants a user the use of a seal, for a time, a count and document types. */
import { fail } from '../../util/errors.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { UseGrant } from '../domain/types.js';
import { uuid } from '../ids.js';
import { required } from './_common.js';

export interface GrantUseInput {
  sealId: string;
  userId: string;
  validFrom?: Date;
  validUntil: Date;
  maxUses?: number;
  documentTypes?: string[];
}

export async function grantUse(input: GrantUseInput, ctx: ActionContext, deps: CoreDeps): Promise<UseGrant> {
  return deps.store.transaction(async (tx) => {
    const seal = required(await tx.seals.get(input.sealId), 'seal', input.sealId);
    requirePermission(ctx.principal, 'grant.manage', { organisationId: seal.organisationId, authorityId: seal.authorityId });
    const user = required(await tx.users.get(input.userId), 'user', input.userId);
    const roles = await tx.roles.listForUser(user.id);
    if (!roles.some((g) => g.role === 'seal-user' && g.organisationId === seal.organisationId)) {
      fail('VALIDATION', `${user.username} does not hold the seal-user role (使用权) in this organisation`, { field: 'userId' });
    }
    if (user.id === ctx.principal.id) fail('SEPARATION_OF_DUTIES', 'a seal manager does not grant the use of a seal to themself');
    const validFrom = input.validFrom ?? deps.clock.now();
    if (!(input.validUntil instanceof Date) || Number.isNaN(input.validUntil.getTime()) || input.validUntil <= validFrom) fail('VALIDATION', 'validUntil must be after validFrom', { field: 'validUntil' });
    if (input.maxUses !== undefined && (!Number.isInteger(input.maxUses) || input.maxUses < 1)) fail('VALIDATION', 'maxUses must be a positive integer', { field: 'maxUses' });
    const grant: UseGrant = {
      id: uuid(deps.random),
      sealId: seal.id,
      userId: user.id,
      grantedBy: ctx.principal.id ?? 'unknown',
      validFrom,
      validUntil: input.validUntil,
      ...(input.maxUses !== undefined ? { maxUses: input.maxUses } : {}),
      usedCount: 0,
      ...(input.documentTypes?.length ? { documentTypes: input.documentTypes } : {}),
      createdAt: deps.clock.now(),
    };
    await tx.grants.insert(grant);
    await audit(tx, deps, ctx, 'grant.create', { type: 'grant', id: grant.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { sealId: seal.id, esId: seal.esId, userId: user.id, validUntil: grant.validUntil, maxUses: grant.maxUses, documentTypes: grant.documentTypes });
    return grant;
  });
}

export async function revokeUse(input: { grantId: string; reason?: string }, ctx: ActionContext, deps: CoreDeps): Promise<UseGrant> {
  return deps.store.transaction(async (tx) => {
    const grant = required(await tx.grants.get(input.grantId, { lock: 'update' }), 'grant', input.grantId);
    const seal = required(await tx.seals.get(grant.sealId), 'seal', grant.sealId);
    requirePermission(ctx.principal, 'grant.manage', { organisationId: seal.organisationId, authorityId: seal.authorityId });
    if (grant.revokedAt) fail('CONFLICT', 'the authorisation is already revoked');
    const updated = { ...grant, revokedAt: deps.clock.now() };
    await tx.grants.update(updated);
    await audit(tx, deps, ctx, 'grant.revoke', { type: 'grant', id: grant.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { sealId: seal.id, reason: input.reason });
    return updated;
  });
}

export async function listGrants(filter: { sealId: string }, ctx: ActionContext, deps: CoreDeps): Promise<UseGrant[]> {
  const seal = required(await deps.store.repos.seals.get(filter.sealId), 'seal', filter.sealId);
  requirePermission(ctx.principal, 'grant.read', { organisationId: seal.organisationId, authorityId: seal.authorityId });
  const all = await deps.store.repos.grants.list({ sealId: seal.id });
  // a seal user sees only their own authorisations
  const isManager = ctx.principal.grants.some((g) => (g.role === 'seal-manager' || g.role === 'auditor' || g.role === 'approver') && g.organisationId === seal.organisationId);
  return isManager ? all : all.filter((g) => g.userId === ctx.principal.id);
}

/** Is this grant usable now for this document type? A reason when it is not. */
export function grantUsable(g: UseGrant, now: Date, documentType?: string): string | undefined {
  if (g.revokedAt) return 'the authorisation was revoked';
  if (now < g.validFrom) return `the authorisation starts at ${g.validFrom.toISOString()}`;
  if (now > g.validUntil) return `the authorisation ended at ${g.validUntil.toISOString()}`;
  if (g.maxUses !== undefined && g.usedCount >= g.maxUses) return `the authorisation's ${g.maxUses} uses are spent`;
  if (g.documentTypes && (!documentType || !g.documentTypes.includes(documentType))) return `the authorisation covers document types ${g.documentTypes.join(', ')}${documentType ? `, not ${documentType}` : '; give documentType'}`;
  return undefined;
}
