/**
 * @module core/domain/roles
 * Who may do what, decided in one place. A principal is a person (with role grants) or a system (an
 * API key with one role and scope). Separation of duties: for one organisation, 管理权 (seal-manager),
 * 使用权 (seal-user) and 审计权 (auditor) are held by different people by default; an application is
 * reviewed and made by different people of the authority.
 */
import type { Role, RoleGrant } from './types.js';

export interface Principal {
  kind: 'user' | 'api-key' | 'public';
  id?: string;
  name?: string;
  grants: Pick<RoleGrant, 'role' | 'authorityId' | 'organisationId'>[];
}

export const PUBLIC: Principal = { kind: 'public', grants: [] };

export interface Scope {
  authorityId?: string;
  organisationId?: string;
}

/**
 * Does a grant cover this scope? An organisation grant covers objects of that organisation; an
 * authority grant covers the authority and the organisations it serves (callers pass both ids for
 * organisation objects); an empty scope asks "anywhere" (lists are then filtered by the caller).
 */
export function grantCovers(g: Pick<RoleGrant, 'role' | 'authorityId' | 'organisationId'>, scope: Scope): boolean {
  if (g.role === 'operator') return true;
  if (g.organisationId !== undefined) return scope.organisationId === undefined ? scope.authorityId === undefined : g.organisationId === scope.organisationId;
  if (g.authorityId !== undefined) return scope.authorityId === undefined ? scope.organisationId === undefined : g.authorityId === scope.authorityId;
  return false;
}

/** Does the principal hold `role` for this scope? */
export function hasRole(p: Principal, role: Role, scope: Scope = {}): boolean {
  return p.grants.some((g) => g.role === role && grantCovers(g, scope));
}

export function hasAnyRole(p: Principal, roles: Role[], scope: Scope = {}): boolean {
  return roles.some((r) => hasRole(p, r, scope));
}

/** The roles that separate for one organisation (管理权 / 使用权 / 审计权). */
export const SEPARATED_ROLES: Role[][] = [['seal-manager', 'seal-user', 'auditor']];

/**
 * Would granting `role` in this organisation give the user two separated duties? Returns the
 * conflicting role, or undefined.
 */
export function separationConflict(existing: Pick<RoleGrant, 'role' | 'organisationId'>[], role: Role, organisationId?: string): Role | undefined {
  for (const group of SEPARATED_ROLES) {
    if (!group.includes(role)) continue;
    const other = existing.find((g) => g.role !== role && group.includes(g.role) && g.organisationId === organisationId);
    if (other) return other.role;
  }
  return undefined;
}

/** The scope a role must be granted in. */
export function roleScope(role: Role): 'platform' | 'authority' | 'organisation' {
  if (role === 'operator') return 'platform';
  if (role === 'authority-admin' || role === 'reviewer' || role === 'maker') return 'authority';
  return 'organisation';
}
