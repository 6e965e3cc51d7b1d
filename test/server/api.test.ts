/**
 * The REST API end to end on a real SQLite store (app.inject): sign-in, the way to a seal
 * (apply → review → make → issue), authorisation (用印授权), stamping a PDF (raw body) and an OFD
 * (multipart), hash signing, 用印审批, batches, status actions, the public services (verify, status,
 * directory, CRL), audit, statistics, trust, users and API keys.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3 } from '../../src/sm/sm3.js';
import { toHex } from '../../src/util/bytes.js';
import { fromBase64 } from '../../src/util/base64.js';
import { parseCertificate, parseCrl, issueCertificate, PROFILES, randomSerial } from '../../src/pki/index.js';
import { generatePrivateKey, getPublicKey, sm2Sign } from '../../src/sm/index.js';
import { encodePem } from '../../src/util/pem.js';
import { verifySealStatus, type SignedSealStatus } from '../../src/core/index.js';
import { simpleTextDocument } from '../../src/ofd/create.js';
import { loadDocumentFont } from '../../src/storage/assets.js';
import { unzipSync } from 'fflate';
import { errorOf, loginAs, testPlatform, type TestPlatform } from './helpers.js';

const PDF = new Uint8Array(readFileSync(new URL('../fixtures/pdf/chromium-quotation.pdf', import.meta.url)));
const PDF2 = new Uint8Array(readFileSync(new URL('../fixtures/pdf/libreoffice-contract-zh.pdf', import.meta.url)));

let t: TestPlatform;
const H: Record<string, Record<string, string>> = {};
const as = (u: string) => H[u];
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await testPlatform();
  for (const u of ['operator', 'mkt-admin', 'mkt-reviewer', 'mkt-maker', 'ent-admin', 'ent-manager', 'ent-user', 'ent-auditor', 'ent-approver', 'dept-user', 'dept-approver', 'dept-manager']) H[u] = await loginAs(t.app, u);
});
afterAll(() => t?.close());

const demo = () => t.platform.demo!;
const orgId = (name: string) => demo().organisations.find((o) => o.name.includes(name))!.id;
const sealOf = (type: string, org = '科技') => demo().seals.find((s) => s.type === type && s.organisation.includes(org))!;

describe('sign-in', () => {
  it('login → token and roles; /me; logout ends the session', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ent-auditor', password: 'ent-auditor@eseal-demo' } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.tokenType).toBe('Bearer');
    expect(body.roles).toEqual([expect.objectContaining({ role: 'auditor', organisationId: orgId('科技') })]);
    const h = { authorization: `Bearer ${body.token}` };
    const me = await t.app.inject({ url: '/api/v1/me', headers: h });
    expect(me.json()).toMatchObject({ kind: 'user', roles: [{ role: 'auditor' }] });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h })).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1/me', headers: h });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('UNAUTHENTICATED');
  });

  it('keeps a valid x-request-id and returns it, also in errors', async () => {
    const r = await t.app.inject({ url: '/api/v1/me', headers: { 'x-request-id': 'trace-42' } });
    expect(r.headers['x-request-id']).toBe('trace-42');
    expect(errorOf(r).requestId).toBe('trace-42');
    const bad = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the way to a seal and its use', () => {
  let sealId = '';
  let esId = '';
  let stamped: Uint8Array;

  it('apply (ent-manager) → review (mkt-reviewer) → make (mkt-maker) → issue', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: as('ent-manager'), payload: { organisationId: orgId('科技'), sealType: 'contract', name: '广州某某科技有限公司合同专用章', validityDays: 365, materials: [{ name: '营业执照.txt', data: Buffer.from('营业执照').toString('base64') }] } });
    expect(a.statusCode, a.body).toBe(201);
    const app = a.json();
    expect(app).toMatchObject({ status: 'submitted', sealType: 'contract', materials: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
    const queue = await t.app.inject({ url: '/api/v1/applications?status=submitted', headers: as('mkt-reviewer') });
    expect(queue.json().items.map((x: { id: string }) => x.id)).toContain(app.id);
    const rev = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${app.id}/review`, headers: as('mkt-reviewer'), payload: { decision: 'approve' } });
    expect(rev.json().status).toBe('approved');
    const made = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${app.id}/make`, headers: as('mkt-maker') });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ status: 'made', type: 'contract', allowedActions: ['issue', 'revoke'] });
    sealId = made.json().id;
    esId = made.json().esId;
    const issued = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/issue`, headers: as('mkt-maker') });
    expect(issued.json().status).toBe('active');
    const esl = await t.app.inject({ url: `/api/v1/seals/${sealId}/seal.esl`, headers: as('ent-manager') });
    expect(esl.headers['content-type']).toBe('application/octet-stream');
    expect(esl.rawPayload[0]).toBe(0x30);
    const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify/seal', headers: { 'content-type': 'application/octet-stream' }, payload: esl.rawPayload });
    expect(v.json().indication).toBe('TOTAL_PASSED');
  });

  it('a seal user without a grant is refused (403, audited); after the grant the PDF is stamped and verifies', async () => {
    const denied = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/stamp?page=1&x=120&y=200`, headers: { ...as('ent-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(denied.statusCode).toBe(403);
    expect(errorOf(denied).code).toBe('FORBIDDEN');
    const audit = await t.app.inject({ url: '/api/v1/audit?result=denied', headers: as('operator') });
    expect(audit.statusCode).toBe(400); // unknown query field
    const events = (await t.app.inject({ url: '/api/v1/audit?action=stamp.use&limit=1000', headers: as('operator') })).json().items;
    expect(events.some((e: { result: string; requestId: string }) => e.result === 'denied' && e.requestId === errorOf(denied).requestId)).toBe(true);

    const users = (await t.app.inject({ url: `/api/v1/users?organisationId=${orgId('科技')}`, headers: as('ent-admin') })).json().items;
    const userId = users.find((u: { username: string }) => u.username === 'ent-user').id;
    const g = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/grants`, headers: as('ent-manager'), payload: { userId, validUntil: new Date(Date.now() + 86400_000).toISOString(), maxUses: 5, documentTypes: ['contract'] } });
    expect(g.statusCode, g.body).toBe(201);
    const noType = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/stamp?page=1&x=120&y=200`, headers: { ...as('ent-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(noType.statusCode).toBe(403);
    expect(errorOf(noType).message).toContain('document types');

    const r = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/stamp?page=1&x=120&y=200&documentType=contract&timeStamp=true`, headers: { ...as('ent-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['x-stamp-id']).toMatch(/^[0-9a-f-]{36}$/);
    stamped = new Uint8Array(r.rawPayload);
    const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from(stamped) });
    expect(v.statusCode).toBe(200);
    expect(v.json().indication).toBe('TOTAL_PASSED');
    expect(v.json().signatures[0].info.esId).toBe(esId);
    const stamps = (await t.app.inject({ url: `/api/v1/stamps?sealId=${sealId}`, headers: as('ent-auditor') })).json().items;
    expect(stamps).toEqual([expect.objectContaining({ id: r.headers['x-stamp-id'], kind: 'pdf', documentType: 'contract', inputHash: toHex(sm3(PDF)) })]);
  });

  it('suspend stops stamping at once (409); resume; revoke; earlier documents still verify; status and CRL say so', async () => {
    const url = `/api/v1/seals/${sealId}/stamp?page=1&x=50&y=50&documentType=contract`;
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/suspend`, headers: as('ent-manager') });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).code).toBe('REASON_REQUIRED');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/suspend`, headers: as('ent-manager'), payload: { reason: '印章保管人调岗' } })).json().status).toBe('suspended');
    const r = await t.app.inject({ method: 'POST', url, headers: { ...as('ent-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF2) });
    expect(r.statusCode).toBe(409);
    expect(errorOf(r)).toMatchObject({ code: 'SEAL_NOT_USABLE', details: { status: 'suspended' } });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/resume`, headers: as('ent-manager') })).json().status).toBe('active');
    // CRLs and signing times have one-second resolution: a revocation in the same second as the stamp
    // cannot be told to come after it (the engine then judges it revoked), so revoke in the next second
    await new Promise((ok) => setTimeout(ok, 1050 - (Date.now() % 1000)));
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/revoke`, headers: as('mkt-admin'), payload: { reason: '企业注销' } });
    expect(revoked.json().status).toBe('revoked');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealId}/issue`, headers: as('mkt-maker') });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('TRANSITION_FORBIDDEN');
    expect((await t.app.inject({ method: 'POST', url, headers: { ...as('ent-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF2) })).statusCode).toBe(409);

    const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from(stamped) });
    expect(v.json().indication).toBe('TOTAL_PASSED');

    const history = (await t.app.inject({ url: `/api/v1/seals/${sealId}/history`, headers: as('ent-auditor') })).json().items.map((e: { status: string }) => e.status);
    expect(history).toEqual(['made', 'active', 'suspended', 'active', 'revoked']);
    const st = await t.app.inject({ url: `/status/${esId}` });
    const status = st.json() as SignedSealStatus;
    expect(status.body).toMatchObject({ esId, status: 'revoked', reason: '企业注销' });
    const authority = (await t.app.inject({ url: '/api/v1/authorities' })).json().items.find((a: { name: string }) => a.name.includes('数字认证'));
    expect(verifySealStatus(status, [parseCertificate(fromBase64(authority.caCertificate))], new Date()).valid).toBe(true);
    const earlier = (await t.app.inject({ url: `/status/${esId}?at=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}` })).json();
    expect(['made', 'active']).toContain(earlier.body.status);

    const crl = await t.app.inject({ url: `/crl/${authority.id}.crl` });
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    const parsed = parseCrl(new Uint8Array(crl.rawPayload));
    const seal = (await t.app.inject({ url: `/api/v1/seals/${sealId}`, headers: as('ent-manager') })).json();
    const serial = parseCertificate(fromBase64(seal.signerCertificate)).serialNumber;
    expect(parsed.revoked.map((e: { serialNumber: string }) => e.serialNumber)).toContain(serial);
    const dir = (await t.app.inject({ url: `/api/v1/directory?q=${esId}` })).json();
    expect(dir.items).toEqual([expect.objectContaining({ esId, status: 'revoked', organisation: '广州某某科技有限公司' })]);
  });
});

describe('a change (变更)', () => {
  it('a new application with replacesSealId; issuing the new seal revokes the old one and links them', async () => {
    const old = sealOf('invoice');
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: as('ent-manager'), payload: { organisationId: orgId('科技'), sealType: 'invoice', replacesSealId: old.id } });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().replacesSealId).toBe(old.id);
    await t.app.inject({ method: 'POST', url: `/api/v1/applications/${a.json().id}/review`, headers: as('mkt-reviewer'), payload: { decision: 'approve' } });
    const made = (await t.app.inject({ method: 'POST', url: `/api/v1/applications/${a.json().id}/make`, headers: as('mkt-maker') })).json();
    expect(made.replacesId).toBe(old.id);
    expect((await t.app.inject({ url: `/api/v1/seals/${old.id}`, headers: as('ent-manager') })).json().status).toBe('active');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/seals/${made.id}/issue`, headers: as('mkt-maker') })).json().status).toBe('active');
    const after = (await t.app.inject({ url: `/api/v1/seals/${old.id}`, headers: as('ent-manager') })).json();
    expect(after).toMatchObject({ status: 'revoked', replacedById: made.id });
    const dir = (await t.app.inject({ url: `/api/v1/directory?q=${old.esId}` })).json();
    expect(dir.items[0]).toMatchObject({ status: 'revoked', replaced: true });
    // a change of a revoked seal is refused
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: as('ent-manager'), payload: { organisationId: orgId('科技'), sealType: 'invoice', replacesSealId: old.id } });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('TRANSITION_FORBIDDEN');
  });
});

describe('hash signing, 用印审批, OFD and batches', () => {
  it('sign-hash answers an SES_Signature that verifies over the hash', async () => {
    const data = new TextEncoder().encode('一份由业务系统保存的文档');
    const hash = toHex(sm3(data));
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealOf('official').id}/sign-hash`, headers: as('ent-user'), payload: { hash, propertyInfo: 'oa://doc/42' } });
    expect(r.statusCode, r.body).toBe(200);
    const { signature, stampId } = r.json();
    expect(stampId).toBe(r.headers['x-stamp-id']);
    const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify/signature', payload: { signature, hash } });
    expect(v.json().indication).toBe('TOTAL_PASSED');
    const v2 = await t.app.inject({ method: 'POST', url: '/api/v1/verify/signature', payload: { signature, data: Buffer.from('another document').toString('base64') } });
    expect(v2.json().indication).not.toBe('TOTAL_PASSED');
  });

  it('sign-hash again and again (the server reuses hashed prefixes of the seal): each signature verifies, outputHash is its SM3', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealOf('official').id}/sign-hash`, headers: as('ent-user'), payload: { hash: toHex(sm3(new Uint8Array([i]))), ...(i === 4 ? { propertyInfo: 'a longer property info than the others' } : {}) } }),
      ),
    );
    for (const [i, r] of answers.entries()) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      const body = r.json();
      expect(Object.keys(body).sort()).toEqual(['outputHash', 'sealId', 'signTime', 'signature', 'stampId']);
      expect(body.outputHash).toBe(toHex(sm3(Buffer.from(body.signature, 'base64'))));
      const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify/signature', payload: { signature: body.signature, hash: toHex(sm3(new Uint8Array([i]))) } });
      expect(v.json().indication, `signature ${i}`).toBe('TOTAL_PASSED');
    }
  });

  it('a seal with 用印审批 needs an approved request for this very document', async () => {
    const seal = sealOf('official', '监督');
    const url = `/api/v1/seals/${seal.id}/stamp?keyword=${encodeURIComponent('Quotation')}`;
    const without = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal.id}/stamp?page=1&x=100&y=100`, headers: { ...as('dept-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(without.statusCode).toBe(409);
    expect(errorOf(without).code).toBe('APPROVAL_REQUIRED');
    const req = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal.id}/approvals`, headers: as('dept-user'), payload: { documentHash: toHex(sm3(PDF)), purpose: '报价单' } });
    expect(req.statusCode, req.body).toBe(201);
    const approval = req.json();
    const pending = (await t.app.inject({ url: `/api/v1/approvals?sealId=${seal.id}&status=pending`, headers: as('dept-approver') })).json().items;
    expect(pending.map((a: { id: string }) => a.id)).toContain(approval.id);
    const self = await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/decision`, headers: as('dept-user'), payload: { decision: 'approve' } });
    expect(self.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/decision`, headers: as('dept-approver'), payload: { decision: 'approve' } })).json().status).toBe('approved');
    const other = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal.id}/stamp?page=1&x=100&y=100&approvalId=${approval.id}`, headers: { ...as('dept-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF2) });
    expect(other.statusCode).toBe(403);
    expect(errorOf(other).message).toContain('another document');
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal.id}/stamp?page=1&x=100&y=100&approvalId=${approval.id}`, headers: { ...as('dept-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(url).toContain('keyword');
    const used = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${seal.id}/stamp?page=1&x=100&y=100&approvalId=${approval.id}`, headers: { ...as('dept-user'), 'content-type': 'application/pdf' }, payload: Buffer.from(PDF) });
    expect(used.statusCode).toBe(409);
  });

  it('stamps an OFD sent as multipart', async () => {
    const ofd = simpleTextDocument('兹证明某某同志在我司工作。', { fonts: { regular: loadDocumentFont() }, title: '在职证明' });
    const boundary = '----eseal' + Date.now();
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="proof.ofd"\r\nContent-Type: application/ofd\r\n\r\n`),
      Buffer.from(ofd),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealOf('official').id}/stamp?page=1&x=150&y=60`, headers: { ...as('ent-user'), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/ofd');
    const v = await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/ofd' }, payload: r.rawPayload });
    expect(v.json().indication).toBe('TOTAL_PASSED');
  });

  it('a batch stamps each document once; progress, item download and zip', async () => {
    const seal = sealOf('finance');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/seals/${seal.id}/batches?page=1&x=100&y=120`,
      headers: { ...as('ent-user'), ...json, 'idempotency-key': 'batch-1' },
      payload: { documents: [{ name: 'a.pdf', data: Buffer.from(PDF).toString('base64') }, { name: 'b.pdf', data: Buffer.from(PDF2).toString('base64') }, { name: 'broken.pdf', data: Buffer.from('%PDF-1.7 not really').toString('base64') }] },
    });
    expect(r.statusCode, r.body).toBe(202);
    const id = r.json().id;
    expect(r.headers.location).toBe(`/api/v1/batches/${id}`);
    let job;
    for (let i = 0; i < 100; i++) {
      job = (await t.app.inject({ url: `/api/v1/batches/${id}`, headers: as('ent-user') })).json();
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(job).toMatchObject({ status: 'done', total: 3, done: 2, failed: 1 });
    expect(job.items[2]).toMatchObject({ status: 'failed', error: expect.any(String) });
    const item = await t.app.inject({ url: `/api/v1/batches/${id}/items/1/document`, headers: as('ent-user') });
    expect(item.headers['content-type']).toBe('application/pdf');
    const failedItem = await t.app.inject({ url: `/api/v1/batches/${id}/items/2/document`, headers: as('ent-user') });
    expect(failedItem.statusCode).toBe(409);
    const zip = await t.app.inject({ url: `/api/v1/batches/${id}/results.zip`, headers: as('ent-auditor') });
    expect(Object.keys(unzipSync(new Uint8Array(zip.rawPayload))).sort()).toEqual(['0000-a.pdf', '0001-b.pdf']);
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/v1/seals/${seal.id}/batches?page=1&x=100&y=120`,
      headers: { ...as('ent-user'), ...json, 'idempotency-key': 'batch-1' },
      payload: { documents: [{ name: 'a.pdf', data: Buffer.from(PDF).toString('base64') }, { name: 'b.pdf', data: Buffer.from(PDF2).toString('base64') }, { name: 'broken.pdf', data: Buffer.from('%PDF-1.7 not really').toString('base64') }] },
    });
    expect(replay.json().id).toBe(id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await t.app.inject({ url: `/api/v1/batches/${id}`, headers: as('dept-user') });
    expect(other.statusCode).toBe(403);
  });
});

describe('people, keys, trust, audit and statistics', () => {
  it('org admin creates a user and grants roles; separation of duties; revoke a role', async () => {
    const u = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: as('ent-admin'), payload: { username: 'ent-new', displayName: '新员工', password: 'a-long-password' } });
    expect(u.statusCode, u.body).toBe(201);
    const id = u.json().id;
    const g = await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/roles`, headers: as('ent-admin'), payload: { role: 'seal-user', organisationId: orgId('科技') } });
    expect(g.statusCode, g.body).toBe(201);
    const sod = await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/roles`, headers: as('ent-admin'), payload: { role: 'auditor', organisationId: orgId('科技') } });
    expect(sod.statusCode).toBe(403);
    expect(errorOf(sod).code).toBe('SEPARATION_OF_DUTIES');
    const other = await t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/roles`, headers: as('ent-admin'), payload: { role: 'seal-user', organisationId: orgId('监督') } });
    expect(other.statusCode).toBe(403);
    const read = (await t.app.inject({ url: `/api/v1/users/${id}`, headers: as('ent-admin') })).json();
    expect(read.roles).toHaveLength(1);
    expect(read).not.toHaveProperty('passwordHash');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${id}/roles/${g.json().id}`, headers: as('ent-admin') })).statusCode).toBe(204);
    // without a role in its organisation the account is out of the org admin's sight; the operator sees it
    expect((await t.app.inject({ url: `/api/v1/users/${id}`, headers: as('ent-admin') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/v1/users/${id}`, headers: as('operator') })).json().roles).toEqual([]);
  });

  it('API keys: created (secret once), used, listed without secrets, revoked at once', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: as('ent-admin'), payload: { name: 'ERP', role: 'seal-user', organisationId: orgId('科技') } });
    expect(r.statusCode, r.body).toBe(201);
    const { apiKey, secret } = r.json();
    const me = await t.app.inject({ url: '/api/v1/me', headers: { 'x-api-key': secret } });
    expect(me.json()).toMatchObject({ kind: 'api-key', id: apiKey.id, roles: [{ role: 'seal-user' }] });
    const s = await t.app.inject({ method: 'POST', url: `/api/v1/seals/${sealOf('official').id}/sign-hash`, headers: { 'x-api-key': secret }, payload: { hash: 'a'.repeat(64) } });
    expect(s.statusCode, s.body).toBe(200);
    const list = await t.app.inject({ url: `/api/v1/api-keys?organisationId=${orgId('科技')}`, headers: as('ent-admin') });
    expect(list.body).not.toContain(secret);
    expect(list.json().items.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}`, headers: as('ent-admin') })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { 'x-api-key': secret } })).statusCode).toBe(401);
  });

  it('the operator trusts another provider’s certificate and removes it', async () => {
    const key = generatePrivateKey();
    const cert = await issueCertificate({ subject: 'CN=外省电子印章 CA,O=外省,C=CN', publicKey: getPublicKey(key), serialNumber: randomSerial((n) => crypto.getRandomValues(new Uint8Array(n))), notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 365 * 86400_000), ...PROFILES.rootCa }, (tbs) => sm2Sign(key, tbs));
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/trust', headers: as('operator'), payload: { name: '外省平台', certificate: encodePem('CERTIFICATE', cert.der) } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().subject).toContain('外省电子印章 CA');
    const list = (await t.app.inject({ url: '/api/v1/trust' })).json().items;
    expect(list.map((x: { id: string }) => x.id)).toContain(r.json().id);
    expect(list.some((x: { name: string }) => x.name.includes('TSA root'))).toBe(true);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/trust/${r.json().id}`, headers: as('operator') })).statusCode).toBe(204);
  });

  it('auditors read their organisation’s record; the operator verifies and exports the chain; statistics', async () => {
    const mine = (await t.app.inject({ url: '/api/v1/audit?limit=1000', headers: as('ent-auditor') })).json().items;
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((e: { organisationId?: string }) => e.organisationId === orgId('科技'))).toBe(true);
    const other = await t.app.inject({ url: `/api/v1/audit?organisationId=${orgId('监督')}`, headers: as('ent-auditor') });
    expect(other.statusCode).toBe(403);
    const verify = await t.app.inject({ url: '/api/v1/audit/verify', headers: as('operator') });
    expect(verify.json()).toMatchObject({ valid: true, problems: [] });
    const exp = await t.app.inject({ url: '/api/v1/audit/export', headers: as('operator') });
    expect(exp.headers['content-type']).toContain('application/x-ndjson');
    const lines = exp.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(verify.json().events);
    expect(lines[0].seq).toBe(1);
    const stats = (await t.app.inject({ url: '/api/v1/statistics', headers: as('operator') })).json();
    expect(stats.seals.byType.map((r: { key: string }) => r.key).sort()).toEqual(['contract', 'finance', 'invoice', 'legal-rep', 'official', 'personal']);
    expect(stats.stamps.perDay.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBeGreaterThan(3);
    const orgStats = (await t.app.inject({ url: `/api/v1/statistics?organisationId=${orgId('科技')}`, headers: as('ent-auditor') })).json();
    expect(orgStats.seals).toBeUndefined();
    expect(orgStats.stamps.perDay.length).toBeGreaterThan(0);
  });

  it('metrics count requests by route and stamps by kind', async () => {
    const m = (await t.app.inject({ url: '/metrics' })).body;
    expect(m).toMatch(/eseal_http_requests_total\{method="POST",route="\/api\/v1\/seals\/:id\/stamp",status="200"\} \d+/);
    expect(m).toMatch(/eseal_stamps_total\{kind="pdf"\} \d+/);
    expect(m).toMatch(/eseal_stamps_total\{kind="hash"\} \d+/);
    expect(m).toMatch(/eseal_verifications_total\{kind="document",indication="TOTAL_PASSED"\} \d+/);
    expect(m).toContain('eseal_process_cpu_seconds_total');
  });
});
