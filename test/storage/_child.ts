/** Runs _append-child.ts in a separate node process (the TypeScript sources through _register.mjs). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OpenStoreOptions } from '../../src/storage/index.js';

const CHILD = fileURLToPath(new URL('./_append-child.ts', import.meta.url));
const REGISTER = fileURLToPath(new URL('./_register.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppendJob {
  url: string;
  options: OpenStoreOptions;
  count: number;
  concurrency: number;
  prefix: string;
  /** epoch ms at which the child starts appending (after opening the store) */
  startAt?: number;
}

export function appendInChild(job: AppendJob): Promise<{ appended: number; ms: number; perSecond: number; headMisses: number }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', REGISTER, CHILD, JSON.stringify(job)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').pop()!)) : fail(new Error(`child exited with ${code}: ${err}`))));
  });
}
