/**
 * @module cli/io
 * File helpers for the command line: read inputs, write outputs atomically (a failed command never
 * leaves a half-written file), and keep private keys readable by their owner only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CommandContext } from './command.js';
import { UsageError } from './command.js';

export function readInput(ctx: CommandContext, path: string, what = 'file'): Uint8Array {
  const p = resolve(ctx.cwd, path);
  if (!existsSync(p)) throw new UsageError(`${what} not found: ${path}`);
  return new Uint8Array(readFileSync(p));
}

export function writeOutput(ctx: CommandContext, path: string, data: string | Uint8Array, opts: { secret?: boolean } = {}): string {
  const p = resolve(ctx.cwd, path);
  mkdirSync(dirname(p), { recursive: true });
  const tmp = `${p}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: opts.secret ? 0o600 : 0o644 });
  renameSync(tmp, p);
  return p;
}

export function printResult(ctx: CommandContext, json: boolean, data: unknown, text: string): void {
  ctx.out(json ? JSON.stringify(data, jsonReplacer, 2) + '\n' : text.endsWith('\n') ? text : text + '\n');
}

/** JSON for bigints, bytes (hex) and dates. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

/** Parses "2026-01-01", "2026-01-01T08:00:00+08:00" etc. */
export function parseTime(text: string, what = '--at'): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${what}: "${text}" is not a date/time (use ISO 8601, e.g. 2026-01-01T08:00:00+08:00)`);
  return d;
}

export function parsePositiveInt(text: string | undefined, what: string, dflt: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive integer, got "${text}"`);
  return n;
}
