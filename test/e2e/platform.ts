/**
 * The platform as a user meets it: `eseal serve` in a child process, spoken to over real HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/eseal.cjs');

export interface Served {
  child: ChildProcess;
  url: string;
  out: () => string;
  exit: Promise<number | null>;
  stop(): Promise<number | null>;
}

export async function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', 'data', '--log-level', 'warn', '--rate-limit', '0', ...args], { cwd, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
  const deadline = Date.now() + 90_000;
  while (!/stop with Ctrl-C/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`eseal serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url: /eseal platform: (http:\/\/\S+)/.exec(out)![1],
    out: () => out,
    exit,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

export interface Http {
  status: number;
  headers: Headers;
  json: <T = Record<string, unknown>>() => T;
  bytes: Uint8Array;
}

export async function http(base: string, path: string, init: { method?: string; token?: string; json?: unknown; body?: Uint8Array; type?: string } = {}): Promise<Http> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.body) {
    headers['content-type'] = init.type ?? 'application/octet-stream';
    body = init.body as unknown as BodyInit;
  }
  const r = await fetch(`${base}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, ...(body ? { body } : {}) });
  const bytes = new Uint8Array(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, bytes, json: <T>() => JSON.parse(new TextDecoder().decode(bytes)) as T };
}

export const login = async (base: string, username: string): Promise<string> => {
  const r = await http(base, '/api/v1/auth/login', { json: { username, password: `${username}@eseal-demo` } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${new TextDecoder().decode(r.bytes)}`);
  return r.json<{ token: string }>().token;
};
