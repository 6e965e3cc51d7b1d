/** Seal applications, seal records, their status history, use grants and approvals. */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Id, KeySource, SealApplication, SealEvent, SealRecord, SealStatus, StampApproval, UseGrant } from '../../core/domain/types.js';
import type { ApplicationRepo, ApprovalRepo, GrantRepo, Page, SealEventRepo, SealFilter, SealRepo, SealState } from '../../core/ports.js';
import type { SealType } from '../../ses/appearance/spec.js';
import { db } from '../errors.js';
import type { ApplicationRow, ApprovalRow, Database, SealRow, UseGrantRow } from '../schema.js';
import { compact, containsPattern, paged, recoverable, updatedOne, type RepoContext } from './context.js';

// ---------------------------------------------------------------- applications

function applicationRow(x: RepoContext, a: SealApplication): ApplicationRow {
  const { c } = x;
  return {
    id: a.id,
    organisation_id: a.organisationId,
    authority_id: a.authorityId,
    seal_type: a.sealType,
    name: a.name,
    code: a.code ?? null,
    validity_days: a.validityDays,
    picture_ref: a.pictureRef ?? null,
    picture_type: a.pictureType ?? null,
    picture_width_mm: a.pictureWidthMm ?? null,
    picture_height_mm: a.pictureHeightMm ?? null,
    materials: c.json(a.materials ?? []),
    key_source: a.keySource,
    holder_public_key: a.holderPublicKey ? c.bytes(a.holderPublicKey) : null,
    approval_required: c.bool(a.approvalRequired),
    replaces_seal_id: a.replacesSealId ?? null,
    status: a.status,
    reason: a.reason ?? null,
    applied_by: a.appliedBy,
    reviewed_by: a.reviewedBy ?? null,
    reviewed_at: c.timeOpt(a.reviewedAt),
    made_by: a.madeBy ?? null,
    seal_id: a.sealId ?? null,
    created_at: c.time(a.createdAt),
  };
}

function application(x: RepoContext, r: ApplicationRow): SealApplication {
  const { c } = x;
  return compact<SealApplication>({
    id: r.id,
    organisationId: r.organisation_id,
    authorityId: r.authority_id,
    sealType: r.seal_type as SealType,
    name: r.name,
    code: r.code,
    validityDays: c.int(r.validity_days),
    pictureRef: r.picture_ref,
    pictureType: r.picture_type,
    pictureWidthMm: r.picture_width_mm === null ? null : Number(r.picture_width_mm),
    pictureHeightMm: r.picture_height_mm === null ? null : Number(r.picture_height_mm),
    materials: c.fromJson<string[]>(r.materials),
    keySource: r.key_source as KeySource,
    holderPublicKey: r.holder_public_key === null ? null : c.fromBytes(r.holder_public_key),
    approvalRequired: c.fromBool(r.approval_required),
    replacesSealId: r.replaces_seal_id,
    status: r.status as SealApplication['status'],
    reason: r.reason,
    appliedBy: r.applied_by,
    reviewedBy: r.reviewed_by,
    reviewedAt: c.dateOpt(r.reviewed_at),
    madeBy: r.made_by,
    sealId: r.seal_id,
    createdAt: c.date(r.created_at),
  });
}

export class SqlApplicationRepo implements ApplicationRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(a: SealApplication): Promise<void> {
    await db(this.x.w().insertInto('seal_applications').values(applicationRow(this.x, a)).execute());
  }

  async get(id: Id): Promise<SealApplication | undefined> {
    const r = await db(this.x.r.selectFrom('seal_applications').selectAll().where('id', '=', id).executeTakeFirst());
    return r && application(this.x, r);
  }

  /** newest first */
  async list(filter: { authorityId?: Id; organisationId?: Id; status?: SealApplication['status'] } & Page = {}): Promise<SealApplication[]> {
    let q = this.x.r.selectFrom('seal_applications').selectAll();
    if (filter.authorityId !== undefined) q = q.where('authority_id', '=', filter.authorityId);
    if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await db(paged(q.orderBy('created_at', 'desc').orderBy('id', 'desc'), filter).execute());
    return rows.map((r) => application(this.x, r));
  }

  async update(a: SealApplication): Promise<void> {
    const { id, created_at: _, ...set } = applicationRow(this.x, a);
    updatedOne(await db(this.x.w().updateTable('seal_applications').set(set).where('id', '=', id).executeTakeFirst()), 'seal application', id);
  }
}

// ---------------------------------------------------------------- seals

function sealRow(x: RepoContext, s: SealRecord): SealRow {
  const { c } = x;
  return {
    id: s.id,
    es_id: s.esId,
    organisation_id: s.organisationId,
    authority_id: s.authorityId,
    application_id: s.applicationId,
    type: s.type,
    name: s.name,
    status: s.status,
    valid_start: c.time(s.validStart),
    valid_end: c.time(s.validEnd),
    seal_der: c.bytes(s.sealDer),
    signer_certificate: c.bytes(s.signerCertificate),
    signer_key_id: s.signerKeyId ?? null,
    key_source: s.keySource,
    approval_required: c.bool(s.approvalRequired),
    replaces_id: s.replacesId ?? null,
    replaced_by_id: s.replacedById ?? null,
    stamp_count: s.stampCount,
    created_at: c.time(s.createdAt),
    updated_at: c.time(s.updatedAt),
    version: s.version,
  };
}

function seal(x: RepoContext, r: SealRow): SealRecord {
  const { c } = x;
  return compact<SealRecord>({
    id: r.id,
    esId: r.es_id,
    organisationId: r.organisation_id,
    authorityId: r.authority_id,
    applicationId: r.application_id,
    type: r.type as SealType,
    name: r.name,
    status: r.status as SealStatus,
    validStart: c.date(r.valid_start),
    validEnd: c.date(r.valid_end),
    sealDer: c.fromBytes(r.seal_der),
    signerCertificate: c.fromBytes(r.signer_certificate),
    signerKeyId: r.signer_key_id,
    keySource: r.key_source as KeySource,
    approvalRequired: c.fromBool(r.approval_required),
    replacesId: r.replaces_id,
    replacedById: r.replaced_by_id,
    stampCount: c.int(r.stamp_count),
    createdAt: c.date(r.created_at),
    updatedAt: c.date(r.updated_at),
    version: c.int(r.version),
  });
}

/** `col LIKE pattern` (ASCII case-insensitive on both dialects), `\` escaping the pattern's wildcards */
function like(x: RepoContext, col: string, pattern: string): Expression<SqlBool> {
  return x.dialect === 'postgres' ? sql<SqlBool>`${sql.ref(col)} ILIKE ${pattern} ESCAPE '\\'` : sql<SqlBool>`${sql.ref(col)} LIKE ${pattern} ESCAPE '\\'`;
}

function sealWhere(x: RepoContext, f: SealFilter) {
  return (eb: ExpressionBuilder<Database, 'seals'>) => {
    const and: Expression<SqlBool>[] = [];
    if (f.organisationId !== undefined) and.push(eb('seals.organisation_id', '=', f.organisationId));
    if (f.authorityId !== undefined) and.push(eb('seals.authority_id', '=', f.authorityId));
    if (f.status !== undefined) and.push(eb('seals.status', '=', f.status));
    if (f.type !== undefined) and.push(eb('seals.type', '=', f.type));
    const q = f.query?.trim();
    if (q) {
      const pattern = containsPattern(q);
      const orgs = eb.selectFrom('organisations').select('organisations.id').where((o) => o.or([o('organisations.uscc', '=', q.toUpperCase()), like(x, 'organisations.name', pattern)]));
      and.push(
        eb.or([
          eb('seals.es_id', '=', q),
          like(x, 'seals.es_id', `${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
          like(x, 'seals.name', pattern),
          eb('seals.organisation_id', 'in', orgs),
        ]),
      );
    }
    return eb.and(and);
  };
}

/** Every column but the two large ones (for getState). */
const STATE_COLUMNS = [
  'id', 'es_id', 'organisation_id', 'authority_id', 'application_id', 'type', 'name', 'status', 'valid_start', 'valid_end', 'signer_key_id', 'key_source',
  'approval_required', 'replaces_id', 'replaced_by_id', 'stamp_count', 'created_at', 'updated_at', 'version',
] as const;
const EMPTY = new Uint8Array(0);

export class SqlSealRepo implements SealRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(s: SealRecord): Promise<void> {
    await recoverable(this.x, () => this.x.w().insertInto('seals').values(sealRow(this.x, s)).execute());
  }

  async get(id: Id, opts?: { lock?: 'update' | 'share' }): Promise<SealRecord | undefined> {
    let q = this.x.r.selectFrom('seals').selectAll().where('id', '=', id);
    // SQLite: the write transaction (BEGIN IMMEDIATE) already excludes every other writer
    if (opts?.lock && this.x.dialect === 'postgres' && this.x.inTransaction) q = opts.lock === 'update' ? q.forUpdate() : q.forShare();
    const r = await db(q.executeTakeFirst());
    return r && seal(this.x, r);
  }

  async getState(id: Id, opts?: { lock?: 'update' | 'share' }): Promise<SealState | undefined> {
    let q = this.x.r.selectFrom('seals').select(STATE_COLUMNS).where('id', '=', id);
    if (opts?.lock && this.x.dialect === 'postgres' && this.x.inTransaction) q = opts.lock === 'update' ? q.forUpdate() : q.forShare();
    const r = await db(q.executeTakeFirst());
    if (!r) return undefined;
    const { sealDer: _d, signerCertificate: _c, ...state } = seal(this.x, { ...r, seal_der: EMPTY, signer_certificate: EMPTY } as SealRow);
    return state;
  }

  async getByEsId(esId: string): Promise<SealRecord | undefined> {
    const r = await db(this.x.r.selectFrom('seals').selectAll().where('es_id', '=', esId).executeTakeFirst());
    return r && seal(this.x, r);
  }

  /** newest first */
  async list(filter: SealFilter = {}): Promise<SealRecord[]> {
    const q = this.x.r.selectFrom('seals').selectAll().where(sealWhere(this.x, filter)).orderBy('created_at', 'desc').orderBy('id', 'desc');
    const rows = await db(paged(q, filter).execute());
    return rows.map((r) => seal(this.x, r));
  }

  async count(filter: SealFilter = {}): Promise<number> {
    const r = await db(this.x.r.selectFrom('seals').select((eb) => eb.fn.countAll().as('n')).where(sealWhere(this.x, filter)).executeTakeFirstOrThrow());
    return this.x.c.int(r.n);
  }

  /**
   * Optimistic concurrency: writes when the stored version equals `s.version` and stores version + 1;
   * on success `s.version` is incremented too, so the caller's object matches the stored row.
   * The 电子印章标识 (esId) and createdAt never change and are not written.
   */
  async update(s: SealRecord): Promise<boolean> {
    const { id, es_id: _e, created_at: _c, version, ...set } = sealRow(this.x, s);
    const r = await db(this.x.w().updateTable('seals').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst());
    if (r.numUpdatedRows !== 1n) return false;
    s.version = version + 1;
    return true;
  }
}

// ---------------------------------------------------------------- seal events

export class SqlSealEventRepo implements SealEventRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(e: SealEvent): Promise<void> {
    await db(
      this.x
        .w()
        .insertInto('seal_events')
        .values({ id: e.id, seal_id: e.sealId, status: e.status, at: this.x.c.time(e.at), reason: e.reason ?? null, actor_id: e.actorId ?? null })
        .execute(),
    );
  }

  /** in order of time, then of recording */
  async listForSeal(sealId: Id): Promise<SealEvent[]> {
    const rows = await db(this.x.r.selectFrom('seal_events').select(['id', 'seal_id', 'status', 'at', 'reason', 'actor_id']).where('seal_id', '=', sealId).orderBy('at').orderBy('n').execute());
    return rows.map((r) => compact<SealEvent>({ id: r.id, sealId: r.seal_id, status: r.status as SealStatus, at: this.x.c.date(r.at), reason: r.reason, actorId: r.actor_id }));
  }
}

// ---------------------------------------------------------------- use grants

function grantRow(x: RepoContext, g: UseGrant): UseGrantRow {
  const { c } = x;
  return {
    id: g.id,
    seal_id: g.sealId,
    user_id: g.userId,
    granted_by: g.grantedBy,
    valid_from: c.time(g.validFrom),
    valid_until: c.time(g.validUntil),
    max_uses: g.maxUses ?? null,
    used_count: g.usedCount,
    document_types: g.documentTypes === undefined ? null : c.json(g.documentTypes),
    revoked_at: c.timeOpt(g.revokedAt),
    created_at: c.time(g.createdAt),
  };
}

function grant(x: RepoContext, r: UseGrantRow): UseGrant {
  const { c } = x;
  return compact<UseGrant>({
    id: r.id,
    sealId: r.seal_id,
    userId: r.user_id,
    grantedBy: r.granted_by,
    validFrom: c.date(r.valid_from),
    validUntil: c.date(r.valid_until),
    maxUses: r.max_uses === null ? null : c.int(r.max_uses),
    usedCount: c.int(r.used_count),
    documentTypes: r.document_types === null ? null : c.fromJson<string[]>(r.document_types),
    revokedAt: c.dateOpt(r.revoked_at),
    createdAt: c.date(r.created_at),
  });
}

export class SqlGrantRepo implements GrantRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(g: UseGrant): Promise<void> {
    await db(this.x.w().insertInto('use_grants').values(grantRow(this.x, g)).execute());
  }

  async get(id: Id, opts?: { lock?: 'update' }): Promise<UseGrant | undefined> {
    let q = this.x.r.selectFrom('use_grants').selectAll().where('id', '=', id);
    if (opts?.lock === 'update' && this.x.dialect === 'postgres' && this.x.inTransaction) q = q.forUpdate();
    const r = await db(q.executeTakeFirst());
    return r && grant(this.x, r);
  }

  /**
   * Newest first. `activeAt`: grants whose window contains the instant (validFrom <= t < validUntil) and
   * that were not revoked by then; the use count is the caller's to check.
   */
  async list(filter: { sealId?: Id; userId?: Id; activeAt?: Date }): Promise<UseGrant[]> {
    let q = this.x.r.selectFrom('use_grants').selectAll();
    if (filter.sealId !== undefined) q = q.where('seal_id', '=', filter.sealId);
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.activeAt !== undefined) {
      const t = this.x.c.time(filter.activeAt);
      q = q.where('valid_from', '<=', t).where('valid_until', '>', t).where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', t)]));
    }
    const rows = await db(q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute());
    return rows.map((r) => grant(this.x, r));
  }

  async update(g: UseGrant): Promise<void> {
    const { id, created_at: _, ...set } = grantRow(this.x, g);
    updatedOne(await db(this.x.w().updateTable('use_grants').set(set).where('id', '=', id).executeTakeFirst()), 'use grant', id);
  }
}

// ---------------------------------------------------------------- approvals

function approvalRow(x: RepoContext, a: StampApproval): ApprovalRow {
  const { c } = x;
  return {
    id: a.id,
    seal_id: a.sealId,
    grant_id: a.grantId,
    requested_by: a.requestedBy,
    document_type: a.documentType ?? null,
    document_hash: a.documentHash,
    purpose: a.purpose ?? null,
    status: a.status,
    approver_id: a.approverId ?? null,
    decided_at: c.timeOpt(a.decidedAt),
    reason: a.reason ?? null,
    created_at: c.time(a.createdAt),
  };
}

function approval(x: RepoContext, r: ApprovalRow): StampApproval {
  const { c } = x;
  return compact<StampApproval>({
    id: r.id,
    sealId: r.seal_id,
    grantId: r.grant_id,
    requestedBy: r.requested_by,
    documentType: r.document_type,
    documentHash: r.document_hash,
    purpose: r.purpose,
    status: r.status as StampApproval['status'],
    approverId: r.approver_id,
    decidedAt: c.dateOpt(r.decided_at),
    reason: r.reason,
    createdAt: c.date(r.created_at),
  });
}

export class SqlApprovalRepo implements ApprovalRepo {
  constructor(private readonly x: RepoContext) {}

  async insert(a: StampApproval): Promise<void> {
    await db(this.x.w().insertInto('stamp_approvals').values(approvalRow(this.x, a)).execute());
  }

  async get(id: Id, opts?: { lock?: 'update' }): Promise<StampApproval | undefined> {
    let q = this.x.r.selectFrom('stamp_approvals').selectAll().where('id', '=', id);
    if (opts?.lock === 'update' && this.x.dialect === 'postgres' && this.x.inTransaction) q = q.forUpdate();
    const r = await db(q.executeTakeFirst());
    return r && approval(this.x, r);
  }

  /** newest first; `organisationId` selects approvals for the organisation's seals */
  async list(filter: { sealId?: Id; status?: StampApproval['status']; requestedBy?: Id; organisationId?: Id } & Page): Promise<StampApproval[]> {
    let q = this.x.r.selectFrom('stamp_approvals').selectAll();
    if (filter.sealId !== undefined) q = q.where('seal_id', '=', filter.sealId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.requestedBy !== undefined) q = q.where('requested_by', '=', filter.requestedBy);
    if (filter.organisationId !== undefined) {
      const org = filter.organisationId;
      q = q.where('seal_id', 'in', (eb) => eb.selectFrom('seals').select('seals.id').where('seals.organisation_id', '=', org));
    }
    const rows = await db(paged(q.orderBy('created_at', 'desc').orderBy('id', 'desc'), filter).execute());
    return rows.map((r) => approval(this.x, r));
  }

  async update(a: StampApproval): Promise<void> {
    const { id, created_at: _, ...set } = approvalRow(this.x, a);
    updatedOne(await db(this.x.w().updateTable('stamp_approvals').set(set).where('id', '=', id).executeTakeFirst()), 'stamp approval', id);
  }
}
