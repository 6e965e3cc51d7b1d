/**
 * The platform's hash-signing endpoint (POST /api/v1/seals/{id}/sign-hash: API-key authentication, an
 * SES_Signature, the stamp record and its audit event committed) in requests per second, measured
 * with autocannon against a running `eseal serve` (a child process) on SQLite and on PostgreSQL.
 * Peer: Guangdong's average load, about 90 stamps per second (230 million a month).
 *
 * Everything runs on this machine: the server, its database, the SM2 signing (the server's thread
 * pool) and the load generator share the cores.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { fmt, median, type BenchOptions, type BenchSection, type BenchTable } from './harness.js';

const BIN = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../bin/eseal.cjs');
const PG_URL = process.env.ESEAL_BENCH_PG ?? 'postgres://127.0.0.1:5432/test';
const GUANGDONG_AVERAGE_PER_SECOND = 90;

interface Server {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

async function startServer(db: string[], cwd: string): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', ...db, '--port', '0', '--host', '127.0.0.1', '--data', 'data', '--demo', '--rate-limit', '0', '--log-level', 'warn'], { cwd, env: { ...process.env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 120_000;
  while (!/stop with Ctrl-C/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`eseal serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: /eseal platform: (http:\/\/\S+)/.exec(out)![1],
    apiKey: /(esk_[A-Za-z0-9_-]+)/.exec(out)![1],
    stop: () =>
      new Promise((ok) => {
        child.on('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

function run(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return new Promise((ok, fail) => autocannon({ url, method: 'POST', connections, duration: seconds, headers, body }, (e, r) => (e ? fail(e) : ok(r))));
}

async function measure(name: string, db: string[], opts: BenchOptions): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'eseal-bench-http-'));
  const server = await startServer(db, dir);
  try {
    const r0 = await fetch(`${server.url}/api/v1/seals?type=finance`, { headers: { 'x-api-key': server.apiKey } });
    const sealId = ((await r0.json()) as { items: { id: string }[] }).items[0].id;
    const url = `${server.url}/api/v1/seals/${sealId}/sign-hash`;
    const headers = { 'x-api-key': server.apiKey, 'content-type': 'application/json' };
    const body = JSON.stringify({ hash: 'ab'.repeat(32) });
    const check = await fetch(url, { method: 'POST', headers, body });
    if (check.status !== 200) throw new Error(`sign-hash answered ${check.status}: ${await check.text()}`);
    opts.log(`  ${name}: warm-up`);
    await run(url, headers, body, Math.max(2, opts.warmupSeconds * 4), 32);
    const rps: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    let errors = 0;
    for (let i = 0; i < opts.runs; i++) {
      const r = await run(url, headers, body, Math.max(5, opts.seconds * 10), 32);
      rps.push(r.requests.average);
      p50.push(r.latency.p50);
      p99.push(r.latency.p99);
      errors += r.errors + r.non2xx;
      opts.log(`  ${name} run ${i + 1}: ${fmt(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
    }
    const m = median(rps);
    return [name, fmt(m), `${median(p50)} ms`, `${median(p99)} ms`, String(errors), `${fmt(m / GUANGDONG_AVERAGE_PER_SECOND)}x`];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const httpSection: BenchSection = {
  name: 'http',
  description: 'platform hash-signing endpoint under autocannon (32 connections), SQLite and PostgreSQL',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    const rows = [await measure('SQLite (embedded default)', ['--db', 'sqlite:data/eseal.db'], opts)];
    const schema = `eseal_bench_${process.pid}`;
    try {
      rows.push(await measure('PostgreSQL 15 (same machine)', ['--db', PG_URL, '--pg-schema', schema], opts));
    } finally {
      const u = new URL(PG_URL);
      if (!u.username) u.username = process.env.PGUSER ?? userInfo().username;
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).finally(() => c.end());
    }
    return [
      {
        title: 'Hash signing over HTTP (auth + SES_Signature + stamp record and audit event committed), 2 cores shared with the load generator',
        columns: ['database', 'requests/s', 'p50', 'p99', 'errors', 'vs Guangdong average (90/s)'],
        rows,
        notes: ['Each response carries a ~24 KB SES_Signature (the seal with its picture travels in every signature).'],
      },
    ];
  },
};
