/**
 * Child process of the storage tests and the audit benchmark: opens the store named on the command
 * line and appends `count` audit events from `concurrency` concurrent transactions, each also
 * writing a session row (a state change committed with its audit event). Prints one JSON line.
 * Run with `node --import ./test/storage/_register.mjs test/storage/_append-child.ts '<json>'`.
 */
import { openStore, type OpenStoreOptions } from '../../src/storage/index.js';

interface Job {
  url: string;
  options: OpenStoreOptions;
  count: number;
  concurrency: number;
  prefix: string;
  /** wait until this epoch ms before starting, so processes start together */
  startAt?: number;
}

const job = JSON.parse(process.argv[2]) as Job;
const store = await openStore(job.url, job.options);
const userId = `${job.prefix}-user-${process.pid}`;
await store.repos.users.insert({ id: userId, username: userId, displayName: job.prefix, passwordHash: 'x', status: 'active', failedLogins: 0, createdAt: new Date() });
if (job.startAt) await new Promise((r) => setTimeout(r, Math.max(0, job.startAt! - Date.now())));
let next = 0;
const seqs: number[] = [];
const t0 = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    for (;;) {
      const i = next++;
      if (i >= job.count) return;
      const e = await store.transaction(async (repos) => {
        const now = new Date();
        await repos.sessions.insert({ id: `${job.prefix}-s${i}`, userId, createdAt: now, expiresAt: new Date(now.getTime() + 60_000) });
        return repos.audit.append({ id: `${job.prefix}-${i}`, time: now, actor: { type: 'system', name: job.prefix }, action: 'test.append', targetType: 'session', targetId: `${job.prefix}-s${i}`, result: 'success', details: { i, pid: process.pid } });
      });
      seqs.push(e.seq);
    }
  }),
);
const ms = performance.now() - t0;
const diag = store.diagnostics();
await store.close();
process.stdout.write(`${JSON.stringify({ appended: seqs.length, ms, perSecond: (seqs.length / ms) * 1000, minSeq: Math.min(...seqs), maxSeq: Math.max(...seqs), headMisses: diag.auditHeadMisses })}\n`);
