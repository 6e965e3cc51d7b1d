/**
 * Two `eseal serve` processes on one PostgreSQL database (a fresh schema of 127.0.0.1:5432/test), one
 * master key and one data folder: a session from one works on the other, and a seal revoked through
 * process A stops stamping through process B from the instant the revocation is answered, while B is
 * under concurrent signing load. Then `eseal audit verify` on PostgreSQL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, PG_URL } from './helpers.js';

const BIN = resolve(__dirname, '../../bin/eseal.cjs');
const SCHEMA = `eseal_server_pg_${process.pid}_${Date.now().toString(36)}`;
const MASTER = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');

interface Proc {
  child: ChildProcess;
  url: string;
  out: () => string;
  exit: Promise<number | null>;
}

let dir: string;
const procs: Proc[] = [];

async function serve(demo: boolean): Promise<Proc> {
  const args = [BIN, 'serve', '--db', PG_URL, '--pg-schema', SCHEMA, '--port', '0', '--host', '127.0.0.1', '--data', 'data', '--log-level', 'warn', '--rate-limit', '0', ...(demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ESEAL_MASTER_KEY: MASTER } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
  const deadline = Date.now() + 60_000;
  while (!/stop with Ctrl-C/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`eseal serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const p = { child, url: /eseal platform: (http:\/\/\S+)/.exec(out)![1], out: () => out, exit };
  procs.push(p);
  return p;
}

async function api<T = Record<string, unknown>>(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as T };
}

const login = async (base: string, username: string) => (await api<{ token: string }>(base, '/api/v1/auth/login', { method: 'POST', body: { username, password: `${username}@eseal-demo` } })).body.token;

beforeAll(async () => {
  if (!existsSync(resolve(__dirname, '../../dist/src/server/platform.js'))) throw new Error('run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'eseal-pg-'));
});

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await dropPgSchema(SCHEMA).catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two eseal serve processes on one PostgreSQL', () => {
  it('share sessions and data; a revocation through A stops stamping through B at once', async () => {
    const a = await serve(true);
    // the demo is seeded only into an empty database: B finds A's
    const b = await serve(true);
    expect(b.out()).toContain('demo data from an earlier start');

    const userToken = await login(a.url, 'ent-user');
    const seals = (await api<{ items: { id: string; esId: string }[] }>(b.url, '/api/v1/seals?type=finance', { token: userToken })).body.items;
    expect(seals).toHaveLength(1);
    const seal = seals[0];
    const sign = (i: number) => api<{ stampId?: string; error?: { code: string } }>(b.url, `/api/v1/seals/${seal.id}/sign-hash`, { method: 'POST', token: userToken, body: { hash: i.toString(16).padStart(64, '0') } });
    expect((await sign(0)).status).toBe(200);

    // B signs continuously (8 in flight) while A revokes
    const managerToken = await login(a.url, 'ent-manager');
    let revokedAnsweredAt = Infinity;
    const results: { sentAt: number; status: number; code?: string }[] = [];
    let stop = false;
    let n = 1;
    const worker = async () => {
      while (!stop) {
        const sentAt = Date.now();
        const r = await sign(n++);
        results.push({ sentAt, status: r.status, ...(r.body.error ? { code: r.body.error.code } : {}) });
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((r) => setTimeout(r, 400));
    const revokeSentAt = Date.now();
    const rev = await api<{ status: string }>(a.url, `/api/v1/seals/${seal.id}/revoke`, { method: 'POST', token: managerToken, body: { reason: '并发吊销测试' } });
    revokedAnsweredAt = Date.now();
    // the revocation is not held off by the stream of stamps (share locks once starved it for many seconds)
    expect(revokedAnsweredAt - revokeSentAt).toBeLessThan(3000);
    expect(rev.body.status).toBe('revoked');
    await new Promise((r) => setTimeout(r, 400));
    stop = true;
    await Promise.all(workers);

    const before = results.filter((r) => r.sentAt < revokedAnsweredAt);
    const after = results.filter((r) => r.sentAt > revokedAnsweredAt);
    expect(before.filter((r) => r.status === 200).length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((r) => r.status === 409 && r.code === 'SEAL_NOT_USABLE')).toBe(true);
    expect(results.every((r) => r.status === 200 || (r.status === 409 && r.code === 'SEAL_NOT_USABLE'))).toBe(true);

    // no use is recorded after the revocation: every stamp's signing time precedes it
    const operator = await login(b.url, 'operator');
    const history = (await api<{ items: { status: string; at: string }[] }>(b.url, `/api/v1/seals/${seal.id}/history`, { token: operator })).body.items;
    const revokedAt = new Date(history.find((e) => e.status === 'revoked')!.at).getTime();
    const stamps: { signTime: string }[] = [];
    for (let page: { signTime: string }[] = []; stamps.length === 0 || page.length === 1000; ) {
      page = (await api<{ items: { signTime: string }[] }>(a.url, `/api/v1/stamps?sealId=${seal.id}&limit=1000&offset=${stamps.length}`, { token: operator })).body.items;
      stamps.push(...page);
    }
    expect(stamps.length).toBe(results.filter((r) => r.status === 200).length + 1);
    for (const s of stamps) expect(new Date(s.signTime).getTime()).toBeLessThanOrEqual(revokedAt);
    expect((await api<{ body: { status: string } }>(b.url, `/status/${seal.esId}`)).body.body.status).toBe('revoked');

    for (const p of [a, b]) p.child.kill('SIGTERM');
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
  });

  it('eseal audit verify checks the chain both processes wrote', () => {
    const v = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', PG_URL, '--pg-schema', SCHEMA], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('chain intact');
  });
});
