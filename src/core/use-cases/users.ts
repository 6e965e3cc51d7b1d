/**
 * People and systems: accounts with passwords (scrypt), role grants with separation of duties,
 * login sessions (bearer tokens, stored as SM3 hashes), and API keys (hashed at rest, one role and
 * scope each).
 */
import { sm3 } from '../../sm/sm3.js';
import { toHex, utf8 } from '../../util/bytes.js';
import { fail, EsealError } from '../../util/errors.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { can, requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import { roleScope, separationConflict, type Principal } from '../domain/roles.js';
import { ROLES, type ApiKey, type Role, type RoleGrant, type User } from '../domain/types.js';
import { secretToken, uuid } from '../ids.js';
import { required, text } from './_common.js';
import { TtlCache } from '../../util/ttl-cache.js';

const tokenHash = (token: string) => toHex(sm3(utf8(token)));

export async function createUser(input: { username: string; displayName: string; password: string }, ctx: ActionContext, deps: CoreDeps): Promise<User> {
  requirePermission(ctx.principal, 'user.create');
  const username = text(input.username, 'username', 64);
  if (!/^[A-Za-z0-9._@-]{3,64}$/.test(username)) fail('VALIDATION', 'username: 3-64 letters, digits, . _ @ -', { field: 'username' });
  const user: User = {
    id: uuid(deps.random),
    username,
    displayName: text(input.displayName, 'displayName', 100),
    passwordHash: await hashPassword(input.password, deps.random),
    status: 'active',
    failedLogins: 0,
    createdAt: deps.clock.now(),
  };
  return deps.store.transaction(async (repos) => {
    if (await repos.users.getByUsername(username)) fail('CONFLICT', `username "${username}" is taken`, { field: 'username' });
    await repos.users.insert(user);
    await audit(repos, deps, ctx, 'user.create', { type: 'user', id: user.id }, { username });
    return user;
  });
}

export interface GrantRoleInput {
  userId: string;
  role: Role;
  authorityId?: string;
  organisationId?: string;
  /** allow one person two of 管理权/使用权/审计权 in one organisation (off by default) */
  allowDualDuties?: boolean;
}

export async function grantRole(input: GrantRoleInput, ctx: ActionContext, deps: CoreDeps): Promise<RoleGrant> {
  if (!ROLES.includes(input.role)) fail('VALIDATION', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const scope = roleScope(input.role);
  if (scope === 'authority' && !input.authorityId) fail('VALIDATION', `role ${input.role} is granted for an authority: give authorityId`, { field: 'authorityId' });
  if (scope === 'organisation' && !input.organisationId) fail('VALIDATION', `role ${input.role} is granted for an organisation: give organisationId`, { field: 'organisationId' });
  return deps.store.transaction(async (repos) => {
    const user = required(await repos.users.get(input.userId), 'user', input.userId);
    let authorityId = input.authorityId;
    if (scope === 'organisation') {
      const org = required(await repos.organisations.get(input.organisationId!), 'organisation', input.organisationId);
      authorityId = org.authorityId;
      // org-admin grants within its organisation; authority-admin for organisations it serves; operator anywhere
      requirePermission(ctx.principal, 'role.grant', { organisationId: org.id, authorityId: org.authorityId });
    } else if (scope === 'authority') {
      required(await repos.authorities.get(authorityId!), 'authority', authorityId);
      if (!ctx.principal.grants.some((g) => g.role === 'operator' || (g.role === 'authority-admin' && g.authorityId === authorityId))) {
        fail('FORBIDDEN', 'only the operator or this authority\'s admin can grant authority roles');
      }
    } else if (!ctx.principal.grants.some((g) => g.role === 'operator')) fail('FORBIDDEN', 'only an operator can grant the operator role');
    const existing = await repos.roles.listForUser(user.id);
    if (existing.some((g) => g.role === input.role && g.authorityId === (scope === 'platform' ? undefined : authorityId) && g.organisationId === input.organisationId)) {
      fail('CONFLICT', `${user.username} already holds ${input.role} here`);
    }
    const conflict = separationConflict(existing, input.role, input.organisationId);
    if (conflict && !input.allowDualDuties) {
      fail('SEPARATION_OF_DUTIES', `${user.username} already holds ${conflict} in this organisation; 管理权, 使用权 and 审计权 are held by different people`, { conflict });
    }
    const grant: RoleGrant = {
      id: uuid(deps.random),
      userId: user.id,
      role: input.role,
      ...(scope !== 'platform' && authorityId ? { authorityId } : {}),
      ...(input.organisationId ? { organisationId: input.organisationId } : {}),
      createdAt: deps.clock.now(),
      ...(ctx.principal.id ? { createdBy: ctx.principal.id } : {}),
    };
    await repos.roles.insert(grant);
    await audit(repos, deps, ctx, 'role.grant', { type: 'user', id: user.id, ...(input.organisationId ? { organisationId: input.organisationId } : {}), ...(authorityId ? { authorityId } : {}) }, { role: input.role, dualDuties: !!conflict });
    return grant;
  });
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: Pick<User, 'id' | 'username' | 'displayName'>;
  roles: Pick<RoleGrant, 'role' | 'authorityId' | 'organisationId'>[];
}

/** Password login; failures are counted and lock the account for a while (brute force). */
export async function login(input: { username: string; password: string }, ctx: ActionContext, deps: CoreDeps): Promise<LoginResult> {
  const now = deps.clock.now();
  const user = typeof input.username === 'string' ? await deps.store.repos.users.getByUsername(input.username) : undefined;
  const denied = async (reason: string, u?: User) => {
    await deps.store.transaction(async (repos) => {
      if (u) {
        const failed = u.failedLogins + 1;
        const lock = failed >= deps.settings.maxFailedLogins ? { lockedUntil: new Date(now.getTime() + deps.settings.lockMs), failedLogins: 0 } : { failedLogins: failed };
        await repos.users.update({ ...u, ...lock });
      }
      await audit(repos, deps, ctx, 'auth.login', { type: 'user', ...(u ? { id: u.id } : {}) }, { username: String(input.username).slice(0, 64), reason }, 'denied');
    });
    fail('UNAUTHENTICATED', 'wrong username or password');
  };
  if (!user || user.status !== 'active') {
    // spend the same time as a real check, so usernames cannot be probed by timing
    await verifyPassword(String(input.password ?? ''), 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    return denied(user ? 'account disabled' : 'unknown user');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await deps.store.transaction((repos) => audit(repos, deps, ctx, 'auth.login', { type: 'user', id: user.id }, { reason: 'locked' }, 'denied'));
    fail('LOCKED', `too many failed logins: the account is locked until ${user.lockedUntil.toISOString()}`);
  }
  if (!(await verifyPassword(String(input.password ?? ''), user.passwordHash))) return denied('wrong password', user);
  const token = secretToken(deps.random, 'ess_');
  const expiresAt = new Date(now.getTime() + deps.settings.sessionTtlMs);
  return deps.store.transaction(async (repos) => {
    await repos.users.update({ ...user, failedLogins: 0, lockedUntil: undefined });
    await repos.sessions.insert({ id: tokenHash(token), userId: user.id, createdAt: now, expiresAt });
    await audit(repos, deps, ctx, 'auth.login', { type: 'user', id: user.id }, {});
    const roles = (await repos.roles.listForUser(user.id)).map(({ role, authorityId, organisationId }) => ({ role, ...(authorityId ? { authorityId } : {}), ...(organisationId ? { organisationId } : {}) }));
    return { token, expiresAt, user: { id: user.id, username: user.username, displayName: user.displayName }, roles };
  });
}

export async function logout(token: string, ctx: ActionContext, deps: CoreDeps): Promise<void> {
  await deps.store.transaction(async (repos) => {
    await repos.sessions.delete(tokenHash(token));
    await audit(repos, deps, ctx, 'auth.logout', { type: 'user', ...(ctx.principal.id ? { id: ctx.principal.id } : {}) });
  });
}

/**
 * API keys recently found valid, by hash. Systems call with the same key many times a second; a key
 * is looked up at most once per {@link API_KEY_TTL_MS} per process. A revocation is seen at once by
 * this process and within that time by others — and at once by stamping everywhere, which checks the
 * key again when it records the use (stamping.ts).
 */
const API_KEY_TTL_MS = 1000;
const apiKeyCache = new TtlCache<Principal>(API_KEY_TTL_MS, 10_000);

/** A principal from a session token or an API key; undefined when neither is valid. */
export async function authenticate(credential: { bearer?: string; apiKey?: string }, deps: CoreDeps): Promise<Principal | undefined> {
  const repos = deps.store.repos;
  if (credential.apiKey) {
    const hash = tokenHash(credential.apiKey);
    const now = deps.clock.now().getTime();
    const hit = apiKeyCache.get(hash, now);
    if (hit) return hit;
    const key = await repos.apiKeys.getByHash(hash);
    if (!key || key.revokedAt) {
      apiKeyCache.delete(hash);
      return undefined;
    }
    const principal: Principal = { kind: 'api-key', id: key.id, name: key.name, grants: [{ role: key.role, ...(key.authorityId ? { authorityId: key.authorityId } : {}), ...(key.organisationId ? { organisationId: key.organisationId } : {}) }] };
    apiKeyCache.set(hash, principal, now);
    return principal;
  }
  if (credential.bearer) {
    const session = await repos.sessions.get(tokenHash(credential.bearer));
    if (!session || session.expiresAt <= deps.clock.now()) return undefined;
    const user = await repos.users.get(session.userId);
    if (!user || user.status !== 'active') return undefined;
    const grants = await repos.roles.listForUser(user.id);
    return { kind: 'user', id: user.id, name: user.displayName, grants: grants.map(({ role, authorityId, organisationId }) => ({ role, ...(authorityId ? { authorityId } : {}), ...(organisationId ? { organisationId } : {}) })) };
  }
  return undefined;
}

export interface CreatedApiKey {
  apiKey: Omit<ApiKey, 'hash'>;
  /** the secret, shown once */
  secret: string;
}

export async function createApiKey(input: { name: string; role: Role; organisationId?: string; authorityId?: string }, ctx: ActionContext, deps: CoreDeps): Promise<CreatedApiKey> {
  if (!ROLES.includes(input.role) || input.role === 'operator') fail('VALIDATION', 'an API key takes one role other than operator', { field: 'role' });
  const scope = roleScope(input.role);
  if (scope === 'organisation' && !input.organisationId) fail('VALIDATION', `role ${input.role} needs organisationId`, { field: 'organisationId' });
  if (scope === 'authority' && !input.authorityId) fail('VALIDATION', `role ${input.role} needs authorityId`, { field: 'authorityId' });
  return deps.store.transaction(async (repos) => {
    let authorityId = input.authorityId;
    if (input.organisationId) authorityId = required(await repos.organisations.get(input.organisationId), 'organisation', input.organisationId).authorityId;
    requirePermission(ctx.principal, 'apikey.manage', { ...(input.organisationId ? { organisationId: input.organisationId } : {}), ...(authorityId ? { authorityId } : {}) });
    const secret = secretToken(deps.random, 'esk_');
    const key: ApiKey = {
      id: uuid(deps.random),
      prefix: secret.slice(0, 10),
      hash: tokenHash(secret),
      name: text(input.name, 'name', 100),
      role: input.role,
      ...(input.organisationId ? { organisationId: input.organisationId } : {}),
      ...(scope === 'authority' && authorityId ? { authorityId } : {}),
      createdAt: deps.clock.now(),
      ...(ctx.principal.id ? { createdBy: ctx.principal.id } : {}),
    };
    await repos.apiKeys.insert(key);
    await audit(repos, deps, ctx, 'apikey.create', { type: 'api-key', id: key.id, ...(input.organisationId ? { organisationId: input.organisationId } : {}), ...(authorityId ? { authorityId } : {}) }, { name: key.name, role: key.role, prefix: key.prefix });
    const { hash: _hash, ...visible } = key;
    return { apiKey: visible, secret };
  });
}

export async function revokeApiKey(input: { apiKeyId: string }, ctx: ActionContext, deps: CoreDeps): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const key = required(await repos.apiKeys.get(input.apiKeyId), 'API key', input.apiKeyId);
    // an organisation's key: its authority's admin may revoke it too, as they may create it
    const authorityId = key.authorityId ?? (key.organisationId ? (await repos.organisations.get(key.organisationId))?.authorityId : undefined);
    requirePermission(ctx.principal, 'apikey.manage', { ...(key.organisationId ? { organisationId: key.organisationId } : {}), ...(authorityId ? { authorityId } : {}) });
    if (key.revokedAt) fail('CONFLICT', 'the API key is already revoked');
    await repos.apiKeys.update({ ...key, revokedAt: deps.clock.now() });
    apiKeyCache.delete(key.hash);
    await audit(repos, deps, ctx, 'apikey.revoke', { type: 'api-key', id: key.id, ...(key.organisationId ? { organisationId: key.organisationId } : {}) }, {});
  });
}

/** Records a refused act (called by the server when a use case throws FORBIDDEN). */
export async function auditDenied(action: string, error: EsealError, ctx: ActionContext, deps: CoreDeps): Promise<void> {
  await deps.store.transaction((repos) => audit(repos, deps, ctx, action, {}, { code: error.code, message: error.message }, 'denied'));
}

export { can };
