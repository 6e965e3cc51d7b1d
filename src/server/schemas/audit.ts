/** @module server/schemas/audit — the hash-chained audit record (审计). */
import { DateTime, Id, obj } from './common.js';

export const AuditQuery = obj({
  organisationId: Id,
  authorityId: Id,
  actorId: { type: 'string', maxLength: 64 },
  action: { type: 'string', maxLength: 64 },
  targetType: { type: 'string', maxLength: 64 },
  targetId: { type: 'string', maxLength: 64 },
  from: DateTime,
  to: DateTime,
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
});

export const AuditEvent = obj(
  {
    seq: { type: 'integer' },
    id: Id,
    time: DateTime,
    actor: obj({ type: { type: 'string', enum: ['user', 'api-key', 'system', 'public'] }, id: { type: 'string' }, name: { type: 'string' } }, ['type']),
    action: { type: 'string' },
    targetType: { type: 'string' },
    targetId: { type: 'string' },
    organisationId: Id,
    authorityId: Id,
    requestId: { type: 'string' },
    result: { type: 'string', enum: ['success', 'denied', 'failure'] },
    details: { type: 'object', additionalProperties: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
  ['seq', 'id', 'time', 'actor', 'action', 'result', 'prevHash', 'hash'],
);

export const AuditChainReport = obj(
  {
    valid: { type: 'boolean' },
    events: { type: 'integer' },
    headSeq: { type: 'integer' },
    headHash: { type: 'string' },
    problems: { type: 'array', items: obj({ seq: { type: 'integer' }, problem: { type: 'string', enum: ['edited', 'missing', 'reordered', 'head-mismatch'] }, message: { type: 'string' } }, ['seq', 'problem', 'message']) },
  },
  ['valid', 'events', 'headSeq', 'headHash', 'problems'],
);
