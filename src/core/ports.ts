/**
 * @module core/ports
 * What the use cases need from the outside, as interfaces: storage (one transaction at a time, the
 * same on SQLite and PostgreSQL), blobs, the clock, randomness and the key vault. Adapters live in
 * src/storage; the composition root (server, cli) wires them.
 */
import type {
  ApiKey, AuditEvent, Authority, BatchItem, BatchJob, Id, IdempotencyRecord, Organisation, RoleGrant, SealApplication, SealEvent, SealRecord, SealStatus,
  Session, StampApproval, StampRecord, StoredKey, UseGrant, User, Actor,
} from './domain/types.js';

export interface Page {
  limit?: number;
  offset?: number;
}

export interface AuthorityRepo {
  insert(a: Authority): Promise<void>;
  get(id: Id): Promise<Authority | undefined>;
  list(): Promise<Authority[]>;
  update(a: Authority): Promise<void>;
}

export interface OrganisationRepo {
  insert(o: Organisation): Promise<void>;
  get(id: Id): Promise<Organisation | undefined>;
  getByUscc(uscc: string): Promise<Organisation | undefined>;
  list(filter?: { authorityId?: Id } & Page): Promise<Organisation[]>;
  update(o: Organisation): Promise<void>;
}

export interface UserRepo {
  insert(u: User): Promise<void>;
  get(id: Id): Promise<User | undefined>;
  getByUsername(username: string): Promise<User | undefined>;
  list(page?: Page): Promise<User[]>;
  update(u: User): Promise<void>;
}

export interface RoleRepo {
  insert(g: RoleGrant): Promise<void>;
  listForUser(userId: Id): Promise<RoleGrant[]>;
  listForScope(scope: { authorityId?: Id; organisationId?: Id }): Promise<RoleGrant[]>;
  delete(id: Id): Promise<void>;
}

export interface ApiKeyRepo {
  insert(k: ApiKey): Promise<void>;
  getByHash(hash: string): Promise<ApiKey | undefined>;
  get(id: Id): Promise<ApiKey | undefined>;
  list(scope: { organisationId?: Id; authorityId?: Id }): Promise<ApiKey[]>;
  update(k: ApiKey): Promise<void>;
}

export interface SessionRepo {
  insert(s: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** removes expired sessions; returns how many */
  deleteExpired(now: Date): Promise<number>;
}

export interface ApplicationRepo {
  insert(a: SealApplication): Promise<void>;
  get(id: Id): Promise<SealApplication | undefined>;
  list(filter?: { authorityId?: Id; organisationId?: Id; status?: SealApplication['status'] } & Page): Promise<SealApplication[]>;
  update(a: SealApplication): Promise<void>;
}

export interface SealFilter extends Page {
  organisationId?: Id;
  authorityId?: Id;
  status?: SealStatus;
  type?: string;
  /** matches name, esID or the organisation's 统一社会信用代码 / name (全省印章目录 search) */
  query?: string;
}

/** A seal record without its large fields. */
export type SealState = Omit<SealRecord, 'sealDer' | 'signerCertificate'>;

export interface SealRepo {
  insert(s: SealRecord): Promise<void>;
  /**
   * Reads a seal; inside a transaction `lock: 'update'` takes a row lock (PostgreSQL FOR UPDATE; the
   * SQLite adapter runs write transactions with BEGIN IMMEDIATE), so status checks and changes of one
   * seal are serialised across processes.
   */
  get(id: Id, opts?: { lock?: 'update' | 'share' }): Promise<SealRecord | undefined>;
  getByEsId(esId: string): Promise<SealRecord | undefined>;
  /**
   * The seal without its bytes (SESeal, certificate): what the hot path re-checks on every stamp.
   * Takes the same row lock as `get`.
   */
  getState(id: Id, opts?: { lock?: 'update' | 'share' }): Promise<SealState | undefined>;
  list(filter?: SealFilter): Promise<SealRecord[]>;
  count(filter?: SealFilter): Promise<number>;
  /** updates when `version` matches the stored one (then increments it); false when it did not */
  update(s: SealRecord): Promise<boolean>;
}

export interface SealEventRepo {
  insert(e: SealEvent): Promise<void>;
  listForSeal(sealId: Id): Promise<SealEvent[]>;
}

export interface GrantRepo {
  insert(g: UseGrant): Promise<void>;
  get(id: Id, opts?: { lock?: 'update' }): Promise<UseGrant | undefined>;
  list(filter: { sealId?: Id; userId?: Id; activeAt?: Date }): Promise<UseGrant[]>;
  update(g: UseGrant): Promise<void>;
}

export interface ApprovalRepo {
  insert(a: StampApproval): Promise<void>;
  get(id: Id, opts?: { lock?: 'update' }): Promise<StampApproval | undefined>;
  list(filter: { sealId?: Id; status?: StampApproval['status']; requestedBy?: Id; organisationId?: Id } & Page): Promise<StampApproval[]>;
  update(a: StampApproval): Promise<void>;
}

export interface StampRepo {
  insert(s: StampRecord): Promise<void>;
  /** several records in one statement (group commit) */
  insertMany(s: StampRecord[]): Promise<void>;
  get(id: Id): Promise<StampRecord | undefined>;
  list(filter: { sealId?: Id; organisationId?: Id; batchId?: Id } & Page): Promise<StampRecord[]>;
}

export interface BatchRepo {
  insert(b: BatchJob, items: BatchItem[]): Promise<void>;
  get(id: Id): Promise<BatchJob | undefined>;
  update(b: BatchJob): Promise<void>;
  items(batchId: Id, filter?: { status?: BatchItem['status'] }): Promise<BatchItem[]>;
  updateItem(i: BatchItem): Promise<void>;
  /**
   * Moves a pending item to its final state (done or failed); false, writing nothing, when the item is
   * no longer pending — another process running the same batch finished it first.
   */
  finishItem(i: BatchItem): Promise<boolean>;
  /** how many items of a batch are in each state (progress, whoever stamped them) */
  countItems(batchId: Id): Promise<Record<BatchItem['status'], number>>;
  /** jobs left queued or running (to resume after a restart) */
  unfinished(): Promise<BatchJob[]>;
}

export interface KeyRepo {
  insert(k: StoredKey): Promise<void>;
  get(id: Id): Promise<StoredKey | undefined>;
}

export interface IdempotencyRepo {
  get(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** inserts a pending record; false when the (scope, key) exists already */
  begin(r: IdempotencyRecord): Promise<boolean>;
  complete(scope: string, key: string, response: { status: number; body: string; type: string }): Promise<void>;
  /** forget a pending record whose request failed, so the client may retry */
  abandon(scope: string, key: string): Promise<void>;
}

/** An event before the chain gives it its place (seq) and hashes. */
export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

export interface AuditFilter extends Page {
  organisationId?: Id;
  authorityId?: Id;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditRepo {
  /**
   * Appends an event to the hash chain inside the current transaction: takes the chain head under a
   * lock (so concurrent processes append one after another), computes seq and hash with
   * `auditHash` (core/audit-chain.ts), inserts. Returns the stored event.
   */
  append(e: NewAuditEvent): Promise<AuditEvent>;
  /** appends several events in chain order with one head lock, one insert and one head move (group commit) */
  appendMany(e: NewAuditEvent[]): Promise<AuditEvent[]>;
  /**
   * Inserts stamp records and appends the audit events of the same acts, together (group commit's
   * hot path; on PostgreSQL one statement while the chain head is locked).
   */
  appendWithStamps(events: NewAuditEvent[], stamps: StampRecord[]): Promise<AuditEvent[]>;
  /**
   * As appendWithStamps, outside any transaction, as one atomic write that takes the row locks of
   * `unless.seals` and writes only if each still has the given version (no state change since it was
   * checked) and no key of `unless.activeApiKeys` is revoked. Undefined when nothing was written: a
   * seal changed, a key was revoked, or the chain head was not the one expected; the caller then
   * takes the transaction path. Optional: stores without such a statement
   * (SQLite, whose transactions cost no round trips) leave it out.
   */
  appendWithStampsIfSealsUnchanged?(
    events: NewAuditEvent[],
    stamps: StampRecord[],
    unless: { seals: { id: Id; version: number }[]; activeApiKeys: Id[] },
  ): Promise<AuditEvent[] | undefined>;
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
  /** every event in chain order, in pages (for verification and export) */
  scan(fromSeq: number, limit: number): Promise<AuditEvent[]>;
  /** the chain head kept apart from the events (detects removal of the newest rows) */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  count(): Promise<number>;
}

export interface StatsRow {
  key: string;
  count: number;
}

export interface StatsRepo {
  sealsBy(field: 'authority' | 'type' | 'status' | 'organisation'): Promise<StatsRow[]>;
  stampsBy(period: 'day' | 'month', filter?: { from?: Date; to?: Date; sealId?: Id; organisationId?: Id; authorityId?: Id }): Promise<StatsRow[]>;
  stampsPer(field: 'seal' | 'organisation' | 'authority', filter?: { from?: Date; to?: Date }): Promise<StatsRow[]>;
}

/** Certificates of other providers' authorities the platform trusts (互信互认), managed by the operator. */
export interface TrustedCertificate {
  id: Id;
  name: string;
  /** DER: a CA root or a seal-maker certificate */
  certificate: Uint8Array;
  addedAt: Date;
  addedBy?: Id;
}

export interface TrustRepo {
  insert(t: TrustedCertificate): Promise<void>;
  list(): Promise<TrustedCertificate[]>;
  delete(id: Id): Promise<void>;
}

/** All repositories, bound to one transaction (or to autocommit reads outside one). */
export interface Repositories {
  authorities: AuthorityRepo;
  organisations: OrganisationRepo;
  users: UserRepo;
  roles: RoleRepo;
  apiKeys: ApiKeyRepo;
  sessions: SessionRepo;
  applications: ApplicationRepo;
  seals: SealRepo;
  sealEvents: SealEventRepo;
  grants: GrantRepo;
  approvals: ApprovalRepo;
  stamps: StampRepo;
  batches: BatchRepo;
  keys: KeyRepo;
  idempotency: IdempotencyRepo;
  audit: AuditRepo;
  stats: StatsRepo;
  trust: TrustRepo;
}

export interface Store {
  /** repositories outside any transaction (reads) */
  readonly repos: Repositories;
  /**
   * Runs `fn` in one transaction: everything it writes (a state change and its audit event) commits
   * together or not at all. Write transactions are serialised where the database needs it.
   */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  /** 'sqlite' | 'postgres', for diagnostics */
  readonly dialect: string;
  /** true when the database answers (readiness) */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Documents, pictures and materials: content-addressed bytes (the ref is the SM3 hex of the content). */
export interface BlobStore {
  put(data: Uint8Array): Promise<string>;
  get(ref: string): Promise<Uint8Array | undefined>;
  has(ref: string): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export type Random = (n: number) => Uint8Array;

/** Encrypts private keys at rest under the master key (SM4 authenticated, AAD = key id). */
export interface KeyVault {
  seal(keyId: Id, privateKey: Uint8Array): Uint8Array;
  open(keyId: Id, envelope: Uint8Array): Uint8Array;
}
