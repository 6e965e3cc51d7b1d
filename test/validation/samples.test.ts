/**
 * Every seal and signature in ../shared/samples/seals and extracted/ gets the verdict MANIFEST.md gives,
 * and every failure is explained.
 */
import { describe, expect, it } from 'vitest';
import { verifySeal, verifySesSignature, DEFAULT_POLICY, type ValidationContext, type ValidationReport, type CheckResult } from '../../src/validation/index.js';
import { readPkcs12 } from '../../src/pki/pkcs12/index.js';
import { parseCertificate } from '../../src/pki/index.js';
import { parseSesSignature } from '../../src/ses/parse.js';
import { sample } from '../helpers/openssl.js';

const bytes = (f: string) => new Uint8Array(sample(f));
const ofdrwRoot = parseCertificate(readPkcs12(bytes('keys/ROOT.p12'), '123456').certificates[0].der);
const check = (r: ValidationReport, id: string): CheckResult => {
  const c = r.signatures[0].checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.signatures[0].checks.map((x) => x.id).join(',')}`);
  return c;
};
const ctxAt = (iso: string, anchors = [ofdrwRoot]): ValidationContext => ({ time: new Date(iso), trustAnchors: anchors });

describe('stand-alone seals', () => {
  it('UserV4.esl: maker signature valid; TOTAL_PASSED inside its validity with the ofdrw root trusted', () => {
    const r = verifySeal(bytes('seals/UserV4.esl'), ctxAt('2021-06-01T00:00:00Z'));
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(r.signatures[0].indication).toBe('TOTAL_PASSED');
    expect(r.indication).toBe('TOTAL_PASSED');
    // no revocation data and no status service: reported, as warnings, not failures
    expect(check(r, 'SEAL_MAKER_CERT_REVOCATION')).toMatchObject({ status: 'INDETERMINATE', level: 'WARN' });
    expect(check(r, 'SEAL_STATUS')).toMatchObject({ status: 'INDETERMINATE', level: 'WARN' });
    expect(r.signatures[0].warnings.length).toBeGreaterThan(0);
  });

  it('UserV4.esl today: TOTAL_FAILED because the seal and its maker certificate expired in 2022 — and says so', () => {
    const r = verifySeal(bytes('seals/UserV4.esl'), ctxAt('2026-11-26T00:00:00Z'));
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(r.signatures[0].indication).toBe('TOTAL_FAILED');
    expect(['EXPIRED', 'SEAL_EXPIRED']).toContain(r.signatures[0].subIndication);
    expect(check(r, 'SEAL_VALIDITY_PERIOD')).toMatchObject({ status: 'FAILED', subIndication: 'SEAL_EXPIRED' });
    expect(check(r, 'SEAL_MAKER_CERT_VALIDITY')).toMatchObject({ status: 'FAILED', subIndication: 'EXPIRED' });
    expect(r.signatures[0].summary.zh).toContain('验证失败');
  });

  it('UserV4.esl without trust anchors: INDETERMINATE / SEAL_MAKER_UNTRUSTED', () => {
    const r = verifySeal(bytes('seals/UserV4.esl'), ctxAt('2021-06-01T00:00:00Z', []));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SEAL_MAKER_UNTRUSTED' });
    expect(check(r, 'SEAL_MAKER_TRUSTED').message.en).toContain('no trust anchors were given');
  });

  it('UserV1.esl (GM/T 0031-2014): maker signature valid over SEQUENCE{sealInfo, cert, alg}', () => {
    const r = verifySeal(bytes('seals/UserV1.esl'), ctxAt('2021-06-01T00:00:00Z'));
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(r.signatures[0].info.sealLayout).toBe('v1');
    expect(r.signatures[0].indication).toBe('TOTAL_PASSED');
  });

  it('UserV5.esl: maker signature valid; the maker certificate (expired 2022) predates the seal (2026) and is reported', () => {
    const r = verifySeal(bytes('seals/UserV5.esl'), ctxAt('2026-11-26T00:00:00Z'));
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(check(r, 'SEAL_VALIDITY_PERIOD').status).toBe('PASSED');
    expect(check(r, 'SEAL_MAKER_CERT_VALIDITY')).toMatchObject({ status: 'FAILED', subIndication: 'EXPIRED' });
    expect(r.signatures[0].indication).toBe('TOTAL_FAILED');
  });

  it('UserV5_ts.esl: maker signature valid; the dummy 3-byte time stamp is reported as not a valid time-stamp token', () => {
    const r = verifySeal(bytes('seals/UserV5_ts.esl'), ctxAt('2026-11-26T00:00:00Z'));
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    const ts = check(r, 'SEAL_TIMESTAMP');
    expect(ts).toMatchObject({ status: 'FAILED', subIndication: 'TIMESTAMP_INVALID' });
    expect(ts.message.en).toMatch(/not a valid time-stamp token/);
  });

  it('SESealData_HebeiGede.DER: parses; the maker signature does not verify → TOTAL_FAILED / SEAL_SIGNATURE_INVALID', () => {
    const r = verifySeal(bytes('seals/SESealData_HebeiGede.DER'), ctxAt('2021-01-01T00:00:00Z'));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SEAL_SIGNATURE_INVALID' });
    expect(check(r, 'SEAL_MAKER_SIGNATURE').message.en).toMatch(/does not match/);
    expect(r.signatures[0].info).toMatchObject({ sealName: '测试单位名称 合同专用章', vid: 'Vid HebeiGede' });
  });

  it('garbage is a FORMAT_FAILURE report, not a crash', () => {
    const r = verifySeal(Uint8Array.from([0x30, 0x03, 0x01, 0x01, 0xff]), ctxAt('2021-01-01T00:00:00Z'));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});

describe('electronic signatures', () => {
  it('SignedValueV4.dat: signer signature valid over DER(TBS_Sign); embedded seal valid; dataHash of zeros cannot be compared without the original', () => {
    const r = verifySesSignature(bytes('seals/SignedValueV4.dat'), {}, ctxAt('2021-01-01T00:00:00Z'));
    expect(check(r, 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(check(r, 'SIGNER_IN_SEAL_CERT_LIST').status).toBe('PASSED');
    expect(check(r, 'DATA_HASH')).toMatchObject({ status: 'INDETERMINATE', subIndication: 'SIGNED_DATA_NOT_FOUND' });
    expect(r.signatures[0].info.signingTimeSource).toBe('claimed');
    // with the hash it claims (all zeros), everything passes at the signing time
    const ok = verifySesSignature(bytes('seals/SignedValueV4.dat'), { expectedDataHash: new Uint8Array(32) }, ctxAt('2021-01-01T00:00:00Z'));
    expect(ok.signatures[0].indication).toBe('TOTAL_PASSED');
  });

  it('SignedValueV5.dat: TBS_Sign version 5; signer signature and embedded seal maker signature valid', () => {
    const r = verifySesSignature(bytes('seals/SignedValueV5.dat'), { expectedDataHash: new Uint8Array(32) }, ctxAt('2026-11-26T00:00:00Z'));
    expect(check(r, 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(check(r, 'SIGNATURE_VERSION').status).toBe('PASSED');
  });

  it('the tax bureau signature verifies over Signature.xml, keeping the non-canonical BOOLEAN', () => {
    const sig = parseSesSignature(bytes('extracted/gomain_zj_1.SignedValue.dat'));
    const anchors = [parseCertificate(sig.seal.makerCert), parseCertificate(sig.signerCert)];
    const r = verifySesSignature(bytes('extracted/gomain_zj_1.SignedValue.dat'), { data: bytes('extracted/gomain_zj_1.Signature.xml') }, ctxAt('2026-11-26T00:00:00Z', anchors));
    for (const id of ['SIGNATURE_INTACT', 'SEAL_MAKER_SIGNATURE', 'DATA_HASH', 'SIGNER_IN_SEAL_CERT_LIST', 'SEAL_VALIDITY_PERIOD', 'SIGNER_CERT_VALIDITY']) expect(check(r, id).status, id).toBe('PASSED');
    expect(r.signatures[0].indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info).toMatchObject({ esId: '33010600000001', sealName: '国家税务总局浙江省税务局', signer: '浙江省税务监制章电子证书', signingTime: '2020-07-23T13:09:07.000Z' });
  });

  it('the Shandong signature (raw r‖s, TBS extDatas) verifies; a changed Signature.xml is HASH_FAILURE', () => {
    const f = 'extracted/tongzhi_keyword_Sign_1.SignedValue.dat';
    const r = verifySesSignature(bytes(f), { data: bytes('extracted/tongzhi_keyword_Sign_1.Signature.xml') }, ctxAt('2026-11-26T00:00:00Z'));
    expect(check(r, 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(check(r, 'SEAL_MAKER_SIGNATURE').status).toBe('PASSED');
    expect(check(r, 'DATA_HASH').status).toBe('PASSED');
    const changed = bytes('extracted/tongzhi_keyword_Sign_1.Signature.xml');
    changed[100] ^= 1;
    const bad = verifySesSignature(bytes(f), { data: changed }, ctxAt('2026-11-26T00:00:00Z'));
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('the default policy is data and can be overridden', () => {
    expect(DEFAULT_POLICY.levels.SEAL_MAKER_SIGNATURE).toBe('FAIL');
    expect(DEFAULT_POLICY.levels.SEAL_PICTURE).toBe('WARN');
  });
});
