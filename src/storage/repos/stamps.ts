/** Stamp records, batch jobs, stored keys, trusted certificates, idempotency keys and statistics. */
import { sql, type RawBuilder } from 'kysely';
import type { BatchItem, BatchJob, Id, IdempotencyRecord, StampKind, StampRecord, StoredKey } from '../../core/domain/types.js';
import type { BatchRepo, IdempotencyRepo, KeyRepo, Page, StampRepo, StatsRepo, StatsRow, TrustedCertificate, TrustRepo } from '../../core/ports.js';
import { fail } from '../../util/errors.js';
import { db } from '../errors.js';
import type { BatchItemRow, BatchJobRow, StampRow } from '../schema.js';
import { compact, paged, updatedOne, type RepoContext } from './context.js';
import { stampRow } from './stamp-rows.js';

// ---------------------------------------------------------------- stamps

function stamp(x: RepoContext, r: StampRow): StampRecord {
  const { c } = x;
  return compact<StampRecord>({
    id: r.id,
    sealId: r.seal_id,
    organisationId: r.organisation_id,
    authorityId: r.authority_id,
    userId: r.user_id,
    apiKeyId: r.api_key_id,
    kind: r.kind as StampKind,
    documentType: r.document_type,
    inputHash: r.input_hash,
    outputHash: r.output_hash,
    outputRef: r.output_ref,
    approvalId: r.approval_id,
    batchId: r.batch_id,
    signTime: c.date(r.sign_time),
    createdAt: c.date(r.created_at),
  });
}

export class SqlStampRepo implements StampRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(s: StampRecord): Promise<void> {
    await db(this.x.w().insertInto('stamps').values(stampRow(this.x, s)).execute());
  }

  async insertMany(list: StampRecord[]): Promise<void> {
    // SQLite binds at most 32766 parameters per statement: chunks of 500 rows stay well below
    for (let i = 0; i < list.length; i += 500) await db(this.x.w().insertInto('stamps').values(list.slice(i, i + 500).map((s) => stampRow(this.x, s))).execute());
  }

  async get(id: Id): Promise<StampRecord | undefined> {
    const r = await db(this.x.r.selectFrom('stamps').selectAll().where('id', '=', id).executeTakeFirst());
    return r && stamp(this.x, r);
  }

  /** newest (by signing time) first */
  async list(filter: { sealId?: Id; organisationId?: Id; batchId?: Id } & Page): Promise<StampRecord[]> {
    let q = this.x.r.selectFrom('stamps').selectAll();
    if (filter.sealId !== undefined) q = q.where('seal_id', '=', filter.sealId);
    if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
    if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
    const rows = await db(paged(q.orderBy('sign_time', 'desc').orderBy('id', 'desc'), filter).execute());
    return rows.map((r) => stamp(this.x, r));
  }
}

// ---------------------------------------------------------------- batches

function jobRow(x: RepoContext, b: BatchJob): BatchJobRow {
  const { c } = x;
  return {
    id: b.id,
    seal_id: b.sealId,
    user_id: b.userId ?? null,
    api_key_id: b.apiKeyId ?? null,
    status: b.status,
    total: b.total,
    done: b.done,
    failed: b.failed,
    options: c.json(b.options ?? {}),
    created_at: c.time(b.createdAt),
    updated_at: c.time(b.updatedAt),
  };
}

function job(x: RepoContext, r: BatchJobRow): BatchJob {
  const { c } = x;
  return compact<BatchJob>({
    id: r.id,
    sealId: r.seal_id,
    userId: r.user_id,
    apiKeyId: r.api_key_id,
    status: r.status as BatchJob['status'],
    total: c.int(r.total),
    done: c.int(r.done),
    failed: c.int(r.failed),
    options: c.fromJson<Record<string, unknown>>(r.options),
    createdAt: c.date(r.created_at),
    updatedAt: c.date(r.updated_at),
  });
}

function itemRow(i: BatchItem): BatchItemRow {
  return {
    id: i.id,
    batch_id: i.batchId,
    idx: i.index,
    name: i.name,
    input_ref: i.inputRef,
    status: i.status,
    output_ref: i.outputRef ?? null,
    stamp_id: i.stampId ?? null,
    error: i.error ?? null,
  };
}

function item(x: RepoContext, r: BatchItemRow): BatchItem {
  return compact<BatchItem>({
    id: r.id,
    batchId: r.batch_id,
    index: x.c.int(r.idx),
    name: r.name,
    inputRef: r.input_ref,
    status: r.status as BatchItem['status'],
    outputRef: r.output_ref,
    stampId: r.stamp_id,
    error: r.error,
  });
}

/** rows per INSERT statement (9 columns: far below SQLite's and PostgreSQL's parameter limits) */
const ITEM_CHUNK = 500;

export class SqlBatchRepo implements BatchRepo {
  constructor(private readonly x: RepoContext) {}

  /** the job and all its items, atomically */
  async insert(b: BatchJob, items: BatchItem[]): Promise<void> {
    for (const i of items) if (i.batchId !== b.id) fail('INVALID_ARGUMENT', `batch item ${i.id} belongs to batch ${i.batchId}, not ${b.id}`);
    await this.x.atomic(async (x) => {
      await db(x.w().insertInto('batch_jobs').values(jobRow(x, b)).execute());
      for (let k = 0; k < items.length; k += ITEM_CHUNK) {
        await db(x.w().insertInto('batch_items').values(items.slice(k, k + ITEM_CHUNK).map(itemRow)).execute());
      }
    });
  }

  async get(id: Id): Promise<BatchJob | undefined> {
    const r = await db(this.x.r.selectFrom('batch_jobs').selectAll().where('id', '=', id).executeTakeFirst());
    return r && job(this.x, r);
  }

  async update(b: BatchJob): Promise<void> {
    const { id, created_at: _, ...set } = jobRow(this.x, b);
    updatedOne(await db(this.x.w().updateTable('batch_jobs').set(set).where('id', '=', id).executeTakeFirst()), 'batch job', id);
  }

  /** in item order */
  async items(batchId: Id, filter?: { status?: BatchItem['status'] }): Promise<BatchItem[]> {
    let q = this.x.r.selectFrom('batch_items').selectAll().where('batch_id', '=', batchId);
    if (filter?.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await db(q.orderBy('idx').execute());
    return rows.map((r) => item(this.x, r));
  }

  async updateItem(i: BatchItem): Promise<void> {
    const { id, batch_id: _b, idx: _i, ...set } = itemRow(i);
    updatedOne(await db(this.x.w().updateTable('batch_items').set(set).where('id', '=', id).executeTakeFirst()), 'batch item', id);
  }

  async finishItem(i: BatchItem): Promise<boolean> {
    const { id, batch_id: _b, idx: _i, ...set } = itemRow(i);
    const r = await db(this.x.w().updateTable('batch_items').set(set).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst());
    return r.numUpdatedRows === 1n;
  }

  async countItems(batchId: Id): Promise<Record<BatchItem['status'], number>> {
    const rows = await db(this.x.r.selectFrom('batch_items').select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')]).where('batch_id', '=', batchId).groupBy('status').execute());
    const out: Record<BatchItem['status'], number> = { pending: 0, done: 0, failed: 0 };
    for (const r of rows) out[r.status as BatchItem['status']] = Number(r.n);
    return out;
  }

  /** queued or running jobs, oldest first */
  async unfinished(): Promise<BatchJob[]> {
    const rows = await db(this.x.r.selectFrom('batch_jobs').selectAll().where('status', 'in', ['queued', 'running']).orderBy('created_at').orderBy('id').execute());
    return rows.map((r) => job(this.x, r));
  }
}

// ---------------------------------------------------------------- stored keys

export class SqlKeyRepo implements KeyRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(k: StoredKey): Promise<void> {
    const { c } = this.x;
    await db(
      this.x
        .w()
        .insertInto('stored_keys')
        .values({ id: k.id, purpose: k.purpose, public_key: c.bytes(k.publicKey), encrypted: c.bytes(k.encrypted), created_at: c.time(k.createdAt) })
        .execute(),
    );
  }

  async get(id: Id): Promise<StoredKey | undefined> {
    const r = await db(this.x.r.selectFrom('stored_keys').selectAll().where('id', '=', id).executeTakeFirst());
    if (!r) return undefined;
    const { c } = this.x;
    return { id: r.id, purpose: r.purpose as StoredKey['purpose'], publicKey: c.fromBytes(r.public_key), encrypted: c.fromBytes(r.encrypted), createdAt: c.date(r.created_at) };
  }
}

// ---------------------------------------------------------------- trusted certificates (互信互认)

export class SqlTrustRepo implements TrustRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(t: TrustedCertificate): Promise<void> {
    const { c } = this.x;
    await db(this.x.w().insertInto('trusted_certificates').values({ id: t.id, name: t.name, certificate: c.bytes(t.certificate), added_at: c.time(t.addedAt), added_by: t.addedBy ?? null }).execute());
  }

  /** in the order they were added */
  async list(): Promise<TrustedCertificate[]> {
    const { c } = this.x;
    const rows = await db(this.x.r.selectFrom('trusted_certificates').selectAll().orderBy('added_at').orderBy('id').execute());
    return rows.map((r) => compact<TrustedCertificate>({ id: r.id, name: r.name, certificate: c.fromBytes(r.certificate), addedAt: c.date(r.added_at), addedBy: r.added_by }));
  }

  async delete(id: Id): Promise<void> {
    await db(this.x.w().deleteFrom('trusted_certificates').where('id', '=', id).execute());
  }
}

// ---------------------------------------------------------------- idempotency

export class SqlIdempotencyRepo implements IdempotencyRepo {
  constructor(private readonly x: RepoContext) {}

  async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const r = await db(this.x.r.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst());
    if (!r) return undefined;
    return compact<IdempotencyRecord>({
      scope: r.scope,
      key: r.key,
      requestHash: r.request_hash,
      status: r.status as IdempotencyRecord['status'],
      responseStatus: r.response_status === null ? null : this.x.c.int(r.response_status),
      responseBody: r.response_body,
      responseType: r.response_type,
      createdAt: this.x.c.date(r.created_at),
    });
  }

  /**
   * Inserts the record; false when (scope, key) exists. On PostgreSQL a concurrent, uncommitted begin of
   * the same key makes this wait for that transaction, then answer false (or true if it rolled back).
   */
  async begin(r: IdempotencyRecord): Promise<boolean> {
    const res = await db(
      this.x
        .w()
        .insertInto('idempotency_keys')
        .values({
          scope: r.scope,
          key: r.key,
          request_hash: r.requestHash,
          status: r.status,
          response_status: r.responseStatus ?? null,
          response_body: r.responseBody ?? null,
          response_type: r.responseType ?? null,
          created_at: this.x.c.time(r.createdAt),
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .executeTakeFirst(),
    );
    return res.numInsertedOrUpdatedRows === 1n;
  }

  async complete(scope: string, key: string, response: { status: number; body: string; type: string }): Promise<void> {
    const r = await db(
      this.x
        .w()
        .updateTable('idempotency_keys')
        .set({ status: 'done', response_status: response.status, response_body: response.body, response_type: response.type })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst(),
    );
    updatedOne(r, 'idempotency key', key);
  }

  /** forgets the record if it is still pending (a completed one stays) */
  async abandon(scope: string, key: string): Promise<void> {
    await db(this.x.w().deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('status', '=', 'pending').execute());
  }
}

// ---------------------------------------------------------------- statistics

/**
 * The calendar day or month of a stamp's signing time in the statistics time zone, as 'YYYY-MM-DD' /
 * 'YYYY-MM'. The zone is a fixed offset (China Standard Time, UTC+8, has had no daylight saving since
 * 1991), so both dialects compute it the same way from the stored instant.
 */
function periodKey(x: RepoContext, period: 'day' | 'month'): RawBuilder<string> {
  const minutes = x.statsOffsetMinutes;
  if (!Number.isInteger(minutes) || Math.abs(minutes) > 14 * 60) fail('INVALID_ARGUMENT', 'the statistics UTC offset must be whole minutes within ±14 hours');
  if (x.dialect === 'sqlite') {
    const fmt = period === 'day' ? '%Y-%m-%d' : '%Y-%m';
    return sql<string>`strftime(${sql.lit(fmt)}, ${sql.ref('sign_time')} / 1000 + ${sql.lit(minutes * 60)}, 'unixepoch')`;
  }
  const fmt = period === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM';
  return sql<string>`to_char((${sql.ref('sign_time')} AT TIME ZONE 'UTC') + ${sql.raw(`interval '${minutes} minutes'`)}, ${sql.lit(fmt)})`;
}

const SEAL_FIELD = { authority: 'authority_id', type: 'type', status: 'status', organisation: 'organisation_id' } as const;
const STAMP_FIELD = { seal: 'seal_id', organisation: 'organisation_id', authority: 'authority_id' } as const;

export class SqlStatsRepo implements StatsRepo {
  constructor(private readonly x: RepoContext) {}

  /** seal counts per value of the field, largest first */
  async sealsBy(field: 'authority' | 'type' | 'status' | 'organisation'): Promise<StatsRow[]> {
    const col = SEAL_FIELD[field];
    if (!col) fail('INVALID_ARGUMENT', `seals cannot be counted by ${String(field)}`);
    const rows = await db(
      this.x.r
        .selectFrom('seals')
        .select([sql.ref<string>(col).as('key'), (eb) => eb.fn.countAll().as('n')])
        .groupBy(col)
        .orderBy('n', 'desc')
        .orderBy('key')
        .execute(),
    );
    return rows.map((r) => ({ key: String(r.key), count: this.x.c.int(r.n) }));
  }

  private stampFilter(filter: { from?: Date; to?: Date; sealId?: Id; organisationId?: Id; authorityId?: Id } = {}) {
    const { c } = this.x;
    let q = this.x.r.selectFrom('stamps');
    if (filter.from !== undefined) q = q.where('sign_time', '>=', c.time(filter.from));
    if (filter.to !== undefined) q = q.where('sign_time', '<', c.time(filter.to));
    if (filter.sealId !== undefined) q = q.where('seal_id', '=', filter.sealId);
    if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
    if (filter.authorityId !== undefined) q = q.where('authority_id', '=', filter.authorityId);
    return q;
  }

  /** stamps per calendar day / month (statistics time zone), in time order; `from` inclusive, `to` exclusive */
  async stampsBy(period: 'day' | 'month', filter?: { from?: Date; to?: Date; sealId?: Id; organisationId?: Id; authorityId?: Id }): Promise<StatsRow[]> {
    if (period !== 'day' && period !== 'month') fail('INVALID_ARGUMENT', `stamps cannot be grouped by ${String(period)}`);
    const key = periodKey(this.x, period);
    const rows = await db(
      this.stampFilter(filter)
        .select([key.as('key'), (eb) => eb.fn.countAll().as('n')])
        .groupBy(key)
        .orderBy(key)
        .execute(),
    );
    return rows.map((r) => ({ key: String(r.key), count: this.x.c.int(r.n) }));
  }

  /** stamps per seal / organisation / authority, largest first; `from` inclusive, `to` exclusive */
  async stampsPer(field: 'seal' | 'organisation' | 'authority', filter?: { from?: Date; to?: Date }): Promise<StatsRow[]> {
    const col = STAMP_FIELD[field];
    if (!col) fail('INVALID_ARGUMENT', `stamps cannot be counted per ${String(field)}`);
    const rows = await db(
      this.stampFilter(filter)
        .select([sql.ref<string>(col).as('key'), (eb) => eb.fn.countAll().as('n')])
        .groupBy(col)
        .orderBy('n', 'desc')
        .orderBy('key')
        .execute(),
    );
    return rows.map((r) => ({ key: String(r.key), count: this.x.c.int(r.n) }));
  }
}
