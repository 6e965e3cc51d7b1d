/**
 * Audit append throughput (not part of `npm test`): each transaction writes a session row and appends
 * its audit event, as a state change with its record does. Runs 1 process × 1 writer, 1 process × 16
 * concurrent writers and 2 processes × 8 writers on SQLite (a file) and on PostgreSQL.
 *
 *   node --import ./test/storage/_register.mjs test/storage/bench-audit.ts [events-per-run] [sqlite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain } from '../../src/core/audit-chain.js';
import { openStore, type OpenStoreOptions } from '../../src/storage/index.js';
import { appendInChild } from './_child.js';
import { dropSchemas, pgUrl, schemaPrefix } from './_pg.js';

const N = Number(process.argv[2] ?? 4000);
const only = process.argv[3]; // 'sqlite' | 'postgres' to run one dialect
const dir = mkdtempSync(join(tmpdir(), 'eseal-bench-'));
const prefix = schemaPrefix();
const schemas: string[] = [];
let k = 0;

async function run(label: string, loc: { url: string; options: OpenStoreOptions }, processes: number, concurrency: number) {
  const store = await openStore(loc.url, loc.options);
  const startAt = Date.now() + 2500;
  const t0 = startAt;
  const results = await Promise.all(Array.from({ length: processes }, (_, i) => appendInChild({ ...loc, count: Math.floor(N / processes), concurrency, prefix: `b${i}`, startAt })));
  const wall = Date.now() - t0;
  const head = await store.repos.audit.head();
  const report = await verifyAuditChain((f, l) => store.repos.audit.scan(f, l), head);
  await store.close();
  const total = results.reduce((a, r) => a + r.appended, 0);
  console.log(`${label.padEnd(44)} ${String(total).padStart(6)} events  ${((total / wall) * 1000).toFixed(0).padStart(6)} /s  (per process: ${results.map((r) => r.perSecond.toFixed(0)).join(', ')}; head misses ${results.map((r) => r.headMisses).join(', ')})  chain ${report.valid ? 'valid' : 'INVALID'}`);
}

const sqlite = () => ({ url: `sqlite:${join(dir, `b${k++}.db`)}`, options: {} });
const url = await pgUrl();
const postgres = () => {
  const s = `${prefix}_${schemas.length}`;
  schemas.push(s);
  return { url, options: { schema: s, poolSize: 16 } };
};
const postgresAsync = () => {
  const l = postgres();
  return { ...l, options: { ...l.options, synchronousCommit: 'off' as const } };
};

try {
  for (const [name, loc] of [['SQLite (file, WAL)', sqlite], ['PostgreSQL 15 (127.0.0.1)', postgres], ['PostgreSQL, synchronous_commit=off', postgresAsync]] as const) {
    if (only && !name.toLowerCase().startsWith(only)) continue;
    await run(`${name}, 1 process × 1 writer`, loc(), 1, 1);
    await run(`${name}, 1 process × 16 writers`, loc(), 1, 16);
    await run(`${name}, 2 processes × 8 writers`, loc(), 2, 8);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await dropSchemas(url, schemas);
}
