/**
 * `eseal stamp FILE.pdf …` and `eseal verify FILE.pdf` as a user types them (the exact
 * commands), run in-process through the same `main` as bin/eseal.cjs; keys and certificates made with
 * eseal itself (SM2) and with the openssl CLI (RSA, P-256, PKCS#12). The PAdES outputs go to pdf-check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/cli/command.js';
import { openssl, tempDir } from '../helpers/openssl.js';
import { fixture, pdfCheck, pdfLibDocument, qpdfCheck } from './fixtures.js';

const t = tempDir('eseal-pdf-cli-');
afterAll(() => t.cleanup());

async function eseal(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const ctx: CommandContext = { out: (s) => (stdout += s), err: (s) => (stderr += s), cwd: t.dir, now: () => new Date(), env: {} };
  const status = await main(args, ctx);
  return { status, stdout, stderr };
}

async function ok(...args: string[]) {
  const r = await eseal(...args);
  expect(r.status, `eseal ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r;
}

function osslOk(args: string[]) {
  const r = openssl(args);
  expect(r.status, r.stderr).toBe(0);
}

beforeAll(async () => {
  await ok('ca', 'init', '--subject', 'CN=广东省电子印章根CA,O=广东省政务服务数据管理局,C=CN', '-o', 'CA');
  await ok('keygen', '-o', 'MK.pem', '--pub', 'MK.pub');
  await ok('cert', 'issue', '--ca', 'CA', '--pub', 'MK.pub', '--subject', 'CN=广东省电子印章制作系统,C=CN', '--profile', 'maker', '-o', 'MC.pem');
  await ok('keygen', '-o', 'SK.pem', '--pub', 'SK.pub');
  await ok('cert', 'issue', '--ca', 'CA', '--pub', 'SK.pub', '--subject', 'CN=广州市某某科技有限公司,OI=NTRCN-91350100M000100Y43,C=CN', '-o', 'SC.pem');
  // RSA and P-256 signers from the openssl CLI, self-signed (trusted directly)
  osslOk(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', t.path('rsa.key'), '-out', t.path('rsa.crt'), '-subj', '/CN=Acme RSA Signer/O=Acme Ltd/C=CN', '-days', '30']);
  osslOk(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', t.path('ec.key'), '-out', t.path('ec.crt'), '-subj', '/CN=Acme P-256 Signer/C=CN', '-days', '30']);
  osslOk(['pkcs12', '-export', '-inkey', t.path('rsa.key'), '-in', t.path('rsa.crt'), '-out', t.path('rsa.p12'), '-passout', 'pass:secret']);
  await ok('seal', 'make', '--maker-key', 'MK.pem', '--maker-cert', 'MC.pem', '--signer-cert', 'SC.pem', '--signer-cert', 'rsa.crt', '--name', '广州市某某科技有限公司', '--type', 'official', '--code', '91350100M000100Y43', '-o', 'seal.esl');
  await ok('tsa', 'init', '--ca', 'CA', '-o', 'TSA');
  writeFileSync(t.path('doc.pdf'), await pdfLibDocument(2));
  writeFileSync(t.path('contract.pdf'), fixture('libreoffice-contract-zh.pdf'));
});

describe('eseal stamp / verify with PDF (exact commands)', () => {
  it('national profile: --page/--x/--y, then --keyword, then --cross-page; verify passes with the root trusted', async () => {
    await ok('stamp', 'contract.pdf', '-o', 's1.pdf', '--seal', 'seal.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--page', '1', '--x', '150', '--y', '60');
    await ok('stamp', 's1.pdf', '-o', 's2.pdf', '--seal', 'seal.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--keyword', '（盖章）', '--occurrence', 'all', '--profile', 'national');
    const r = await ok('stamp', 's2.pdf', '-o', 's3.pdf', '--seal', 'seal.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--cross-page', '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'pdf', profile: 'national', fieldName: 'Signature3' });
    const v = await eseal('verify', 's3.pdf', '--trust', 'CA/ca.cert.pem', '--json');
    expect(v.status, v.stdout).toBe(0);
    const rep = JSON.parse(v.stdout);
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures.map((s: { info: { profile: string } }) => s.info.profile)).toEqual(['national', 'national', 'national']);
    expect(qpdfCheck(t.path('s3.pdf')).status).toBe(0);
    // the text report, in Chinese by default
    const txt = await eseal('verify', 's3.pdf', '--trust', 'CA/ca.cert.pem');
    expect(txt.stdout).toContain('验证通过');
  });

  it('international profile with --key/--cert (RSA and P-256) and with --p12/--password; --tsa adds a time stamp; pdf-check passes', async () => {
    await ok('stamp', 'doc.pdf', '-o', 'i1.pdf', '--profile', 'international', '--key', 'rsa.key', '--cert', 'rsa.crt', '--seal', 'seal.esl', '--page', '1', '--x', '60', '--y', '240', '--reason', '同意', '--location', '广州');
    await ok('stamp', 'i1.pdf', '-o', 'i2.pdf', '--profile', 'international', '--key', 'ec.key', '--cert', 'ec.crt', '--page', '2', '--x', '150', '--y', '240');
    const r = await ok('stamp', 'i2.pdf', '-o', 'i3.pdf', '--profile', 'international', '--p12', 'rsa.p12', '--password', 'secret', '--cross-page', '--tsa', 'TSA');
    expect(r.stdout).toContain('B-T');
    const chk = pdfCheck(t.path('i3.pdf'), [t.path('rsa.crt'), t.path('ec.crt')]);
    expect(chk.status, chk.out).toBe(0);
    expect(chk.out).toContain('pdfsig: PASS (3/3 signatures valid)');
    const v = await eseal('verify', 'i3.pdf', '--trust', 'rsa.crt', '--trust', 'ec.crt', '--trust', 'CA/ca.cert.pem', '--json');
    const rep = JSON.parse(v.stdout);
    expect(v.status, JSON.stringify(rep.signatures.map((s: { summary: { en: string } }) => s.summary.en))).toBe(0);
    expect(rep.signatures[0].info).toMatchObject({ profile: 'international', sealName: '广州市某某科技有限公司', reason: '同意', location: '广州' });
    expect(rep.signatures[1].info.carriesSeal).toBe(false); // no --seal: a seal drawn from the certificate's name
    expect(rep.signatures[2].info.pades.level).toBe('B-T');
    expect(rep.signatures[2].info.signingTimeSource).toBe('timestamp');
  });

  it('--lock certifies (DocMDP P=1): a later stamp is refused with exit code 1', async () => {
    await ok('stamp', 'doc.pdf', '-o', 'l1.pdf', '--seal', 'seal.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--page', '1', '--x', '100', '--y', '100', '--lock');
    const r = await eseal('stamp', 'l1.pdf', '-o', 'l2.pdf', '--seal', 'seal.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--page', '1', '--x', '50', '--y', '50');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/DocMDP P=1/);
  });

  it('usage errors are exit 2 with a clear message; a tampered file verifies with exit 1', async () => {
    let r = await eseal('stamp', 'doc.pdf', '-o', 'x.pdf', '--profile', 'international', '--key', 'SK.pem', '--cert', 'SC.pem', '--page', '1', '--x', '1', '--y', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/international profile signs with an RSA or P-256 key/);
    r = await eseal('stamp', 'doc.pdf', '-o', 'x.pdf', '--key', 'SK.pem', '--cert', 'SC.pem', '--page', '1', '--x', '1', '--y', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/give --seal/);
    const bytes = new Uint8Array(readFileSync(t.path('s1.pdf')));
    bytes[2000] ^= 1;
    writeFileSync(t.path('bad.pdf'), bytes);
    const v = await eseal('verify', 'bad.pdf', '--trust', 'CA/ca.cert.pem', '--lang', 'en');
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('TOTAL_FAILED');
  });
});
