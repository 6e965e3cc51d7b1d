/** The storage contract on the PostgreSQL server of this machine, in schemas of this file's own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../src/storage/index.js';
import { storeContract } from './contract.js';
import { dropSchemas, pgUrl, schemaPrefix } from './_pg.js';

let url = '';
const prefix = schemaPrefix();
const schemas: string[] = [];
let shared: Promise<SqlStore> | undefined;
let sharedSchema = '';
const openShared = () => (shared ??= openStore(url, { schema: (sharedSchema = schema()) }));

beforeAll(async () => {
  url = await pgUrl();
});

afterAll(async () => {
  if (shared) await (await shared).close();
  await dropSchemas(url, schemas);
});

function schema(): string {
  const s = `${prefix}_${schemas.length}`;
  schemas.push(s);
  return s;
}

storeContract({
  dialect: 'postgres',
  shared: openShared,
  location: () => ({ url, options: { schema: schema(), poolSize: 8 } }),
});

describe('PostgreSQL specifics', () => {
  it('uses the schema given (search_path) and reports its pool as healthy', async () => {
    const s = await openShared();
    const { sql } = await import('kysely');
    const r = await sql<{ s: string }>`SELECT current_schema() AS s`.execute(s.kysely);
    expect(r.rows[0].s).toBe(sharedSchema);
    expect(await s.ping()).toBe(true);
  });

  it('a bad URL fails clearly without the password', async () => {
    await expect(openStore('postgres://eseal:secret@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: expect.not.stringContaining('secret') });
  });
});
