/**
 * The audit record: append-only, hash-chained, with the chain head kept in its own one-row table.
 *
 * `append` runs inside the caller's transaction (or its own): it takes the head under a lock (the
 * PostgreSQL row lock of audit_head; SQLite's write transaction holds the database write lock
 * already), computes seq = head.seq + 1 and hash = auditHash(head.hash, seq, event), inserts the event
 * and moves the head; the lock is held until the transaction ends.
 * So appends from any number of transactions and processes form one chain, in commit order, and an
 * audit event commits together with the state change it records, or neither does.
 *
 * What is hashed is exactly what is stored: the event is first normalised to its stored form (actor
 * reduced to type / id / name as strings, details through canonical JSON), so reading it back always
 * reproduces the hash.
 */
import { sql } from 'kysely';
import { auditHash, GENESIS_HASH } from '../../core/audit-chain.js';
import type { Actor, ActorType, AuditEvent, StampRecord } from '../../core/domain/types.js';
import type { AuditFilter, AuditRepo, NewAuditEvent } from '../../core/ports.js';
import { fail } from '../../util/errors.js';
import { db } from '../errors.js';
import type { AuditEventRow } from '../schema.js';
import { compact, paged, type RepoContext } from './context.js';
import { claimHeadGuess, normaliseAuditEvent, stored } from './audit-rows.js';
import { appendWithStamps, appendWithStampsIfSealsUnchanged } from './audit-with-stamps.js';
import { SqlStampRepo } from './stamps.js';

export { normaliseAuditEvent } from './audit-rows.js';

/** rows returned by `list` when no limit is given (use `scan` to read everything) */
export const AUDIT_LIST_DEFAULT_LIMIT = 1000;

function auditEvent(x: RepoContext, r: AuditEventRow): AuditEvent {
  return compact<AuditEvent>({
    seq: x.c.int(r.seq),
    id: r.id,
    time: x.c.date(r.time),
    actor: compact<Actor>({ type: r.actor_type as ActorType, id: r.actor_id, name: r.actor_name }),
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    organisationId: r.organisation_id,
    authorityId: r.authority_id,
    requestId: r.request_id,
    result: r.result as AuditEvent['result'],
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  });
}

/** SQLite: the write transaction holds the database write lock, so the head cannot move under us. */
async function appendSqlite(x: RepoContext, e: NewAuditEvent): Promise<AuditEvent> {
  const w = x.w();
  const head = await db(w.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst());
  if (!head) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head is missing (the audit_head row was deleted)');
  const seq = x.c.int(head.seq) + 1;
  const hash = auditHash(head.hash, seq, e);
  await db(w.insertInto('audit_events').values(stored(x, e, seq, head.hash, hash)).execute());
  const moved = await db(w.updateTable('audit_head').set({ seq, hash, updated_at: x.c.time(e.time) }).where('id', '=', 1).where('seq', '=', head.seq).executeTakeFirst());
  if (moved.numUpdatedRows !== 1n) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head moved during an append');
  return { seq, ...e, prevHash: head.hash, hash };
}

/**
 * PostgreSQL: the head row is locked from the append until the transaction ends, so the time it is
 * held bounds the append rate of the whole platform. The usual way: read the head under
 * `SELECT … FOR UPDATE`, then one statement moves the head and inserts the event.
 *
 * A shortcut saves that read (a round trip while the lock is held) when this process has no other
 * append in flight: the head is then most likely the one this process appended last, and one
 * statement guarded by it (`seq = prev AND hash = prevHash`) moves the head and inserts the event.
 * Its WHERE is `id = 1` alone and the guard sits in CASEs, so the statement always takes the row lock
 * and judges the newest version of the row (READ COMMITTED re-reads a row changed meanwhile, but only
 * one its WHERE matched in its snapshot); a wrong guess (another process appended, or the last append
 * rolled back) writes nothing but holds the lock, and the usual way follows. With several appends in
 * flight in one process, guesses would chain on uncommitted guesses and mostly miss, so they take the
 * usual way at once.
 */
async function appendPostgres(x: RepoContext, e: NewAuditEvent): Promise<AuditEvent> {
  const w = x.w();
  const write = async (prev: { seq: number; hash: string }) => {
    const seq = prev.seq + 1;
    const hash = auditHash(prev.hash, seq, e);
    x.shared.auditHead = { seq, hash };
    const r = stored(x, e, seq, prev.hash, hash);
    // WHERE id = 1 alone, so that the statement always waits for the row and then sees its newest
    // version (READ COMMITTED re-reads a row updated meanwhile, but only rows its WHERE matched in the
    // snapshot); the guard is in the CASEs: a wrong guess leaves the head as it is (and locked)
    const ok = sql`audit_head.seq = ${prev.seq}::bigint AND audit_head.hash = ${prev.hash}`;
    const res = await db(
      sql`WITH moved AS (
            UPDATE audit_head SET
              seq = CASE WHEN ${ok} THEN ${seq}::bigint ELSE audit_head.seq END,
              hash = CASE WHEN ${ok} THEN ${hash} ELSE audit_head.hash END,
              updated_at = CASE WHEN ${ok} THEN ${r.time}::timestamptz ELSE audit_head.updated_at END
            WHERE id = 1 RETURNING seq, hash)
          INSERT INTO audit_events (seq, id, time, actor_type, actor_id, actor_name, action, target_type, target_id, organisation_id, authority_id, request_id, result, details, prev_hash, hash)
          SELECT moved.seq, ${r.id}, ${r.time}::timestamptz, ${r.actor_type}, ${r.actor_id}::text, ${r.actor_name}::text, ${r.action}, ${r.target_type}::text, ${r.target_id}::text,
                 ${r.organisation_id}::text, ${r.authority_id}::text, ${r.request_id}::text, ${r.result}, ${r.details}, ${r.prev_hash}, ${r.hash}
          FROM moved WHERE moved.seq = ${seq}::bigint AND moved.hash = ${hash}`.execute(w),
    );
    return res.numAffectedRows === 1n ? { seq, ...e, prevHash: prev.hash, hash } : undefined;
  };
  const guess = claimHeadGuess(x);
  const event = guess ? await write(guess) : undefined;
  if (event) return event;
  if (guess) x.shared.counters.auditHeadMisses++;
  const head = await db(w.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirst());
  if (!head) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head is missing (the audit_head row was deleted)');
  return (await write({ seq: x.c.int(head.seq), hash: head.hash })) ?? fail('AUDIT_CHAIN_BROKEN', 'the audit chain head moved while it was locked');
}

export class SqlAuditRepo implements AuditRepo {
  readonly appendWithStampsIfSealsUnchanged?: AuditRepo['appendWithStampsIfSealsUnchanged'];

  constructor(private readonly x: RepoContext) {
    // PostgreSQL only: on SQLite a transaction costs no round trips, so there is nothing to save
    if (x.dialect === 'postgres' && !x.inTransaction) {
      this.appendWithStampsIfSealsUnchanged = (events, stamps, unless) => appendWithStampsIfSealsUnchanged(x, events, stamps, unless);
    }
  }

  async append(input: NewAuditEvent): Promise<AuditEvent> {
    const e = normaliseAuditEvent(input);
    this.x.shared.counters.auditAppends++;
    return this.x.atomic((x) => (x.dialect === 'postgres' ? appendPostgres(x, e) : appendSqlite(x, e)));
  }

  /**
   * Several events in chain order under one head lock: the head is read (PostgreSQL: FOR UPDATE), the
   * chain computed here, the events inserted in one statement and the head moved once (guarded by the
   * seq it was read at). Used by group commit, where it replaces one round trip per event.
   */
  async appendMany(inputs: NewAuditEvent[]): Promise<AuditEvent[]> {
    if (inputs.length <= 1) return Promise.all(inputs.map((e) => this.append(e)));
    const es = inputs.map(normaliseAuditEvent);
    this.x.shared.counters.auditAppends += es.length;
    return this.x.atomic(async (x) => {
      const w = x.w();
      let q = w.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
      if (x.dialect === 'postgres') q = q.forUpdate();
      const head = await db(q.executeTakeFirst());
      if (!head) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head is missing (the audit_head row was deleted)');
      let prevSeq = x.c.int(head.seq);
      let prevHash = head.hash;
      const out: AuditEvent[] = [];
      const rows: AuditEventRow[] = [];
      for (const e of es) {
        const seq = prevSeq + 1;
        const hash = auditHash(prevHash, seq, e);
        rows.push(stored(x, e, seq, prevHash, hash));
        out.push({ seq, ...e, prevHash, hash });
        prevSeq = seq;
        prevHash = hash;
      }
      for (let i = 0; i < rows.length; i += 500) await db(w.insertInto('audit_events').values(rows.slice(i, i + 500)).execute());
      const moved = await db(w.updateTable('audit_head').set({ seq: prevSeq, hash: prevHash, updated_at: x.c.time(es[es.length - 1].time) }).where('id', '=', 1).where('seq', '=', head.seq).executeTakeFirst());
      if (moved.numUpdatedRows !== 1n) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head moved during an append');
      // the single-event shortcut guesses the head from this process's last append: not after this one
      x.shared.auditHead = undefined;
      return out;
    });
  }

  async appendWithStamps(events: NewAuditEvent[], stamps: StampRecord[]): Promise<AuditEvent[]> {
    if (this.x.dialect === 'postgres') return this.x.atomic((x) => appendWithStamps(x, events, stamps));
    return this.x.atomic(async (x) => {
      await new SqlStampRepo(x).insertMany(stamps);
      return new SqlAuditRepo(x).appendMany(events);
    });
  }

  /** newest first; at most {@link AUDIT_LIST_DEFAULT_LIMIT} events unless a limit is given */
  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    const { c } = this.x;
    let q = this.x.r.selectFrom('audit_events').selectAll();
    if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
    if (filter.authorityId !== undefined) q = q.where('authority_id', '=', filter.authorityId);
    if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType);
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.from !== undefined) q = q.where('time', '>=', c.time(filter.from));
    if (filter.to !== undefined) q = q.where('time', '<', c.time(filter.to));
    const rows = await db(paged(q.orderBy('seq', 'desc'), { limit: AUDIT_LIST_DEFAULT_LIMIT, ...filter }).execute());
    return rows.map((r) => auditEvent(this.x, r));
  }

  async scan(fromSeq: number, limit: number): Promise<AuditEvent[]> {
    if (!Number.isSafeInteger(fromSeq)) fail('INVALID_ARGUMENT', 'fromSeq must be an integer');
    const rows = await db(paged(this.x.r.selectFrom('audit_events').selectAll().where('seq', '>=', fromSeq).orderBy('seq'), { limit }).execute());
    return rows.map((r) => auditEvent(this.x, r));
  }

  /**
   * The recorded head; seq 0 and the genesis hash for an empty record. A missing head row (deleted
   * behind the triggers' back) reads as the empty head, so a chain with events reports a head mismatch.
   */
  async head(): Promise<{ seq: number; hash: string }> {
    const r = await db(this.x.r.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst());
    return r ? { seq: this.x.c.int(r.seq), hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  async count(): Promise<number> {
    const r = await db(this.x.r.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow());
    return this.x.c.int(r.n);
  }
}
