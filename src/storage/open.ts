/**
 * @module storage/open
 * `openStore(url)`: SQLite (`sqlite:PATH`, `sqlite::memory:`) or PostgreSQL (`postgres://…`), migrated
 * to the current schema before it is returned.
 *
 * SQLite: a writer connection (transactions begin IMMEDIATE, one at a time in the process, waiting
 * asynchronously up to `busyTimeoutMs` for other processes' write locks) and a reader connection for
 * reads outside transactions (busy_timeout); WAL, synchronous=NORMAL, foreign_keys=ON; the WAL is
 * checkpointed by a worker thread (sqlite-checkpointer.ts). An in-memory database has a single
 * connection that both use.
 *
 * PostgreSQL: a pg pool; `schema` sets the search_path of every connection (and is created if missing).
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { EsealError, fail } from '../util/errors.js';
import { postgresCodec, sqliteCodec } from './codec.js';
import { translateDbError } from './errors.js';
import { migrate, MIGRATIONS, schemaVersion, type MigrationResult } from './migrations/index.js';
import type { Database } from './schema.js';
import { Mutex, sqliteDialect } from './sqlite-dialect.js';
import { SAFETY_NET_PAGES, SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { SqlStore } from './store.js';

export interface OpenStoreOptions {
  /** apply pending migrations (default true); false: refuse to open a database that is missing or not up to date */
  migrate?: boolean;
  /** SQLite: how long to wait for another process's write lock, ms (default 10 000) */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in the pool (default 10) */
  poolSize?: number;
  /** PostgreSQL: the schema to use (search_path), created when missing; default: the server's search_path */
  schema?: string;
  /** PostgreSQL: application_name shown in pg_stat_activity (default "eseal") */
  applicationName?: string;
  /** PostgreSQL: statement_timeout for every statement, ms (default: none) */
  statementTimeoutMs?: number;
  /**
   * PostgreSQL: synchronous_commit of the platform's sessions (default: the server's, normally on).
   * 'off' returns from COMMIT before the WAL is flushed: the audit head lock is released sooner (more
   * appends per second), and a crash of the database server may lose the last few hundred ms of
   * committed transactions — whole transactions, a state change always with its audit event.
   */
  synchronousCommit?: 'on' | 'off' | 'local' | 'remote_write' | 'remote_apply';
  /** minutes east of UTC of the statistics calendar (default 480: China Standard Time, Asia/Shanghai) */
  statsUtcOffsetMinutes?: number;
  /**
   * SQLite file databases: checkpoint the WAL from a worker thread (storage/sqlite-checkpointer.ts)
   * rather than inside commits on the caller's thread. Default true; false for short-lived tools.
   */
  backgroundCheckpoints?: boolean;
}

/** What openStore did, for the caller's log. */
export interface OpenedStore {
  store: SqlStore;
  migrations: MigrationResult;
}

export const DEFAULT_STATS_UTC_OFFSET_MINUTES = 480;
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
export const DEFAULT_POOL_SIZE = 10;

/** A URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

export type ParsedStoreUrl = { dialect: 'sqlite'; path: string; memory: boolean } | { dialect: 'postgres'; url: string };

export function parseStoreUrl(url: string): ParsedStoreUrl {
  if (typeof url !== 'string' || url.trim() === '') fail('INVALID_ARGUMENT', 'a database URL is required (sqlite:PATH, sqlite::memory: or postgres://…)');
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    let rest = url.slice('sqlite:'.length);
    if (rest.startsWith('//')) rest = rest.slice(2); // sqlite:///abs/path, sqlite://rel/path
    if (rest === ':memory:' || rest === '') return { dialect: 'sqlite', path: ':memory:', memory: true };
    return { dialect: 'sqlite', path: resolve(rest), memory: false };
  }
  fail('INVALID_ARGUMENT', `unsupported database URL ${JSON.stringify(redactUrl(url))}: use sqlite:PATH, sqlite::memory: or postgres://…`);
}

function statsOffset(opts: OpenStoreOptions): number {
  const m = opts.statsUtcOffsetMinutes ?? DEFAULT_STATS_UTC_OFFSET_MINUTES;
  if (!Number.isInteger(m) || Math.abs(m) > 14 * 60) fail('INVALID_ARGUMENT', 'statsUtcOffsetMinutes must be whole minutes within ±14 hours');
  return m;
}

function openSqliteConnection(path: string, busyTimeoutMs: number, mustExist: boolean): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(path, { timeout: busyTimeoutMs, fileMustExist: mustExist });
  } catch (e) {
    throw new EsealError('STORAGE_UNAVAILABLE', `cannot open the SQLite database ${path}: ${(e as Error).message}`, { path }, { cause: e });
  }
}

/** one writer mutex per database file in this process (weakly held: stores of a file share it while open) */
const fileMutexes = new Map<string, WeakRef<Mutex>>();

function fileMutex(path: string): Mutex {
  const existing = fileMutexes.get(path)?.deref();
  if (existing) return existing;
  const m = new Mutex();
  fileMutexes.set(path, new WeakRef(m));
  return m;
}

async function openSqlite(path: string, memory: boolean, opts: OpenStoreOptions): Promise<OpenedStore> {
  const busy = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  // without migrations (audit verify, export) a missing database is an error, not a new empty file
  const mustExist = !memory && opts.migrate === false;
  if (!memory && !mustExist) mkdirSync(dirname(path), { recursive: true });
  const wdb = openSqliteConnection(path, busy, mustExist);
  let rdb: BetterSqlite3.Database | undefined;
  try {
    wdb.pragma(`busy_timeout = ${busy}`);
    if (!memory) wdb.pragma('journal_mode = WAL');
    wdb.pragma('synchronous = NORMAL');
    wdb.pragma('foreign_keys = ON');
    // from here on the writer waits for other processes' write locks asynchronously (see sqlite-dialect.ts)
    wdb.pragma('busy_timeout = 0');
    const writer = new Kysely<Database>({
      dialect: sqliteDialect(wdb, { exclusive: true, closeOnDestroy: true, mutex: memory ? new Mutex() : fileMutex(path), busyRetryMs: memory ? 0 : busy }),
    });
    let reader = writer;
    if (memory) {
      // one connection: reads outside transactions use it without queueing behind the writer
      reader = new Kysely<Database>({ dialect: sqliteDialect(wdb, { exclusive: false, closeOnDestroy: false }) });
    } else {
      rdb = openSqliteConnection(path, busy, true);
      rdb.pragma(`busy_timeout = ${busy}`);
      rdb.pragma('query_only = ON');
      reader = new Kysely<Database>({ dialect: sqliteDialect(rdb, { exclusive: false, closeOnDestroy: true }) });
    }
    const migrations = await runMigrations(writer, 'sqlite', opts);
    let checkpointer: Checkpointer | undefined;
    if (!memory && opts.backgroundCheckpoints !== false) {
      wdb.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
      checkpointer = startCheckpointer(path, (reason) => {
        if (wdb.open) wdb.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
        process.emitWarning(`background WAL checkpoints of ${path} stopped (${reason}); the writer checkpoints again`, { code: 'ESEAL_SQLITE_CHECKPOINTER' });
      });
    }
    const store = new SqlStore({
      dialect: 'sqlite',
      codec: sqliteCodec,
      writer,
      reader,
      statsOffsetMinutes: statsOffset(opts),
      close: async () => {
        await checkpointer?.stop();
        if (reader !== writer) await reader.destroy();
        await writer.destroy();
      },
    });
    return { store, migrations };
  } catch (e) {
    rdb?.close();
    if (wdb.open) wdb.close();
    throw translateDbError(e);
  }
}

async function runMigrations(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', opts: OpenStoreOptions): Promise<MigrationResult> {
  if (opts.migrate !== false) return migrate(db, dialect);
  const version = await schemaVersion(db, dialect);
  if (version !== MIGRATIONS.length) {
    fail(version < MIGRATIONS.length ? 'SCHEMA_OUTDATED' : 'SCHEMA_TOO_NEW', `the database schema is at migration ${version}, this eseal needs ${MIGRATIONS.length} (open it with migrations enabled, or upgrade eseal)`, {
      schemaVersion: version,
      known: MIGRATIONS.length,
    });
  }
  return { applied: [], version };
}

/**
 * Like libpq (psql), a URL without a user name connects as the operating-system user, unless PGUSER
 * says otherwise (node-postgres would fall back to $USER, which services often do not have).
 */
function withDefaultUser(url: string): string {
  if (process.env.PGUSER) return url;
  try {
    const u = new URL(url);
    if (u.username || !u.host) return url;
    u.username = userInfo().username;
    return u.toString();
  } catch {
    return url;
  }
}

/** lower case only: search_path folds an unquoted name to lower case */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(url: string, opts: OpenStoreOptions): Promise<OpenedStore> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) fail('INVALID_ARGUMENT', 'the PostgreSQL schema name must be a plain lower-case identifier (a-z, 0-9, _)');
  if (opts.synchronousCommit !== undefined && !['on', 'off', 'local', 'remote_write', 'remote_apply'].includes(opts.synchronousCommit)) {
    fail('INVALID_ARGUMENT', 'synchronousCommit must be on, off, local, remote_write or remote_apply');
  }
  const options = [
    opts.schema ? `-c search_path=${opts.schema}` : '',
    opts.statementTimeoutMs !== undefined ? `-c statement_timeout=${Math.max(0, Math.floor(opts.statementTimeoutMs))}` : '',
    opts.synchronousCommit !== undefined ? `-c synchronous_commit=${opts.synchronousCommit}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    application_name: opts.applicationName ?? 'eseal',
    ...(options ? { options } : {}),
  });
  // an idle client losing its connection must not crash the process; the pool replaces it
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (opts.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${opts.schema}"`);
      } catch (e) {
        // a concurrent CREATE SCHEMA IF NOT EXISTS may lose the race on the catalogue's unique index
        if ((e as { code?: string }).code !== '23505' && (e as { code?: string }).code !== '42P06') throw e;
      } finally {
        client.release();
      }
    }
    const migrations = await runMigrations(kysely, 'postgres', opts);
    const store = new SqlStore({
      dialect: 'postgres',
      codec: postgresCodec,
      writer: kysely,
      reader: kysely,
      statsOffsetMinutes: statsOffset(opts),
      close: () => kysely.destroy(),
    });
    return { store, migrations };
  } catch (e) {
    await kysely.destroy().catch(() => {});
    const t = translateDbError(e);
    if (t instanceof EsealError) throw t;
    throw new EsealError('STORAGE_UNAVAILABLE', `cannot open PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`, {}, { cause: e });
  }
}

/** Opens (and migrates) a store; also tells which migrations it applied. */
export async function openStoreWithInfo(url: string, opts: OpenStoreOptions = {}): Promise<OpenedStore> {
  const p = parseStoreUrl(url);
  return p.dialect === 'sqlite' ? openSqlite(p.path, p.memory, opts) : openPostgres(p.url, opts);
}

/**
 * Opens a store at `url` (`sqlite:PATH`, `sqlite::memory:`, `postgres://user@host:port/db`), applying
 * pending migrations first. Several processes may open the same database at once.
 */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<SqlStore> {
  return (await openStoreWithInfo(url, opts)).store;
}
