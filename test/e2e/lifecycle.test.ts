/**
 * The platform issue's end-to-end test, over HTTP against a started server, on SQLite and on
 * PostgreSQL: apply → approve → make → issue → authorise → stamp an OFD and a PDF → verify
 * (TOTAL_PASSED; the independent checkers agree) → revoke → stamping refused → the earlier documents
 * still verify → the audit chain verifies → an edited audit row is detected.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SHARED } from '../helpers/openssl.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPgSchema, PG_URL } from '../server/helpers.js';
import { BIN, http, login, serve } from './platform.js';

const CHECKER = join(SHARED, 'tools/ofd-check');
const PDF_FIXTURE = resolve(__dirname, '../fixtures/pdf/libreoffice-contract-zh.pdf');
const MASTER = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');

beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/src/server/platform.js'))) throw new Error('run `npm run build` first (npm test does)');
});

function eseal(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ESEAL_MASTER_KEY: MASTER } });
  return { status: r.status, out: r.stdout + r.stderr };
}

type Report = { indication: string; signatures: { indication: string; info: Record<string, unknown>; checks: { id: string; status: string }[] }[] };

async function nextSecond(): Promise<void> {
  // signing times have one-second resolution: keep a revocation out of the second of the last stamp
  await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`platform lifecycle end to end (${dialect})`, () => {
    const dir = mkdtempSync(join(tmpdir(), `eseal-e2e-${dialect}-`));
    const schema = `eseal_e2e_${process.pid}_${Date.now().toString(36)}`;
    const db = dialect === 'sqlite' ? `sqlite:${join(dir, 'eseal.db')}` : PG_URL;
    const dbArgs = dialect === 'sqlite' ? ['--db', db] : ['--db', db, '--pg-schema', schema];
    afterAll(async () => {
      if (dialect === 'postgres') await dropPgSchema(schema).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    });

    it('apply, approve, make, authorise, stamp OFD and PDF, verify, revoke, refuse, still verify, audit', async () => {
      const server = await serve([...dbArgs, '--demo'], dir, { ESEAL_MASTER_KEY: MASTER });
      try {
        const { url } = server;
        const manager = await login(url, 'ent-manager');
        const reviewer = await login(url, 'mkt-reviewer');
        const maker = await login(url, 'mkt-maker');
        const user = await login(url, 'ent-user');
        const me = (await http(url, '/api/v1/me', { token: user })).json<{ id: string; roles: { role: string; organisationId?: string }[] }>();
        const orgId = me.roles.find((r) => r.role === 'seal-user')!.organisationId!;

        // apply (申请) → review (审核) → make (制章) → issue (发放)
        const app = await http(url, '/api/v1/applications', { token: manager, json: { organisationId: orgId, sealType: 'contract', validityDays: 365 } });
        expect(app.status, new TextDecoder().decode(app.bytes)).toBe(201);
        const appId = app.json<{ id: string }>().id;
        expect((await http(url, `/api/v1/applications/${appId}/review`, { token: reviewer, json: { decision: 'approve' } })).status).toBe(200);
        const made = await http(url, `/api/v1/applications/${appId}/make`, { token: maker, json: {} });
        expect(made.status, new TextDecoder().decode(made.bytes)).toBe(201);
        const seal = made.json<{ id: string; esId: string; status: string }>();
        expect(seal.status).toBe('made');
        expect((await http(url, `/api/v1/seals/${seal.id}/issue`, { token: maker, json: {} })).json<{ status: string }>().status).toBe('active');

        // not yet authorised: refused
        const pdf = new Uint8Array(readFileSync(PDF_FIXTURE));
        const refusedBefore = await http(url, `/api/v1/seals/${seal.id}/stamp?page=1&x=150&y=240`, { token: user, body: pdf, type: 'application/pdf' });
        expect(refusedBefore.status).toBe(403);

        // authorise (用印授权)
        const grant = await http(url, `/api/v1/seals/${seal.id}/grants`, { token: manager, json: { userId: me.id, validUntil: new Date(Date.now() + 86400_000).toISOString(), maxUses: 10 } });
        expect(grant.status, new TextDecoder().decode(grant.bytes)).toBe(201);

        // stamp a PDF and an OFD (made with `eseal ofd create`)
        const stampedPdf = await http(url, `/api/v1/seals/${seal.id}/stamp?page=1&x=150&y=240`, { token: user, body: pdf, type: 'application/pdf' });
        expect(stampedPdf.status, new TextDecoder().decode(stampedPdf.bytes).slice(0, 500)).toBe(200);
        expect(stampedPdf.headers.get('x-stamp-id')).toBeTruthy();
        expect(eseal(dir, 'ofd', 'create', '--text', '无房证明\n兹证明某某在本市无房产登记记录。（盖章）', '-o', 'proof.ofd').status).toBe(0);
        const ofd = new Uint8Array(readFileSync(join(dir, 'proof.ofd')));
        const stampedOfd = await http(url, `/api/v1/seals/${seal.id}/stamp?keyword=${encodeURIComponent('（盖章）')}`, { token: user, body: ofd, type: 'application/ofd' });
        expect(stampedOfd.status, new TextDecoder().decode(stampedOfd.bytes).slice(0, 500)).toBe(200);
        const fs = await import('node:fs');
        fs.writeFileSync(join(dir, 'stamped.ofd'), stampedOfd.bytes);
        fs.writeFileSync(join(dir, 'stamped.pdf'), stampedPdf.bytes);

        // verify (验章): TOTAL_PASSED, by the platform and by the independent checkers
        const verify = async (doc: Uint8Array) => (await http(url, '/api/v1/verify', { body: doc, type: 'application/octet-stream' })).json<Report>();
        for (const doc of [stampedPdf.bytes, stampedOfd.bytes]) {
          const r = await verify(doc);
          expect(r.indication, JSON.stringify(r.signatures.map((s) => s.checks.filter((c) => c.status !== 'PASSED')))).toBe('TOTAL_PASSED');
          expect(r.signatures[0].info.esId).toBe(seal.esId);
        }
        const chk = spawnSync('python3', [CHECKER, join(dir, 'stamped.ofd')], { encoding: 'utf8' });
        expect(chk.status, chk.stdout + chk.stderr).toBe(0);
        const qpdf = spawnSync('qpdf', ['--check', join(dir, 'stamped.pdf')], { encoding: 'utf8' });
        expect([0, 3]).toContain(qpdf.status);

        // revoke (注销): stamping is refused from then on
        await nextSecond();
        const revoked = await http(url, `/api/v1/seals/${seal.id}/revoke`, { token: manager, json: { reason: '单位注销' } });
        expect(revoked.json<{ status: string }>().status).toBe('revoked');
        const refused = await http(url, `/api/v1/seals/${seal.id}/stamp?page=1&x=150&y=240`, { token: user, body: pdf, type: 'application/pdf' });
        expect(refused.status).toBe(409);
        expect(refused.json<{ error: { code: string } }>().error.code).toBe('SEAL_NOT_USABLE');
        expect((await http(url, `/status/${seal.esId}`)).json<{ body: { status: string } }>().body.status).toBe('revoked');

        // the documents signed before the revocation still verify, and the report says how the status was judged
        for (const doc of [stampedPdf.bytes, stampedOfd.bytes]) {
          const r = await verify(doc);
          expect(r.indication).toBe('TOTAL_PASSED');
          expect(r.signatures[0].checks.find((c) => c.id === 'SEAL_STATUS')?.status).toBe('PASSED');
        }

        // the audit record: the chain verifies through the API
        const operator = await login(url, 'operator');
        const chain = (await http(url, '/api/v1/audit/verify', { token: operator })).json<{ valid: boolean; events: number }>();
        expect(chain.valid).toBe(true);
        expect(chain.events).toBeGreaterThan(50);
      } finally {
        expect(await server.stop()).toBe(0);
      }

      // …and from the command line; then someone edits a row behind the database's back
      const cliDb = dialect === 'sqlite' ? ['--db', db] : ['--db', db, '--pg-schema', schema];
      const ok = eseal(dir, 'audit', 'verify', ...cliDb);
      expect(ok.status, ok.out).toBe(0);
      if (dialect === 'sqlite') {
        const d = new Database(join(dir, 'eseal.db'));
        const triggers = d.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_events'").all() as { name: string }[];
        for (const t of triggers) d.exec(`drop trigger "${t.name}"`);
        d.prepare("update audit_events set details = replace(details, '单位注销', '误操作') where action = 'seal.revoke'").run();
        d.close();
      } else {
        const u = new URL(PG_URL);
        if (!u.username) u.username = process.env.PGUSER ?? (await import('node:os')).userInfo().username;
        const c = new pg.Client({ connectionString: u.toString() });
        await c.connect();
        try {
          await c.query(`set search_path to "${schema}"`);
          await c.query('alter table audit_events disable trigger user');
          await c.query("update audit_events set details = replace(details, '单位注销', '误操作') where action = 'seal.revoke'");
        } finally {
          await c.end();
        }
      }
      const bad = eseal(dir, 'audit', 'verify', ...cliDb);
      expect(bad.status, bad.out).toBe(1);
      expect(bad.out).toMatch(/changed after it was recorded|edited/);
    });
  });
}
