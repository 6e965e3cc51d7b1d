/**
 * Bad input and abuse: each is a clear 4xx in the error shape, and nothing is stored — no record, no
 * blob, no audit event (except the record of a refused act, which is the point of auditing).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { buildServer } from '../../src/server/server.js';
import { toErrorResponse } from '../../src/server/errors.js';
import { EsealError } from '../../src/util/errors.js';
import { errorOf, loginAs, testPlatform, type TestPlatform } from './helpers.js';

const PDF = readFileSync(new URL('../fixtures/pdf/chromium-quotation.pdf', import.meta.url));
const MAX_DOC = 256 * 1024;

let t: TestPlatform;
const H: Record<string, Record<string, string>> = {};
const demo = () => t.platform.demo!;
const ent = () => demo().organisations.find((o) => o.kind === 'enterprise')!.id;
const mkt = () => demo().authorities.find((a) => a.kind === 'market')!.id;
const seal = (type = 'official') => demo().seals.find((s) => s.type === type && s.organisation.includes('科技'))!.id;

function countFiles(dir: string): number {
  let n = 0;
  try {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      n += statSync(p).isDirectory() ? countFiles(p) : 1;
    }
  } catch {
    return 0;
  }
  return n;
}

/** Everything a bad request could have written. */
async function snapshot() {
  const r = t.platform.deps.store.repos;
  return {
    organisations: (await r.organisations.list({ limit: 1000 })).length,
    applications: (await r.applications.list({ limit: 1000 })).length,
    seals: await r.seals.count({}),
    stamps: (await r.stamps.list({ limit: 10_000 })).length,
    users: (await r.users.list({ limit: 1000 })).length,
    audit: await r.audit.count(),
    blobs: countFiles(join(t.dir, 'data', 'blobs')),
  };
}

/** Sends a bad request; expects the status and code, and that nothing was stored. */
async function refused(opts: InjectOptions, status: number, code: string, allowAudit = false) {
  const before = await snapshot();
  const r = await t.app.inject(opts);
  expect(r.statusCode, r.body).toBe(status);
  const e = errorOf(r);
  expect(e.code).toBe(code);
  expect(e.message.length).toBeGreaterThan(5);
  expect(e.requestId).toBe(r.headers['x-request-id']);
  const after = await snapshot();
  if (allowAudit) {
    expect(after.audit).toBeLessThanOrEqual(before.audit + 1);
    after.audit = before.audit;
  }
  expect(after).toEqual(before);
  return e;
}

beforeAll(async () => {
  t = await testPlatform({ settings: { maxDocumentBytes: MAX_DOC }, server: { login: { loginPerIp: 20, loginPerUsername: 6, loginWindowMs: 300_000 } } });
  for (const u of ['operator', 'mkt-admin', 'ent-manager', 'ent-user', 'dept-user', 'ent-admin']) H[u] = await loginAs(t.app, u);
});
afterAll(() => t?.close());

describe('sizes', () => {
  it('a document larger than the limit: 413, before it is stamped or stored', async () => {
    const big = Buffer.alloc(MAX_DOC + 10, 0x20);
    big.write('%PDF-1.7\n');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-user'], 'content-type': 'application/pdf' }, payload: big }, 413, 'LIMIT_EXCEEDED');
    await refused({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: big }, 413, 'LIMIT_EXCEEDED');
  });

  it('a multipart file larger than the limit: 413', async () => {
    const boundary = 'b0undary';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`), Buffer.alloc(MAX_DOC + 10, 0x20), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-user'], 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body }, 413, 'LIMIT_EXCEEDED');
  });

  it('a JSON body over 1 MiB on a JSON route: 413', async () => {
    await refused({ method: 'POST', url: '/api/v1/organisations', headers: { ...H['mkt-admin'], 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), uscc: '91440101MA9W8X7Y6E', kind: 'enterprise', authorityId: mkt() }) }, 413, 'LIMIT_EXCEEDED');
  });
});

describe('media types and JSON', () => {
  it('wrong content types: 415 (text/plain, a PDF to a JSON route, JSON to the document route, none at all)', async () => {
    await refused({ method: 'POST', url: '/api/v1/applications', headers: { ...H['ent-manager'], 'content-type': 'text/plain' }, payload: 'organisationId=x' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused({ method: 'POST', url: '/api/v1/applications', headers: { ...H['ent-manager'], 'content-type': 'application/pdf' }, payload: PDF }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-user'], 'content-type': 'application/json' }, payload: '{"document":"x"}' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-user'], 'content-type': 'image/png' }, payload: Buffer.from([0x89, 0x50]) }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused({ method: 'POST', url: '/api/v1/applications', headers: { ...H['ent-manager'], 'content-type': '' }, payload: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('bytes that are neither OFD nor PDF, sent as a document: 415 from the core', async () => {
    const e = await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-user'], 'content-type': 'application/octet-stream' }, payload: Buffer.from('just some text, no document') }, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(e.message).toMatch(/ofd|pdf/i);
  });

  it('malformed and empty JSON: 400 JSON_MALFORMED', async () => {
    await refused({ method: 'POST', url: '/api/v1/applications', headers: { ...H['ent-manager'], 'content-type': 'application/json' }, payload: '{"organisationId": "x",' }, 400, 'JSON_MALFORMED');
    await refused({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '' }, 400, 'JSON_MALFORMED');
    await refused({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":"a","password":"b","__proto__":{"admin":true}}' }, 400, 'JSON_MALFORMED');
  });

  it('unknown fields in bodies and query strings are refused (400), not ignored', async () => {
    const e = await refused({ method: 'POST', url: '/api/v1/applications', headers: H['ent-manager'], payload: { organisationId: ent(), sealType: 'official', isAdmin: true } }, 400, 'VALIDATION');
    expect(e.message).toContain('isAdmin');
    expect(e.details).toMatchObject({ problems: [{ in: 'body', message: 'unknown field "isAdmin"' }] });
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/sign-hash`, headers: H['ent-user'], payload: { hash: 'a'.repeat(64), sealId: seal('finance') } }, 400, 'VALIDATION');
    const q = await refused({ url: `/api/v1/seals?organisationId=${ent()}&owner=me`, headers: H['ent-user'] }, 400, 'VALIDATION');
    expect(q.details).toMatchObject({ problems: [{ in: 'querystring' }] });
  });

  it('wrong types, formats and missing fields: 400 naming the field', async () => {
    const e = await refused({ method: 'POST', url: '/api/v1/applications', headers: H['ent-manager'], payload: { organisationId: ent() } }, 400, 'VALIDATION');
    expect(e.message).toContain('sealType');
    await refused({ method: 'POST', url: '/api/v1/applications', headers: H['ent-manager'], payload: { organisationId: ent(), sealType: 'seal-of-the-emperor' } }, 400, 'VALIDATION');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/sign-hash`, headers: H['ent-user'], payload: { hash: 'not hex' } }, 400, 'VALIDATION');
    await refused({ url: '/status/123?at=yesterday' }, 400, 'VALIDATION');
    await refused({ url: '/api/v1/seals/..%2F..%2Fetc', headers: H['ent-user'] }, 400, 'VALIDATION');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=0`, headers: { ...H['ent-user'], 'content-type': 'application/pdf' }, payload: PDF }, 400, 'VALIDATION');
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?pageFrom=2`, headers: { ...H['ent-user'], 'content-type': 'application/pdf' }, payload: PDF }, 400, 'VALIDATION');
  });

  it('uploads that are not what they claim: bad base64, a picture that is not a picture', async () => {
    await refused({ method: 'POST', url: '/api/v1/applications', headers: H['ent-manager'], payload: { organisationId: ent(), sealType: 'official', materials: [{ data: 'not*base64' }] } }, 400, 'VALIDATION');
    const e = await refused({ method: 'POST', url: '/api/v1/applications', headers: H['ent-manager'], payload: { organisationId: ent(), sealType: 'official', picture: { data: Buffer.from('GIF89a but not really').toString('base64'), type: 'PNG', widthMm: 40, heightMm: 40 } } }, 400, 'PICTURE_INVALID');
    expect(e.details).toHaveProperty('problems');
    await refused({ method: 'POST', url: '/api/v1/trust', headers: H.operator, payload: { name: 'x', certificate: Buffer.from('not a certificate').toString('base64') } }, 400, 'CERT_MALFORMED');
  });
});

describe('domain rules', () => {
  it('an invalid 统一社会信用代码: 400 USCC_INVALID naming the expected check character', async () => {
    const e = await refused({ method: 'POST', url: '/api/v1/organisations', headers: H['mkt-admin'], payload: { name: '某某有限公司', uscc: '91440101MA9W8X7Y6A', kind: 'enterprise', authorityId: mkt() } }, 400, 'USCC_INVALID');
    expect(e.message).toContain('should be E');
    await refused({ method: 'POST', url: '/api/v1/organisations', headers: H['mkt-admin'], payload: { name: '某某有限公司', uscc: '9144010IMA9W8X7Y6E', kind: 'enterprise', authorityId: mkt() } }, 400, 'USCC_INVALID');
  });

  it('forbidden transitions (revoked → active): 409 TRANSITION_FORBIDDEN, the seal unchanged', async () => {
    const id = seal('legal-rep');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${id}/revoke`, headers: H['ent-manager'], payload: { reason: '法定代表人变更' } })).statusCode).toBe(200);
    const history = async () => (await t.platform.deps.store.repos.sealEvents.listForSeal(id)).length;
    const before = await history();
    const e = await refused({ method: 'POST', url: `/api/v1/seals/${id}/resume`, headers: H['ent-manager'] }, 409, 'TRANSITION_FORBIDDEN');
    expect(e.message).toContain('revoked');
    await refused({ method: 'POST', url: `/api/v1/seals/${id}/issue`, headers: H['mkt-admin'] }, 409, 'TRANSITION_FORBIDDEN');
    await refused({ method: 'POST', url: `/api/v1/seals/${id}/suspend`, headers: H['ent-manager'], payload: { reason: 'x' } }, 409, 'TRANSITION_FORBIDDEN');
    expect(await history()).toBe(before);
    expect((await t.platform.deps.store.repos.seals.get(id))!.status).toBe('revoked');
  });

  it('stamping a seal one is not authorised for: 403, no stamp recorded (the refusal is audited)', async () => {
    // a seal user of another organisation
    const e = await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/sign-hash`, headers: H['dept-user'], payload: { hash: 'c'.repeat(64) } }, 403, 'FORBIDDEN', true);
    expect(e.details).toMatchObject({ permission: 'stamp.use' });
    // the organisation's own admin, who holds no 使用权
    await refused({ method: 'POST', url: `/api/v1/seals/${seal()}/stamp?page=1&x=10&y=10`, headers: { ...H['ent-admin'], 'content-type': 'application/pdf' }, payload: PDF }, 403, 'FORBIDDEN', true);
    const audit = await t.platform.deps.store.repos.audit.list({ action: 'stamp.use', limit: 100 });
    expect(audit.filter((a) => a.result === 'denied').length).toBeGreaterThanOrEqual(2);
  });

  it('unknown ids: 404 in the error shape; unknown routes: 404 ROUTE_NOT_FOUND', async () => {
    await refused({ url: '/api/v1/seals/00000000-0000-4000-8000-000000000000', headers: H['ent-user'] }, 404, 'NOT_FOUND');
    await refused({ url: '/status/4401010000000000' }, 404, 'NOT_FOUND');
    await refused({ url: '/api/v1/nothing-here' }, 404, 'ROUTE_NOT_FOUND');
    await refused({ method: 'PATCH', url: '/api/v1/seals' }, 404, 'ROUTE_NOT_FOUND');
  });

  it('credentials that are malformed, unknown, or two at once: 401', async () => {
    await refused({ url: '/api/v1/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } }, 401, 'UNAUTHENTICATED');
    await refused({ url: '/api/v1/me', headers: { authorization: 'Bearer ess_forged' } }, 401, 'UNAUTHENTICATED');
    await refused({ url: '/api/v1/me', headers: { 'x-api-key': 'esk_forged' } }, 401, 'UNAUTHENTICATED');
    await refused({ url: '/api/v1/me', headers: { ...H['ent-user'], 'x-api-key': demo().apiKey.secret } }, 401, 'UNAUTHENTICATED');
    // a bad credential is refused even on a public route
    await refused({ url: '/api/v1/directory', headers: { authorization: 'Bearer nope' } }, 401, 'UNAUTHENTICATED');
  });
});

describe('brute force and floods: 429', () => {
  it('wrong passwords lock the account (core lock): 429 LOCKED, also for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ent-auditor', password: `guess-${i}-wrong` } });
      expect(r.statusCode).toBe(401);
      expect(errorOf(r).message).toBe('wrong username or password');
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ent-auditor', password: 'ent-auditor@eseal-demo' } });
    expect(locked.statusCode).toBe(429);
    expect(errorOf(locked).code).toBe('LOCKED');
  });

  it('many attempts on one username (even unknown): 429 RATE_LIMITED; many from one address: 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'no-such-user', password: 'whatever-1' } })).statusCode);
    expect(codes.slice(0, 6).every((c) => c === 401)).toBe(true);
    expect(codes[6]).toBe(429);
    const before = await snapshot();
    let last;
    for (let i = 0; i < 25; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.7', payload: { username: `probe-${i}`, password: 'whatever-1' } });
      if (last.statusCode === 429) break;
    }
    expect(last!.statusCode).toBe(429);
    expect(errorOf(last!).code).toBe('RATE_LIMITED');
    expect(last!.headers['retry-after']).toBeDefined();
    expect((await snapshot()).users).toBe(before.users);
  });

  it('the global limit per client: 429 RATE_LIMITED with Retry-After; health checks are not limited', async () => {
    const app = await buildServer({ deps: t.platform.deps, logger: false, rateLimit: { max: 5, windowMs: 60_000 }, verifyPerMinute: 2 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await app.inject({ url: '/api/v1/authorities' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const r = await app.inject({ url: '/api/v1/authorities' });
      expect(errorOf(r).code).toBe('RATE_LIMITED');
      expect(r.headers['retry-after']).toBeDefined();
      for (let i = 0; i < 10; i++) expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      // another client (its own credential) has its own budget
      expect((await app.inject({ url: '/api/v1/authorities', headers: H['ent-user'] })).statusCode).toBe(200);
      // anonymous verifications have their own, stricter limit per address
      const verify = () => app.inject({ method: 'POST', url: '/api/v1/verify', remoteAddress: '203.0.113.9', headers: { 'content-type': 'application/pdf' }, payload: PDF });
      expect([(await verify()).statusCode, (await verify()).statusCode, (await verify()).statusCode]).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('errors never leak internals', () => {
  it('logs carry the request id but no password, token or API key', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const app = await buildServer({ deps: t.platform.deps, logger: { level: 'debug', stream } });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-request-id': 'log-test-1' }, payload: { username: 'ent-approver', password: 'ent-approver@eseal-demo' } });
      const token = login.json().token as string;
      await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      await app.inject({ url: '/api/v1/me', headers: { 'x-api-key': demo().apiKey.secret } });
      await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ent-approver', password: 'a-wrong-password-123' } });
      const log = lines.join('');
      expect(log).toContain('log-test-1');
      for (const secret of ['ent-approver@eseal-demo', 'a-wrong-password-123', token, demo().apiKey.secret]) expect(log).not.toContain(secret);
    } finally {
      await app.close();
    }
  });

  it('an unexpected error is a 500 INTERNAL with the request id only; storage trouble a 503 with Retry-After', () => {
    const r = toErrorResponse(new Error('SELECT * FROM secrets failed at /srv/eseal/db'), 'req-1');
    expect(r).toEqual({ status: 500, internal: true, body: { error: { code: 'INTERNAL', message: expect.stringContaining('req-1'), requestId: 'req-1' } } });
    expect(JSON.stringify(r.body)).not.toContain('secrets');
    const k = toErrorResponse(new EsealError('KEY_NOT_FOUND', 'key 1234 is not in the key store'), 'req-2');
    expect(k.status).toBe(500);
    expect(JSON.stringify(k.body)).not.toContain('1234');
    const s = toErrorResponse(new EsealError('STORAGE_BUSY', 'database is locked at /srv/x.db'), 'req-3');
    expect(s.status).toBe(503);
    expect(JSON.stringify(s.body)).not.toContain('/srv');
  });
});
