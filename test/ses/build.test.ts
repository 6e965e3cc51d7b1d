import { afterAll, describe, expect, it } from 'vitest';
import { prepareSeal, assembleSeal, makeSeal, prepareSesSignature, assembleSesSignature, makeSesSignature, type SealSpec } from '../../src/ses/build.js';
import { parseSeal, parseSesSignature } from '../../src/ses/parse.js';
import { TBS_Sign, ExtData, ExtensionDatas } from '../../src/ses/asn1/index.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { sealFacts, sesSignatureFacts } from '../../src/ses/facts.js';
import { sm2Sign, sm3, signatureToRaw } from '../../src/sm/index.js';
import { encodePem } from '../../src/util/pem.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { makePki, newKey, issue, T0, years } from '../pki/fixtures.js';
import { openssl, tempDir, SHARED } from '../helpers/openssl.js';
import { join } from 'node:path';

const CHECKER = join(SHARED, 'tools/ofd-check');
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('making v4 seals and signatures', async () => {
  const pki = await makePki();
  const makerKey = newKey();
  const maker = await issue(makerKey, pki.caKey, { subject: 'CN=广东省电子印章制作系统,O=广东省政务服务数据管理局,C=CN', issuer: pki.ca });
  const spec: SealSpec = {
    vid: 'eseal',
    esId: '44010000000001',
    type: 1,
    name: '广州市某某科技有限公司',
    signerCertificates: [pki.leaf.der],
    createDate: years(0.1),
    validStart: years(0.1),
    validEnd: years(2),
    picture: { type: 'PNG', data: PNG, widthMm: 42, heightMm: 42 },
    makerCertificate: maker.der,
  };
  const seal = await makeSeal(spec, (tbs) => sm2Sign(makerKey.d, tbs));

  it('a made seal parses back with every field and its maker signature verifies', () => {
    const s = parseSeal(seal);
    expect(s.layout).toBe('v4');
    expect(s.info).toMatchObject({ header: { id: 'ES', version: 4, vid: 'eseal' }, esId: '44010000000001', property: { name: '广州市某某科技有限公司', certListType: 1, type: 1 } });
    expect(s.info.property.validEnd.toISOString()).toBe(new Date(Math.floor(years(2).getTime() / 1000) * 1000).toISOString());
    const f = sealFacts(s);
    expect(f.makerSignature).toEqual({ ok: true });
  });

  it('the two phases: prepare gives exactly the bytes the maker signs', () => {
    const p = prepareSeal(spec);
    const sig = sm2Sign(makerKey.d, p.toBeSigned);
    const der = assembleSeal(p, signatureToRaw(sig)); // raw r‖s in, DER written
    const s = parseSeal(der);
    expect(toHex(s.infoDer)).toBe(toHex(p.toBeSigned));
    expect(s.signature[0]).toBe(0x30);
    expect(sealFacts(s).makerSignature.ok).toBe(true);
  });

  it('passes the independent checker (ofd-check --seal), and openssl asn1parse shows the STANDARDS.md layout', () => {
    const f = tmp.write('seal.esl', seal);
    const r = openssl(['asn1parse', '-inform', 'DER', '-in', f, '-i']);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/d=1 .*SEQUENCE/); // SES_SealInfo
    expect(r.stdout).toMatch(/IA5STRING\s+:ES/);
    expect(r.stdout).toMatch(/INTEGER\s+:04/);
    expect(r.stdout).toMatch(/GENERALIZEDTIME\s+:\d{14}Z/);
    expect(r.stdout).toMatch(/OBJECT\s+:SM2-with-SM3/);
    const chk = runTool(['python3', CHECKER, '--seal', f]);
    expect(chk.status, chk.out).toBe(0);
  });

  it('an SES_Signature over data: signer signature, certList, dataHash, seal embedded byte for byte; ofd-check --ses agrees', async () => {
    const data = utf8('<ofd:Signature>…</ofd:Signature>');
    const ses = await makeSesSignature({ seal, signTime: years(0.5), dataHash: sm3(data), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: pki.leaf.der }, (tbs) => sm2Sign(pki.leafKey.d, tbs));
    const parsed = parseSesSignature(ses);
    expect(toHex(parsed.sealDer)).toBe(toHex(seal));
    const f = sesSignatureFacts(parsed, { data });
    expect([f.signature.ok, f.signerInCertList.ok, f.dataHash_matches.ok, f.versionConsistent.ok, f.seal.makerSignature.ok]).toEqual([true, true, true, true, true]);
    const chk = runTool(['python3', CHECKER, '--ses', tmp.write('SignedValue.dat', ses), '--data', tmp.write('Signature.xml', data)]);
    expect(chk.status, chk.out).toBe(0);
    // a different original: dataHash fails here and in the checker
    expect(sesSignatureFacts(parsed, { data: utf8('changed') }).dataHash_matches.ok).toBe(false);
    expect(runTool(['python3', CHECKER, '--ses', tmp.path('SignedValue.dat'), '--data', tmp.write('other.xml', 'changed')]).status).not.toBe(0);
  });

  it('TBS_Sign written by the DER writer equals the asn1-schema TBS_Sign declaration, with and without ExtDatas', () => {
    const ext = [{ oid: '1.2.3.4', critical: true, value: utf8('审批') }, { oid: '1.2.3.5', critical: false, value: utf8('x') }];
    for (const extDatas of [undefined, ext]) {
      const p = prepareSesSignature({ seal, signTime: years(0.5), dataHash: sm3(utf8('x')), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: pki.leaf.der, ...(extDatas ? { extDatas } : {}) });
      const viaSchema = new TBS_Sign({
        version: 4,
        eseal: seal.slice().buffer,
        timeInfo: new Date(Math.floor(years(0.5).getTime() / 1000) * 1000),
        dataHash: sm3(utf8('x')).slice().buffer,
        propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml',
        ...(extDatas ? { extDatas: new ExtensionDatas(extDatas.map((e) => new ExtData({ extnID: e.oid, critical: e.critical, extnValue: e.value.slice().buffer }))) } : {}),
      });
      expect(toHex(p.toBeSigned)).toBe(toHex(new Uint8Array(AsnConvert.serialize(viaSchema))));
      const back = parseSesSignature(assembleSesSignature(p, sm2Sign(pki.leafKey.d, p.toBeSigned)));
      expect(back.extDatas).toEqual(extDatas ?? []);
    }
  });

  it('a signer whose certificate is not in the seal is detected', async () => {
    const otherKey = newKey();
    const other = await issue(otherKey, pki.caKey, { subject: 'CN=冒用者,C=CN', issuer: pki.ca });
    const ses = await makeSesSignature({ seal, signTime: years(0.5), dataHash: sm3(utf8('x')), propertyInfo: 'x', signerCertificate: other.der }, (tbs) => sm2Sign(otherKey.d, tbs));
    const f = sesSignatureFacts(parseSesSignature(ses));
    expect(f.signature.ok).toBe(true);
    expect(f.signerInCertList).toMatchObject({ ok: false });
  });

  it('certListType 2 lists SM3 digests and still matches the signer', async () => {
    const seal2 = await makeSeal({ ...spec, certListType: 2 }, (tbs) => sm2Sign(makerKey.d, tbs));
    const s = parseSeal(seal2);
    expect(s.info.property.certDigests[0]).toEqual({ type: 'SM3', value: sm3(pki.leaf.der) });
    const ses = await makeSesSignature({ seal: seal2, signTime: years(0.5), dataHash: sm3(utf8('x')), propertyInfo: 'x', signerCertificate: pki.leaf.der }, (tbs) => sm2Sign(pki.leafKey.d, tbs));
    expect(sesSignatureFacts(parseSesSignature(ses)).signerInCertList.ok).toBe(true);
  });

  it('a flipped bit anywhere in a signed part breaks a signature', () => {
    const s = parseSeal(seal);
    const start = seal.indexOf(s.infoDer[0]);
    let broken = 0;
    for (let i = start + 10; i < start + s.infoDer.length; i += 37) {
      const b = seal.slice();
      b[i] ^= 0x01;
      try {
        if (sealFacts(parseSeal(b)).makerSignature.ok !== true) broken++;
      } catch {
        broken++; // no longer parses: also a failure
      }
    }
    expect(broken).toBe(Math.ceil((s.infoDer.length - 10) / 37));
  });

  it('refuses nonsense seal specs with clear messages', () => {
    expect(() => prepareSeal({ ...spec, validEnd: spec.validStart })).toThrow(/validEnd must be later/);
    expect(() => prepareSeal({ ...spec, esId: '印章' })).toThrow(/esID must be/);
    expect(() => prepareSeal({ ...spec, signerCertificates: [] })).toThrow(/at least one signer/);
    expect(() => prepareSesSignature({ seal, signTime: T0, dataHash: new Uint8Array(5), propertyInfo: 'x', signerCertificate: pki.leaf.der })).toThrow(/32 bytes/);
    void assembleSesSignature;
    void encodePem;
  });
});

import { spawnSync } from 'node:child_process';
function runTool(args: string[]) {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
