/**
 * @module core/auth/permissions
 * Every permission and who holds it — the one place where authorisation is decided. Use cases call
 * `requirePermission` with the scope of the object they act on; the server's route test walks every
 * route with every role against this table.
 */
import { fail } from '../../util/errors.js';
import { hasRole, type Principal, type Scope } from '../domain/roles.js';
import type { Role } from '../domain/types.js';

export const PERMISSIONS = {
  'authority.create': ['operator'],
  'authority.update': ['operator'],
  'authority.read': ['operator', 'authority-admin', 'reviewer', 'maker'],
  'trust.manage': ['operator'],
  'organisation.create': ['operator', 'authority-admin'],
  'organisation.read': ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user'],
  'user.create': ['operator', 'authority-admin', 'org-admin'],
  'user.read': ['operator', 'authority-admin', 'org-admin'],
  'role.grant': ['operator', 'authority-admin', 'org-admin'],
  'apikey.manage': ['operator', 'authority-admin', 'org-admin'],
  'application.submit': ['seal-manager', 'org-admin'],
  'application.read': ['seal-manager', 'org-admin', 'reviewer', 'maker', 'authority-admin', 'operator'],
  'application.review': ['reviewer'],
  'seal.make': ['maker'],
  'seal.issue': ['maker', 'authority-admin'],
  'seal.read': ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user'],
  'seal.suspend': ['seal-manager', 'authority-admin'],
  'seal.resume': ['seal-manager', 'authority-admin'],
  'seal.report-lost': ['seal-manager'],
  'seal.revoke': ['seal-manager', 'authority-admin', 'operator'],
  'seal.change': ['seal-manager'],
  'grant.manage': ['seal-manager'],
  'grant.read': ['seal-manager', 'auditor', 'seal-user', 'approver'],
  'approval.request': ['seal-user'],
  'approval.decide': ['approver'],
  'approval.read': ['approver', 'seal-manager', 'auditor', 'seal-user'],
  'stamp.use': ['seal-user'],
  'stamp.read': ['seal-manager', 'auditor', 'operator', 'authority-admin'],
  'audit.read': ['auditor', 'operator', 'authority-admin'],
  /** the whole record: export and chain check */
  'audit.export': ['operator'],
  'stats.read': ['operator', 'authority-admin', 'org-admin', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(p: Principal, permission: Permission, scope: Scope = {}): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).some((r) => hasRole(p, r, scope));
}

/** Throws UNAUTHENTICATED (no principal) or FORBIDDEN naming the permission. */
export function requirePermission(p: Principal, permission: Permission, scope: Scope = {}): void {
  if (p.kind === 'public') fail('UNAUTHENTICATED', `sign in to ${permission.replace('.', ' ')}`);
  if (!can(p, permission, scope)) {
    fail('FORBIDDEN', `not allowed to ${permission.replace('.', ' ')}${scope.organisationId ? ' for this organisation' : scope.authorityId ? ' for this authority' : ''} (needs one of: ${PERMISSIONS[permission].join(', ')})`, { permission });
  }
}
