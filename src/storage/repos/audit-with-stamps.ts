/**
 * @module storage/repos/audit-with-stamps
 * Stamp records and their audit events in one write (group commit's hot path).
 *
 * PostgreSQL: the audit chain head is locked from the append until the transaction ends, and under
 * load every round trip costs a turn of the server's busy event loop, so the statements while the
 * lock is held bound the whole platform's stamping rate. Here one statement moves the head, inserts
 * the stamp records and inserts the events (rows passed as two jsonb arrays, so the statement has
 * the same few parameters however large the group). The head it builds on is, when this process has
 * no other append in flight, the one it appended last — the guess of the single-event append
 * (audit.ts), checked inside the statement under the row lock; a wrong guess writes nothing and the
 * head is then read under `FOR UPDATE` and the statement run again. Three round trips under the lock
 * become one (two after a wrong guess).
 *
 * SQLite: the write transaction already holds the database's one write lock; the rows are inserted
 * by the usual statements.
 */
import { sql } from 'kysely';
import { auditHash } from '../../core/audit-chain.js';
import type { AuditEvent, StampRecord } from '../../core/domain/types.js';
import type { NewAuditEvent } from '../../core/ports.js';
import { fail } from '../../util/errors.js';
import { db } from '../errors.js';
import { claimHeadGuess, normaliseAuditEvent, stored } from './audit-rows.js';
import type { RepoContext } from './context.js';
import { stampRow } from './stamp-rows.js';

// the tables' columns with their PostgreSQL types (migrations/001_initial.ts), for jsonb_to_recordset
const STAMP_COLUMNS: [string, string][] = [
  ['id', 'text'], ['seal_id', 'text'], ['organisation_id', 'text'], ['authority_id', 'text'], ['user_id', 'text'], ['api_key_id', 'text'],
  ['kind', 'text'], ['document_type', 'text'], ['input_hash', 'text'], ['output_hash', 'text'], ['output_ref', 'text'], ['approval_id', 'text'],
  ['batch_id', 'text'], ['sign_time', 'timestamptz'], ['created_at', 'timestamptz'],
];
const EVENT_COLUMNS: [string, string][] = [
  ['seq', 'bigint'], ['id', 'text'], ['time', 'timestamptz'], ['actor_type', 'text'], ['actor_id', 'text'], ['actor_name', 'text'], ['action', 'text'],
  ['target_type', 'text'], ['target_id', 'text'], ['organisation_id', 'text'], ['authority_id', 'text'], ['request_id', 'text'], ['result', 'text'],
  ['details', 'text'], ['prev_hash', 'text'], ['hash', 'text'],
];
const names = (cols: [string, string][]) => sql.raw(cols.map(([n]) => n).join(', '));
const typed = (cols: [string, string][]) => sql.raw(cols.map(([n, t]) => `${n} ${t}`).join(', '));

async function writePostgres(
  x: RepoContext,
  es: NewAuditEvent[],
  stamps: StampRecord[],
  prev: { seq: number; hash: string },
  unless?: { seals: { id: string; version: number }[]; activeApiKeys: string[] },
): Promise<AuditEvent[] | undefined> {
  let seq = prev.seq;
  let hash = prev.hash;
  const rows = [];
  const out: AuditEvent[] = [];
  for (const e of es) {
    const h = auditHash(hash, seq + 1, e);
    rows.push(stored(x, e, seq + 1, hash, h));
    out.push({ seq: seq + 1, ...e, prevHash: hash, hash: h });
    seq += 1;
    hash = h;
  }
  const headOk = sql`audit_head.seq = ${prev.seq}::bigint AND audit_head.hash = ${prev.hash}`;
  // the seals' rows locked (FOR UPDATE, as the transaction path's check takes them) and still at the
  // versions their uses were checked at; a row changed meanwhile is re-read after the lock wait and
  // then no longer matches
  const keysOk = unless?.activeApiKeys.length
    ? sql` AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.id = ANY(${unless.activeApiKeys}::text[]) AND k.revoked_at IS NOT NULL)`
    : sql``;
  const ok = unless
    ? sql`${headOk} AND (SELECT count(*) FROM unchanged) = ${unless.seals.length}${keysOk}`
    : headOk;
  const unchanged = unless
    ? sql`unchanged AS (
          SELECT s.id FROM seals s JOIN jsonb_to_recordset(${JSON.stringify(unless.seals)}::jsonb) AS v(id text, version integer)
            ON s.id = v.id AND s.version = v.version
          FOR UPDATE OF s),`
    : sql``;
  const time = rows[rows.length - 1].time;
  const res = await db(
    sql`WITH ${unchanged} moved AS (
          UPDATE audit_head SET
            seq = CASE WHEN ${ok} THEN ${seq}::bigint ELSE audit_head.seq END,
            hash = CASE WHEN ${ok} THEN ${hash} ELSE audit_head.hash END,
            updated_at = CASE WHEN ${ok} THEN ${time}::timestamptz ELSE audit_head.updated_at END
          WHERE id = 1 RETURNING seq, hash),
        go AS (SELECT 1 FROM moved WHERE moved.seq = ${seq}::bigint AND moved.hash = ${hash}),
        stamped AS (
          INSERT INTO stamps (${names(STAMP_COLUMNS)})
          SELECT ${names(STAMP_COLUMNS)} FROM jsonb_to_recordset(${JSON.stringify(stamps.map((s) => stampRow(x, s)))}::jsonb) AS v(${typed(STAMP_COLUMNS)})
          WHERE EXISTS (SELECT 1 FROM go)
          RETURNING 1)
        INSERT INTO audit_events (${names(EVENT_COLUMNS)})
        SELECT ${names(EVENT_COLUMNS)} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(${typed(EVENT_COLUMNS)})
        WHERE EXISTS (SELECT 1 FROM go)`.execute(x.w()),
  );
  if (res.numAffectedRows !== BigInt(rows.length)) return undefined;
  x.shared.auditHead = { seq, hash };
  return out;
}

/**
 * Inserts `stamps` and appends `events` (in this order in the chain) inside the current transaction.
 * The events must be those of the stamps' acts: both are written, or neither.
 */
export async function appendWithStamps(x: RepoContext, events: NewAuditEvent[], stamps: StampRecord[]): Promise<AuditEvent[]> {
  const es = events.map(normaliseAuditEvent);
  x.shared.counters.auditAppends += es.length;
  if (!es.length) fail('INVALID_ARGUMENT', 'stamp records are written with the audit events of their acts');
  if (!x.inTransaction) fail('NESTED_TRANSACTION', 'stamp records and their audit events are written inside a transaction');
  const guess = claimHeadGuess(x);
  // until this statement has succeeded, the head this process knows is not the newest
  x.shared.auditHead = undefined;
  const written = guess ? await writePostgres(x, es, stamps, guess) : undefined;
  if (written) return written;
  if (guess) x.shared.counters.auditHeadMisses++;
  const head = await db(x.w().selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirst());
  if (!head) fail('AUDIT_CHAIN_BROKEN', 'the audit chain head is missing (the audit_head row was deleted)');
  return (await writePostgres(x, es, stamps, { seq: x.c.int(head.seq), hash: head.hash })) ?? fail('AUDIT_CHAIN_BROKEN', 'the audit chain head moved while it was locked');
}

/**
 * PostgreSQL, outside any transaction: the stamp records and their events in one statement (its own
 * transaction), written only if the chain head is the one this process appended last, every seal
 * is still at the given version and no given API key is revoked. Undefined when nothing was written.
 */
export async function appendWithStampsIfSealsUnchanged(
  x: RepoContext,
  events: NewAuditEvent[],
  stamps: StampRecord[],
  unless: { seals: { id: string; version: number }[]; activeApiKeys: string[] },
): Promise<AuditEvent[] | undefined> {
  if (x.inTransaction) fail('NESTED_TRANSACTION', 'this write is a transaction of its own');
  const shared = x.shared;
  const guess = shared.pendingAppends === 0 ? shared.auditHead : undefined;
  if (!guess || !events.length || !unless.seals.length) return undefined;
  const es = events.map(normaliseAuditEvent);
  shared.pendingAppends++;
  shared.auditHead = undefined;
  try {
    const written = await writePostgres(x, es, stamps, guess, unless);
    if (written) shared.counters.auditAppends += es.length;
    else shared.counters.auditHeadMisses++;
    return written;
  } finally {
    shared.pendingAppends--;
  }
}
