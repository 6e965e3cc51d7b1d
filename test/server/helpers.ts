/**
 * Test helpers for the server: a platform on a real SQLite database in a temp folder (or PostgreSQL in
 * a fresh schema), the app built around it for `inject`, and logins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import pg from 'pg';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createPlatform, type Platform, type PlatformConfig } from '../../src/server/platform.js';
import { buildServer, type ServerOptions } from '../../src/server/server.js';
import { demoPassword } from '../../src/server/demo.js';
import { runningBatches } from '../../src/server/routes/api/stamping/index.js';

export interface TestPlatform {
  platform: Platform;
  app: FastifyInstance;
  dir: string;
  close(): Promise<void>;
}

export const PG_URL = process.env.ESEAL_TEST_PG ?? 'postgres://127.0.0.1:5432/test';

/** Drops a test schema (connecting as the OS user, as libpq and the store do). */
export async function dropPgSchema(schema: string): Promise<void> {
  const url = new URL(PG_URL);
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

export async function testPlatform(opts: { demo?: boolean; db?: string; storeOptions?: PlatformConfig['storeOptions']; server?: Partial<ServerOptions>; settings?: PlatformConfig['settings']; tsa?: boolean } = {}): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'eseal-server-'));
  const platform = await createPlatform({
    db: opts.db ?? `sqlite:${join(dir, 'eseal.db')}`,
    dataDir: join(dir, 'data'),
    masterKey: crypto.getRandomValues(new Uint8Array(32)),
    demo: opts.demo ?? true,
    ...(opts.tsa === false ? { tsa: false } : {}),
    ...(opts.storeOptions ? { storeOptions: opts.storeOptions } : {}),
    ...(opts.settings ? { settings: opts.settings } : {}),
  });
  const app = await buildServer({ deps: platform.deps, logger: false, ...opts.server });
  return {
    platform,
    app,
    dir,
    async close() {
      await app.close();
      await Promise.allSettled([...runningBatches]);
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in a demo user; returns the Authorization header. */
export async function loginAs(app: FastifyInstance, username: string, password = demoPassword(username)): Promise<Record<string, string>> {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  return { authorization: `Bearer ${r.json<{ token: string }>().token}` };
}

export async function call(app: FastifyInstance, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject(opts);
}

/** The error shape, checked. */
export function errorOf(r: LightMyRequestResponse): { code: string; message: string; details?: Record<string, unknown>; requestId: string } {
  const body = r.json<{ error: { code: string; message: string; details?: Record<string, unknown>; requestId: string } }>();
  if (!body.error || typeof body.error.code !== 'string' || typeof body.error.message !== 'string' || typeof body.error.requestId !== 'string') throw new Error(`not the error shape: ${r.body}`);
  const extra = Object.keys(body).filter((k) => k !== 'error');
  if (extra.length) throw new Error(`error body has extra fields ${extra.join(', ')}`);
  return body.error;
}
