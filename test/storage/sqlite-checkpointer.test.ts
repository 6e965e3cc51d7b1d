/** WAL checkpoints in a worker thread (storage/sqlite-checkpointer.ts): the writer never copies the WAL itself. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/index.js';
import { SAFETY_NET_PAGES, SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES, startCheckpointer } from '../../src/storage/sqlite-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'eseal-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('background WAL checkpoints', () => {
  it('the writer keeps only a safety-net threshold; the worker copies committed pages into the database file', async () => {
    const path = join(dir, 'ckpt.db');
    const store = await openStore(`sqlite:${path}`);
    const db = (store as unknown as { kysely: import('kysely').Kysely<any> }).kysely;
    const one = async (q: string) => Object.values((await sql.raw(q).execute(db)).rows[0] as object)[0];
    expect(await one('PRAGMA wal_autocheckpoint')).toBe(SAFETY_NET_PAGES);
    await sql.raw('CREATE TABLE filler (b BLOB)').execute(db);
    await new Promise((r) => setTimeout(r, 300));
    const before = statSync(path).size;
    // ~4 MB in 1,000 pages: far below the writer's own threshold, so only the worker can move it
    for (let i = 0; i < 40; i++) await sql`INSERT INTO filler (b) VALUES (${Buffer.alloc(100_000, i)})`.execute(db);
    expect(await until(() => statSync(path).size >= before + 4_000_000, 5_000)).toBe(true);
    await store.close();
  });

  it('an in-memory database and stores opened with backgroundCheckpoints: false keep SQLite’s default', async () => {
    for (const [url, opts] of [['sqlite::memory:', {}], [`sqlite:${join(dir, 'plain.db')}`, { backgroundCheckpoints: false }]] as const) {
      const store = await openStore(url, opts);
      const db = (store as unknown as { kysely: import('kysely').Kysely<any> }).kysely;
      expect(Object.values((await sql.raw('PRAGMA wal_autocheckpoint').execute(db)).rows[0] as object)[0]).toBe(SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES);
      await store.close();
    }
  });

  it('a worker that cannot go on reports why (the caller then checkpoints again), and stops cleanly', async () => {
    const reasons: string[] = [];
    const c = startCheckpointer(join(dir, 'missing', 'nothing.db'), (r) => reasons.push(r), 10);
    expect(await until(() => reasons.length > 0, 5_000)).toBe(true);
    expect(reasons[0]).toMatch(/cannot open the database/);
    await c.stop();
    expect(reasons).toHaveLength(1);
  });
});
