/** Test helpers: run the openssl CLI (an independent judge) and manage temporary folders. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DISTID = 'distid:1234567812345678';

export function tempDir(prefix = 'eseal-test-'): { dir: string; path: (name: string) => string; write: (name: string, data: string | Uint8Array) => string; read: (name: string) => Buffer; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (n) => join(dir, n),
    write: (n, d) => {
      writeFileSync(join(dir, n), d);
      return join(dir, n);
    },
    read: (n) => readFileSync(join(dir, n)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs openssl; returns status, stdout and stderr without throwing. */
export function openssl(args: string[], input?: string | Uint8Array): { status: number; stdout: string; stderr: string; out: Buffer } {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '', out: r.stdout ?? Buffer.alloc(0) };
}

/** Runs openssl and throws with its stderr when it fails. */
export function opensslOk(args: string[], input?: string | Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * The shared folder (samples, independent checkers): ../shared beside the checkout, as DEVELOPERS.md
 * lays it out; ESEAL_SHARED_DIR overrides it, and /work/shared is tried for clones made elsewhere.
 */
export const SHARED = [process.env.ESEAL_SHARED_DIR, join(__dirname, '../../../shared'), '/work/shared'].find((d): d is string => !!d && existsSync(join(d, 'samples'))) ?? join(__dirname, '../../../shared');
export const SAMPLES = join(SHARED, 'samples');
export const sample = (rel: string): Buffer => readFileSync(join(SAMPLES, rel));
