/**
 * The seal commands of the seals issue, as a user runs them (built bin/eseal.cjs), judged by the
 * independent checker (../shared/tools/ofd-check) and openssl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openssl, tempDir, SAMPLES, SHARED } from '../helpers/openssl.js';

const BIN = resolve(__dirname, '../../bin/eseal.cjs');
const CHECKER = join(SHARED, 'tools/ofd-check');
const t = tempDir('eseal-seal-cli-');
afterAll(() => t.cleanup());

function eseal(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: t.dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ok = (...args: string[]) => {
  const r = eseal(...args);
  expect(r.status, `eseal ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r;
};

beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/src/cli/main.js'))) throw new Error('run `npm run build` first (npm test does)');
  ok('ca', 'init', '--subject', 'CN=广东省电子印章根CA,O=广东省政务服务数据管理局,C=CN', '-o', 'CA');
  ok('keygen', '-o', 'MK.pem', '--pub', 'MK.pub');
  ok('cert', 'issue', '--ca', 'CA', '--pub', 'MK.pub', '--subject', 'CN=广东省电子印章制作系统,C=CN', '--profile', 'maker', '-o', 'MC.pem');
  ok('keygen', '-o', 'SK.pem', '--pub', 'SK.pub');
  ok('cert', 'issue', '--ca', 'CA', '--pub', 'SK.pub', '--subject', 'CN=广州市某某科技有限公司,OI=NTRCN-91350100M000100Y43,C=CN', '-o', 'SC.pem');
});

describe('eseal seal make / show / verify / image (exact commands)', () => {
  it('makes a seal of every type that the independent checker and our verifier accept', () => {
    for (const type of ['official', 'contract', 'finance', 'invoice', 'legal-rep', 'personal']) {
      const name = type === 'legal-rep' || type === 'personal' ? '张三' : '广州市某某科技有限公司';
      ok('seal', 'make', '--maker-key', 'MK.pem', '--maker-cert', 'MC.pem', '--signer-cert', 'SC.pem', '--name', name, '--type', type, '--code', '91350100M000100Y43', '--valid-days', '365', '-o', `${type}.esl`);
      const chk = spawnSync('python3', [CHECKER, '--seal', t.path(`${type}.esl`)], { encoding: 'utf8' });
      expect(chk.status, chk.stdout + chk.stderr).toBe(0);
      const v = eseal('seal', 'verify', `${type}.esl`, '--trust', 'MC.pem', '--json');
      expect(v.status, v.stdout).toBe(0);
      expect(JSON.parse(v.stdout).indication).toBe('TOTAL_PASSED');
    }
  });

  it('seal show --json prints every field; --picture-out exports the picture', () => {
    const r = ok('seal', 'show', 'contract.esl', '--json', '--picture-out', 'pic.png');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ layout: 'v4', header: { id: 'ES', version: 4, vid: 'eseal' }, property: { type: 4, typeName: 'contract', name: '广州市某某科技有限公司', certListType: 1 }, picture: { type: 'PNG', widthMm: 38, heightMm: 38 } });
    expect(j.property.certs[0].subject).toContain('广州市某某科技有限公司');
    expect(j.maker.subject).toBe('CN=广东省电子印章制作系统,C=CN');
    expect(readFileSync(t.path('pic.png')).subarray(1, 4).toString()).toBe('PNG');
    // the round trip through openssl asn1parse shows the STANDARDS.md layout
    const asn = openssl(['asn1parse', '-inform', 'DER', '-in', t.path('contract.esl'), '-i']).stdout;
    expect(asn).toMatch(/IA5STRING\s+:ES[\s\S]*INTEGER\s+:04[\s\S]*UTF8STRING\s+:广州市某某科技有限公司[\s\S]*GENERALIZEDTIME[\s\S]*IA5STRING\s+:PNG[\s\S]*OBJECT\s+:SM2-with-SM3/);
  });

  it('seal verify: exit 0 iff TOTAL_PASSED; --at in the future gives SEAL_EXPIRED; a wrong maker is untrusted', () => {
    expect(eseal('seal', 'verify', 'official.esl', '--trust', 'CA/ca.cert.pem').status).toBe(0);
    const late = eseal('seal', 'verify', 'official.esl', '--trust', 'MC.pem', '--at', '2040-01-01T00:00:00Z', '--json');
    expect(late.status).toBe(1);
    const rep = JSON.parse(late.stdout);
    expect(rep.signatures[0].indication).toBe('TOTAL_FAILED');
    expect(rep.signatures[0].checks.find((c: { id: string }) => c.id === 'SEAL_VALIDITY_PERIOD').subIndication).toBe('SEAL_EXPIRED');
    ok('ca', 'init', '--subject', 'CN=另一个CA,C=CN', '-o', 'OTHER');
    const wrong = eseal('seal', 'verify', 'official.esl', '--trust', 'OTHER/ca.cert.pem', '--json');
    expect(wrong.status).toBe(1);
    expect(JSON.parse(wrong.stdout).signatures[0].subIndication).toBe('SEAL_MAKER_UNTRUSTED');
    // the human report names the reason, in Chinese by default
    expect(eseal('seal', 'verify', 'official.esl', '--trust', 'OTHER/ca.cert.pem').stdout).toContain('制章者证书');
  });

  it('seal image draws PNG and SVG', () => {
    ok('seal', 'image', '--name', '广州市某某科技有限公司', '--type', 'official', '-o', 'o.png');
    ok('seal', 'image', '--name', '欧阳娜娜', '--type', 'personal', '-o', 'p.svg');
    expect(readFileSync(t.path('o.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(t.path('p.svg'), 'utf8')).toMatch(/^<svg[^>]+width="20mm"/);
  });

  it('refuses an invalid 统一社会信用代码, a key that is not the maker\'s, and a nonsense picture', () => {
    let r = eseal('seal', 'make', '--maker-key', 'MK.pem', '--maker-cert', 'MC.pem', '--signer-cert', 'SC.pem', '--name', 'x', '--type', 'official', '--code', '91350100M000100Y44', '-o', 'bad.esl');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/USCC_INVALID.*should be 3/);
    r = eseal('seal', 'make', '--maker-key', 'SK.pem', '--maker-cert', 'MC.pem', '--signer-cert', 'SC.pem', '--name', 'x', '--type', 'official', '-o', 'bad.esl');
    expect(r.stderr).toContain('does not belong');
    t.write('big.png', readFileSync(t.path('o.png')));
    r = eseal('seal', 'make', '--maker-key', 'MK.pem', '--maker-cert', 'MC.pem', '--signer-cert', 'SC.pem', '--name', 'x', '--type', 'official', '--picture', 'big.png', '--picture-size', '250x251', '-o', 'bad.esl');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/250.*pixels|mm/);
    expect(existsSync(t.path('bad.esl'))).toBe(false);
  });
});

describe('eseal ses sign / verify, with a time stamp from a local TSA', () => {
  it('signs a file and a hash, the checker agrees, tampering is caught', () => {
    t.write('doc.txt', '无房证明\n');
    ok('tsa', 'init', '--ca', 'CA', '-o', 'TSA');
    ok('ses', 'sign', '--seal', 'contract.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '-i', 'doc.txt', '--tsa', 'TSA', '-o', 'sv.dat');
    const chk = spawnSync('python3', [CHECKER, '--ses', t.path('sv.dat'), '--data', t.path('doc.txt')], { encoding: 'utf8' });
    expect(chk.status, chk.stdout).toBe(0);
    const v = eseal('ses', 'verify', 'sv.dat', '-i', 'doc.txt', '--trust', 'CA/ca.cert.pem', '--json');
    expect(v.status, v.stdout).toBe(0);
    const sig = JSON.parse(v.stdout).signatures[0];
    expect(sig.info.signingTimeSource).toBe('timestamp');
    expect(sig.checks.find((c: { id: string }) => c.id === 'SIGNATURE_TIMESTAMP').status).toBe('PASSED');
    t.write('doc2.txt', '有房证明\n');
    const bad = eseal('ses', 'verify', 'sv.dat', '-i', 'doc2.txt', '--trust', 'CA/ca.cert.pem', '--json');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).signatures[0].subIndication).toBe('HASH_FAILURE');
    // by hash, for systems that keep their documents
    const h = openssl(['dgst', '-sm3', '-r', t.path('doc.txt')]).stdout.split(' ')[0];
    ok('ses', 'sign', '--seal', 'contract.esl', '--key', 'SK.pem', '--cert', 'SC.pem', '--hash', h, '-o', 'svh.dat');
    expect(eseal('ses', 'verify', 'svh.dat', '--hash', h, '--trust', 'CA/ca.cert.pem').status).toBe(0);
  });

  it('a signer who is not in the seal\'s certList is refused by the verifier', () => {
    ok('keygen', '-o', 'X.pem', '--pub', 'X.pub');
    ok('cert', 'issue', '--ca', 'CA', '--pub', 'X.pub', '--subject', 'CN=冒用者,C=CN', '-o', 'XC.pem');
    ok('ses', 'sign', '--seal', 'contract.esl', '--key', 'X.pem', '--cert', 'XC.pem', '-i', 'doc.txt', '-o', 'sx.dat');
    const r = eseal('ses', 'verify', 'sx.dat', '-i', 'doc.txt', '--trust', 'CA/ca.cert.pem', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures[0].subIndication).toBe('SIGNER_NOT_IN_SEAL_CERT_LIST');
  });

  it('verifies a real vendor signature from the samples', () => {
    const r = eseal('ses', 'verify', join(SAMPLES, 'extracted/gomain_zj_1.SignedValue.dat'), '-i', join(SAMPLES, 'extracted/gomain_zj_1.Signature.xml'), '--json');
    const sig = JSON.parse(r.stdout).signatures[0];
    expect(sig.checks.find((c: { id: string }) => c.id === 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(sig.checks.find((c: { id: string }) => c.id === 'DATA_HASH').status).toBe('PASSED');
  });

  it('policy show prints the default policy, and a policy file changes levels', () => {
    const p = JSON.parse(ok('policy', 'show').stdout);
    expect(p.levels.SEAL_MAKER_SIGNATURE).toBe('FAIL');
    t.write('lenient.json', JSON.stringify({ levels: { SEAL_MAKER_TRUSTED: 'WARN' } }));
    expect(eseal('seal', 'verify', 'official.esl').status).toBe(1);
    expect(eseal('seal', 'verify', 'official.esl', '--policy', 'lenient.json').status).toBe(0);
    t.write('broken.json', JSON.stringify({ levels: { NOPE: 'FAIL' } }));
    expect(eseal('seal', 'verify', 'official.esl', '--policy', 'broken.json').stderr).toContain('unknown check "NOPE"');
  });
});
