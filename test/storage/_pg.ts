/**
 * PostgreSQL for the storage tests: the server on this machine (127.0.0.1:5432, database `test`,
 * trust authentication), or ESEAL_TEST_PG_URL. Each test file works in schemas of its own
 * (eseal_test_<random>…) and drops them at the end.
 */
import pg from 'pg';

const CANDIDATES = process.env.ESEAL_TEST_PG_URL
  ? [process.env.ESEAL_TEST_PG_URL]
  : ['postgres://127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test'];

let found: Promise<string> | undefined;

/** the first candidate URL that connects */
export function pgUrl(): Promise<string> {
  return (found ??= (async () => {
    const errors: string[] = [];
    for (const url of CANDIDATES) {
      const pool = new pg.Pool({ connectionString: url.includes('@') ? url : url.replace('://', `://${(await import('node:os')).userInfo().username}@`), max: 1 });
      try {
        await pool.query('SELECT 1');
        return url;
      } catch (e) {
        errors.push(`${url}: ${(e as Error).message}`);
      } finally {
        await pool.end();
      }
    }
    throw new Error(`no PostgreSQL for the storage tests (set ESEAL_TEST_PG_URL):\n${errors.join('\n')}`);
  })());
}

export const schemaPrefix = () => `eseal_test_${Math.random().toString(36).slice(2, 10)}`;

/** drops schemas (and everything in them) */
export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const pool = new pg.Pool({ connectionString: url.includes('@') ? url : url.replace('://', `://${(await import('node:os')).userInfo().username}@`), max: 1 });
  try {
    for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await pool.end();
  }
}
