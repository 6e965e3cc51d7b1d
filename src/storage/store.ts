/**
 * @module storage/store
 * The Store port over Kysely: repositories outside a transaction (reads on the reader, writes
 * autocommitted on the writer) and `transaction(fn)`, which gives `fn` repositories bound to one
 * database transaction.
 *
 * Transactions cannot nest, and inside one the store's outside repositories cannot write: on SQLite
 * the writer is busy with the transaction (the write would wait for it forever), on PostgreSQL the
 * write would commit on its own, outside the transaction. Both are refused with NESTED_TRANSACTION
 * (the async context is tracked with AsyncLocalStorage). Reads through the outside repositories are
 * allowed and see the last committed state.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { Repositories, Store } from '../core/ports.js';
import { fail } from '../util/errors.js';
import type { Codec } from './codec.js';
import { db } from './errors.js';
import type { SqlDialect } from './migrations/types.js';
import { makeRepositories, type RepoContext } from './repos/index.js';
import type { StoreShared } from './repos/context.js';
import type { Database } from './schema.js';

interface TxState {
  active: boolean;
}

export interface SqlStoreParts {
  dialect: SqlDialect;
  codec: Codec;
  /** transactions and writes outside them */
  writer: Kysely<Database>;
  /** reads outside transactions (may be the writer) */
  reader: Kysely<Database>;
  statsOffsetMinutes: number;
  /** releases what the store holds (connections, pools) */
  close(): Promise<void>;
}

export class SqlStore implements Store {
  readonly repos: Repositories;
  readonly dialect: SqlDialect;
  readonly #parts: SqlStoreParts;
  readonly #tx = new AsyncLocalStorage<TxState>();
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #shared: StoreShared = { pendingAppends: 0, counters: { auditAppends: 0, auditHeadMisses: 0 } };
  #closed = false;

  constructor(parts: SqlStoreParts) {
    this.#parts = parts;
    this.dialect = parts.dialect;
    const outside: RepoContext = {
      dialect: parts.dialect,
      c: parts.codec,
      r: parts.reader,
      w: () => {
        if (this.#tx.getStore()?.active) {
          fail('NESTED_TRANSACTION', 'a write through store.repos inside store.transaction(): use the repositories the transaction gives');
        }
        return parts.writer;
      },
      inTransaction: false,
      atomic: (fn) => this.#run(fn),
      statsOffsetMinutes: parts.statsOffsetMinutes,
      shared: this.#shared,
      onEnd: () => fail('INVALID_ARGUMENT', 'onEnd is only available inside a transaction'),
    };
    this.repos = makeRepositories(outside);
  }

  /** counters for metrics: audit appends attempted, and (PostgreSQL) those that had to read the head under lock */
  diagnostics(): { auditAppends: number; auditHeadMisses: number; inflightTransactions: number } {
    return { ...this.#shared.counters, inflightTransactions: this.#inflight.size };
  }

  /** Kysely over the writer, for tests and tools (migrations, diagnostics); not for use cases. */
  get kysely(): Kysely<Database> {
    return this.#parts.writer;
  }

  #run<T>(fn: (ctx: RepoContext) => Promise<T>): Promise<T> {
    try {
      if (this.#closed) fail('STORE_CLOSED', 'the store is closed');
      if (this.#tx.getStore()?.active) fail('NESTED_TRANSACTION', 'store.transaction() inside a transaction: use the repositories the outer transaction gives');
    } catch (e) {
      return Promise.reject(e);
    }
    const state: TxState = { active: true };
    const { dialect, codec, statsOffsetMinutes } = this.#parts;
    const ended: ((committed: boolean) => void)[] = [];
    const end = (committed: boolean) => {
      state.active = false;
      this.#inflight.delete(p);
      for (const cb of ended) cb(committed);
    };
    const p: Promise<T> = this.#tx
      .run(state, () =>
        db(
          this.#parts.writer.transaction().execute((trx) => {
            const ctx: RepoContext = {
              dialect, c: codec, r: trx, w: () => trx, inTransaction: true, atomic: (f) => f(ctx), statsOffsetMinutes, shared: this.#shared, onEnd: (cb) => ended.push(cb),
            };
            return fn(ctx);
          }),
        ),
      )
      .then(
        (v) => {
          end(true);
          return v;
        },
        (e: unknown) => {
          end(false);
          throw e;
        },
      );
    this.#inflight.add(p);
    return p;
  }

  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.#run((ctx) => fn(makeRepositories(ctx)));
  }

  async ping(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await sql`SELECT 1`.execute(this.#parts.reader);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // let running transactions finish (graceful shutdown), then release the connections
    await Promise.allSettled([...this.#inflight]);
    await this.#parts.close();
  }
}
