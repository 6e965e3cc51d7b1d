/** @module server/schemas/grants — 用印授权 use grants. */
import { DateTime, Id, obj, Reason } from './common.js';

export const UseGrant = obj(
  {
    id: Id,
    sealId: Id,
    userId: Id,
    grantedBy: { type: 'string' },
    validFrom: DateTime,
    validUntil: DateTime,
    maxUses: { type: 'integer' },
    usedCount: { type: 'integer' },
    documentTypes: { type: 'array', items: { type: 'string' } },
    revokedAt: DateTime,
    createdAt: DateTime,
  },
  ['id', 'sealId', 'userId', 'validFrom', 'validUntil', 'usedCount'],
);

export const GrantUseBody = obj(
  {
    userId: Id,
    validFrom: DateTime,
    validUntil: DateTime,
    maxUses: { type: 'integer', minimum: 1, maximum: 100_000_000 },
    documentTypes: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 64 } },
  },
  ['userId', 'validUntil'],
);

export const RevokeGrantBody = obj({ reason: Reason });
