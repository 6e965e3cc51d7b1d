/**
 * Idempotency-Key on the stamping calls, on SQLite and on PostgreSQL (a fresh schema): a retry with the
 * same key and request replays the stored response (status, headers, body — also binary documents) and
 * stamps nothing new; the same key with another request is 422; a concurrent duplicate is 409; a
 * failed request releases its key; keys are per principal.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/index.js';
import { fingerprint } from '../../src/server/plugins/app/idempotency.js';
import { dropPgSchema, errorOf, loginAs, PG_URL, testPlatform, type TestPlatform } from './helpers.js';

const PDF = readFileSync(new URL('../fixtures/pdf/chromium-quotation.pdf', import.meta.url));
const SCHEMA = `eseal_server_idem_${process.pid}_${Date.now().toString(36)}`;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`Idempotency-Key (${dialect})`, () => {
    let t: TestPlatform;
    let user: Record<string, string>;
    let other: Record<string, string>;
    let sealId = '';
    let financeId = '';
    const stamps = async () => (await t.platform.deps.store.repos.stamps.list({ limit: 100_000 })).length;

    beforeAll(async () => {
      t = await testPlatform(dialect === 'postgres' ? { db: PG_URL, storeOptions: { schema: SCHEMA } } : {});
      expect(t.platform.deps.store.dialect).toBe(dialect);
      user = await loginAs(t.app, 'ent-user');
      other = { 'x-api-key': t.platform.demo!.apiKey.secret };
      sealId = t.platform.demo!.seals.find((s) => s.type === 'official' && s.organisation.includes('科技'))!.id;
      financeId = t.platform.demo!.seals.find((s) => s.type === 'finance')!.id;
    });
    afterAll(async () => {
      await t?.close();
      if (dialect === 'postgres') await dropPgSchema(SCHEMA);
    });

    const signHash = (key: string, hash: string, headers = user, seal = sealId) => t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal}/sign-hash`, headers: { ...headers, 'idempotency-key': key }, payload: { hash } });

    it('same key, same request: the stored response is replayed and nothing new is stamped', async () => {
      const first = await signHash('k-1', 'a'.repeat(64));
      expect(first.statusCode, first.body).toBe(200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const n = await stamps();
      // the same JSON with other whitespace and key order is the same request
      const again = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/sign-hash`, headers: { ...user, 'idempotency-key': 'k-1', 'content-type': 'application/json' }, payload: `{ "hash" : "${'a'.repeat(64)}" }` });
      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toBe(first.body);
      expect(again.headers['x-stamp-id']).toBe(first.headers['x-stamp-id']);
      expect(await stamps()).toBe(n);
    });

    it('same key, another request (body, seal or query): 422 IDEMPOTENCY_KEY_REUSED, nothing stamped', async () => {
      await signHash('k-2', 'b'.repeat(64));
      const n = await stamps();
      const body = await signHash('k-2', 'c'.repeat(64));
      expect(body.statusCode).toBe(422);
      expect(errorOf(body)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotencyKey: 'k-2' } });
      const seal = await signHash('k-2', 'b'.repeat(64), user, financeId);
      expect(seal.statusCode).toBe(422);
      const doc = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/stamp?page=1&x=10&y=10`, headers: { ...user, 'idempotency-key': 'k-2', 'content-type': 'application/pdf' }, payload: PDF });
      expect(doc.statusCode).toBe(422);
      expect(await stamps()).toBe(n);
    });

    it('a stamped document is replayed byte for byte, with its X-Stamp-Id and type', async () => {
      const url = `/api/v1/seals/${sealId}/stamp?page=1&x=100&y=100`;
      const first = await t.app.inject({ method: 'POST', url, headers: { ...user, 'idempotency-key': 'doc-1', 'content-type': 'application/pdf' }, payload: PDF });
      expect(first.statusCode, first.body).toBe(200);
      const n = await stamps();
      const again = await t.app.inject({ method: 'POST', url, headers: { ...user, 'idempotency-key': 'doc-1', 'content-type': 'application/pdf' }, payload: PDF });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toBe('application/pdf');
      expect(again.headers['x-stamp-id']).toBe(first.headers['x-stamp-id']);
      expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
      const q = await t.app.inject({ method: 'POST', url: `${url}&reason=x`, headers: { ...user, 'idempotency-key': 'doc-1', 'content-type': 'application/pdf' }, payload: PDF });
      expect(q.statusCode).toBe(422);
      expect(await stamps()).toBe(n);
    });

    it('concurrent duplicates: one stamps, the others get 409 IDEMPOTENCY_IN_PROGRESS; afterwards the result replays', async () => {
      const n = await stamps();
      const send = () => t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/stamp?page=1&x=60&y=60`, headers: { ...user, 'idempotency-key': 'race-1', 'content-type': 'application/pdf' }, payload: PDF });
      const results = await Promise.all([send(), send(), send(), send()]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(3);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(errorOf(r).code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(await stamps()).toBe(n + 1);
      const later = await send();
      expect(later.statusCode).toBe(200);
      expect(later.headers['idempotent-replayed']).toBe('true');
      expect(await stamps()).toBe(n + 1);
    });

    it('a failed request releases its key: the retry after the cause is fixed succeeds', async () => {
      const manager = await loginAs(t.app, 'ent-manager');
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${financeId}/suspend`, headers: manager, payload: { reason: '盘点' } })).statusCode).toBe(200);
      const failed = await signHash('k-3', 'd'.repeat(64), user, financeId);
      expect(failed.statusCode).toBe(409);
      expect(errorOf(failed).code).toBe('SEAL_NOT_USABLE');
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${financeId}/resume`, headers: manager })).statusCode).toBe(200);
      const ok = await signHash('k-3', 'd'.repeat(64), user, financeId);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
    });

    it('keys belong to their principal: another caller’s identical key is a new request', async () => {
      const a = await signHash('shared-key', 'e'.repeat(64));
      const b = await signHash('shared-key', 'e'.repeat(64), other);
      expect(a.statusCode).toBe(200);
      expect(b.statusCode).toBe(200);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.json().stampId).not.toBe(a.json().stampId);
    });

    it('a pending key left by a crashed process is taken over after a while; malformed keys are 400', async () => {
      const me = (await t.app.inject({ url: '/api/v1/me', headers: user })).json();
      const requestHash = fingerprint(['POST', '/api/v1/seals/:id/sign-hash', canonicalJson({ id: sealId }), canonicalJson({}), canonicalJson({ hash: 'f'.repeat(64) })]);
      await t.platform.deps.store.repos.idempotency.begin({ scope: `user:${me.id}`, key: 'orphan', requestHash, status: 'pending', createdAt: new Date(Date.now() - 3600_000) });
      const r = await signHash('orphan', 'f'.repeat(64));
      expect(r.statusCode, r.body).toBe(200);
      const bad = await signHash('x'.repeat(300), 'f'.repeat(64));
      expect(bad.statusCode).toBe(400);
      const spaced = await signHash('has space', 'f'.repeat(64));
      expect(spaced.statusCode).toBe(400);
    });
  });
}
