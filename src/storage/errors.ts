/**
 * @module storage/errors
 * Database errors as EsealErrors with stable codes, the same on both dialects:
 *
 * | code                | when                                                                    |
 * |---------------------|-------------------------------------------------------------------------|
 * | CONFLICT            | a unique key exists already; `details.field` names it (esId, uscc, …)   |
 * | INVALID_REFERENCE   | a foreign key points at a missing row (`details.field` on PostgreSQL)    |
 * | INVALID_ARGUMENT    | a CHECK / NOT NULL / type constraint refused a value (a programming error) |
 * | AUDIT_APPEND_ONLY   | an UPDATE or DELETE of the audit record was refused by its triggers      |
 * | STORAGE_BUSY        | SQLite: another process held the write lock longer than the busy timeout |
 * | STORAGE_CONFLICT    | PostgreSQL: deadlock or serialization failure; `details.retryable`      |
 * | STORAGE_UNAVAILABLE | the database cannot be reached                                         |
 *
 * Messages name tables and columns, never the values (they may be secrets or personal data).
 */
import { EsealError } from '../util/errors.js';

const ENTITY: Record<string, string> = {
  authorities: 'authority',
  organisations: 'organisation',
  users: 'user',
  role_grants: 'role grant',
  api_keys: 'API key',
  sessions: 'session',
  seal_applications: 'seal application',
  seals: 'seal',
  seal_events: 'seal event',
  use_grants: 'use grant',
  stamp_approvals: 'stamp approval',
  stamps: 'stamp record',
  batch_jobs: 'batch job',
  batch_items: 'batch item',
  stored_keys: 'stored key',
  trusted_certificates: 'trusted certificate',
  idempotency_keys: 'idempotency key',
  audit_events: 'audit event',
  audit_head: 'audit head',
};

const camel = (col: string) => col.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const entity = (table: string | undefined) => (table ? (ENTITY[table] ?? table) : 'row');

function conflict(table: string | undefined, columns: string[], cause: unknown): EsealError {
  const fields = columns.map((c) => (c === 'idx' ? 'index' : camel(c)));
  const field = fields.join(',');
  return new EsealError('CONFLICT', `${a(entity(table))} with this ${fields.join(' and ')} exists already`, { field, ...(table ? { table } : {}) }, { cause });
}

function a(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function reference(table: string | undefined, column: string | undefined, cause: unknown): EsealError {
  const field = column ? camel(column) : undefined;
  return new EsealError(
    'INVALID_REFERENCE',
    field ? `${a(entity(table))} refers by ${field} to a record that does not exist` : `${a(entity(table))} refers to a record that does not exist (foreign key)`,
    { ...(field ? { field } : {}), ...(table ? { table } : {}) },
    { cause },
  );
}

interface SqliteLikeError {
  code?: string;
  message: string;
}

interface PgLikeError {
  code?: string;
  message: string;
  table?: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

function fromSqlite(e: SqliteLikeError): EsealError | undefined {
  const code = e.code ?? '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: idempotency_keys.scope, idempotency_keys.key"
    const cols = (e.message.split(':')[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const table = cols[0]?.split('.')[0];
    return conflict(table, cols.map((c) => c.split('.')[1] ?? c), e);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return reference(undefined, undefined, e);
  if (code === 'SQLITE_CONSTRAINT_TRIGGER' && e.message.includes('eseal: audit')) return new EsealError('AUDIT_APPEND_ONLY', e.message.replace(/^eseal: /, ''), {}, { cause: e });
  if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_NOTNULL' || code === 'SQLITE_CONSTRAINT_DATATYPE') {
    return new EsealError('INVALID_ARGUMENT', `the database refused a value: ${e.message}`, { constraint: code.replace('SQLITE_CONSTRAINT_', '').toLowerCase() }, { cause: e });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) {
    return new EsealError('STORAGE_BUSY', 'the SQLite database is locked by another process (busy timeout exceeded)', {}, { cause: e });
  }
  return undefined;
}

function keyColumns(detail: string | undefined): string[] {
  const m = /Key \(([^)]*)\)=/.exec(detail ?? '');
  return m ? m[1].split(',').map((s) => s.trim().replace(/^"|"$/g, '')) : [];
}

function fromPostgres(e: PgLikeError): EsealError | undefined {
  switch (e.code) {
    case '23505':
      return conflict(e.table, keyColumns(e.detail), e);
    case '23503':
      return reference(e.table, keyColumns(e.detail)[0], e);
    case '23514':
    case '23502':
    case '22P02':
      return new EsealError('INVALID_ARGUMENT', `the database refused a value: ${e.message}`, { ...(e.constraint ? { constraint: e.constraint } : {}), ...(e.column ? { column: e.column } : {}) }, { cause: e });
    case '23001':
      if (e.message.includes('eseal: audit')) return new EsealError('AUDIT_APPEND_ONLY', e.message.replace(/^eseal: /, ''), {}, { cause: e });
      return undefined;
    case '40P01':
    case '40001':
      return new EsealError('STORAGE_CONFLICT', `the transaction conflicted with another one (${e.code === '40P01' ? 'deadlock' : 'serialization failure'}); retry it`, { retryable: true }, { cause: e });
    default:
      if (e.code && /^(08|57P0[123])/.test(e.code)) return new EsealError('STORAGE_UNAVAILABLE', `the PostgreSQL connection failed: ${e.message}`, {}, { cause: e });
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'ECONNRESET') {
        return new EsealError('STORAGE_UNAVAILABLE', `PostgreSQL cannot be reached: ${e.message}`, {}, { cause: e });
      }
      return undefined;
  }
}

/** The EsealError for a database error, or the error itself when it is not a database error we know. */
export function translateDbError(e: unknown): unknown {
  if (e instanceof EsealError || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  return (code.startsWith('SQLITE_') ? fromSqlite(e as SqliteLikeError) : fromPostgres(e as PgLikeError)) ?? e;
}

/** Awaits `p`, rethrowing database errors as EsealErrors. */
export async function db<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw translateDbError(e);
  }
}
