/** @module server/schemas/auth — login, logout, the current principal. */
import { DateTime, Id, obj, RoleGrantView } from './common.js';

export const LoginBody = obj(
  {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
  ['username', 'password'],
);

export const LoginResponse = obj(
  {
    token: { type: 'string', description: 'bearer token: send it as `Authorization: Bearer <token>`' },
    tokenType: { type: 'string', const: 'Bearer' },
    expiresAt: DateTime,
    user: obj({ id: Id, username: { type: 'string' }, displayName: { type: 'string' } }, ['id', 'username', 'displayName']),
    roles: { type: 'array', items: RoleGrantView },
  },
  ['token', 'tokenType', 'expiresAt', 'user', 'roles'],
);

export const MeResponse = obj(
  {
    kind: { type: 'string', enum: ['user', 'api-key'] },
    id: Id,
    name: { type: 'string' },
    roles: { type: 'array', items: RoleGrantView },
  },
  ['kind', 'roles'],
);
