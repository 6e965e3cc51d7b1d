/**
 * @module server/schemas/common
 * JSON Schema building blocks shared by the resources. Every object refuses unknown fields
 * (additionalProperties: false) — in bodies and query strings that is a 400, in responses it keeps
 * internal fields from leaking.
 */

export type JsonSchema = Record<string, unknown>;

export const Id = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$', description: 'record id (UUID)' } as const;
export const EsId = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z]+$', description: '电子印章标识 esID' } as const;
export const DateTime = { type: 'string', format: 'date-time' } as const;
export const Base64 = { type: 'string', pattern: '^[A-Za-z0-9+/\\r\\n]*={0,2}$', description: 'base64' } as const;
export const Hex64 = { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'SM3 hash, 64 hex digits' } as const;
export const Reason = { type: 'string', minLength: 1, maxLength: 500 } as const;
export const Uscc = { type: 'string', minLength: 18, maxLength: 18, description: '统一社会信用代码 (GB 32100, check character verified)' } as const;

/** A closed object: every property listed, nothing else accepted. */
export function obj(properties: Record<string, unknown>, required: string[] = [], extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}), ...extra };
}

export const IdParams = obj({ id: Id }, ['id']);

export const PageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

export const EmptyBody = obj({}, [], { description: 'no fields' });

export const NoContent = { type: 'null', description: 'no content' } as const;

export const Ok = obj({ ok: { type: 'boolean', const: true } }, ['ok']);

/** A list response. */
export function list(item: JsonSchema, withTotal = false): JsonSchema {
  return obj({ items: { type: 'array', items: item }, ...(withTotal ? { total: { type: 'integer' } } : {}) }, withTotal ? ['items', 'total'] : ['items']);
}

/** Binary response body (documentation only: the payload is a Buffer and bypasses serialization). */
export const Binary = { type: 'string', format: 'binary' } as const;

export const RoleName = { type: 'string', enum: ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user'] } as const;

export const RoleGrantView = obj(
  { role: RoleName, authorityId: Id, organisationId: Id },
  ['role'],
);
