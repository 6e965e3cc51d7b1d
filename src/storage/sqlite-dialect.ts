/**
 * @module storage/sqlite-dialect
 * A Kysely dialect over better-sqlite3, written for the platform's needs rather than Kysely's
 * built-in SqliteDialect:
 * - transactions begin with `BEGIN IMMEDIATE`, so a write transaction takes SQLite's write lock at the
 *   start. Two processes sharing a database file then queue on the busy timeout instead of both
 *   reading under a SHARED lock and deadlocking when they upgrade to write (SQLITE_BUSY at once);
 * - prepared statements are cached per connection (Kysely's driver prepares every query anew);
 * - the writer connection is exclusive (one transaction at a time in this process, queued by a
 *   mutex); a reader connection, if any, runs reads outside transactions without waiting for it
 *   (WAL lets readers see the last committed state while a write transaction is open);
 * - when another process holds the write lock, the writer waits asynchronously: its busy timeout is 0
 *   and SQLITE_BUSY outside a transaction (BEGIN IMMEDIATE, autocommit writes) is retried with short
 *   timers until the configured busy timeout, so the event loop keeps serving while it waits (SQLite's
 *   own busy handler sleeps inside the call and would freeze the process).
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

function bindable(v: unknown): unknown {
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return v;
}

const sleep = (ms: number) => new Promise<void>((r) => (ms <= 0 ? setImmediate(r) : setTimeout(r, ms)));

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database;
  readonly #cache = new Map<string, BetterSqlite3.Statement>();
  /** retry SQLITE_BUSY outside transactions for this long (0: do not retry) */
  readonly #busyRetryMs: number;

  constructor(db: BetterSqlite3.Database, busyRetryMs: number) {
    this.#db = db;
    this.#busyRetryMs = busyRetryMs;
  }

  #prepare(text: string): BetterSqlite3.Statement {
    let stmt = this.#cache.get(text);
    if (stmt === undefined) {
      stmt = this.#db.prepare(text);
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(text, stmt);
    }
    return stmt;
  }

  #execute<R>(compiled: CompiledQuery): QueryResult<R> {
    const stmt = this.#prepare(compiled.sql);
    const params = compiled.parameters.map(bindable);
    if (stmt.reader) return { rows: stmt.all(params) as R[] };
    const { changes, lastInsertRowid } = stmt.run(params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    let deadline = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#execute<R>(compiled);
      } catch (e) {
        // inside a transaction we hold the write lock already; a BUSY there is not a wait for it
        if (!isBusy(e) || this.#busyRetryMs <= 0 || this.#db.inTransaction) throw e;
        const now = Date.now();
        if (deadline === 0) deadline = now + this.#busyRetryMs;
        if (now >= deadline) throw e;
        // 0, 1, 2, 4 … 16 ms with jitter, so waiting processes do not poll in step
        await sleep(attempt === 0 ? 0 : Math.min(16, 2 ** (attempt - 1)) * (0.5 + Math.random()));
      }
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the eseal SQLite driver');
  }
}

/**
 * Queues users of a writer connection (one transaction at a time). Stores opened on the same database
 * file in one process share one mutex: a second connection's BEGIN IMMEDIATE would otherwise wait in
 * SQLite's busy handler, blocking the event loop that the first transaction needs to finish.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class SqliteDriver implements Driver {
  readonly #db: BetterSqlite3.Database;
  readonly #exclusive: boolean;
  readonly #closeOnDestroy: boolean;
  readonly #mutex: Mutex;
  readonly #connection: SqliteConnection;
  readonly #releases: (() => void)[] = [];

  constructor(db: BetterSqlite3.Database, exclusive: boolean, closeOnDestroy: boolean, mutex: Mutex, busyRetryMs: number) {
    this.#db = db;
    this.#mutex = mutex;
    this.#exclusive = exclusive;
    this.#closeOnDestroy = closeOnDestroy;
    this.#connection = new SqliteConnection(db, busyRetryMs);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#exclusive) this.#releases.push(await this.#mutex.lock());
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite may have rolled back already (e.g. SQLITE_FULL, SQLITE_IOERR): then there is nothing to undo
    if (this.#db.inTransaction) await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {
    if (this.#exclusive) this.#releases.shift()?.();
  }

  async destroy(): Promise<void> {
    if (this.#closeOnDestroy && this.#db.open) this.#db.close();
  }
}

/**
 * A Kysely dialect over one better-sqlite3 connection. `exclusive`: queue users (the writer) on
 * `mutex`; `closeOnDestroy`: close the database when Kysely is destroyed; `busyRetryMs`: retry
 * SQLITE_BUSY outside transactions asynchronously for this long (give the connection busy_timeout 0).
 */
export function sqliteDialect(db: BetterSqlite3.Database, opts: { exclusive: boolean; closeOnDestroy: boolean; mutex?: Mutex; busyRetryMs?: number }): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SqliteDriver(db, opts.exclusive, opts.closeOnDestroy, opts.mutex ?? new Mutex(), opts.busyRetryMs ?? 0),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (k: Kysely<any>) => new SqliteIntrospector(k),
  };
}
