/**
 * The "Exact commands" of the OFD issue, run as a user runs them: the built bin/eseal.cjs in a child
 * process (npm test builds first), judged by our verifier's exit code and by ofd-check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tempDir } from '../helpers/openssl.js';
import { readZip, writeZip } from '../../src/ofd/zip.js';
import { ofdCheck } from './helpers.js';
import { privateKeyToPem, sm2Sign } from '../../src/sm/index.js';
import { PROFILES } from '../../src/pki/index.js';
import { encodePem } from '../../src/util/pem.js';
import { makeSeal, renderSealSvg, sealAppearanceForType } from '../../src/ses/index.js';
import { renderSealPng } from '../../src/ses/appearance/render-png.js';
import { loadSealFont } from '../../src/storage/assets.js';
import { issue, newKey, years } from '../pki/fixtures.js';

const BIN = resolve(__dirname, '../../bin/eseal.cjs');
const t = tempDir('eseal-ofd-cli-');
afterAll(() => t.cleanup());

function eseal(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: t.dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}
const ok = (...args: string[]) => {
  const r = eseal(...args);
  expect(r.status, `eseal ${args.join(' ')}\n${r.out}`).toBe(0);
  return r;
};

beforeAll(async () => {
  if (!existsSync(resolve(__dirname, '../../dist/src/cli/formats/ofd.js'))) throw new Error('run `npm run build` first (npm test does)');
  // keys, certificates and the seal are made in-process (the seal commands have their own CLI tests);
  // the CA folder has the layout `eseal ca init` writes, for `eseal tsa init --ca CA`
  const rootKey = newKey();
  const root = await issue(rootKey, rootKey, { subject: 'CN=OFD Test Root,C=CN', ...PROFILES.rootCa });
  const signerKey = newKey();
  const signer = await issue(signerKey, rootKey, { subject: 'CN=张三,O=广州市某某科技有限公司,C=CN', issuer: root, ...PROFILES.sealHolder });
  const makerKey = newKey();
  const maker = await issue(makerKey, rootKey, { subject: 'CN=电子印章制作系统,C=CN', issuer: root });
  mkdirSync(t.path('CA'));
  t.write('CA/ca.key.pem', privateKeyToPem(rootKey.d));
  t.write('CA/ca.cert.pem', encodePem('CERTIFICATE', root.der));
  t.write('SIGNER.key.pem', privateKeyToPem(signerKey.d));
  t.write('SIGNER.cert.pem', encodePem('CERTIFICATE', signer.der));
  const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType('official', '广州市某某科技有限公司'), loadSealFont());
  const seal = await makeSeal(
    { vid: 'eseal', esId: '44010000000009', type: 1, name: '广州市某某科技有限公司', signerCertificates: [signer.der], createDate: years(0.1), validStart: years(0.1), validEnd: years(3), picture: { type: 'PNG', data: renderSealPng(svg, { dpi: 150 }), widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) }, makerCertificate: maker.der },
    (tbs) => sm2Sign(makerKey.d, tbs),
  );
  t.write('seal.esl', seal);
}, 60_000);

const SEAL = ['--seal', 'seal.esl', '--key', 'SIGNER.key.pem', '--cert', 'SIGNER.cert.pem'];

describe('eseal: exact commands of the OFD issue', () => {
  it('ofd create → stamp by position, keyword, cross-page with --lock → verify --json → render; ofd-check passes every step', () => {
    expect(ok('ofd', 'create', '--text', '正文（盖章）', '--pages', '3', '-o', 'doc.ofd').stdout).toContain('3 page(s)');
    expect(ofdCheck(t.path('doc.ofd')).out).toContain('NOT SIGNED');
    expect(ok('stamp', 'doc.ofd', '-o', 'a.ofd', ...SEAL, '--page', '2', '--x', '100', '--y', '150').stdout).toMatch(/OFD seal \(签章\) s001 added: page 2 at \(79.0, 129.0\) mm/);
    expect(ok('stamp', 'a.ofd', '-o', 'b.ofd', ...SEAL, '--keyword', '（盖章）').stdout).toContain('s003 added: page 1');
    expect(ok('stamp', 'b.ofd', '-o', 'c.ofd', ...SEAL, '--cross-page', '--lock').stdout).toMatch(/s005 added: page 1 .* page 3 .*; document locked/);
    for (const f of ['a.ofd', 'b.ofd', 'c.ofd']) expect(ofdCheck(t.path(f)).status, f).toBe(0);
    const v = eseal('verify', 'c.ofd', '--trust', 'CA/ca.cert.pem', '--json');
    expect(v.status, v.out).toBe(0);
    const report = JSON.parse(v.stdout);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s: { id: string; indication: string }) => `${s.id}:${s.indication}`)).toEqual(['s001:TOTAL_PASSED', 's003:TOTAL_PASSED', 's005:TOTAL_PASSED']);
    expect(report.signatures[2].info).toMatchObject({ sealName: '广州市某某科技有限公司', signer: '张三', locksDocument: true });
    expect(report.signatures[2].info.stamps).toHaveLength(3);
    // locked: a fourth seal is refused with a clear error
    const refused = eseal('stamp', 'c.ofd', '-o', 'd.ofd', ...SEAL, '--page', '1', '--x', '50', '--y', '50');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('error [OFD_LOCKED]: the document is locked: signature s005 protects the signature list /Doc_0/Signs/Signatures.xml');
    const r = ok('ofd', 'render', 'c.ofd', '--page', '2', '-o', 'page.png');
    expect(r.stdout).toContain('page 2 of 3');
    expect(readFileSync(t.path('page.png')).subarray(1, 4).toString()).toBe('PNG');
    ok('ofd', 'render', 'c.ofd', '--page', '1', '-o', 'page.svg');
    expect(readFileSync(t.path('page.svg'), 'utf8')).toContain('data-signature="s005"');
  }, 60_000);

  it('verify exits 1 for a document changed after signing, and names the file', () => {
    ok('ofd', 'create', '--text', '合同正文', '-o', 'x.ofd');
    ok('stamp', 'x.ofd', '-o', 'x1.ofd', ...SEAL, '--page', '1', '--x', '100', '--y', '100');
    const zip = readZip(new Uint8Array(readFileSync(t.path('x1.ofd'))));
    const page = 'Doc_0/Pages/Page_0/Content.xml';
    const edited = writeZip(zip.entries.map((e) => (e.name === page ? { name: e.name, data: new TextEncoder().encode(new TextDecoder().decode(zip.read(page)).replace('合同', '台同')) } : { name: e.name, copy: e })));
    t.write('x2.ofd', edited);
    const v = eseal('verify', 'x2.ofd', '--trust', 'CA/ca.cert.pem', '--lang', 'en');
    expect(v.status).toBe(1);
    expect(v.stdout).toContain('the document was modified after signing — changed: /Doc_0/Pages/Page_0/Content.xml');
    expect(ofdCheck(t.path('x2.ofd')).out).toContain('/Doc_0/Pages/Page_0/Content.xml');
  }, 30_000);

  it('--type Sign (GB/T 35275), --tsa (time-stamped SES_Signature), and the JSON / template forms of ofd create', () => {
    ok('ofd', 'create', '--text', '数字签名测试', '-o', 's.ofd');
    ok('stamp', 's.ofd', '-o', 's1.ofd', '--key', 'SIGNER.key.pem', '--cert', 'SIGNER.cert.pem', '--type', 'Sign', '--page', '1', '--x', '100', '--y', '100');
    const v = eseal('verify', 's1.ofd', '--trust', 'CA/ca.cert.pem', '--json');
    expect(v.status, v.out).toBe(0);
    expect(JSON.parse(v.stdout).signatures[0]).toMatchObject({ kind: 'ofd-sign', info: { variant: 'a' } });
    ok('tsa', 'init', '--ca', 'CA', '-o', 'TSA');
    ok('stamp', 's.ofd', '-o', 's2.ofd', ...SEAL, '--page', '1', '--x', '100', '--y', '100', '--tsa', 'TSA');
    const ts = JSON.parse(ok('verify', 's2.ofd', '--trust', 'CA/ca.cert.pem', '--json').stdout);
    expect(ts.signatures[0].checks.find((c: { id: string }) => c.id === 'SIGNATURE_TIMESTAMP').status).toBe('PASSED');
    expect(ts.signatures[0].info.signingTimeSource).toBe('timestamp');
    expect(ofdCheck(t.path('s2.ofd')).status).toBe(0);

    t.write('spec.json', JSON.stringify({ widthMm: 148, heightMm: 105, info: { title: '通知' }, pages: [{ items: [{ type: 'text', x: 74, y: 10, text: '通知', size: 8, bold: true, align: 'center' }, { type: 'paragraph', x: 10, y: 25, width: 128, text: '兹定于下周一召开全体会议。', indent: 2 }, { type: 'qr', x: 110, y: 70, size: 25, text: 'https://example.org' }] }] }));
    expect(ok('ofd', 'create', '--spec', 'spec.json', '-o', 'spec.ofd').stdout).toContain('1 page(s)');
    t.write('t.json', JSON.stringify({ title: '{{title}}', fields: [{ label: '姓名', key: 'name' }], seal: { date: '{{date}}' } }));
    t.write('d.json', JSON.stringify({ title: '在职证明', name: '张三', date: '2026年7月1日' }));
    const made = ok('ofd', 'create', '--template', 't.json', '--data', 'd.json', '-o', 'cert.ofd', '--json');
    const places = JSON.parse(made.stdout).sealPlaces;
    expect(places).toHaveLength(1);
    ok('stamp', 'cert.ofd', '-o', 'cert1.ofd', ...SEAL, '--keyword', '（盖章）');
    expect(eseal('verify', 'cert1.ofd', '--trust', 'CA/ca.cert.pem').status).toBe(0);
    const info = ok('ofd', 'info', 'cert1.ofd', '--json');
    expect(JSON.parse(info.stdout).signatures[0].stamps[0].page).toBe(1);
  }, 60_000);

  it('usage errors are clear: no placement, missing seal, a page that does not exist', () => {
    ok('ofd', 'create', '--text', '正文', '-o', 'u.ofd');
    expect(eseal('stamp', 'u.ofd', '-o', 'v.ofd', ...SEAL).stderr).toContain('choose one placement');
    expect(eseal('stamp', 'u.ofd', '-o', 'v.ofd', '--key', 'SIGNER.key.pem', '--cert', 'SIGNER.cert.pem', '--page', '1', '--x', '1', '--y', '1').stderr).toContain('needs --seal seal.esl');
    const bad = eseal('stamp', 'u.ofd', '-o', 'v.ofd', ...SEAL, '--page', '5', '--x', '10', '--y', '10');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error [OFD_PAGE_OUT_OF_RANGE]: seal position: page 5 does not exist (the document has 1 page)');
    expect(eseal('ofd', 'render', 'u.ofd', '--page', '3', '-o', 'p.png').stderr).toContain('the document has 1 page(s)');
  }, 30_000);
});
