/** The storage contract on SQLite: database files in a temporary folder (WAL needs a file). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../src/storage/index.js';
import { storeContract } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'eseal-storage-'));
let n = 0;
let shared: Promise<SqlStore> | undefined;

afterAll(async () => {
  if (shared) await (await shared).close();
  rmSync(dir, { recursive: true, force: true });
});

storeContract({
  dialect: 'sqlite',
  shared: () => (shared ??= openStore(`sqlite:${join(dir, 'shared.db')}`)),
  location: () => ({ url: `sqlite:${join(dir, `db-${n++}.db`)}`, options: { busyTimeoutMs: 20_000 } }),
});

describe('SQLite specifics', () => {
  it('runs with WAL, synchronous=NORMAL, foreign keys on and a busy timeout; tables are STRICT', async () => {
    const store = await openStore(`sqlite:${join(dir, 'pragmas.db')}`, { busyTimeoutMs: 1234 });
    const db = (store as unknown as { kysely: import('kysely').Kysely<any> }).kysely;
    const { sql } = await import('kysely');
    const one = async (q: string) => Object.values((await sql.raw(q).execute(db)).rows[0] as object)[0];
    expect(await one('PRAGMA journal_mode')).toBe('wal');
    expect(await one('PRAGMA synchronous')).toBe(1); // NORMAL
    expect(await one('PRAGMA foreign_keys')).toBe(1);
    expect(await one('PRAGMA busy_timeout')).toBe(0); // the writer waits asynchronously instead (next test)
    await expect(sql.raw(`INSERT INTO stored_keys (id, purpose, public_key, encrypted, created_at) VALUES ('k', 'ca', x'00', x'00', 'yesterday')`).execute(db)).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
    await store.close();
    expect(await store.ping()).toBe(false);
  });

  it('waits for another process\'s write lock without blocking the event loop, up to the busy timeout', async () => {
    const path = join(dir, 'busy.db');
    const store = await openStore(`sqlite:${path}`, { busyTimeoutMs: 600 });
    const Sqlite = (await import('better-sqlite3')).default;
    const other = new Sqlite(path);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    setTimeout(() => other.exec('COMMIT'), 200);
    const t0 = Date.now();
    await store.repos.audit.append({ id: 'b1', time: new Date(0), actor: { type: 'system' }, action: 'x', result: 'success', details: {} });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(ticks).toBeGreaterThan(5);
    other.exec('BEGIN IMMEDIATE');
    await expect(store.transaction((r) => r.audit.count())).rejects.toMatchObject({ code: 'STORAGE_BUSY' });
    other.exec('ROLLBACK');
    clearInterval(timer);
    expect(await store.repos.audit.count()).toBe(1);
    other.close();
    await store.close();
  });

  it('sqlite::memory: works (one connection), and a missing folder is created', async () => {
    const mem = await openStore('sqlite::memory:');
    await mem.repos.audit.append({ id: 'e1', time: new Date(0), actor: { type: 'system' }, action: 'x', result: 'success', details: {} });
    expect(await mem.repos.audit.count()).toBe(1);
    await mem.close();
    await expect(openStore(`sqlite:${join(dir, 'none', 'x.db')}`, { migrate: false })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(existsSync(join(dir, 'none'))).toBe(false);
    const nested = await openStore(`sqlite:${join(dir, 'a', 'b', 'c.db')}`);
    expect(await nested.ping()).toBe(true);
    await nested.close();
  });
});
