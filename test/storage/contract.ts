/**
 * The storage contract: one suite that every Store adapter passes, run against real databases by
 * sqlite.test.ts and postgres.test.ts. Each test works on rows it creates (unique ids), on the file's
 * shared database; tests that need an empty database (statistics, the audit chain, migrations,
 * tampering) ask the target for a fresh one.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit-chain.js';
import {
  ROLES, type ApiKey, type Authority, type BatchItem, type BatchJob, type Organisation, type SealApplication, type SealRecord, type StampApproval, type StampRecord,
  type UseGrant, type User,
} from '../../src/core/domain/types.js';
import type { Repositories, Store } from '../../src/core/ports.js';
import { AUDIT_TRIGGERS, MIGRATIONS, openStoreWithInfo, schemaVersion, translateDbError, type OpenStoreOptions, type SqlStore } from '../../src/storage/index.js';
import { EsealError } from '../../src/util/errors.js';
import { appendInChild } from './_child.js';

/** Where a database is: what any process passes to openStore to reach it. */
export interface Location {
  url: string;
  options: OpenStoreOptions;
}

export interface FreshDatabase extends Location {
  store: SqlStore;
}

export interface ContractTarget {
  dialect: 'sqlite' | 'postgres';
  /** the file's shared database (opened once, closed by the target at the end) */
  shared(): Promise<SqlStore>;
  /** the location of a new, never opened database (its own SQLite file / PostgreSQL schema), removed at the end */
  location(): Location;
}

/** a new, empty, migrated database */
async function freshOf(t: ContractTarget): Promise<FreshDatabase> {
  const l = t.location();
  const { store } = await openStoreWithInfo(l.url, l.options);
  return { ...l, store };
}

/** raw SQL on the store's database, errors translated as the repositories translate them */
function raw(store: SqlStore, text: string) {
  return sql.raw(text).execute(store.kysely).catch((e: unknown) => Promise.reject(translateDbError(e)));
}

// ---------------------------------------------------------------- fixtures

let counter = 0;
const RUN = Math.random().toString(36).slice(2, 8);
export const uid = (p: string) => `${p}-${RUN}-${(counter++).toString(36)}`;
const T0 = new Date('2024-03-01T08:00:00.123Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const bytes = (...b: number[]) => Uint8Array.from(b);

function authority(over: Partial<Authority> = {}): Authority {
  return {
    id: uid('auth'), name: '广东省电子印章制作中心', kind: 'government', vid: 'GD-ESEAL', status: 'active',
    caCertificate: bytes(0x30, 1, 2, 3), caKeyId: uid('key'), makerCertificate: bytes(0x30, 4, 5), makerKeyId: uid('key'), crlNumber: 1, createdAt: T0, ...over,
  };
}

function organisation(authorityId: string, over: Partial<Organisation> = {}): Organisation {
  return { id: uid('org'), name: `某某科技有限公司${uid('')}`, uscc: uid('91440300').toUpperCase(), kind: 'enterprise', authorityId, status: 'active', createdAt: T0, ...over };
}

function user(over: Partial<User> = {}): User {
  return { id: uid('user'), username: uid('zhang.san'), displayName: '张三', passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', status: 'active', failedLogins: 0, createdAt: T0, ...over };
}

function application(o: Organisation, appliedBy: string, over: Partial<SealApplication> = {}): SealApplication {
  return {
    id: uid('app'), organisationId: o.id, authorityId: o.authorityId, sealType: 'official', name: `${o.name}公章`, validityDays: 365, materials: [], keySource: 'platform',
    approvalRequired: false, status: 'submitted', appliedBy, createdAt: T0, ...over,
  };
}

function sealRecord(o: Organisation, applicationId: string, over: Partial<SealRecord> = {}): SealRecord {
  return {
    id: uid('seal'), esId: `440300${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`, organisationId: o.id, authorityId: o.authorityId, applicationId, type: 'official',
    name: `${o.name}公章`, status: 'active', validStart: T0, validEnd: at(525_600), sealDer: bytes(0x30, 0x82, 9, 9), signerCertificate: bytes(0x30, 7), signerKeyId: uid('key'),
    keySource: 'platform', approvalRequired: false, stampCount: 0, createdAt: T0, updatedAt: T0, version: 1, ...over,
  };
}

interface World {
  auth: Authority;
  org: Organisation;
  manager: User;
  app: SealApplication;
  seal: SealRecord;
}

/** an authority, an organisation, a user, an application and an active seal */
async function world(store: Store, over: { auth?: Partial<Authority>; org?: Partial<Organisation>; seal?: Partial<SealRecord> } = {}): Promise<World> {
  return store.transaction(async (r) => {
    const auth = authority(over.auth);
    await r.authorities.insert(auth);
    const org = organisation(auth.id, over.org);
    await r.organisations.insert(org);
    const manager = user();
    await r.users.insert(manager);
    const app = application(org, manager.id, { status: 'made' });
    await r.applications.insert(app);
    const seal = sealRecord(org, app.id, over.seal);
    await r.seals.insert(seal);
    return { auth, org, manager, app, seal };
  });
}

function stampRecord(w: World, signTime: Date, over: Partial<StampRecord> = {}): StampRecord {
  return {
    id: uid('stamp'), sealId: w.seal.id, organisationId: w.org.id, authorityId: w.auth.id, userId: w.manager.id, kind: 'hash', inputHash: 'a'.repeat(64), outputHash: 'b'.repeat(64),
    signTime, createdAt: signTime, ...over,
  };
}

function auditInput(i: number, over: Record<string, unknown> = {}) {
  return { id: uid('ev'), time: at(i), actor: { type: 'user' as const, id: 'u1', name: '张三' }, action: 'test.event', result: 'success' as const, details: { i }, ...over };
}

async function expectError(p: Promise<unknown>, code: string, details?: Record<string, unknown>): Promise<EsealError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, `expected EsealError ${code}`).toBeInstanceOf(EsealError);
  const e = err as EsealError;
  expect(e.code, e.message).toBe(code);
  if (details) expect(e.details).toMatchObject(details);
  return e;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function verify(store: Store) {
  return store.repos.audit.head().then((head) => verifyAuditChain((from, limit) => store.repos.audit.scan(from, limit), head));
}

// ---------------------------------------------------------------- the suite

export function storeContract(t: ContractTarget): void {
  describe(`storage contract (${t.dialect})`, () => {
    describe('opening and migrations', () => {
      it('migrates a new database to the newest version, records it, and applies nothing on reopening', async () => {
        const { store, url, options } = await freshOf(t);
        expect(store.dialect).toBe(t.dialect);
        expect(await store.ping()).toBe(true);
        expect(await schemaVersion(store.kysely, t.dialect)).toBe(MIGRATIONS.length);
        const rows = await store.kysely.selectFrom('eseal_migrations').selectAll().execute();
        expect(rows.map((r) => [Number(r.id), r.name])).toEqual(MIGRATIONS.map((m) => [m.id, m.name]));
        const again = await openStoreWithInfo(url, options);
        expect(again.migrations).toEqual({ applied: [], version: MIGRATIONS.length });
        await again.store.close();
        const strict = await openStoreWithInfo(url, { ...options, migrate: false });
        await strict.store.close();
      });

      it('several stores opening one new database at once migrate it exactly once', async () => {
        const l = t.location();
        const opened = await Promise.all([1, 2, 3, 4].map(() => openStoreWithInfo(l.url, l.options)));
        expect(opened.map((o) => o.migrations.applied.length).sort()).toEqual([0, 0, 0, MIGRATIONS.length]);
        const n = await opened[0].store.kysely.selectFrom('eseal_migrations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(MIGRATIONS.length);
        // and all of them work, also writing at once
        await Promise.all(opened.map((o, i) => o.store.repos.audit.append(auditInput(i))));
        expect((await verify(opened[0].store)).events).toBe(4);
        await Promise.all(opened.map((o) => o.store.close()));
      });

      it('refuses a database newer than this code, and an outdated one when migrations are off', async () => {
        const { store, url, options } = await freshOf(t);
        await sql`INSERT INTO eseal_migrations (id, name, checksum, applied_at) VALUES (${MIGRATIONS.length + 1}, 'future', 'x', ${t.dialect === 'sqlite' ? Date.now() : new Date()})`.execute(store.kysely);
        await expectError(openStoreWithInfo(url, options), 'SCHEMA_TOO_NEW');
        await expectError(openStoreWithInfo(url, { ...options, migrate: false }), 'SCHEMA_TOO_NEW');
        await sql`DELETE FROM eseal_migrations`.execute(store.kysely);
        await expectError(openStoreWithInfo(url, { ...options, migrate: false }), 'SCHEMA_OUTDATED');
        await store.close();
      });
    });

    describe('authorities, organisations, users, roles, API keys, sessions', () => {
      it('authorities: insert, get, list, update; bytes come back as Uint8Array', async () => {
        const s = await t.shared();
        const a = authority({ uscc: uid('12440000').toUpperCase() });
        await s.repos.authorities.insert(a);
        const got = await s.repos.authorities.get(a.id);
        expect(got).toEqual(a);
        expect(Object.getPrototypeOf(got!.caCertificate)).toBe(Uint8Array.prototype);
        expect((await s.repos.authorities.list()).some((x) => x.id === a.id)).toBe(true);
        await s.repos.authorities.update({ ...a, status: 'suspended', crlNumber: 7 });
        expect(await s.repos.authorities.get(a.id)).toMatchObject({ status: 'suspended', crlNumber: 7 });
        expect(await s.repos.authorities.get('nope')).toBeUndefined();
        await expectError(s.repos.authorities.update(authority()), 'NOT_FOUND');
        const noUscc = authority();
        await s.repos.authorities.insert(noUscc);
        expect(await s.repos.authorities.get(noUscc.id)).not.toHaveProperty('uscc');
      });

      it('organisations: insert, get, getByUscc, list with filter and pages, update; unique 统一社会信用代码; known authority', async () => {
        const s = await t.shared();
        const a = authority();
        await s.repos.authorities.insert(a);
        const orgs = [0, 1, 2].map((i) => organisation(a.id, { createdAt: at(i) }));
        for (const o of orgs) await s.repos.organisations.insert(o);
        expect(await s.repos.organisations.get(orgs[0].id)).toEqual(orgs[0]);
        expect(await s.repos.organisations.getByUscc(orgs[1].uscc)).toEqual(orgs[1]);
        expect((await s.repos.organisations.list({ authorityId: a.id })).map((o) => o.id)).toEqual(orgs.map((o) => o.id));
        expect((await s.repos.organisations.list({ authorityId: a.id, limit: 1, offset: 1 })).map((o) => o.id)).toEqual([orgs[1].id]);
        expect((await s.repos.organisations.list({ authorityId: a.id, offset: 2 })).map((o) => o.id)).toEqual([orgs[2].id]);
        await s.repos.organisations.update({ ...orgs[2], status: 'inactive', name: '改名' });
        expect(await s.repos.organisations.get(orgs[2].id)).toMatchObject({ status: 'inactive', name: '改名' });
        const e = await expectError(s.repos.organisations.insert(organisation(a.id, { uscc: orgs[0].uscc })), 'CONFLICT', { field: 'uscc', table: 'organisations' });
        expect(e.message).toContain('uscc');
        await expectError(s.repos.organisations.insert(organisation('no-such-authority')), 'INVALID_REFERENCE');
        await expectError(s.repos.organisations.list({ limit: -1 }), 'INVALID_ARGUMENT');
      });

      it('users: insert, get, getByUsername, list, update; unique username', async () => {
        const s = await t.shared();
        const u = user({ lockedUntil: at(15), failedLogins: 5 });
        await s.repos.users.insert(u);
        expect(await s.repos.users.get(u.id)).toEqual(u);
        expect(await s.repos.users.getByUsername(u.username)).toEqual(u);
        const { lockedUntil: _, ...unlocked } = { ...u, failedLogins: 0 };
        await s.repos.users.update(unlocked);
        expect(await s.repos.users.get(u.id)).toEqual(unlocked);
        expect((await s.repos.users.list({ limit: 100000 })).some((x) => x.id === u.id)).toBe(true);
        await expectError(s.repos.users.insert(user({ username: u.username })), 'CONFLICT', { field: 'username' });
        await expectError(s.repos.users.insert({ ...user(), id: u.id }), 'CONFLICT', { field: 'id' });
      });

      it('roles: every role of the domain is accepted; listForUser, listForScope, delete', async () => {
        const s = await t.shared();
        const a = authority();
        await s.repos.authorities.insert(a);
        const o = organisation(a.id);
        await s.repos.organisations.insert(o);
        const u = user();
        await s.repos.users.insert(u);
        const grants = ROLES.map((role, i) => ({ id: uid('rg'), userId: u.id, role, ...(i % 2 ? { organisationId: o.id } : { authorityId: a.id }), createdAt: at(i), createdBy: 'admin' }));
        for (const g of grants) await s.repos.roles.insert(g);
        expect(await s.repos.roles.listForUser(u.id)).toEqual(grants);
        expect((await s.repos.roles.listForScope({ organisationId: o.id })).map((g) => g.role)).toEqual(ROLES.filter((_, i) => i % 2));
        expect((await s.repos.roles.listForScope({ authorityId: a.id })).map((g) => g.role)).toEqual(ROLES.filter((_, i) => !(i % 2)));
        await s.repos.roles.delete(grants[0].id);
        expect(await s.repos.roles.listForUser(u.id)).toHaveLength(ROLES.length - 1);
        await expectError(s.repos.roles.insert({ ...grants[0], id: uid('rg'), role: 'emperor' as never }), 'INVALID_ARGUMENT');
      });

      it('API keys: insert, getByHash, get, list by scope, update (revoke); unique hash', async () => {
        const s = await t.shared();
        const w = await world(s);
        const k: ApiKey = { id: uid('key'), prefix: 'esk_abc', hash: uid('h').padEnd(64, '0'), name: 'OA 系统', role: 'seal-user', organisationId: w.org.id, createdAt: T0, createdBy: w.manager.id };
        await s.repos.apiKeys.insert(k);
        expect(await s.repos.apiKeys.getByHash(k.hash)).toEqual(k);
        expect(await s.repos.apiKeys.get(k.id)).toEqual(k);
        expect(await s.repos.apiKeys.list({ organisationId: w.org.id })).toEqual([k]);
        await s.repos.apiKeys.update({ ...k, revokedAt: at(5) });
        expect((await s.repos.apiKeys.get(k.id))?.revokedAt).toEqual(at(5));
        await expectError(s.repos.apiKeys.insert({ ...k, id: uid('key') }), 'CONFLICT', { field: 'hash' });
      });

      it('sessions: insert, get, delete, deleteExpired', async () => {
        const s = await t.shared();
        const u = user();
        await s.repos.users.insert(u);
        const live = { id: uid('sess'), userId: u.id, createdAt: T0, expiresAt: new Date('2999-01-01T00:00:00Z') };
        const dead = { id: uid('sess'), userId: u.id, createdAt: T0, expiresAt: new Date('2001-01-01T00:00:00Z') };
        await s.repos.sessions.insert(live);
        await s.repos.sessions.insert(dead);
        expect(await s.repos.sessions.get(live.id)).toEqual(live);
        expect(await s.repos.sessions.deleteExpired(new Date('2020-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
        expect(await s.repos.sessions.get(dead.id)).toBeUndefined();
        await s.repos.sessions.delete(live.id);
        expect(await s.repos.sessions.get(live.id)).toBeUndefined();
      });
    });

    describe('applications, seals, events, grants, approvals', () => {
      it('applications: insert, get, list by authority / organisation / status, update', async () => {
        const s = await t.shared();
        const w = await world(s);
        const a1 = application(w.org, w.manager.id, {
          materials: ['a'.repeat(64), 'b'.repeat(64)], holderPublicKey: bytes(4, 1, 2), keySource: 'holder', approvalRequired: true, code: '91440300MA5XXXXX', pictureRef: 'c'.repeat(64),
          pictureType: 'image/png', pictureWidthMm: 42.5, pictureHeightMm: 40, createdAt: at(1),
        });
        const a2 = application(w.org, w.manager.id, { createdAt: at(2), replacesSealId: w.seal.id });
        await s.repos.applications.insert(a1);
        await s.repos.applications.insert(a2);
        expect(await s.repos.applications.get(a1.id)).toEqual(a1);
        expect((await s.repos.applications.list({ organisationId: w.org.id, status: 'submitted' })).map((a) => a.id)).toEqual([a2.id, a1.id]);
        expect((await s.repos.applications.list({ authorityId: w.auth.id, limit: 1 })).map((a) => a.id)).toEqual([a2.id]);
        const reviewed: SealApplication = { ...a1, status: 'rejected', reason: '材料不全', reviewedBy: 'r1', reviewedAt: at(3) };
        await s.repos.applications.update(reviewed);
        expect(await s.repos.applications.get(a1.id)).toEqual(reviewed);
      });

      it('seals: insert, get, getByEsId, list and count with filters; unique 电子印章标识', async () => {
        const s = await t.shared();
        const w = await world(s, { seal: { createdAt: at(0) } });
        const contract = sealRecord(w.org, w.app.id, { type: 'contract', name: '合同专用章', status: 'suspended', createdAt: at(1) });
        await s.repos.seals.insert(contract);
        expect(await s.repos.seals.get(w.seal.id)).toEqual(w.seal);
        expect(await s.repos.seals.getByEsId(contract.esId)).toEqual(contract);
        expect((await s.repos.seals.list({ organisationId: w.org.id })).map((x) => x.id)).toEqual([contract.id, w.seal.id]);
        expect(await s.repos.seals.count({ organisationId: w.org.id })).toBe(2);
        expect((await s.repos.seals.list({ authorityId: w.auth.id, status: 'suspended' })).map((x) => x.id)).toEqual([contract.id]);
        expect((await s.repos.seals.list({ organisationId: w.org.id, type: 'official' })).map((x) => x.id)).toEqual([w.seal.id]);
        expect((await s.repos.seals.list({ organisationId: w.org.id, limit: 1, offset: 1 })).map((x) => x.id)).toEqual([w.seal.id]);
        const e = await expectError(s.repos.seals.insert(sealRecord(w.org, w.app.id, { esId: contract.esId })), 'CONFLICT', { field: 'esId', table: 'seals' });
        expect(e.message).toBe('a seal with this esId exists already');
        await expectError(s.repos.seals.insert(sealRecord({ ...w.org, id: 'missing-org' }, w.app.id)), 'INVALID_REFERENCE');
      });

      it('seals: the directory search matches name, 电子印章标识 (exact or prefix), 统一社会信用代码 and organisation name', async () => {
        const s = await t.shared();
        const tag = uid('q').replace(/-/g, '');
        const w = await world(s, { org: { name: `深圳市${tag}实业有限公司` }, seal: { name: `${tag}财务专用章`, type: 'finance' } });
        const other = await world(s);
        const ids = async (query: string) => (await s.repos.seals.list({ query })).map((x) => x.id);
        expect(await ids(`${tag}财务`)).toEqual([w.seal.id]);
        expect(await ids(tag.toUpperCase())).toContain(w.seal.id); // ASCII case-insensitive
        expect(await ids(w.seal.esId)).toEqual([w.seal.id]);
        expect(await ids(w.seal.esId.slice(0, 12))).toContain(w.seal.id);
        expect(await ids(w.org.uscc)).toEqual([w.seal.id]);
        expect(await ids(w.org.uscc.toLowerCase())).toEqual([w.seal.id]);
        expect(await ids(`深圳市${tag}`)).toEqual([w.seal.id]);
        expect(await ids(`  ${tag}财务  `)).toEqual([w.seal.id]);
        expect(await s.repos.seals.count({ query: tag, type: 'finance' })).toBe(1);
        expect(await s.repos.seals.count({ query: tag, type: 'official' })).toBe(0);
        expect(await ids(other.seal.esId)).toEqual([other.seal.id]);
        // LIKE wildcards in the query are literal characters
        expect(await ids('%')).toEqual([]);
        expect(await ids('_')).toEqual([]);
      });

      it('seals: update is optimistic (version), increments the version and reports a stale write', async () => {
        const s = await t.shared();
        const w = await world(s);
        const copy = { ...w.seal };
        const next = { ...w.seal, status: 'suspended' as const, stampCount: 3, updatedAt: at(9), replacedById: undefined };
        expect(await s.repos.seals.update(next)).toBe(true);
        expect(next.version).toBe(2);
        expect(await s.repos.seals.get(w.seal.id)).toMatchObject({ status: 'suspended', stampCount: 3, version: 2, updatedAt: at(9) });
        expect(await s.repos.seals.update({ ...copy, status: 'revoked' })).toBe(false);
        expect((await s.repos.seals.get(w.seal.id))?.status).toBe('suspended');
        expect(await s.repos.seals.update({ ...sealRecord(w.org, w.app.id), id: 'missing' })).toBe(false);
      });

      it('seals: lock "update" serialises two transactions on one seal (the second sees the first one\'s change)', async () => {
        const s = await t.shared();
        const w = await world(s);
        const order: string[] = [];
        const change = (who: string, delay: number) =>
          s.transaction(async (r) => {
            const seal = (await r.seals.get(w.seal.id, { lock: 'update' }))!;
            order.push(`${who} read v${seal.version}`);
            await sleep(delay);
            expect(await r.seals.update({ ...seal, stampCount: seal.stampCount + 1 })).toBe(true);
          });
        const first = change('A', 150);
        await sleep(30);
        await Promise.all([first, change('B', 0)]);
        expect(order).toEqual(['A read v1', 'B read v2']);
        expect((await s.repos.seals.get(w.seal.id))?.stampCount).toBe(2);
        // a share lock is accepted too
        await s.transaction(async (r) => expect((await r.seals.get(w.seal.id, { lock: 'share' }))?.version).toBe(3));
      });

      it('seals: a 电子印章标识 clash inside a transaction can be retried in the same transaction', async () => {
        const s = await t.shared();
        const w = await world(s);
        const fresh = sealRecord(w.org, w.app.id, { esId: w.seal.esId });
        await s.transaction(async (r) => {
          await expectError(r.seals.insert(fresh), 'CONFLICT', { field: 'esId' });
          fresh.esId = sealRecord(w.org, w.app.id).esId;
          await r.seals.insert(fresh);
          await r.audit.append(auditInput(1, { action: 'seal.make', targetId: fresh.id }));
        });
        expect(await s.repos.seals.get(fresh.id)).toEqual(fresh);
      });

      it('seal events: the status history in order, also for changes at the same instant', async () => {
        const s = await t.shared();
        const w = await world(s);
        const events = [
          { id: uid('se'), sealId: w.seal.id, status: 'made' as const, at: at(0), actorId: 'maker' },
          { id: uid('se'), sealId: w.seal.id, status: 'active' as const, at: at(0) },
          { id: uid('se'), sealId: w.seal.id, status: 'revoked' as const, at: at(60), reason: '注销', actorId: 'mgr' },
        ];
        for (const e of events) await s.repos.sealEvents.insert(e);
        expect(await s.repos.sealEvents.listForSeal(w.seal.id)).toEqual(events);
      });

      it('use grants: insert, get (with lock), list by seal / user / activeAt, update', async () => {
        const s = await t.shared();
        const w = await world(s);
        const u = user();
        await s.repos.users.insert(u);
        const g1: UseGrant = { id: uid('g'), sealId: w.seal.id, userId: u.id, grantedBy: w.manager.id, validFrom: at(0), validUntil: at(100), maxUses: 10, usedCount: 0, documentTypes: ['contract', '公文'], createdAt: at(0) };
        const g2: UseGrant = { id: uid('g'), sealId: w.seal.id, userId: u.id, grantedBy: w.manager.id, validFrom: at(50), validUntil: at(200), usedCount: 0, createdAt: at(1) };
        const g3: UseGrant = { ...g2, id: uid('g'), revokedAt: at(60), createdAt: at(2) };
        for (const g of [g1, g2, g3]) await s.repos.grants.insert(g);
        expect(await s.repos.grants.get(g1.id)).toEqual(g1);
        expect(await s.transaction((r) => r.grants.get(g2.id, { lock: 'update' }))).toEqual(g2);
        expect((await s.repos.grants.list({ sealId: w.seal.id })).map((g) => g.id)).toEqual([g3.id, g2.id, g1.id]);
        expect((await s.repos.grants.list({ userId: u.id, activeAt: at(10) })).map((g) => g.id)).toEqual([g1.id]);
        expect((await s.repos.grants.list({ userId: u.id, activeAt: at(55) })).map((g) => g.id)).toEqual([g3.id, g2.id, g1.id]);
        expect((await s.repos.grants.list({ sealId: w.seal.id, activeAt: at(70) })).map((g) => g.id)).toEqual([g2.id, g1.id]);
        expect((await s.repos.grants.list({ sealId: w.seal.id, activeAt: at(100) })).map((g) => g.id)).toEqual([g2.id]);
        await s.repos.grants.update({ ...g1, usedCount: 1, revokedAt: at(5) });
        expect(await s.repos.grants.get(g1.id)).toEqual({ ...g1, usedCount: 1, revokedAt: at(5) });
      });

      it('approvals: insert, get (with lock), list by seal / status / requester / organisation, update', async () => {
        const s = await t.shared();
        const w = await world(s);
        const other = await world(s);
        const g: UseGrant = { id: uid('g'), sealId: w.seal.id, userId: w.manager.id, grantedBy: w.manager.id, validFrom: at(0), validUntil: at(100), usedCount: 0, createdAt: at(0) };
        await s.repos.grants.insert(g);
        const mk = (i: number, over: Partial<StampApproval> = {}): StampApproval => ({
          id: uid('ap'), sealId: w.seal.id, grantId: g.id, requestedBy: w.manager.id, documentHash: 'd'.repeat(64), status: 'pending', createdAt: at(i), ...over,
        });
        const a1 = mk(1, { documentType: 'contract', purpose: '签订采购合同' });
        const a2 = mk(2);
        for (const a of [a1, a2]) await s.repos.approvals.insert(a);
        expect(await s.repos.approvals.get(a1.id)).toEqual(a1);
        expect(await s.transaction((r) => r.approvals.get(a2.id, { lock: 'update' }))).toEqual(a2);
        expect((await s.repos.approvals.list({ sealId: w.seal.id })).map((a) => a.id)).toEqual([a2.id, a1.id]);
        expect((await s.repos.approvals.list({ organisationId: w.org.id, status: 'pending', limit: 1 })).map((a) => a.id)).toEqual([a2.id]);
        expect(await s.repos.approvals.list({ organisationId: other.org.id })).toEqual([]);
        const decided: StampApproval = { ...a1, status: 'approved', approverId: 'boss', decidedAt: at(3), reason: '同意' };
        await s.repos.approvals.update(decided);
        expect(await s.repos.approvals.get(a1.id)).toEqual(decided);
        expect((await s.repos.approvals.list({ requestedBy: w.manager.id, status: 'approved' })).map((a) => a.id)).toEqual([a1.id]);
      });
    });

    describe('stamps, batches, keys, trust, idempotency', () => {
      it('stamps: insert, get, list by seal / organisation / batch, newest first', async () => {
        const s = await t.shared();
        const w = await world(s);
        const st = [0, 1, 2].map((i) => stampRecord(w, at(i), i === 1 ? { kind: 'ofd', documentType: '公文', outputRef: 'e'.repeat(64), batchId: 'b1', apiKeyId: 'k1' } : {}));
        for (const x of st) await s.repos.stamps.insert(x);
        expect(await s.repos.stamps.get(st[1].id)).toEqual(st[1]);
        expect((await s.repos.stamps.list({ sealId: w.seal.id })).map((x) => x.id)).toEqual([st[2].id, st[1].id, st[0].id]);
        expect((await s.repos.stamps.list({ organisationId: w.org.id, limit: 2, offset: 1 })).map((x) => x.id)).toEqual([st[1].id, st[0].id]);
        expect((await s.repos.stamps.list({ sealId: w.seal.id, batchId: 'b1' })).map((x) => x.id)).toEqual([st[1].id]);
        await expectError(s.repos.stamps.insert({ ...stampRecord(w, at(0)), kind: 'docx' as never }), 'INVALID_ARGUMENT');
      });

      it('stamps: insertMany writes several records at once (group commit), more than one statement holds', async () => {
        const s = await t.shared();
        const w = await world(s);
        const many = Array.from({ length: 620 }, (_, i) => stampRecord(w, at(100 + i)));
        await s.transaction((r) => r.stamps.insertMany(many));
        expect(await s.repos.stamps.get(many[619].id)).toEqual(many[619]);
        expect((await s.repos.stamps.list({ sealId: w.seal.id, limit: 1000 })).length).toBeGreaterThanOrEqual(620);
      });

      it('batches: job and items together, items in order, updates, unfinished jobs', async () => {
        const s = await t.shared();
        const w = await world(s);
        const job: BatchJob = { id: uid('batch'), sealId: w.seal.id, userId: w.manager.id, status: 'queued', total: 1200, done: 0, failed: 0, options: { profile: 'national', page: 1, keyword: '盖章处' }, createdAt: at(0), updatedAt: at(0) };
        const items: BatchItem[] = Array.from({ length: 1200 }, (_, i) => ({ id: uid('item'), batchId: job.id, index: i, name: `文件${i}.ofd`, inputRef: 'f'.repeat(64), status: 'pending' }));
        await s.repos.batches.insert(job, items);
        expect(await s.repos.batches.get(job.id)).toEqual(job);
        const got = await s.repos.batches.items(job.id);
        expect(got).toHaveLength(1200);
        expect(got[0]).toEqual(items[0]);
        expect(got.map((i) => i.index)).toEqual(items.map((i) => i.index));
        await s.repos.batches.updateItem({ ...items[5], status: 'done', outputRef: '1'.repeat(64), stampId: 'st1' });
        await s.repos.batches.updateItem({ ...items[6], status: 'failed', error: 'not an OFD file' });
        expect((await s.repos.batches.items(job.id, { status: 'done' })).map((i) => i.index)).toEqual([5]);
        // finishItem moves only a pending item: the second runner of a batch learns it came too late
        expect(await s.repos.batches.finishItem({ ...items[7], status: 'done', stampId: 'st7' })).toBe(true);
        expect(await s.repos.batches.finishItem({ ...items[7], status: 'failed', error: 'late' })).toBe(false);
        expect(await s.repos.batches.finishItem({ ...items[6], status: 'done', stampId: 'st6' })).toBe(false);
        expect((await s.repos.batches.items(job.id, { status: 'done' })).map((i) => [i.index, i.stampId])).toEqual([[5, 'st1'], [7, 'st7']]);
        expect(await s.repos.batches.countItems(job.id)).toEqual({ pending: 1197, done: 2, failed: 1 });
        expect(await s.repos.batches.countItems('no-such-batch')).toEqual({ pending: 0, done: 0, failed: 0 });
        expect(await s.repos.batches.items(job.id, { status: 'failed' })).toEqual([{ ...items[6], status: 'failed', error: 'not an OFD file' }]);
        expect((await s.repos.batches.unfinished()).some((b) => b.id === job.id)).toBe(true);
        await s.repos.batches.update({ ...job, status: 'done', done: 1199, failed: 1, updatedAt: at(5) });
        expect(await s.repos.batches.get(job.id)).toMatchObject({ status: 'done', done: 1199, failed: 1, updatedAt: at(5) });
        expect((await s.repos.batches.unfinished()).some((b) => b.id === job.id)).toBe(false);
        // all or nothing: a clash in the items leaves no job
        const bad: BatchJob = { ...job, id: uid('batch') };
        await expectError(s.repos.batches.insert(bad, [0, 0].map((index) => ({ id: uid('item'), batchId: bad.id, index, name: 'x', inputRef: 'f'.repeat(64), status: 'pending' as const }))), 'CONFLICT', { field: 'batchId,index' });
        expect(await s.repos.batches.get(bad.id)).toBeUndefined();
        await expectError(s.repos.batches.insert({ ...job, id: uid('batch') }, [items[0]]), 'INVALID_ARGUMENT');
      });

      it('stored keys and trusted certificates', async () => {
        const s = await t.shared();
        const k = { id: uid('key'), purpose: 'signer' as const, publicKey: bytes(4, 9, 9), encrypted: new Uint8Array(85).fill(7), createdAt: T0 };
        await s.repos.keys.insert(k);
        expect(await s.repos.keys.get(k.id)).toEqual(k);
        expect(await s.repos.keys.get('nope')).toBeUndefined();
        const tc = { id: uid('tc'), name: '外省 CA', certificate: bytes(0x30, 0x82, 1, 2), addedAt: at(1), addedBy: 'op' };
        await s.repos.trust.insert(tc);
        expect((await s.repos.trust.list()).find((x) => x.id === tc.id)).toEqual(tc);
        await s.repos.trust.delete(tc.id);
        expect((await s.repos.trust.list()).find((x) => x.id === tc.id)).toBeUndefined();
      });

      it('idempotency: begin once per (scope, key), complete, abandon only pending', async () => {
        const s = await t.shared();
        const scope = uid('user');
        const rec = { scope, key: 'k1', requestHash: '1'.repeat(64), status: 'pending' as const, createdAt: T0 };
        expect(await s.repos.idempotency.begin(rec)).toBe(true);
        expect(await s.repos.idempotency.begin({ ...rec, requestHash: '2'.repeat(64) })).toBe(false);
        expect(await s.repos.idempotency.begin({ ...rec, scope: uid('other') })).toBe(true);
        expect(await s.repos.idempotency.get(scope, 'k1')).toEqual(rec);
        await s.repos.idempotency.complete(scope, 'k1', { status: 201, body: '{"id":"x"}', type: 'application/json' });
        expect(await s.repos.idempotency.get(scope, 'k1')).toEqual({ ...rec, status: 'done', responseStatus: 201, responseBody: '{"id":"x"}', responseType: 'application/json' });
        await s.repos.idempotency.abandon(scope, 'k1');
        expect((await s.repos.idempotency.get(scope, 'k1'))?.status).toBe('done');
        expect(await s.repos.idempotency.begin({ ...rec, key: 'k2' })).toBe(true);
        await s.repos.idempotency.abandon(scope, 'k2');
        expect(await s.repos.idempotency.get(scope, 'k2')).toBeUndefined();
        expect(await s.repos.idempotency.begin({ ...rec, key: 'k2' })).toBe(true);
        await expectError(s.repos.idempotency.complete(scope, 'never', { status: 200, body: '', type: 'text/plain' }), 'NOT_FOUND');
      });

      it('idempotency: concurrent begins of one key in transactions, exactly one wins', async () => {
        const s = await t.shared();
        const scope = uid('user');
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            s.transaction(async (r) => {
              const ok = await r.idempotency.begin({ scope, key: 'same', requestHash: String(i).repeat(64), status: 'pending', createdAt: T0 });
              await sleep(20);
              return ok;
            }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('transactions', () => {
      it('a throw rolls back everything, the audit event with the state change', async () => {
        const s = await freshOf(t);
        const a = authority();
        await expect(
          s.store.transaction(async (r) => {
            await r.authorities.insert(a);
            await r.audit.append(auditInput(1, { action: 'authority.create', targetId: a.id }));
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await s.store.repos.authorities.get(a.id)).toBeUndefined();
        expect(await s.store.repos.audit.count()).toBe(0);
        expect(await s.store.repos.audit.head()).toEqual({ seq: 0, hash: '0'.repeat(64) });
        // a failing statement (constraint) after the audit event: nothing either
        const o = organisation('missing');
        await expectError(
          s.store.transaction(async (r) => {
            await r.authorities.insert(a);
            await r.audit.append(auditInput(2));
            await r.organisations.insert(o);
          }),
          'INVALID_REFERENCE',
        );
        expect(await s.store.repos.authorities.get(a.id)).toBeUndefined();
        expect(await s.store.repos.audit.count()).toBe(0);
        // and a commit keeps both
        const ev = await s.store.transaction(async (r) => {
          await r.authorities.insert(a);
          return r.audit.append(auditInput(3, { targetId: a.id }));
        });
        expect(ev.seq).toBe(1);
        expect(await s.store.repos.authorities.get(a.id)).toEqual(a);
        expect((await s.store.repos.audit.list({ targetId: a.id })).map((e) => e.id)).toEqual([ev.id]);
        await s.store.close();
      });

      it('returns the value of fn; reads outside see only committed rows; nesting and outside writes are refused', async () => {
        const s = await t.shared();
        const a = authority();
        const seen = await s.transaction(async (r) => {
          await r.authorities.insert(a);
          const inside = await r.authorities.get(a.id);
          await expectError(s.transaction(async () => 1), 'NESTED_TRANSACTION');
          await expectError(s.repos.authorities.insert(authority()), 'NESTED_TRANSACTION');
          return { inside: inside?.id, outside: (await s.repos.authorities.get(a.id))?.id };
        });
        expect(seen.inside).toBe(a.id);
        expect(seen.outside).toBeUndefined();
        expect((await s.repos.authorities.get(a.id))?.id).toBe(a.id);
      });
    });

    describe('audit record', () => {
      it('append, head, count, scan, list with filters; what is returned is what reads back', async () => {
        const { store: s } = await freshOf(t);
        const inputs = [
          auditInput(1, { organisationId: 'o1', authorityId: 'a1', targetType: 'seal', targetId: 's1', requestId: 'req-1', details: { reason: '遗失', when: at(1), nested: { b: [1, undefined, 'x'], a: null }, skip: undefined } }),
          auditInput(2, { actor: { type: 'api-key', id: 'k1' }, action: 'stamp.hash', organisationId: 'o1', result: 'denied' }),
          auditInput(3, { actor: { type: 'public' }, action: 'status.query', authorityId: 'a2', result: 'failure', details: {} }),
        ];
        const appended = [];
        for (const e of inputs) appended.push(await s.repos.audit.append(e)); // outside a transaction: its own
        expect(appended.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(appended[1].prevHash).toBe(appended[0].hash);
        expect(await s.repos.audit.head()).toEqual({ seq: 3, hash: appended[2].hash });
        expect(await s.repos.audit.count()).toBe(3);
        const scanned = await s.repos.audit.scan(1, 10);
        expect(scanned).toEqual(appended);
        expect(scanned[0].details).toEqual({ reason: '遗失', when: at(1).toISOString(), nested: { a: null, b: [1, null, 'x'] } });
        expect(await s.repos.audit.scan(2, 1)).toEqual([appended[1]]);
        const ids = async (f: Parameters<Repositories['audit']['list']>[0]) => (await s.repos.audit.list(f)).map((e) => e.seq);
        expect(await ids({})).toEqual([3, 2, 1]);
        expect(await ids({ organisationId: 'o1' })).toEqual([2, 1]);
        expect(await ids({ authorityId: 'a2' })).toEqual([3]);
        expect(await ids({ actorId: 'k1' })).toEqual([2]);
        expect(await ids({ action: 'test.event' })).toEqual([1]);
        expect(await ids({ targetType: 'seal', targetId: 's1' })).toEqual([1]);
        expect(await ids({ from: at(2), to: at(3) })).toEqual([2]);
        expect(await ids({ limit: 1, offset: 1 })).toEqual([2]);
        expect((await verify(s)).valid).toBe(true);
        await expectError(s.repos.audit.append({ ...auditInput(4), time: new Date(NaN) }), 'INVALID_ARGUMENT');
        await expectError(s.repos.audit.append({ ...auditInput(4), id: appended[0].id }), 'CONFLICT', { field: 'id' });
        expect(await s.repos.audit.head()).toEqual({ seq: 3, hash: appended[2].hash });
        await s.close();
      });

      it('appends after a rolled-back append, and alternating between two stores on one database, keep one chain', async () => {
        const l = t.location();
        const { store: a } = await openStoreWithInfo(l.url, l.options);
        const { store: b } = await openStoreWithInfo(l.url, l.options);
        await a.repos.audit.append(auditInput(1));
        await expect(
          a.transaction(async (r) => {
            await r.audit.append(auditInput(2));
            throw new Error('undo');
          }),
        ).rejects.toThrow('undo');
        expect((await a.repos.audit.append(auditInput(3))).seq).toBe(2);
        for (let i = 0; i < 10; i++) await (i % 3 ? a : b).repos.audit.append(auditInput(10 + i));
        await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).repos.audit.append(auditInput(20 + i))));
        expect(await verify(a)).toMatchObject({ valid: true, events: 22, headSeq: 22 });
        await Promise.all([a.close(), b.close()]);
      });

      it('1000 events from concurrent transactions form one valid chain', async () => {
        const { store: s } = await freshOf(t);
        const u = user();
        await s.repos.users.insert(u);
        let next = 0;
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            for (let i = next++; i < 1000; i = next++) {
              await s.transaction(async (r) => {
                await r.sessions.insert({ id: `c-${i}`, userId: u.id, createdAt: T0, expiresAt: at(60) });
                await r.audit.append(auditInput(i, { targetId: `c-${i}` }));
              });
            }
          }),
        );
        const report = await verify(s);
        expect(report).toMatchObject({ valid: true, events: 1000, headSeq: 1000 });
        expect(await s.repos.audit.count()).toBe(1000);
        await s.close();
      });

      it('appendMany: groups of events interleaved with single appends from concurrent transactions form one valid chain', async () => {
        const { store: s } = await freshOf(t);
        let n = 0;
        await Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let k = 0; k < 10; k++) {
              await s.transaction(async (r) => {
                if ((w + k) % 3 === 0) await r.audit.append(auditInput(n++));
                else {
                  const out = await r.audit.appendMany(Array.from({ length: 7 }, () => auditInput(n++)));
                  expect(out.map((e) => e.seq)).toEqual(out.map((_, i) => out[0].seq + i));
                }
              });
            }
          }),
        );
        const report = await verify(s);
        expect(report.valid).toBe(true);
        expect(report.events).toBe(await s.repos.audit.count());
        expect(report.events).toBe(n);
        await s.close();
      });

      it('two OS processes and this one open a new database and append to it at once: one valid chain', async () => {
        const l = t.location();
        const startAt = Date.now() + 3000;
        // the children open (and race to migrate) the new database while this process does too
        const children = ['p1', 'p2'].map((prefix) => appendInChild({ ...l, count: 400, concurrency: 8, prefix, startAt }));
        const { store: s } = await openStoreWithInfo(l.url, l.options);
        const u = user();
        await s.repos.users.insert(u);
        await sleep(Math.max(0, startAt - Date.now()));
        for (let i = 0; i < 200; i++) {
          await s.transaction(async (r) => {
            await r.sessions.insert({ id: `p0-s${i}`, userId: u.id, createdAt: T0, expiresAt: at(60) });
            await r.audit.append(auditInput(i, { targetId: `p0-s${i}` }));
          });
        }
        const results = await Promise.all(children);
        expect(results.map((r) => r.appended)).toEqual([400, 400]);
        const report = await verify(s);
        expect(report).toMatchObject({ valid: true, events: 1000, headSeq: 1000 });
        // every process's events are in the one chain (PostgreSQL queues the processes fairly at the
        // head row, so their appends interleave; SQLite's lock polling makes no promise of fairness)
        const events = await s.repos.audit.scan(1, 1000);
        const from = (name: string | undefined) => events.filter((e) => e.actor.name === name).length;
        expect([from(undefined) + from('张三'), from('p1'), from('p2')]).toEqual([200, 400, 400]);
        const switches = events.filter((e, i) => i > 0 && e.actor.name !== events[i - 1].actor.name).length;
        if (t.dialect === 'postgres') expect(switches).toBeGreaterThan(2);
        // every event's state change (a session row) committed with it
        const sessions = await s.kysely.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(sessions.n)).toBe(1000);
        await s.close();
      });

      it('the database refuses UPDATE and DELETE of audit events (append-only triggers), and moving the head back', async () => {
        const { store: s } = await freshOf(t);
        for (let i = 0; i < 3; i++) await s.repos.audit.append(auditInput(i));
        await expectError(raw(s, `UPDATE audit_events SET action = 'x' WHERE seq = 2`), 'AUDIT_APPEND_ONLY');
        await expectError(raw(s, 'DELETE FROM audit_events WHERE seq = 3'), 'AUDIT_APPEND_ONLY');
        await expectError(raw(s, 'UPDATE audit_head SET seq = 1 WHERE id = 1'), 'AUDIT_APPEND_ONLY');
        await expectError(raw(s, 'DELETE FROM audit_head'), 'AUDIT_APPEND_ONLY');
        if (t.dialect === 'postgres') await expectError(raw(s, 'TRUNCATE audit_events'), 'AUDIT_APPEND_ONLY');
        expect((await verify(s)).valid).toBe(true);
        await s.close();
      });

      it('with the triggers dropped, the chain still finds an edited row, a deleted row and deleted newest rows', async () => {
        const { store: s } = await freshOf(t);
        for (let i = 1; i <= 10; i++) await s.repos.audit.append(auditInput(i, { details: { amount: i } }));
        for (const name of AUDIT_TRIGGERS) await raw(s, t.dialect === 'postgres' ? `DROP TRIGGER ${name} ON audit_events` : `DROP TRIGGER ${name}`);
        // an edit of the details of event 3
        await raw(s, `UPDATE audit_events SET details = '{"amount":300}' WHERE seq = 3`);
        let report = await verify(s);
        expect(report.valid).toBe(false);
        expect(report.problems).toContainEqual(expect.objectContaining({ seq: 3, problem: 'edited' }));
        // a deleted event in the middle
        await raw(s, 'DELETE FROM audit_events WHERE seq = 6');
        report = await verify(s);
        expect(report.problems).toContainEqual(expect.objectContaining({ seq: 6, problem: 'missing' }));
        // the newest events deleted: only the separately kept head tells
        await raw(s, 'DELETE FROM audit_events WHERE seq >= 9');
        report = await verify(s);
        expect(report.problems).toContainEqual(expect.objectContaining({ seq: 10, problem: 'head-mismatch' }));
        await s.close();
      });

      it('deleting only the newest rows (nothing else) is detected by the head', async () => {
        const { store: s } = await freshOf(t);
        for (let i = 1; i <= 5; i++) await s.repos.audit.append(auditInput(i));
        await raw(s, t.dialect === 'postgres' ? 'DROP TRIGGER audit_events_no_delete ON audit_events' : 'DROP TRIGGER audit_events_no_delete');
        await raw(s, 'DELETE FROM audit_events WHERE seq > 3');
        const report = await verify(s);
        expect(report).toMatchObject({ valid: false, events: 3, headSeq: 3 });
        expect(report.problems.map((p) => p.problem)).toEqual(['head-mismatch']);
        await s.close();
      });
    });

    describe('statistics', () => {
      it('seals by authority, type, status, organisation', async () => {
        const { store: s } = await freshOf(t);
        const w1 = await world(s, { seal: { type: 'official', status: 'active' } });
        const w2 = await world(s, { seal: { type: 'contract', status: 'revoked' } });
        await s.repos.seals.insert(sealRecord(w1.org, w1.app.id, { type: 'contract', status: 'active' }));
        expect(await s.repos.stats.sealsBy('type')).toEqual([{ key: 'contract', count: 2 }, { key: 'official', count: 1 }]);
        expect(await s.repos.stats.sealsBy('status')).toEqual([{ key: 'active', count: 2 }, { key: 'revoked', count: 1 }]);
        expect(await s.repos.stats.sealsBy('authority')).toEqual([{ key: w1.auth.id, count: 2 }, { key: w2.auth.id, count: 1 }]);
        expect(await s.repos.stats.sealsBy('organisation')).toEqual([{ key: w1.org.id, count: 2 }, { key: w2.org.id, count: 1 }]);
        await expectError(s.repos.stats.sealsBy('colour' as never), 'INVALID_ARGUMENT');
        await s.close();
      });

      it('stamps per day and month in China Standard Time (UTC+8), per seal / organisation / authority, with filters', async () => {
        const l = await freshOf(t);
        const s = l.store;
        const w1 = await world(s);
        const w2 = await world(s);
        const times = [
          '2024-01-31T15:59:59.999Z', // 2024-01-31 23:59:59 in Shanghai
          '2024-01-31T16:00:00.000Z', // 2024-02-01 00:00 in Shanghai
          '2024-02-01T10:00:00.000Z',
          '2024-02-29T23:00:00.000Z', // 2024-03-01 07:00 in Shanghai
          '2023-12-31T17:00:00.000Z', // 2024-01-01 01:00 in Shanghai
        ];
        for (const [i, iso] of times.entries()) await s.repos.stamps.insert(stampRecord(i < 3 ? w1 : w2, new Date(iso)));
        expect(await s.repos.stats.stampsBy('day')).toEqual([
          { key: '2024-01-01', count: 1 },
          { key: '2024-01-31', count: 1 },
          { key: '2024-02-01', count: 2 },
          { key: '2024-03-01', count: 1 },
        ]);
        expect(await s.repos.stats.stampsBy('month')).toEqual([
          { key: '2024-01', count: 2 },
          { key: '2024-02', count: 2 },
          { key: '2024-03', count: 1 },
        ]);
        expect(await s.repos.stats.stampsBy('month', { organisationId: w1.org.id })).toEqual([{ key: '2024-01', count: 1 }, { key: '2024-02', count: 2 }]);
        expect(await s.repos.stats.stampsBy('day', { sealId: w2.seal.id, from: new Date('2024-01-01T00:00:00Z') })).toEqual([{ key: '2024-03-01', count: 1 }]);
        expect(await s.repos.stats.stampsBy('day', { authorityId: w1.auth.id, to: new Date('2024-01-31T16:00:00.000Z') })).toEqual([{ key: '2024-01-31', count: 1 }]);
        expect(await s.repos.stats.stampsPer('seal')).toEqual([{ key: w1.seal.id, count: 3 }, { key: w2.seal.id, count: 2 }]);
        const perOrg = await s.repos.stats.stampsPer('organisation', { from: new Date('2024-02-01T00:00:00Z') });
        expect(perOrg).toHaveLength(2);
        expect(perOrg).toEqual(expect.arrayContaining([{ key: w1.org.id, count: 1 }, { key: w2.org.id, count: 1 }]));
        expect(await s.repos.stats.stampsPer('authority', { to: new Date('2024-01-01T00:00:00Z') })).toEqual([{ key: w2.auth.id, count: 1 }]);
        // another calendar (UTC) on the same data
        const utc = (await openStoreWithInfo(l.url, { ...l.options, statsUtcOffsetMinutes: 0 })).store;
        expect(await utc.repos.stats.stampsBy('month')).toEqual([
          { key: '2023-12', count: 1 },
          { key: '2024-01', count: 2 },
          { key: '2024-02', count: 2 },
        ]);
        await utc.close();
        await s.close();
      });
    });
  });
}
