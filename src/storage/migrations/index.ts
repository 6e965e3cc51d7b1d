/**
 * @module storage/migrations
 * Numbered migrations, run when a store opens. Each is a TypeScript module giving the SQL for both
 * dialects (not .sql files: `tsc` builds dist/ and would not copy them, and most statements are the
 * same for both dialects with different column types). Applied migrations are recorded in
 * `eseal_migrations` (id, name, checksum of the statements, time).
 *
 * Several processes may open the same database at once: on PostgreSQL the runner holds a transaction
 * advisory lock (keyed by the schema) while it checks and applies; on SQLite its transaction begins
 * IMMEDIATE, which takes the write lock. Everything pending is applied in that one transaction (DDL is
 * transactional on both), so a failure leaves the schema as it was.
 */
import { sql, type Kysely } from 'kysely';
import { sm3 } from '../../sm/sm3.js';
import { toHex, utf8 } from '../../util/bytes.js';
import { fail } from '../../util/errors.js';
import type { Database } from '../schema.js';
import { migration001 } from './001_initial.js';
import type { Migration, SqlDialect } from './types.js';

export type { Migration, SqlDialect } from './types.js';
export { AUDIT_TRIGGERS } from './001_initial.js';

/** Every migration, in order. Append only: never renumber, edit or remove a released one. */
export const MIGRATIONS: readonly Migration[] = [migration001];

/** pg_advisory_xact_lock(classid, objid): the class id is "es" in ASCII; the object id hashes the schema */
const ADVISORY_CLASS = 0x6573;

export function migrationChecksum(m: Migration, dialect: SqlDialect): string {
  return toHex(sm3(utf8(m.statements(dialect).join(';\n')))).slice(0, 16);
}

export interface MigrationResult {
  /** ids applied now (empty when the schema was up to date) */
  applied: number[];
  /** the schema version after the run */
  version: number;
}

/**
 * Brings the schema up to date. `db` must begin transactions as the dialect needs (SQLite: IMMEDIATE,
 * which the eseal SQLite dialect does).
 */
export async function migrate(db: Kysely<Database>, dialect: SqlDialect, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  for (let i = 0; i < migrations.length; i++) if (migrations[i].id !== i + 1) fail('INVALID_ARGUMENT', `migration ${migrations[i].id} is out of sequence (expected ${i + 1})`);
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(ADVISORY_CLASS)}, hashtext(coalesce(current_schema(), 'public')))`.execute(trx);
    }
    const time = dialect === 'postgres' ? 'timestamptz' : 'INTEGER';
    await sql
      .raw(`CREATE TABLE IF NOT EXISTS eseal_migrations (id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at ${time} NOT NULL)`)
      .execute(trx);
    const done = new Set((await trx.selectFrom('eseal_migrations').select('id').execute()).map((r) => Number(r.id)));
    const newest = Math.max(0, ...done);
    if (newest > migrations.length) {
      fail('SCHEMA_TOO_NEW', `the database schema is at migration ${newest}, newer than this eseal (${migrations.length}); upgrade eseal`, { schemaVersion: newest, known: migrations.length });
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of m.statements(dialect)) await sql.raw(statement).execute(trx);
      const now = new Date();
      await sql`INSERT INTO eseal_migrations (id, name, checksum, applied_at) VALUES (${m.id}, ${m.name}, ${migrationChecksum(m, dialect)}, ${dialect === 'postgres' ? now : now.getTime()})`.execute(trx);
      applied.push(m.id);
    }
    return { applied, version: migrations.length };
  });
}

/** The schema version of a database (0: never migrated), without changing anything. */
export async function schemaVersion(db: Kysely<Database>, dialect: SqlDialect): Promise<number> {
  const exists =
    dialect === 'postgres'
      ? (await sql<{ t: string | null }>`SELECT to_regclass('eseal_migrations')::text AS t`.execute(db)).rows[0]?.t
      : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'eseal_migrations'`.execute(db)).rows[0]?.name;
  if (!exists) return 0;
  const r = (await sql<{ v: number | string | null }>`SELECT max(id) AS v FROM eseal_migrations`.execute(db)).rows[0];
  return Number(r?.v ?? 0);
}
