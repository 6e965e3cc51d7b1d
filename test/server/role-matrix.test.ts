/**
 * Every route of the API with every role: operator, authority-admin, reviewer, maker, org-admin,
 * seal-manager, approver, auditor, seal-user, an API key (seal-user of the organisation) and anonymous.
 * The expected allow/deny comes from the PERMISSIONS table (each route names the permission its use
 * case checks), with the few rules that are not a role listed as exceptions. Allowed means the answer
 * is neither 401 nor 403 (it may be 400/404/409 when the act itself is refused); denied means 401 for
 * anonymous on protected routes and 403 for everyone else. All principals act in one authority (the
 * market provider) and one of its organisations (the enterprise), on that organisation's objects.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { PERMISSIONS, type Permission, type Role } from '../../src/core/index.js';
import { sm3 } from '../../src/sm/sm3.js';
import { toHex } from '../../src/util/bytes.js';
import { errorOf, loginAs, testPlatform, type TestPlatform } from './helpers.js';

const PDF = readFileSync(new URL('../fixtures/pdf/chromium-quotation.pdf', import.meta.url));

const PRINCIPALS = ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user', 'api-key', 'anonymous'] as const;
type Who = (typeof PRINCIPALS)[number];

/** the demo user acting in each role */
const USERS: Partial<Record<Who, string>> = {
  operator: 'operator',
  'authority-admin': 'mkt-admin',
  reviewer: 'mkt-reviewer',
  maker: 'mkt-maker',
  'org-admin': 'ent-admin',
  'seal-manager': 'ent-manager',
  approver: 'ent-approver',
  auditor: 'ent-auditor',
  'seal-user': 'ent-user',
};
const ROLE_OF: Record<Who, Role | undefined> = {
  operator: 'operator', 'authority-admin': 'authority-admin', reviewer: 'reviewer', maker: 'maker', 'org-admin': 'org-admin', 'seal-manager': 'seal-manager', approver: 'approver', auditor: 'auditor', 'seal-user': 'seal-user', 'api-key': 'seal-user', anonymous: undefined };

interface Fixtures {
  mkt: string;
  otherAuthority: string;
  ent: string;
  sealA: string; // active, no 用印审批; the seal user holds a grant
  sealB: string; // for status actions
  esIdA: string;
  submittedApp: string;
  approvedApp: string;
  approval: string;
  grantToRevoke: string;
  user2: string;
  roleGrant: string;
  apiKeyToRevoke: string;
  trustId: string;
  batch: string;
  sealEsl: string;
  signature: string;
}

let t: TestPlatform;
let fx: Fixtures;
const headers: Partial<Record<Who, Record<string, string>>> = {};
let counter = 0;
const uniq = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

const pdfRaw = (url: string): InjectOptions => ({ method: 'POST', url, headers: { 'content-type': 'application/pdf' }, payload: PDF });

/** A request per route that a permitted principal could make (ids from the fixtures). */
const CASES: Record<string, (f: Fixtures) => InjectOptions> = {
  'POST /api/v1/auth/login': () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ent-auditor', password: 'ent-auditor@eseal-demo' } }),
  'POST /api/v1/auth/logout': () => ({ method: 'POST', url: '/api/v1/auth/logout' }),
  'GET /api/v1/me': () => ({ url: '/api/v1/me' }),
  'GET /api/v1/authorities': () => ({ url: '/api/v1/authorities' }),
  'GET /api/v1/authorities/:id': (f) => ({ url: `/api/v1/authorities/${f.mkt}` }),
  'POST /api/v1/authorities': () => ({ method: 'POST', url: '/api/v1/authorities', payload: { name: `测试制章机构 ${uniq()}`, kind: 'market', vid: 'TEST-1' } }),
  'POST /api/v1/authorities/:id/status': (f) => ({ method: 'POST', url: `/api/v1/authorities/${f.otherAuthority}/status`, payload: { status: 'active', reason: 'matrix' } }),
  'POST /api/v1/organisations': (f) => ({ method: 'POST', url: '/api/v1/organisations', payload: { name: '重复的企业', uscc: '91440101MA9W8X7Y6E', kind: 'enterprise', authorityId: f.mkt } }),
  'GET /api/v1/organisations': () => ({ url: '/api/v1/organisations' }),
  'GET /api/v1/organisations/:id': (f) => ({ url: `/api/v1/organisations/${f.ent}` }),
  'POST /api/v1/users': () => ({ method: 'POST', url: '/api/v1/users', payload: { username: `m-${uniq()}`, displayName: 'matrix', password: 'a-long-password' } }),
  'GET /api/v1/users': () => ({ url: '/api/v1/users' }),
  'GET /api/v1/users/:id': (f) => ({ url: `/api/v1/users/${f.user2}` }),
  'POST /api/v1/users/:id/roles': (f) => ({ method: 'POST', url: `/api/v1/users/${f.user2}/roles`, payload: { role: 'approver', organisationId: f.ent } }),
  'DELETE /api/v1/users/:id/roles/:grantId': (f) => ({ method: 'DELETE', url: `/api/v1/users/${f.user2}/roles/${f.roleGrant}` }),
  'POST /api/v1/api-keys': (f) => ({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'matrix', role: 'seal-user', organisationId: f.ent } }),
  'GET /api/v1/api-keys': (f) => ({ url: `/api/v1/api-keys?organisationId=${f.ent}` }),
  'DELETE /api/v1/api-keys/:id': (f) => ({ method: 'DELETE', url: `/api/v1/api-keys/${f.apiKeyToRevoke}` }),
  'POST /api/v1/applications': (f) => ({ method: 'POST', url: '/api/v1/applications', payload: { organisationId: f.ent, sealType: 'invoice' } }),
  'GET /api/v1/applications': () => ({ url: '/api/v1/applications' }),
  'GET /api/v1/applications/:id': (f) => ({ url: `/api/v1/applications/${f.submittedApp}` }),
  'POST /api/v1/applications/:id/review': (f) => ({ method: 'POST', url: `/api/v1/applications/${f.submittedApp}/review`, payload: { decision: 'approve' } }),
  'POST /api/v1/applications/:id/make': (f) => ({ method: 'POST', url: `/api/v1/applications/${f.approvedApp}/make` }),
  'GET /api/v1/seals': () => ({ url: '/api/v1/seals' }),
  'GET /api/v1/seals/:id': (f) => ({ url: `/api/v1/seals/${f.sealA}` }),
  'GET /api/v1/seals/:id/history': (f) => ({ url: `/api/v1/seals/${f.sealA}/history` }),
  'GET /api/v1/seals/:id/seal.esl': (f) => ({ url: `/api/v1/seals/${f.sealA}/seal.esl` }),
  'POST /api/v1/seals/:id/issue': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealB}/issue` }),
  'POST /api/v1/seals/:id/suspend': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealB}/suspend`, payload: { reason: 'matrix' } }),
  'POST /api/v1/seals/:id/resume': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealB}/resume` }),
  'POST /api/v1/seals/:id/report-lost': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealB}/report-lost`, payload: { reason: 'matrix' } }),
  'POST /api/v1/seals/:id/revoke': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealB}/revoke`, payload: { reason: 'matrix' } }),
  'GET /api/v1/seals/:id/grants': (f) => ({ url: `/api/v1/seals/${f.sealA}/grants` }),
  'POST /api/v1/seals/:id/grants': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealA}/grants`, payload: { userId: f.user2, validUntil: new Date(Date.now() + 86400_000).toISOString() } }),
  'POST /api/v1/grants/:id/revoke': (f) => ({ method: 'POST', url: `/api/v1/grants/${f.grantToRevoke}/revoke`, payload: { reason: 'matrix' } }),
  'POST /api/v1/seals/:id/approvals': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealA}/approvals`, payload: { documentHash: toHex(sm3(PDF)) } }),
  'GET /api/v1/approvals': (f) => ({ url: `/api/v1/approvals?sealId=${f.sealA}` }),
  'POST /api/v1/approvals/:id/decision': (f) => ({ method: 'POST', url: `/api/v1/approvals/${f.approval}/decision`, payload: { decision: 'approve' } }),
  'POST /api/v1/seals/:id/stamp': (f) => pdfRaw(`/api/v1/seals/${f.sealA}/stamp?page=1&x=100&y=100`),
  'POST /api/v1/seals/:id/sign-hash': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealA}/sign-hash`, payload: { hash: toHex(sm3(PDF)) } }),
  'POST /api/v1/seals/:id/batches': (f) => ({ method: 'POST', url: `/api/v1/seals/${f.sealA}/batches?page=1&x=100&y=100`, payload: { documents: [{ name: 'a.pdf', data: PDF.toString('base64') }] } }),
  'GET /api/v1/stamps': (f) => ({ url: `/api/v1/stamps?sealId=${f.sealA}` }),
  'GET /api/v1/batches/:id': (f) => ({ url: `/api/v1/batches/${f.batch}` }),
  'GET /api/v1/batches/:id/items/:index/document': (f) => ({ url: `/api/v1/batches/${f.batch}/items/0/document` }),
  'GET /api/v1/batches/:id/results.zip': (f) => ({ url: `/api/v1/batches/${f.batch}/results.zip` }),
  'GET /api/v1/statistics': () => ({ url: '/api/v1/statistics' }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit' }),
  'GET /api/v1/audit/export': () => ({ url: '/api/v1/audit/export' }),
  'GET /api/v1/audit/verify': () => ({ url: '/api/v1/audit/verify' }),
  'GET /api/v1/trust': () => ({ url: '/api/v1/trust' }),
  'POST /api/v1/trust': (f) => ({ method: 'POST', url: '/api/v1/trust', payload: { name: 'matrix', certificate: f.sealEsl } }),
  'DELETE /api/v1/trust/:id': (f) => ({ method: 'DELETE', url: `/api/v1/trust/${f.trustId}` }),
  'POST /api/v1/verify': () => pdfRaw('/api/v1/verify'),
  'POST /api/v1/verify/seal': (f) => ({ method: 'POST', url: '/api/v1/verify/seal', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(f.sealEsl, 'base64') }),
  'POST /api/v1/verify/signature': (f) => ({ method: 'POST', url: '/api/v1/verify/signature', payload: { signature: f.signature, hash: toHex(sm3(PDF)) } }),
  'GET /status/:esId': (f) => ({ url: `/status/${f.esIdA}` }),
  'GET /api/v1/directory': () => ({ url: '/api/v1/directory?q=%E5%B9%BF%E5%B7%9E' }),
  'GET /crl/:authorityId.crl': (f) => ({ url: `/crl/${f.mkt}.crl` }),
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /readyz': () => ({ url: '/readyz' }),
  'GET /metrics': () => ({ url: '/metrics' }),
};

/** Rules that are not a role, by route: principals added to or removed from the table's answer. */
const EXCEPTIONS: Record<string, { allow?: Who[]; deny?: Who[]; why: string }> = {
  'GET /api/v1/me': { allow: ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user', 'api-key'], why: 'any signed-in principal' },
  'POST /api/v1/auth/logout': { allow: ['operator', 'authority-admin', 'reviewer', 'maker', 'org-admin', 'seal-manager', 'approver', 'auditor', 'seal-user', 'api-key'], why: 'any signed-in principal (an API key gets 400: it has no session)' },
  'POST /api/v1/seals/:id/approvals': { deny: ['api-key'], why: '用印审批 is requested by a person holding a use grant' },
  'GET /api/v1/batches/:id': { allow: ['seal-user'], why: 'the principal that created the batch' },
  'GET /api/v1/batches/:id/items/:index/document': { allow: ['seal-user'], why: 'the principal that created the batch' },
  'GET /api/v1/batches/:id/results.zip': { allow: ['seal-user'], why: 'the principal that created the batch' },
};

const key = (method: string, url: string) => `${method} ${url}`;

function expectedAllowed(route: { method: string; url: string; decl: { auth: string; permission?: string | string[] } }): Set<Who> {
  if (route.decl.auth === 'public') return new Set(PRINCIPALS);
  const perms = [route.decl.permission ?? []].flat() as Permission[];
  const roles = new Set(perms.flatMap((p) => PERMISSIONS[p] as readonly Role[]));
  const allowed = new Set(PRINCIPALS.filter((w) => ROLE_OF[w] !== undefined && roles.has(ROLE_OF[w]!)));
  const ex = EXCEPTIONS[key(route.method, route.url)];
  for (const w of ex?.allow ?? []) allowed.add(w);
  for (const w of ex?.deny ?? []) allowed.delete(w);
  return allowed;
}

async function ok(opts: InjectOptions, who: Record<string, string>, status = 200) {
  const r = await t.app.inject({ ...opts, headers: { ...opts.headers, ...who } });
  if (r.statusCode !== status) throw new Error(`${opts.method ?? 'GET'} ${opts.url}: ${r.statusCode} ${r.body}`);
  return r;
}

beforeAll(async () => {
  t = await testPlatform({ server: { login: { loginPerUsername: 10_000, loginPerIp: 10_000 }, rateLimit: { max: 0, windowMs: 60_000 } } });
  const demo = t.platform.demo!;
  for (const [who, username] of Object.entries(USERS)) headers[who as Who] = await loginAs(t.app, username);
  headers['api-key'] = { 'x-api-key': demo.apiKey.secret };
  headers.anonymous = {};
  const h = headers as Record<Who, Record<string, string>>;
  const mkt = demo.authorities.find((a) => a.kind === 'market')!.id;
  const ent = demo.organisations.find((o) => o.kind === 'enterprise')!.id;
  const sealA = demo.seals.find((s) => s.type === 'official' && s.organisation.includes('科技'))!;
  const sealB = demo.seals.find((s) => s.type === 'invoice')!;
  const other = (await ok({ method: 'POST', url: '/api/v1/authorities', payload: { name: '另一家制章机构', kind: 'market', vid: 'OTHER' } }, h.operator, 201)).json().id;
  const submitted = (await ok({ method: 'POST', url: '/api/v1/applications', payload: { organisationId: ent, sealType: 'contract', name: '矩阵测试章一' } }, h['seal-manager'], 201)).json().id;
  const approved = (await ok({ method: 'POST', url: '/api/v1/applications', payload: { organisationId: ent, sealType: 'contract', name: '矩阵测试章二' } }, h['seal-manager'], 201)).json().id;
  await ok({ method: 'POST', url: `/api/v1/applications/${approved}/review`, payload: { decision: 'approve' } }, h.reviewer);
  const approval = (await ok({ method: 'POST', url: `/api/v1/seals/${sealA.id}/approvals`, payload: { documentHash: 'b'.repeat(64) } }, h['seal-user'], 201)).json().id;
  const user2 = (await ok({ method: 'POST', url: '/api/v1/users', payload: { username: 'ent-user2', displayName: '第二经办人', password: 'a-long-password' } }, h['org-admin'], 201)).json().id;
  await ok({ method: 'POST', url: `/api/v1/users/${user2}/roles`, payload: { role: 'seal-user', organisationId: ent } }, h['org-admin'], 201);
  const roleGrant = (await ok({ method: 'POST', url: `/api/v1/users/${user2}/roles`, payload: { role: 'org-admin', organisationId: ent } }, h['org-admin'], 201)).json().id;
  const grantToRevoke = (await ok({ method: 'POST', url: `/api/v1/seals/${sealB.id}/grants`, payload: { userId: user2, validUntil: new Date(Date.now() + 86400_000).toISOString() } }, h['seal-manager'], 201)).json().id;
  const apiKeyToRevoke = (await ok({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'to revoke', role: 'auditor', organisationId: ent } }, h['org-admin'], 201)).json().apiKey.id;
  const sealEsl = (await ok({ url: `/api/v1/seals/${sealA.id}/seal.esl` }, h['seal-manager'])).rawPayload.toString('base64');
  const tsaRoot = (await ok({ url: '/api/v1/trust' }, {})).json().items[0];
  const trustId = (await ok({ method: 'POST', url: '/api/v1/trust', payload: { name: 'to remove', certificate: tsaRoot.certificate } }, h.operator, 201)).json().id;
  const signature = (await ok({ method: 'POST', url: `/api/v1/seals/${sealA.id}/sign-hash`, payload: { hash: toHex(sm3(PDF)) } }, h['seal-user'])).json().signature;
  const batch = (await ok({ method: 'POST', url: `/api/v1/seals/${sealA.id}/batches?page=1&x=100&y=100`, payload: { documents: [{ name: 'a.pdf', data: PDF.toString('base64') }] } }, h['seal-user'], 202)).json().id;
  for (let i = 0; i < 100 && (await ok({ url: `/api/v1/batches/${batch}` }, h['seal-user'])).json().status !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
  fx = { mkt, otherAuthority: other, ent, sealA: sealA.id, sealB: sealB.id, esIdA: sealA.esId, submittedApp: submitted, approvedApp: approved, approval, grantToRevoke, user2, roleGrant, apiKeyToRevoke, trustId, batch, sealEsl, signature };
});
afterAll(() => t?.close());

describe('role matrix: every route × every role', () => {
  it('has a request for every declared route, and every request names a real route', () => {
    const declared = t.app.routeTable.map((r) => key(r.method, r.url)).sort();
    expect(declared.filter((k) => !CASES[k])).toEqual([]);
    expect(Object.keys(CASES).filter((k) => !declared.includes(k))).toEqual([]);
    for (const k of Object.keys(EXCEPTIONS)) expect(declared, k).toContain(k);
  });

  it('allows exactly the principals the PERMISSIONS table (and the listed rules) allow', async () => {
    const problems: string[] = [];
    const table: string[] = [];
    // logout last: it ends the sessions the other routes use
    const routes = [...t.app.routeTable].sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    for (const route of routes) {
      const k = key(route.method, route.url);
      const allowed = expectedAllowed(route);
      // refused principals first: an allowed call may change the object (revoke, delete)
      const order = [...PRINCIPALS].sort((a, b) => Number(allowed.has(a)) - Number(allowed.has(b)));
      const row: Record<string, string> = {};
      for (const who of order) {
        const req = CASES[k](fx);
        const r = await t.app.inject({ ...req, headers: { ...req.headers, ...headers[who] } });
        row[who] = String(r.statusCode);
        if (allowed.has(who)) {
          if (r.statusCode === 401 || r.statusCode === 403) problems.push(`${k} as ${who}: expected allowed, got ${r.statusCode} ${r.body.slice(0, 200)}`);
          if (r.statusCode >= 500) problems.push(`${k} as ${who}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        } else {
          const want = who === 'anonymous' ? 401 : 403;
          if (r.statusCode !== want) problems.push(`${k} as ${who}: expected ${want}, got ${r.statusCode} ${r.body.slice(0, 200)}`);
          else expect(errorOf(r).code).toBe(want === 401 ? 'UNAUTHENTICATED' : errorOf(r).code);
        }
      }
      table.push(`${k.padEnd(52)} ${PRINCIPALS.map((w) => `${allowed.has(w) ? '+' : '-'}${row[w]}`).join(' ')}`);
    }
    if (process.env.ESEAL_PRINT_MATRIX) console.log(`${' '.repeat(53)}${PRINCIPALS.join(' ')}\n${table.join('\n')}`);
    expect(problems).toEqual([]);
  });

  it('refused acts are on the audit record', async () => {
    const events = (await t.app.inject({ url: '/api/v1/audit?action=seal.revoke&limit=1000', headers: await loginAs(t.app, 'operator') })).json().items as { result: string; actor: { id?: string } }[];
    const denied = events.filter((e) => e.result === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(5);
  });
});
