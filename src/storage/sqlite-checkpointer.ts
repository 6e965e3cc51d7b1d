/**
 * @module storage/sqlite-checkpointer
 * Checkpoints a WAL-mode SQLite database from a worker thread, so the platform's event loop does not.
 *
 * With SQLite's default (wal_autocheckpoint = 1000 pages) the connection that commits past the
 * threshold copies the WAL into the database file and syncs it inside its COMMIT. better-sqlite3 is
 * synchronous, so that work — about half of a commit's time under sustained stamping — ran on the
 * server's main thread. Here a worker with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)`
 * every `intervalMs`: a passive checkpoint takes no lock that the writer or the readers wait for,
 * and the writer restarts the WAL at its next commit once everything is copied. The writer keeps a
 * high autocheckpoint threshold as a safety net, and returns to SQLite's default should the worker
 * fail, so the WAL cannot grow without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Pages the writer lets the WAL hold before checkpointing itself (the worker normally keeps it far lower). */
export const SAFETY_NET_PAGES = 20_000;
export const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 100;

// CommonJS, evaluated in the worker: better-sqlite3 is loaded from the path the parent resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
let timer;
try {
  db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
  timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      if (!/BUSY|LOCKED/.test(String(e.code))) {
        clearInterval(timer);
        db.close();
        parentPort.postMessage({ failed: e.message });
      }
    }
  }, workerData.intervalMs);
} catch (e) {
  parentPort.postMessage({ failed: 'cannot open the database: ' + e.message });
}
parentPort.on('message', () => {
  clearInterval(timer);
  if (db && db.open) db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the worker (after its current checkpoint) and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `path` in a worker. `onFailure` runs (once) if the worker cannot go on; the
 * caller should then let its writer checkpoint again.
 */
export function startCheckpointer(path: string, onFailure: (reason: string) => void, intervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, module, intervalMs } });
  worker.unref();
  let stopped = false;
  let failed = false;
  const fail = (reason: string) => {
    if (stopped || failed) return;
    failed = true;
    onFailure(reason);
  };
  worker.on('message', (m: { failed?: string }) => m.failed && fail(m.failed));
  worker.on('error', (e) => fail(e.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('exit', (code) => code !== 0 && fail(`the checkpoint worker exited with code ${code}`));
  return {
    async stop() {
      if (stopped) return exited;
      stopped = true;
      // referenced again while it stops, or a process whose last task is this await ends early
      worker.ref();
      worker.postMessage('stop');
      // a worker that hangs must not hold the shutdown
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      timeout.unref();
      await exited;
      clearTimeout(timeout);
    },
  };
}
