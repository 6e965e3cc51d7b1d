import { describe, expect, it } from 'vitest';
import { hasRole, separationConflict, grantCovers, type Principal } from '../../src/core/domain/roles.js';
import { can, requirePermission, PERMISSIONS } from '../../src/core/auth/permissions.js';
import { isEsealError } from '../../src/util/errors.js';
import { ROLES } from '../../src/core/domain/types.js';

const user = (grants: Principal['grants']): Principal => ({ kind: 'user', id: 'u', grants });

describe('roles, scopes and permissions', () => {
  it('an organisation grant covers its organisation only; an authority grant covers its organisations', () => {
    const orgA = { organisationId: 'A', authorityId: 'X' };
    const orgB = { organisationId: 'B', authorityId: 'Y' };
    expect(grantCovers({ role: 'seal-manager', organisationId: 'A', authorityId: 'X' }, orgA)).toBe(true);
    expect(grantCovers({ role: 'seal-manager', organisationId: 'A', authorityId: 'X' }, orgB)).toBe(false);
    expect(grantCovers({ role: 'reviewer', authorityId: 'X' }, orgA)).toBe(true);
    expect(grantCovers({ role: 'reviewer', authorityId: 'X' }, orgB)).toBe(false);
    expect(grantCovers({ role: 'seal-manager', organisationId: 'A' }, { authorityId: 'X' })).toBe(false);
    expect(grantCovers({ role: 'operator' }, orgB)).toBe(true);
  });

  it('requirePermission: UNAUTHENTICATED for the public, FORBIDDEN naming the permission otherwise', () => {
    try {
      requirePermission({ kind: 'public', grants: [] }, 'seal.revoke');
      throw new Error('allowed');
    } catch (e) {
      expect(isEsealError(e, 'UNAUTHENTICATED')).toBe(true);
    }
    const auditor = user([{ role: 'auditor', organisationId: 'A' }]);
    try {
      requirePermission(auditor, 'stamp.use', { organisationId: 'A', authorityId: 'X' });
      throw new Error('allowed');
    } catch (e) {
      expect(isEsealError(e, 'FORBIDDEN')).toBe(true);
      expect((e as Error).message).toContain('seal-user');
    }
    expect(can(user([{ role: 'seal-user', organisationId: 'A' }]), 'stamp.use', { organisationId: 'A', authorityId: 'X' })).toBe(true);
    expect(can(user([{ role: 'seal-user', organisationId: 'A' }]), 'stamp.use', { organisationId: 'B', authorityId: 'X' })).toBe(false);
  });

  it('separation of duties: 管理权, 使用权 and 审计权 of one organisation are held by different people', () => {
    expect(separationConflict([{ role: 'seal-manager', organisationId: 'A' }], 'seal-user', 'A')).toBe('seal-manager');
    expect(separationConflict([{ role: 'seal-manager', organisationId: 'A' }], 'auditor', 'A')).toBe('seal-manager');
    expect(separationConflict([{ role: 'seal-manager', organisationId: 'B' }], 'seal-user', 'A')).toBeUndefined();
    expect(separationConflict([{ role: 'approver', organisationId: 'A' }], 'seal-user', 'A')).toBeUndefined();
  });

  it('every permission names known roles, and the operator is not a seal user', () => {
    for (const [p, roles] of Object.entries(PERMISSIONS)) for (const r of roles) expect(ROLES, p).toContain(r);
    expect(can(user([{ role: 'operator' }]), 'stamp.use', { organisationId: 'A', authorityId: 'X' })).toBe(false);
    expect(hasRole(user([{ role: 'operator' }]), 'operator')).toBe(true);
  });
});
