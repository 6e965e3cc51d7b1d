/**
 * The platform as an operator runs it: `node bin/eseal.cjs serve --db sqlite:… --port 0 --demo` in a child
 * process answers /healthz, /docs/json and a login with the printed credentials, stamps with the printed
 * API key, shuts down gracefully on SIGTERM; then `eseal audit verify` passes on its database and detects
 * an edited audit row (exit 1), and `eseal audit export` writes the record.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/eseal.cjs');

let dir: string;
let child: ChildProcess;
let url = '';
let stdout = '';
let stderr = '';
let exit: Promise<number | null>;

function eseal(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(async () => {
  if (!existsSync(resolve(__dirname, '../../dist/src/server/platform.js'))) throw new Error('run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'eseal-serve-'));
  child = spawn(process.execPath, [BIN, 'serve', '--db', 'sqlite:db/eseal.db', '--port', '0', '--host', '127.0.0.1', '--data', 'data', '--demo', '--log-level', 'warn'], { cwd: dir, env: { ...process.env, ESEAL_MASTER_KEY: '' } });
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  exit = new Promise((ok) => child.on('exit', (code) => ok(code)));
  const deadline = Date.now() + 60_000;
  while (!/stop with Ctrl-C/.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  url = /eseal platform: (http:\/\/\S+)/.exec(stdout)![1];
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('eseal serve (a started process)', () => {
  it('prints where it is, the master key warning, and the demo logins', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain(`${url}/docs`);
    expect(stdout).toContain('WARNING: a new master key was generated');
    expect(stdout).toMatch(/operator\s+operator@eseal-demo/);
    expect(stdout).toMatch(/demo API key .*: esk_/);
    expect(existsSync(join(dir, 'data', 'master.key'))).toBe(true);
  });

  it('answers /healthz, /readyz, /docs/json and /metrics', async () => {
    const h = await fetch(`${url}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: 'ok' });
    expect(h.headers.get('x-request-id')).toBeTruthy();
    expect((await (await fetch(`${url}/readyz`)).json()).status).toBe('ready');
    const docs = await fetch(`${url}/docs/json`);
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/api/v1/seals/{id}/stamp');
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('eseal_http_requests_total');
  });

  it('signs in with a printed login and signs a hash with the printed API key', async () => {
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ent-user', password: 'ent-user@eseal-demo' }) });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const seals = (await (await fetch(`${url}/api/v1/seals?type=official`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string }[] };
    expect(seals.items).toHaveLength(1);
    const key = /demo API key .*: (esk_\S+)/.exec(stdout)![1];
    const r = await fetch(`${url}/api/v1/seals/${seals.items[0].id}/sign-hash`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': 'p-1' }, body: JSON.stringify({ hash: 'ab'.repeat(32), timeStamp: true }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { signature: string }).signature.length).toBeGreaterThan(1000);
  });

  it('stops on SIGTERM: finishes, closes the database, exits 0', async () => {
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('SIGTERM');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('eseal audit', () => {
  it('verify: exit 0 on the intact chain; export writes every event', () => {
    const v = eseal('audit', 'verify', '--db', 'sqlite:db/eseal.db');
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toContain('chain intact');
    const j = eseal('audit', 'verify', '--db', 'sqlite:db/eseal.db', '--json');
    const report = JSON.parse(j.stdout) as { valid: boolean; events: number };
    expect(report.valid).toBe(true);
    const e = eseal('audit', 'export', '--db', 'sqlite:db/eseal.db', '-o', 'audit.jsonl');
    expect(e.status, e.stderr).toBe(0);
    const lines = readFileSync(join(dir, 'audit.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(report.events);
    expect(JSON.parse(lines[0])).toMatchObject({ seq: 1, action: 'trust.add', result: 'success' });
  });

  it('verify: exit 1 naming the event when a row was edited behind the platform’s back', () => {
    const db = new Database(join(dir, 'db', 'eseal.db'));
    try {
      db.exec('DROP TRIGGER audit_events_no_update');
      db.prepare("UPDATE audit_events SET details = ? WHERE seq = 3").run(JSON.stringify({ username: 'mallory' }));
    } finally {
      db.close();
    }
    const v = eseal('audit', 'verify', '--db', 'sqlite:db/eseal.db');
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('chain BROKEN');
    expect(v.stdout).toMatch(/event 3: edited/);
    const usage = eseal('audit', 'verify');
    expect(usage.status).toBe(2);
  });
});
