/**
 * The `eseal` command as a user runs it: the built bin/eseal.cjs in a child process, judged by the
 * openssl CLI. These are the "Exact commands" of the foundation issue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DISTID, openssl, tempDir } from '../helpers/openssl.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/main.js';

const BIN = resolve(__dirname, '../../bin/eseal.cjs');
const t = tempDir('eseal-cli-');
afterAll(() => t.cleanup());

function eseal(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: t.dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/src/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
});

describe('eseal CLI: exact commands of the foundation issue', () => {
  it('keygen / key pub / sm2 sign / sm2 verify, interoperating with openssl', () => {
    expect(eseal('keygen', '-o', 'key.pem').status).toBe(0);
    expect(statSync(t.path('key.pem')).mode & 0o777).toBe(0o600);
    expect(openssl(['pkey', '-in', t.path('key.pem'), '-noout', '-text']).stdout).toContain('ASN1 OID: SM2');
    expect(eseal('key', 'pub', 'key.pem', '-o', 'pub.pem').status).toBe(0);
    t.write('doc.txt', '电子印章 test document\n');
    expect(eseal('sm2', 'sign', '--key', 'key.pem', '-i', 'doc.txt', '-o', 'sig.der').status).toBe(0);
    expect(eseal('sm2', 'verify', '--pub', 'pub.pem', '-i', 'doc.txt', '--sig', 'sig.der').status).toBe(0);
    // openssl accepts our signature, and we accept openssl's
    expect(openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', t.path('pub.pem'), '-in', t.path('doc.txt'), '-sigfile', t.path('sig.der'), '-pkeyopt', DISTID]).status).toBe(0);
    const o = openssl(['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', t.path('key.pem'), '-in', t.path('doc.txt'), '-out', t.path('ossl.sig'), '-pkeyopt', DISTID]);
    expect(o.status).toBe(0);
    expect(eseal('sm2', 'verify', '--pub', 'pub.pem', '-i', 'doc.txt', '--sig', 'ossl.sig').status).toBe(0);
    // a changed document fails with exit code 1
    t.write('doc2.txt', '电子印章 test document!\n');
    const bad = eseal('sm2', 'verify', '--pub', 'pub.pem', '-i', 'doc2.txt', '--sig', 'sig.der', '--json');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false });
    // --id changes Z
    expect(eseal('sm2', 'sign', '--key', 'key.pem', '-i', 'doc.txt', '-o', 'sig-id.der', '--id', 'ALICE123@YAHOO.COM').status).toBe(0);
    expect(eseal('sm2', 'verify', '--pub', 'pub.pem', '-i', 'doc.txt', '--sig', 'sig-id.der').status).toBe(1);
    expect(eseal('sm2', 'verify', '--pub', 'pub.pem', '-i', 'doc.txt', '--sig', 'sig-id.der', '--id', 'ALICE123@YAHOO.COM').status).toBe(0);
  });

  it('ca init / cert issue / cert verify, and openssl verifies the chain we make', () => {
    let r = eseal('ca', 'init', '--subject', 'CN=广东省电子印章根CA,O=广东省政务服务数据管理局,C=CN', '-o', 'CADIR');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(t.path('CADIR/ca.key.pem')) && existsSync(t.path('CADIR/ca.cert.pem'))).toBe(true);
    r = eseal('cert', 'issue', '--ca', 'CADIR', '--pub', 'pub.pem', '--subject', 'CN=某某科技有限公司,O=某某科技有限公司,C=CN', '-o', 'cert.pem');
    expect(r.status, r.stderr).toBe(0);
    r = eseal('cert', 'verify', 'cert.pem', '--trust', 'CADIR/ca.cert.pem');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('OK');
    expect(openssl(['verify', '-vfyopt', DISTID, '-CAfile', t.path('CADIR/ca.cert.pem'), t.path('cert.pem')]).status).toBe(0);
    // sm2 verify accepts a certificate instead of a public key
    expect(eseal('sm2', 'verify', '--pub', 'cert.pem', '-i', 'doc.txt', '--sig', 'sig.der').status).toBe(0);
    // another CA's certificate is not trusted
    expect(eseal('ca', 'init', '--subject', 'CN=Other,C=CN', '-o', 'OTHER').status).toBe(0);
    r = eseal('cert', 'verify', 'cert.pem', '--trust', 'OTHER/ca.cert.pem', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).problems[0].code).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    // in the future it has expired
    r = eseal('cert', 'verify', 'cert.pem', '--trust', 'CADIR/ca.cert.pem', '--at', '2040-01-01T00:00:00Z', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code)).toContain('EXPIRED');
  });

  it('intermediate CA, revocation and CRLs from the command line', () => {
    expect(eseal('ca', 'init', '--subject', 'CN=制章机构,O=某省,C=CN', '-o', 'SUB', '--parent', 'CADIR', '--days', '1000').status).toBe(0);
    expect(eseal('keygen', '-o', 'k2.pem', '--pub', 'p2.pem').status).toBe(0);
    expect(eseal('cert', 'issue', '--ca', 'SUB', '--pub', 'p2.pem', '--subject', 'CN=李四,C=CN', '-o', 'c2.pem').status).toBe(0);
    expect(eseal('cert', 'verify', 'c2.pem', '--trust', 'CADIR/ca.cert.pem').status).toBe(0);
    expect(eseal('crl', 'revoke', '--ca', 'SUB', 'c2.pem', '--reason', 'keyCompromise').status).toBe(0);
    expect(eseal('crl', 'issue', '--ca', 'SUB', '-o', 'sub.crl').status).toBe(0);
    const r = eseal('cert', 'verify', 'c2.pem', '--trust', 'CADIR/ca.cert.pem', '--crl', 'sub.crl', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code)).toContain('REVOKED');
    expect(openssl(['crl', '-in', t.path('sub.crl'), '-noout', '-text']).stdout).toContain('Key Compromise');
    const show = eseal('crl', 'show', 'sub.crl', '--json');
    expect(JSON.parse(show.stdout).revoked).toHaveLength(1);
  });

  it('errors name the problem and exit non-zero; nothing half-written', () => {
    t.write('garbage.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    let r = eseal('key', 'pub', 'garbage.pem', '-o', 'never.pem');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/KEY_MALFORMED/);
    expect(existsSync(t.path('never.pem'))).toBe(false);
    r = eseal('sm2', 'sign', '--key', 'missing.pem', '-i', 'doc.txt', '-o', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not found: missing.pem');
    r = eseal('cert', 'issue', '--ca', 'CADIR', '--pub', 'pub.pem', '--subject', 'CN=x,C=China', '-o', 'x.pem');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('country C must be two capital letters');
    r = eseal('ca', 'init', '--subject', 'CN=again,C=CN', '-o', 'CADIR');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('refusing to overwrite');
    r = eseal('keygen', '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--bogus'/);
  });
});

describe('every command has --help and the top level lists them', () => {
  for (const c of COMMANDS) {
    it(`eseal ${c.path.join(' ')} --help`, async () => {
      let out = '';
      const code = await main([...c.path, '--help'], { out: (s) => (out += s), err: (s) => (out += s), cwd: t.dir, now: () => new Date(), env: {} });
      expect(code).toBe(0);
      expect(out).toContain(`usage: eseal ${c.path.join(' ')}`);
    });
  }
  it('eseal --help and --version', () => {
    const r = eseal('--help');
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.path.join(' '));
    expect(eseal('--version').stdout).toMatch(/^eseal \d+\.\d+\.\d+/);
    expect(eseal('nonsense').status).toBe(2);
  });
  void writeFileSync;
  void join;
});
