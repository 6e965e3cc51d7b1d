/**
 * What every repository works with: the query executors (a transaction, or the reader and the writer
 * outside one), the dialect's codec and a few helpers shared by the repositories.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { fail } from '../../util/errors.js';
import type { Page } from '../../core/ports.js';
import type { Codec } from '../codec.js';
import type { Database } from '../schema.js';
import type { SqlDialect } from '../migrations/types.js';
import { db, translateDbError } from '../errors.js';

export interface RepoContext {
  readonly dialect: SqlDialect;
  readonly c: Codec;
  /** inside a transaction: the transaction; outside: the reader (SQLite) or the pool (PostgreSQL) */
  readonly r: Kysely<Database>;
  /** the executor for writes; outside a transaction, refuses when this async context holds one */
  w(): Kysely<Database>;
  readonly inTransaction: boolean;
  /** runs `fn` atomically: in the current transaction, or in a new one when outside */
  atomic<T>(fn: (ctx: RepoContext) => Promise<T>): Promise<T>;
  /** minutes east of UTC for statistics periods (480: China Standard Time) */
  readonly statsOffsetMinutes: number;
  /** per-store state shared by all its repositories */
  readonly shared: StoreShared;
  /** inside a transaction: runs `cb` when it has committed (true) or rolled back (false) */
  onEnd(cb: (committed: boolean) => void): void;
}

export interface StoreShared {
  /** the audit chain head this process appended last (a guess; see the PostgreSQL append) */
  auditHead?: { seq: number; hash: string };
  /** appends of this process whose transactions have not ended yet */
  pendingAppends: number;
  /** appends, and (PostgreSQL) appends whose guessed head was wrong and that read the head under lock */
  counters: { auditAppends: number; auditHeadMisses: number };
}

/**
 * Runs an insert so that a constraint violation leaves the transaction usable (PostgreSQL aborts the
 * whole transaction on an error; a savepoint confines it), so a caller may catch CONFLICT and retry,
 * e.g. a new 电子印章标识 after a clash. SQLite undoes only the failed statement anyway.
 */
export async function recoverable<T>(ctx: RepoContext, fn: () => Promise<T>): Promise<T> {
  if (ctx.dialect !== 'postgres' || !ctx.inTransaction) return db(fn());
  const w = ctx.w();
  await sql`SAVEPOINT eseal_insert`.execute(w);
  try {
    const out = await fn();
    await sql`RELEASE SAVEPOINT eseal_insert`.execute(w);
    return out;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT eseal_insert`.execute(w);
    throw translateDbError(e);
  }
}

const MAX_LIMIT = Number.MAX_SAFE_INTEGER;

function pageInt(v: number | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 0) fail('INVALID_ARGUMENT', `${what} must be a non-negative integer`, { field: what });
  return v;
}

/** Applies limit / offset (SQLite needs a LIMIT when there is an OFFSET). */
export function paged<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, p: Page | undefined): QB {
  const limit = pageInt(p?.limit, 'limit');
  const offset = pageInt(p?.offset, 'offset');
  let q = qb;
  if (limit !== undefined || offset !== undefined) q = q.limit(limit ?? MAX_LIMIT) as QB;
  if (offset !== undefined) q = q.offset(offset) as QB;
  return q;
}

/** Copies `o` without its null and undefined properties (optional entity fields are left out). */
export function compact<T extends object>(o: { [K in keyof T]: T[K] | null | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as T;
}

/** Throws NOT_FOUND when an UPDATE changed no row. */
export function updatedOne(result: { numUpdatedRows: bigint }, what: string, id: string): void {
  if (result.numUpdatedRows === 0n) fail('NOT_FOUND', `${what} ${id} not found`, { what, id });
}

/** `x LIKE pattern` that is case-insensitive for ASCII on both dialects, with %, _ and \ escaped in `text`. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
