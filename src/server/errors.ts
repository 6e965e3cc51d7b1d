/**
 * @module server/errors
 * One error shape for every response that is not a success:
 *
 *   { "error": { "code": "SEAL_NOT_USABLE", "message": "…", "details": { … }, "requestId": "…" } }
 *
 * and one table from EsealError codes to HTTP statuses (docs/api.md prints the same table). Codes come
 * from the core (EsealError), from the storage adapters, and from the HTTP layer itself (JSON_MALFORMED,
 * RATE_LIMITED, IDEMPOTENCY_*, ROUTE_NOT_FOUND). A 5xx never carries the internal message.
 *
 * Why 409 for SEAL_NOT_USABLE, TRANSITION_FORBIDDEN and APPROVAL_REQUIRED: the request is well formed
 * and the caller may be entitled to make it, but the current state of the resource (a suspended seal, a
 * revoked seal, an approval still pending) conflicts with it; the same request can succeed after the
 * state changes. 403 is kept for "this principal may not do this at all".
 */
import { EsealError } from '../util/errors.js';

/** Exact codes and their HTTP status. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  // 400: the request cannot be processed as sent
  VALIDATION: 400,
  INVALID_ARGUMENT: 400,
  JSON_MALFORMED: 400,
  USCC_INVALID: 400,
  PICTURE_INVALID: 400,
  REASON_REQUIRED: 400,
  INVALID_REFERENCE: 400,
  GLYPH_MISSING: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  // 401 / 403
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  SEPARATION_OF_DUTIES: 403,
  // 404
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  // 409: the state of the resource conflicts with the request
  CONFLICT: 409,
  TRANSITION_FORBIDDEN: 409,
  SEAL_NOT_USABLE: 409,
  APPROVAL_REQUIRED: 409,
  KEY_NOT_HERE: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  // 413 / 415 / 422 / 429
  LIMIT_EXCEEDED: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  LOCKED: 429,
  RATE_LIMITED: 429,
  // 5xx
  INTERNAL: 500,
  FONT_MALFORMED: 500,
  STORAGE_CORRUPT: 500,
  AUDIT_APPEND_ONLY: 500,
  KEY_NOT_FOUND: 500,
  DECRYPTION_FAILED: 500,
  AUTHENTICATION_FAILED: 500,
  ASSET_MISSING: 500,
  STORAGE_BUSY: 503,
  STORAGE_CONFLICT: 503,
  STORAGE_UNAVAILABLE: 503,
};

/**
 * Families of codes, after the exact table: malformed, invalid or unsupported input and errors raised
 * while reading an uploaded document (DER, CMS, PDF, OFD, XML, time stamps) are the caller's input → 400.
 */
const FAMILIES: [RegExp, number][] = [
  [/_MALFORMED$/, 400],
  [/_INVALID$/, 400],
  [/_UNSUPPORTED$/, 400],
  [/^(DER|CMS|PDF|OFD|XML|TIMESTAMP|SEAL|SIGNATURE|CERT|CRL|PEM|BASE64|HEX|KEY|POINT|SCALAR|NAME)_/, 400],
];

/** The HTTP status for an error code (500 when unknown). */
export function statusForCode(code: string): number {
  const exact = ERROR_STATUS[code];
  if (exact !== undefined) return exact;
  for (const [re, status] of FAMILIES) if (re.test(code)) return status;
  return 500;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

/** The JSON Schema of the error shape (registered as `Error`, referenced by every route's 4xx/5xx). */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  description: 'The error shape of every non-2xx response',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', description: 'stable error code (see docs/api.md)', examples: ['SEAL_NOT_USABLE'] },
        message: { type: 'string', description: 'what is wrong, for people' },
        details: { type: 'object', additionalProperties: true, description: 'machine-readable specifics (field, permission, problems…)' },
        requestId: { type: 'string', description: 'the x-request-id of the request (also in the logs and the audit record)' },
      },
    },
  },
} as const;

/** An error raised by the HTTP layer (not a domain error) with a code from the table. */
export function httpError(code: string, message: string, details?: Record<string, unknown>): EsealError {
  return new EsealError(code, message, details);
}

interface FastifyishError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: { instancePath?: string; message?: string; params?: Record<string, unknown>; keyword?: string }[];
  validationContext?: string;
}

/**
 * Turns anything thrown into { status, body }. EsealErrors keep their code; Fastify's own errors
 * (schema validation, JSON parsing, body size, media type) are given codes from the table; anything
 * else is a 500 with no internal message.
 */
export function toErrorResponse(e: unknown, requestId: string): { status: number; body: ErrorBody; internal: boolean } {
  if (e instanceof EsealError) {
    const status = statusForCode(e.code);
    if (status >= 500 && status !== 503) return internal(requestId);
    const body: ErrorBody = { error: { code: e.code, message: status === 503 ? 'the database is busy or unavailable; retry shortly' : e.message, ...(e.details && status < 500 ? { details: sanitizeDetails(e.details) } : {}), requestId } };
    return { status, body, internal: status >= 500 };
  }
  const f = (e ?? {}) as FastifyishError;
  if (Array.isArray(f.validation)) {
    const where = f.validationContext ?? 'request';
    const problems = f.validation.slice(0, 20).map((v) => ({
      in: where,
      path: `${v.instancePath ?? ''}${v.keyword === 'additionalProperties' && v.params?.additionalProperty ? `/${String(v.params.additionalProperty)}` : ''}${v.keyword === 'required' && v.params?.missingProperty ? `/${String(v.params.missingProperty)}` : ''}`,
      message: v.keyword === 'additionalProperties' ? `unknown field "${String(v.params?.additionalProperty)}"` : v.message ?? 'invalid',
    }));
    const first = problems[0];
    const message = `${where}${first?.path ? ` ${first.path}` : ''}: ${first?.message ?? 'invalid'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;
    return { status: 400, body: { error: { code: 'VALIDATION', message, details: { problems }, requestId } }, internal: false };
  }
  const code = f.code ?? '';
  const mapped = FASTIFY_CODES[code];
  if (mapped) return { status: statusForCode(mapped.code), body: { error: { code: mapped.code, message: mapped.message ?? f.message ?? mapped.code, requestId } }, internal: false };
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    const byStatus: Record<number, string> = { 400: 'VALIDATION', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 406: 'VALIDATION', 413: 'LIMIT_EXCEEDED', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
    const c = byStatus[f.statusCode] ?? 'VALIDATION';
    return { status: f.statusCode === 406 ? 400 : statusForCode(c), body: { error: { code: c, message: f.message ?? c, requestId } }, internal: false };
  }
  return internal(requestId);
}

function internal(requestId: string) {
  return { status: 500, body: { error: { code: 'INTERNAL', message: `internal error; quote request id ${requestId} to the operator`, requestId } }, internal: true };
}

/** Fastify's error codes → ours, with friendlier messages. */
const FASTIFY_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'JSON_MALFORMED', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'JSON_MALFORMED', message: 'the body is empty but content-type is application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'LIMIT_EXCEEDED', message: 'the request body is larger than this route accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'this content-type is not accepted' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION', message: 'content-length does not match the body' },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-type is empty' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'content-type is invalid' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the request is not multipart' },
  FST_REQ_FILE_TOO_LARGE: { code: 'LIMIT_EXCEEDED', message: 'an uploaded file is larger than this route accepts' },
  FST_PARTS_LIMIT: { code: 'LIMIT_EXCEEDED', message: 'too many multipart parts' },
  FST_FILES_LIMIT: { code: 'LIMIT_EXCEEDED', message: 'too many uploaded files' },
  FST_FIELDS_LIMIT: { code: 'LIMIT_EXCEEDED', message: 'too many multipart fields' },
  FST_PROTO_VIOLATION: { code: 'VALIDATION', message: 'prototype poisoning attempt refused' },
  FST_ERR_BAD_URL: { code: 'VALIDATION', message: 'the URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'VALIDATION' },
  FST_ERR_VALIDATION: { code: 'VALIDATION' },
};

/** Details are data for the caller; never pass through objects that could carry bytes or secrets. */
function sanitizeDetails(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (/password|secret|token|private/i.test(k)) continue;
    if (v instanceof Uint8Array) continue;
    out[k] = v;
  }
  return out;
}
