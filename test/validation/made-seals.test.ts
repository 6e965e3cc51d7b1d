/**
 * The verdicts of the seals issue's "Done means", on seals and signatures we make: a flipped bit in a
 * signed part, a wrong maker, an expired seal, a signer not in the certList, revocation and seal status.
 */
import { describe, expect, it } from 'vitest';
import { makeSeal, makeSesSignature, parseSeal, parseSesSignature, type SealSpec } from '../../src/ses/index.js';
import { sm2Sign, sm3 } from '../../src/sm/index.js';
import { prepareCrl, assembleCrl } from '../../src/pki/index.js';
import { utf8 } from '../../src/util/bytes.js';
import { verifySeal, verifySesSignature, type ValidationContext, type ValidationReport } from '../../src/validation/index.js';
import { makePki, newKey, issue, years } from '../pki/fixtures.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0xc2, 0, 0, 1, 0xc2, 8, 6, 0, 0, 0]);
const verdict = (r: ValidationReport) => [r.signatures[0].indication, r.signatures[0].subIndication];

describe('verdicts on seals and signatures we make', async () => {
  const pki = await makePki();
  const makerKey = newKey();
  const maker = await issue(makerKey, pki.caKey, { subject: 'CN=制章系统,C=CN', issuer: pki.ca });
  const spec: SealSpec = {
    vid: 'eseal', esId: '44010000000009', type: 4, name: '广州市某某科技有限公司', signerCertificates: [pki.leaf.der],
    createDate: years(0.1), validStart: years(0.1), validEnd: years(1.5), picture: { type: 'PNG', data: PNG, widthMm: 38, heightMm: 38 }, makerCertificate: maker.der,
  };
  const seal = await makeSeal(spec, (tbs) => sm2Sign(makerKey.d, tbs));
  const data = utf8('<ofd:Signature/>');
  const ses = await makeSesSignature({ seal, signTime: years(0.5), dataHash: sm3(data), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: pki.leaf.der }, (tbs) => sm2Sign(pki.leafKey.d, tbs));
  const ctx: ValidationContext = { time: years(0.6), trustAnchors: [pki.root], intermediates: [pki.ca] };

  it('intact: TOTAL_PASSED', () => {
    expect(verdict(verifySeal(seal, ctx))).toEqual(['TOTAL_PASSED', undefined]);
    expect(verdict(verifySesSignature(ses, { data }, ctx))).toEqual(['TOTAL_PASSED', undefined]);
  });

  it('a flipped bit anywhere in the seal information: TOTAL_FAILED (SEAL_SIGNATURE_INVALID, or FORMAT_FAILURE when it no longer parses)', () => {
    const info = parseSeal(seal).infoDer;
    const start = seal.indexOf(info[0]);
    for (let i = start; i < start + info.length; i += 13) {
      const b = seal.slice();
      b[i] ^= 0x10;
      const [ind, sub] = verdict(verifySeal(b, ctx));
      expect(ind, `byte ${i}`).toBe('TOTAL_FAILED');
      expect(['SEAL_SIGNATURE_INVALID', 'FORMAT_FAILURE', 'SEAL_EXPIRED', 'SEAL_NOT_YET_VALID', 'SEAL_MAKER_UNTRUSTED'], `byte ${i}`).toContain(sub);
    }
  });

  it('a flipped bit in TBS_Sign outside the seal: SIG_CRYPTO_FAILURE; in dataHash (vs the original): HASH_FAILURE first', () => {
    const p = parseSesSignature(ses);
    const tbsAt = 4;
    const sealEnd = ses.indexOf(p.sealDer[0], tbsAt) + p.sealDer.length;
    for (let i = sealEnd; i < tbsAt + p.tbsDer.length; i += 3) {
      const b = ses.slice();
      b[i] ^= 0x01;
      const r = verifySesSignature(b, { data }, ctx);
      expect(r.signatures[0].indication, `byte ${i}`).toBe('TOTAL_FAILED');
      expect(['SIG_CRYPTO_FAILURE', 'HASH_FAILURE', 'FORMAT_FAILURE'], `byte ${i}`).toContain(r.signatures[0].subIndication);
      if (r.signatures[0].subIndication !== 'FORMAT_FAILURE') expect(r.signatures[0].checks.find((c) => c.id === 'SIGNATURE_INTACT')?.status, `byte ${i}`).toBe('FAILED');
    }
  });

  it('a wrong maker (not under any trust anchor): INDETERMINATE / SEAL_MAKER_UNTRUSTED', async () => {
    const otherKey = newKey();
    const other = await issue(otherKey, otherKey, { subject: 'CN=野制章,C=CN', ca: {} });
    const forged = await makeSeal({ ...spec, makerCertificate: other.der }, (tbs) => sm2Sign(otherKey.d, tbs));
    expect(verdict(verifySeal(forged, ctx))).toEqual(['INDETERMINATE', 'SEAL_MAKER_UNTRUSTED']);
    // and a seal whose cert field names our maker but is signed by another key
    const swapped = await makeSeal(spec, (tbs) => sm2Sign(otherKey.d, tbs));
    expect(verdict(verifySeal(swapped, ctx))).toEqual(['TOTAL_FAILED', 'SEAL_SIGNATURE_INVALID']);
  });

  it('expired and not-yet-valid seals; a signature made after the seal expired', async () => {
    expect(verdict(verifySeal(seal, { ...ctx, time: years(1.6) }))).toEqual(['TOTAL_FAILED', 'SEAL_EXPIRED']);
    expect(verdict(verifySeal(seal, { ...ctx, time: years(0.05) }))).toEqual(['TOTAL_FAILED', 'SEAL_NOT_YET_VALID']);
    const late = await makeSesSignature({ seal, signTime: years(1.7), dataHash: sm3(data), propertyInfo: 'x', signerCertificate: pki.leaf.der }, (tbs) => sm2Sign(pki.leafKey.d, tbs));
    expect(verdict(verifySesSignature(late, { data }, { ...ctx, time: years(1.8) }))).toEqual(['TOTAL_FAILED', 'SEAL_EXPIRED']);
  });

  it('a signer not in the seal\'s certList: TOTAL_FAILED / SIGNER_NOT_IN_SEAL_CERT_LIST', async () => {
    const k = newKey();
    const c = await issue(k, pki.caKey, { subject: 'CN=冒用者,C=CN', issuer: pki.ca });
    const s = await makeSesSignature({ seal, signTime: years(0.5), dataHash: sm3(data), propertyInfo: 'x', signerCertificate: c.der }, (tbs) => sm2Sign(k.d, tbs));
    expect(verdict(verifySesSignature(s, { data }, ctx))).toEqual(['TOTAL_FAILED', 'SIGNER_NOT_IN_SEAL_CERT_LIST']);
  });

  it('revocation: a maker certificate revoked before the signing time fails; revoked after it, the signature stands', () => {
    const crlFor = (when: Date) => {
      const p = prepareCrl({ issuer: pki.ca, thisUpdate: years(0.55), nextUpdate: years(2), crlNumber: 1, revoked: [{ serialNumber: maker.serialNumber, revocationDate: when, reason: 'keyCompromise' }] });
      return assembleCrl(p, sm2Sign(pki.caKey.d, p.tbs));
    };
    expect(verdict(verifySesSignature(ses, { data }, { ...ctx, crls: [crlFor(years(0.4))] }))).toEqual(['TOTAL_FAILED', 'REVOKED']);
    expect(verdict(verifySesSignature(ses, { data }, { ...ctx, crls: [crlFor(years(0.55))] }))).toEqual(['TOTAL_PASSED', undefined]);
  });

  it('seal status from the status service at the signing time: revoked before → SEAL_REVOKED, suspended → SEAL_SUSPENDED, revoked after → passes', () => {
    const status = (history: { status: 'revoked' | 'suspended' | 'active'; from: Date }[]) => ({ ...ctx, sealStatus: (esId: string) => (esId === '44010000000009' ? { esId, history } : undefined) });
    expect(verdict(verifySesSignature(ses, { data }, status([{ status: 'revoked', from: years(0.3) }])))).toEqual(['TOTAL_FAILED', 'SEAL_REVOKED']);
    expect(verdict(verifySesSignature(ses, { data }, status([{ status: 'suspended', from: years(0.3) }])))).toEqual(['TOTAL_FAILED', 'SEAL_SUSPENDED']);
    const after = verifySesSignature(ses, { data }, status([{ status: 'revoked', from: years(0.55) }]));
    expect(verdict(after)).toEqual(['TOTAL_PASSED', undefined]);
    expect(after.signatures[0].checks.find((c) => c.id === 'SEAL_STATUS')?.status).toBe('PASSED');
  });
});
