/**
 * Reads the platform's clients need that are not tied to one act: lists of organisations, users, API
 * keys, applications and stamp records, scoped to what the principal may see; revoking a role grant;
 * and the operator's export and check of the whole audit record. Authorisation is decided here, as in
 * every use case, from the PERMISSIONS table.
 */
import { fail } from '../../util/errors.js';
import { can, requirePermission, type Permission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import { roleScope, type Principal } from '../domain/roles.js';
import type { ApiKey, Organisation, RoleGrant, SealApplication, StampRecord, User } from '../domain/types.js';
import type { Page } from '../ports.js';
import type { AuditChainReport } from '../audit-chain.js';
import { exportAudit, verifyAudit } from './audit-log.js';
import { required } from './_common.js';

const isOperator = (p: Principal) => p.grants.some((g) => g.role === 'operator');

/**
 * The scope a list is read in: the one asked for (checked), or — when none is given — the principal's
 * only organisation or authority. The operator reads everything (an empty scope).
 */
async function listScope(p: Principal, permission: Permission, want: { organisationId?: string; authorityId?: string }, deps: CoreDeps): Promise<{ organisationId?: string; authorityId?: string }> {
  requirePermission(p, permission);
  if (want.organisationId) {
    const org = required(await deps.store.repos.organisations.get(want.organisationId), 'organisation', want.organisationId);
    requirePermission(p, permission, { organisationId: org.id, authorityId: org.authorityId });
    return { organisationId: org.id };
  }
  if (want.authorityId) {
    requirePermission(p, permission, { authorityId: want.authorityId });
    return { authorityId: want.authorityId };
  }
  if (isOperator(p)) return {};
  const held = p.grants.filter((g) => can({ ...p, grants: [g] }, permission));
  const orgs = new Set(held.flatMap((g) => (g.organisationId ? [g.organisationId] : [])));
  const auths = new Set(held.flatMap((g) => (g.authorityId && !g.organisationId ? [g.authorityId] : [])));
  if (orgs.size === 1 && auths.size === 0) return { organisationId: [...orgs][0] };
  if (auths.size === 1 && orgs.size === 0) return { authorityId: [...auths][0] };
  fail('VALIDATION', 'give organisationId or authorityId');
}

export async function listOrganisations(filter: { authorityId?: string } & Page, ctx: ActionContext, deps: CoreDeps): Promise<Organisation[]> {
  const scope = await listScope(ctx.principal, 'organisation.read', filter.authorityId ? { authorityId: filter.authorityId } : {}, deps);
  const page = { ...(filter.limit !== undefined ? { limit: filter.limit } : {}), ...(filter.offset !== undefined ? { offset: filter.offset } : {}) };
  if (scope.organisationId) return [required(await deps.store.repos.organisations.get(scope.organisationId), 'organisation', scope.organisationId)];
  return deps.store.repos.organisations.list({ ...(scope.authorityId ? { authorityId: scope.authorityId } : {}), ...page });
}

export interface UserWithRoles extends Omit<User, 'passwordHash' | 'failedLogins'> {
  roles: RoleGrant[];
}

function visibleUser(u: User, roles: RoleGrant[]): UserWithRoles {
  const { passwordHash: _h, failedLogins: _f, ...rest } = u;
  return { ...rest, roles };
}

/**
 * Users the principal administers: the operator sees all; an authority admin the people holding roles in
 * its authority (and the organisations it serves); an organisation admin the people holding roles in
 * its organisation. A new account without roles is visible to the operator only (its creator got its id).
 */
export async function listUsers(filter: { organisationId?: string; authorityId?: string } & Page, ctx: ActionContext, deps: CoreDeps): Promise<UserWithRoles[]> {
  const scope = await listScope(ctx.principal, 'user.read', filter, deps);
  const repos = deps.store.repos;
  const limit = Math.min(filter.limit ?? 100, 1000);
  const offset = filter.offset ?? 0;
  let users: User[];
  if (!scope.organisationId && !scope.authorityId) users = await repos.users.list({ limit, offset });
  else {
    const ids = [...new Set((await repos.roles.listForScope(scope)).map((g) => g.userId))].slice(offset, offset + limit);
    users = (await Promise.all(ids.map((id) => repos.users.get(id)))).filter((u): u is User => u !== undefined);
  }
  return Promise.all(users.map(async (u) => visibleUser(u, await repos.roles.listForUser(u.id))));
}

export async function getUser(userId: string, ctx: ActionContext, deps: CoreDeps): Promise<UserWithRoles> {
  const repos = deps.store.repos;
  const user = required(await repos.users.get(userId), 'user', userId);
  const roles = await repos.roles.listForUser(user.id);
  const self = ctx.principal.kind === 'user' && ctx.principal.id === user.id;
  if (!self && !isOperator(ctx.principal)) {
    requirePermission(ctx.principal, 'user.read');
    const visible = roles.some((g) => can(ctx.principal, 'user.read', { ...(g.organisationId ? { organisationId: g.organisationId } : {}), ...(g.authorityId ? { authorityId: g.authorityId } : {}) }));
    if (!visible) fail('FORBIDDEN', 'not allowed to read this user (needs user.read in a scope where they hold a role)', { permission: 'user.read' });
  }
  return visibleUser(user, roles);
}

/** Takes a role grant away (same authority as granting it: role.grant for the scope, operator for the platform). */
export async function revokeRole(input: { userId: string; grantId: string }, ctx: ActionContext, deps: CoreDeps): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const user = required(await repos.users.get(input.userId), 'user', input.userId);
    const grant = required((await repos.roles.listForUser(user.id)).find((g) => g.id === input.grantId), 'role grant', input.grantId);
    const scope = roleScope(grant.role);
    if (scope === 'organisation') requirePermission(ctx.principal, 'role.grant', { organisationId: grant.organisationId, ...(grant.authorityId ? { authorityId: grant.authorityId } : {}) });
    else if (scope === 'authority') {
      if (!ctx.principal.grants.some((g) => g.role === 'operator' || (g.role === 'authority-admin' && g.authorityId === grant.authorityId))) fail('FORBIDDEN', "only the operator or this authority's admin can revoke authority roles");
    } else {
      if (!isOperator(ctx.principal)) fail('FORBIDDEN', 'only an operator can revoke the operator role');
      if (user.id === ctx.principal.id) fail('CONFLICT', 'an operator does not revoke their own operator role');
    }
    await repos.roles.delete(grant.id);
    await audit(repos, deps, ctx, 'role.revoke', { type: 'user', id: user.id, ...(grant.organisationId ? { organisationId: grant.organisationId } : {}), ...(grant.authorityId ? { authorityId: grant.authorityId } : {}) }, { role: grant.role, grantId: grant.id });
  });
}

export async function listApiKeys(filter: { organisationId?: string; authorityId?: string }, ctx: ActionContext, deps: CoreDeps): Promise<Omit<ApiKey, 'hash'>[]> {
  const scope = await listScope(ctx.principal, 'apikey.manage', filter, deps);
  const keys = await deps.store.repos.apiKeys.list(scope);
  return keys.map(({ hash: _h, ...k }) => k);
}

export async function listApplications(filter: { organisationId?: string; authorityId?: string; status?: SealApplication['status'] } & Page, ctx: ActionContext, deps: CoreDeps): Promise<SealApplication[]> {
  const scope = await listScope(ctx.principal, 'application.read', filter, deps);
  return deps.store.repos.applications.list({
    ...scope,
    ...(filter.status ? { status: filter.status } : {}),
    limit: Math.min(filter.limit ?? 100, 1000),
    offset: filter.offset ?? 0,
  });
}

export async function getApplication(applicationId: string, ctx: ActionContext, deps: CoreDeps): Promise<SealApplication> {
  const app = required(await deps.store.repos.applications.get(applicationId), 'application', applicationId);
  requirePermission(ctx.principal, 'application.read', { organisationId: app.organisationId, authorityId: app.authorityId });
  return app;
}

/** 用印记录: the uses of a seal or an organisation's seals. */
export async function listStamps(filter: { sealId?: string; organisationId?: string; authorityId?: string } & Page, ctx: ActionContext, deps: CoreDeps): Promise<StampRecord[]> {
  const page = { limit: Math.min(filter.limit ?? 100, 1000), offset: filter.offset ?? 0 };
  if (filter.sealId) {
    const seal = required(await deps.store.repos.seals.get(filter.sealId), 'seal', filter.sealId);
    requirePermission(ctx.principal, 'stamp.read', { organisationId: seal.organisationId, authorityId: seal.authorityId });
    return deps.store.repos.stamps.list({ sealId: seal.id, ...page });
  }
  const scope = await listScope(ctx.principal, 'stamp.read', filter, deps);
  if (scope.authorityId) fail('VALIDATION', 'give sealId or organisationId to list stamp records');
  return deps.store.repos.stamps.list({ ...scope, ...page });
}

/** The whole audit record as JSON Lines (the operator). */
export function exportAuditLog(ctx: ActionContext, deps: CoreDeps): AsyncGenerator<string> {
  requirePermission(ctx.principal, 'audit.export');
  return exportAudit(deps);
}

/** Walks the hash chain (the operator). */
export async function verifyAuditLog(ctx: ActionContext, deps: CoreDeps): Promise<AuditChainReport> {
  requirePermission(ctx.principal, 'audit.export');
  return verifyAudit(deps);
}
