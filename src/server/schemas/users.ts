/** @module server/schemas/users — accounts and role grants. */
import { DateTime, Id, obj, PageQuery, RoleName } from './common.js';

export const RoleGrant = obj({ id: Id, userId: Id, role: RoleName, authorityId: Id, organisationId: Id, createdAt: DateTime }, ['role']);

export const User = obj(
  {
    id: Id,
    username: { type: 'string' },
    displayName: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled'] },
    lockedUntil: DateTime,
    createdAt: DateTime,
    roles: { type: 'array', items: RoleGrant },
  },
  ['id', 'username', 'displayName', 'status'],
);

export const CreateUserBody = obj(
  {
    username: { type: 'string', minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' },
    displayName: { type: 'string', minLength: 1, maxLength: 100 },
    password: { type: 'string', minLength: 8, maxLength: 256 },
  },
  ['username', 'displayName', 'password'],
);

export const GrantRoleBody = obj(
  {
    role: RoleName,
    authorityId: Id,
    organisationId: Id,
    allowDualDuties: { type: 'boolean', description: 'allow one person two of 管理权/使用权/审计权 in one organisation (off by default)' },
  },
  ['role'],
);

export const UserRoleParams = obj({ id: Id, grantId: Id }, ['id', 'grantId']);

export const ListUsersQuery = obj({ organisationId: Id, authorityId: Id, ...PageQuery });
