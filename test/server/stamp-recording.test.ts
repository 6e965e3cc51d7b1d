/**
 * Recording uses of a seal under load, on SQLite and PostgreSQL: concurrent hash signatures all land
 * in one valid audit chain; state the server remembered for a moment (a seal checked before signing,
 * an API key found valid) never records a use after the seal or the key changed behind its back (as
 * another process sharing the database would change them). On PostgreSQL such groups are written by
 * one statement that checks the seal versions and keys under lock (storage/repos/audit-with-stamps.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3 } from '../../src/sm/sm3.js';
import { toHex } from '../../src/util/bytes.js';
import { authenticate, createBatch, runBatch, verifyAudit } from '../../src/core/index.js';
import { simpleTextDocument } from '../../src/ofd/create.js';
import { loadDocumentFont } from '../../src/storage/assets.js';
import { dropPgSchema, errorOf, loginAs, PG_URL, testPlatform, type TestPlatform } from './helpers.js';

const SCHEMA = `eseal_server_rec_${process.pid}_${Date.now().toString(36)}`;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`recording stamps (${dialect})`, () => {
    let t: TestPlatform;
    let key: Record<string, string>;
    let sealId = '';
    const stamps = async () => (await t.platform.deps.store.repos.stamps.list({ sealId, limit: 100_000 })).length;
    const signHash = (i: number, headers = key) =>
      t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/sign-hash`, headers, payload: { hash: toHex(sm3(new Uint8Array([i & 0xff, i >> 8]))) } });

    beforeAll(async () => {
      t = await testPlatform(dialect === 'postgres' ? { db: PG_URL, storeOptions: { schema: SCHEMA } } : {});
      key = { 'x-api-key': t.platform.demo!.apiKey.secret };
      sealId = t.platform.demo!.seals.find((s) => s.type === 'finance')!.id;
    });
    afterAll(async () => {
      await t?.close();
      if (dialect === 'postgres') await dropPgSchema(SCHEMA);
    });

    it('60 concurrent hash signatures: every one answered, recorded once, in one valid chain', async () => {
      const before = await stamps();
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => signHash(i)));
      expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((r) => r.json().stampId)).size).toBe(60);
      expect(await stamps()).toBe(before + 60);
      const report = await verifyAudit(t.platform.deps);
      expect(report.problems).toEqual([]);
      expect(report.valid).toBe(true);
    });

    it('two runners of one batch at once (two processes resuming it): each document is stamped once, progress counts all', async () => {
      const deps = t.platform.deps;
      const principal = (await authenticate({ apiKey: t.platform.demo!.apiKey.secret }, deps))!;
      const documents = Array.from({ length: 8 }, (_, i) => ({ name: `证明${i}.ofd`, data: simpleTextDocument(`第 ${i} 份证明`, { fonts: { regular: loadDocumentFont() }, title: `证明 ${i}` }) }));
      documents.push({ name: 'broken.ofd', data: new TextEncoder().encode('not an OFD package') });
      const job = await createBatch({ sealId, documents, placement: { page: 1, x: 100, y: 100 } }, { principal }, deps);
      const [a, b] = await Promise.all([runBatch(job.id, deps), runBatch(job.id, deps)]);
      const items = await deps.store.repos.batches.items(job.id);
      expect(items.filter((i) => i.status === 'done')).toHaveLength(8);
      expect(items.filter((i) => i.status === 'failed').map((i) => i.name)).toEqual(['broken.ofd']);
      const stamped = (await deps.store.repos.stamps.list({ batchId: job.id, limit: 1000 })).map((s) => s.id);
      expect(stamped.sort()).toEqual(items.flatMap((i) => (i.stampId ? [i.stampId] : [])).sort());
      const final = (await deps.store.repos.batches.get(job.id))!;
      expect([final.status, final.done, final.failed]).toEqual(['done', 8, 1]);
      expect([a.done + 0, b.done + 0].every((n) => n <= 8)).toBe(true);
      expect((await verifyAudit(deps)).valid).toBe(true);
    });

    it('a seal suspended behind the server’s back is refused at once, and usable again once resumed', async () => {
      expect((await signHash(1000)).statusCode).toBe(200); // the server now remembers the seal as active
      const store = t.platform.deps.store;
      const seal = (await store.repos.seals.get(sealId))!;
      expect(await store.transaction((r) => r.seals.update({ ...seal, status: 'suspended' }))).toBe(true);
      const before = await stamps();
      const refused = await Promise.all([signHash(1001), signHash(1002)]);
      for (const r of refused) {
        expect(r.statusCode).toBe(409);
        expect(errorOf(r).code).toBe('SEAL_NOT_USABLE');
      }
      expect(await stamps()).toBe(before);
      const now = (await store.repos.seals.get(sealId))!;
      expect(await store.transaction((r) => r.seals.update({ ...now, status: 'active' }))).toBe(true);
      expect((await signHash(1003)).statusCode).toBe(200);
    });

    it('an API key revoked behind the server’s back records nothing more, though authentication remembered it', async () => {
      // past the time the check before signing remembers a seal's state (changed by the test above),
      // so that on PostgreSQL the use below is written by the one-statement path, which checks the key
      await new Promise((ok) => setTimeout(ok, 1100));
      const store = t.platform.deps.store;
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: await loginAs(t.app, 'ent-admin'), payload: { name: 'oa', role: 'seal-user', organisationId: (await t.platform.deps.store.repos.seals.get(sealId))!.organisationId } });
      expect(created.statusCode, created.body).toBe(201);
      const own = { 'x-api-key': created.json().secret };
      expect((await signHash(2000, own)).statusCode).toBe(200);
      const k = (await store.repos.apiKeys.get(created.json().apiKey.id))!;
      await store.transaction((r) => r.apiKeys.update({ ...k, revokedAt: new Date() }));
      const before = await stamps();
      const r = await signHash(2001, own);
      expect(r.statusCode).toBe(401);
      expect(errorOf(r).code).toBe('UNAUTHENTICATED');
      expect(await stamps()).toBe(before);
      // after the moment authentication may remember a key, it is refused at the door
      await new Promise((ok) => setTimeout(ok, 1100));
      expect((await signHash(2002, own)).statusCode).toBe(401);
    });
  });
}
