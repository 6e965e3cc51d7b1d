/** @module server/schemas/api-keys — API keys for systems (one role, one scope, hashed at rest). */
import { DateTime, Id, obj, RoleName } from './common.js';

export const ApiKey = obj(
  { id: Id, prefix: { type: 'string' }, name: { type: 'string' }, role: RoleName, organisationId: Id, authorityId: Id, createdAt: DateTime, revokedAt: DateTime },
  ['id', 'prefix', 'name', 'role'],
);

export const CreateApiKeyBody = obj(
  { name: { type: 'string', minLength: 1, maxLength: 100 }, role: RoleName, organisationId: Id, authorityId: Id },
  ['name', 'role'],
);

export const CreatedApiKey = obj(
  { apiKey: ApiKey, secret: { type: 'string', description: 'the key, shown once: send it as `X-API-Key: <secret>`' } },
  ['apiKey', 'secret'],
);

export const ListApiKeysQuery = obj({ organisationId: Id, authorityId: Id });
