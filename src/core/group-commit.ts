/**
 * @module core/group-commit
 * Group commit for the hot path (recording a use of a seal): while one database transaction commits,
 * the uses that arrive meanwhile queue up and are then recorded together in the next transaction —
 * one commit and one lock of the audit chain head for many stamps. A group starts at the end of the
 * event-loop turn in which its first use arrived (setImmediate, no timer), so at low load a use is
 * written at once, as a group of one.
 *
 * Each item runs its own checks (seal status under the row lock, grant, approval) inside the shared
 * transaction, after the items before it; a check that refuses an item (it throws before writing)
 * rejects that item only. Stamp records and audit events are written in bulk at the end of the group
 * (one insert, one lock of the audit chain head). Any other failure aborts the group, and its items
 * are then retried one transaction each, so one bad item never takes others down with it.
 */
import { EsealError } from '../util/errors.js';
import type { StampRecord } from './domain/types.js';
import type { NewAuditEvent, Repositories, Store } from './ports.js';

/**
 * Writes the items of a group hand over instead of making them one by one: all stamp records in one
 * insert, all audit events under one lock of the chain head. `memo` shares reads within the group
 * (a seal's locked state is read once for all its stamps).
 */
export interface GroupWrites {
  stamps: StampRecord[];
  events: NewAuditEvent[];
  memo: Map<string, Promise<unknown>>;
}

const newWrites = (): GroupWrites => ({ stamps: [], events: [], memo: new Map() });

async function flushWrites(tx: Repositories, w: GroupWrites): Promise<void> {
  if (w.stamps.length && w.events.length) await tx.audit.appendWithStamps(w.events, w.stamps);
  else {
    if (w.stamps.length) await tx.stamps.insertMany(w.stamps);
    if (w.events.length) await tx.audit.appendMany(w.events);
  }
}

/** Errors a use's checks raise before the item writes anything (safe to reject alone). */
const CHECK_CODES = new Set(['SEAL_NOT_USABLE', 'FORBIDDEN', 'UNAUTHENTICATED', 'NOT_FOUND', 'APPROVAL_REQUIRED', 'VALIDATION']);

/**
 * A use already checked against a seal's state at a known version, with nothing to write but its stamp
 * record and audit event: a group of such uses may be written by one statement that holds the seals'
 * row locks and writes only if their versions are unchanged (AuditRepo.appendWithStampsIfSealsUnchanged).
 */
export interface PrecheckedUse<T> {
  seal: { id: string; version: number };
  /** the API key the use was made with: recorded only while it is not revoked */
  apiKeyId?: string;
  stamp: StampRecord;
  event: NewAuditEvent;
  value: T;
}

interface Item {
  run: (tx: Repositories, w: GroupWrites) => Promise<unknown>;
  prechecked?: PrecheckedUse<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Largest group: bounds how long one transaction holds its locks. */
export const MAX_GROUP = 64;

class GroupCommitter {
  private queue: Item[] = [];
  private flushing = false;

  constructor(private readonly store: Store) {}

  submit<T>(run: (tx: Repositories, w: GroupWrites) => Promise<T>, prechecked?: PrecheckedUse<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, ...(prechecked ? { prechecked } : {}), resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        // start at the end of this turn of the event loop, so that the uses that become ready in the
        // same turn (signatures finished on the thread pool, requests read from the sockets) share
        // the transaction: an embedded database commits synchronously, so nothing could queue up
        // behind a commit that started at once
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        await this.commit(group);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The group in one statement, when every item is prechecked and the store can; false: not written. */
  private async commitPrechecked(group: Item[]): Promise<boolean> {
    const write = this.store.repos.audit.appendWithStampsIfSealsUnchanged;
    if (!write || !group.every((i) => i.prechecked)) return false;
    const uses = group.map((i) => i.prechecked!);
    const seals = new Map(uses.map((u) => [u.seal.id, u.seal.version]));
    const apiKeys = [...new Set(uses.flatMap((u) => (u.apiKeyId ? [u.apiKeyId] : [])))];
    try {
      const written = await write.call(
        this.store.repos.audit,
        uses.map((u) => u.event),
        uses.map((u) => u.stamp),
        { seals: [...seals].map(([id, version]) => ({ id, version })), activeApiKeys: apiKeys },
      );
      if (!written) return false;
    } catch {
      // whatever went wrong, the transaction path below judges each item again
      return false;
    }
    group.forEach((item) => item.resolve(item.prechecked!.value));
    return true;
  }

  private async commit(group: Item[]): Promise<void> {
    if (await this.commitPrechecked(group)) return;
    const outcomes = new Map<Item, { ok: true; value: unknown } | { ok: false; error: unknown }>();
    try {
      await this.store.transaction(async (tx) => {
        const w = newWrites();
        for (const item of group) {
          try {
            outcomes.set(item, { ok: true, value: await item.run(tx, w) });
          } catch (e) {
            // a refusal throws before the item hands over any write
            if (e instanceof EsealError && CHECK_CODES.has(e.code)) outcomes.set(item, { ok: false, error: e });
            else throw e;
          }
        }
        await flushWrites(tx, w);
      });
    } catch (e) {
      if (group.length === 1) {
        group[0].reject(e);
        return;
      }
      // the group failed as a whole: each item on its own, so only the culprit fails
      for (const item of group) {
        try {
          item.resolve(await this.store.transaction(async (tx) => {
            const w = newWrites();
            const v = await item.run(tx, w);
            await flushWrites(tx, w);
            return v;
          }));
        } catch (err) {
          item.reject(err);
        }
      }
      return;
    }
    for (const item of group) {
      const o = outcomes.get(item)!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    }
  }
}

const committers = new WeakMap<Store, GroupCommitter>();

/**
 * Runs `fn` in a transaction shared with other concurrent uses of the same store. `fn` hands stamp
 * records and audit events to `w` (written together after the group's items) and writes nothing else
 * before its checks have passed.
 */
export function groupTransaction<T>(store: Store, fn: (tx: Repositories, w: GroupWrites) => Promise<T>, prechecked?: PrecheckedUse<T>): Promise<T> {
  let c = committers.get(store);
  if (!c) {
    c = new GroupCommitter(store);
    committers.set(store, c);
  }
  return c.submit(fn, prechecked);
}
