/**
 * Every OFD in ../shared/samples/ofd gets the verdict MANIFEST.md gives, with its reasons; the
 * independent checker (ofd-check: Python + openssl) agrees on the reference digests.
 * Trust anchors: the ofdrw ROOT.p12 for the ofdrw files; the documents' own maker and signer
 * certificates for the vendor files (their CA roots are not public), so every other check counts.
 */
import { describe, expect, it } from 'vitest';
import { readPkcs12 } from '../../src/pki/pkcs12/index.js';
import { parseCertificate, type Certificate } from '../../src/pki/index.js';
import { ofdFacts } from '../../src/ofd/facts.js';
import { readOfd } from '../../src/ofd/package.js';
import { verifyOfd, type VerifyOfdOptions } from '../../src/validation/ofd-document.js';
import type { CheckResult, SignatureReport, ValidationContext } from '../../src/validation/index.js';
import { loadDocumentFont } from '../../src/storage/assets.js';
import { sample } from '../helpers/openssl.js';
import { ofdCheck } from './helpers.js';
import { join } from 'node:path';
import { SAMPLES } from '../helpers/openssl.js';

const bytes = (f: string) => new Uint8Array(sample(f));
const ofdrwRoot = parseCertificate(readPkcs12(bytes('keys/ROOT.p12'), '123456').certificates[0].der);
const userCert = parseCertificate(readPkcs12(bytes('keys/USER.p12'), '777777').certificates[0].der);
const opts: VerifyOfdOptions = { fallbackFont: loadDocumentFont() };

const check = (s: SignatureReport, id: string): CheckResult => {
  const c = s.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${s.checks.map((x) => x.id).join(',')}`);
  return c;
};
const ctxAt = (iso: string, anchors: Certificate[], intermediates: Certificate[] = []): ValidationContext => ({ time: new Date(iso), trustAnchors: anchors, intermediates });

/** the document's own maker and signer certificates, trusted directly */
function ownCertificates(file: string): Certificate[] {
  const f = ofdFacts(bytes(file));
  const out: Certificate[] = [];
  for (const s of f.signatures) {
    if (s.ses) out.push(parseCertificate(s.ses.seal.makerCert), parseCertificate(s.ses.signerCert));
    for (const der of s.cms?.parsed.certificates ?? []) out.push(parseCertificate(der));
  }
  return out;
}

describe('OFD samples get the MANIFEST verdicts', () => {
  it('invoice_gomain_zj_1.ofd (Zhejiang tax e-invoice): 13 references, dataHash, signer and maker signatures valid; TOTAL_PASSED at the signing time with its certificates trusted', () => {
    const file = 'ofd/invoice_gomain_zj_1.ofd';
    const r = verifyOfd(bytes(file), ctxAt('2020-07-24T00:00:00Z', ownCertificates(file)), undefined, opts);
    expect(r.indication).toBe('TOTAL_PASSED');
    const s = r.signatures[0];
    expect(check(s, 'DOC_REFERENCES').message.en).toContain('all 13 protected files are unchanged');
    for (const id of ['DATA_HASH', 'SIGNATURE_INTACT', 'SEAL_MAKER_SIGNATURE', 'SIGNER_IN_SEAL_CERT_LIST']) expect(check(s, id).status, id).toBe('PASSED');
    expect(s.info).toMatchObject({ esId: '33010600000001', sealName: '国家税务总局浙江省税务局', signer: '浙江省税务监制章电子证书', maker: '国家税务总局电子印章制作系统', signingTime: '2020-07-23T13:09:07.000Z' });
    expect(s.info.stamps).toEqual([{ id: '1', page: 1, pageRef: '1', boundary: { x: 90, y: 8, w: 30, h: 20 } }]);
    // the seal picture is itself an OFD: rendered to SVG for the web UI
    expect((s.info.picture as { dataUrl: string }).dataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(ofdCheck(join(SAMPLES, file)).status).toBe(0);
  });

  it('invoice_gomain_zj_1.ofd without trust anchors: INDETERMINATE (the tax CA is unknown), every cryptographic check still passes', () => {
    const r = verifyOfd(bytes('ofd/invoice_gomain_zj_1.ofd'), ctxAt('2020-07-24T00:00:00Z', []), undefined, opts);
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(check(r.signatures[0], 'DOC_REFERENCES').status).toBe('PASSED');
  });

  it('gomain_sign35275_testImageNotFound.ofd: two Type="Sign" GB/T 35275 signatures (variant a), references match, messageDigest = SM3(Signature.xml)', () => {
    const file = 'ofd/gomain_sign35275_testImageNotFound.ofd';
    const r = verifyOfd(bytes(file), ctxAt('2022-11-02T00:00:00Z', ownCertificates(file)), undefined, opts);
    expect(r.signatures).toHaveLength(2);
    for (const s of r.signatures) {
      expect(s.kind).toBe('ofd-sign');
      expect(s.info.variant).toBe('a');
      for (const id of ['DOC_REFERENCES', 'CMS_MESSAGE_DIGEST', 'SIGNATURE_INTACT']) expect(check(s, id).status, `${s.id} ${id}`).toBe('PASSED');
      expect(s.indication).toBe('TOTAL_PASSED');
    }
    expect(r.signatures[1].checks.find((c) => c.id === 'DOC_REFERENCES')!.message.en).toContain('19 protected files');
    // the checker agrees on the references; it cannot verify SM2 CMS (exit 3 = unsupported)
    const c = ofdCheck(join(SAMPLES, file));
    expect(c.out).toMatch(/PASS references \(14/);
    expect(c.status).toBe(3);
  });

  it('tongzhi_keyword.ofd (Shandong, edited after signing): signatures and dataHash valid, but 3 references per signature changed → TOTAL_FAILED naming the files', () => {
    const file = 'ofd/tongzhi_keyword.ofd';
    const r = verifyOfd(bytes(file), ctxAt('2020-06-21T00:00:00Z', ownCertificates(file)), undefined, opts);
    expect(r.indication).toBe('TOTAL_FAILED');
    const [seal, sign] = r.signatures;
    expect(seal.kind).toBe('ofd-seal');
    expect(seal).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    expect(seal.info.changedFiles).toEqual(['/OFD.xml', '/Doc_0/Document.xml', '/Doc_0/Pages/Page_0/Content.xml']);
    expect(check(seal, 'DOC_REFERENCES').message.en).toBe('the document was modified after signing — changed: /OFD.xml, /Doc_0/Document.xml, /Doc_0/Pages/Page_0/Content.xml');
    // raw r‖s signer signature and TBS_Sign extDatas [0] are accepted
    for (const id of ['SIGNATURE_INTACT', 'DATA_HASH', 'SEAL_MAKER_SIGNATURE', 'DOC_SEAL_FILE']) expect(check(seal, id).status, id).toBe('PASSED');
    // Sign_3: GB/T 35275 attached (variant b), raw r‖s
    expect(sign).toMatchObject({ kind: 'ofd-sign', indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    expect(sign.info.variant).toBe('b');
    expect(check(sign, 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(check(sign, 'DATA_HASH').status).toBe('PASSED');
    expect(sign.info.changedFiles).toHaveLength(3);
    // the checker also sees the 3 changed files
    expect(ofdCheck(join(SAMPLES, file)).out).toContain('FAIL references (7, CheckMethod=SM3, openssl/hashlib) -- /OFD.xml, /Doc_0/Document.xml, /Doc_0/Pages/Page_0/Content.xml');
  });

  it('ofdrw_SESV4SignDoc.ofd: references, Seal.esl, signatures all valid; its signing time (2026) is after the test certificates expired (2022), which the report says', () => {
    const r = verifyOfd(bytes('ofd/ofdrw_SESV4SignDoc.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot]), undefined, opts);
    const s = r.signatures[0];
    for (const id of ['DOC_REFERENCES', 'DOC_SEAL_FILE', 'DATA_HASH', 'SIGNATURE_INTACT', 'SEAL_MAKER_SIGNATURE', 'SIGNER_IN_SEAL_CERT_LIST', 'SIGNER_TRUSTED']) expect(check(s, id).status, id).toBe('PASSED');
    expect(s).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'EXPIRED' });
    expect(check(s, 'SIGNER_CERT_VALIDITY').message.en).toMatch(/expired at 2022-04-21/);
    // judged at a time inside the validity (policy: validation time), it passes
    const ok = verifyOfd(bytes('ofd/ofdrw_SESV4SignDoc.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot]), POLICY_AT_VALIDATION_TIME, opts);
    expect(ok.indication).toBe('TOTAL_PASSED');
    expect(ofdCheck(join(SAMPLES, 'ofd/ofdrw_SESV4SignDoc.ofd')).status).toBe(0);
  });

  it('ofdrw_allprotected.ofd: all valid; Signatures.xml is protected, so the document is locked', () => {
    const r = verifyOfd(bytes('ofd/ofdrw_allprotected.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot]), undefined, opts);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info.locksDocument).toBe(true);
    expect(ofdCheck(join(SAMPLES, 'ofd/ofdrw_allprotected.ofd')).status).toBe(0);
  });

  it('ofdrw_V4RideRight.ofd: cross-page seal, one StampAnnot with Clip per page; all valid', () => {
    const r = verifyOfd(bytes('ofd/ofdrw_V4RideRight.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot]), undefined, opts);
    expect(r.indication).toBe('TOTAL_PASSED');
    const stamps = r.signatures[0].info.stamps as { page: number; clip: { x: number; w: number } }[];
    expect(stamps.map((s) => s.page)).toEqual([1, 2, 3, 4, 5]);
    expect(stamps.map((s) => s.clip.x)).toEqual([0, 8, 16, 24, 32]);
    expect(ofdCheck(join(SAMPLES, 'ofd/ofdrw_V4RideRight.ofd')).status).toBe(0);
  });

  it('ofdrw_DigitalSign.ofd: bare SM2 signature (variant c) valid with USER.p12\'s certificate; without it, INDETERMINATE with the reason', () => {
    const r = verifyOfd(bytes('ofd/ofdrw_DigitalSign.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot], [userCert]), undefined, opts);
    const s = r.signatures[0];
    expect(s.info.variant).toBe('c');
    expect(check(s, 'SIGNATURE_INTACT').status).toBe('PASSED');
    expect(check(s, 'DOC_REFERENCES').status).toBe('PASSED');
    expect(s.indication).toBe('TOTAL_PASSED');
    const none = verifyOfd(bytes('ofd/ofdrw_DigitalSign.ofd'), ctxAt('2021-06-01T00:00:00Z', [ofdrwRoot]), undefined, opts);
    expect(none.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(check(none.signatures[0], 'SIGNATURE_INTACT').message.en).toMatch(/none of the 1 given certificate/);
  });

  it('helloworld_unsigned.ofd: no signatures (NO_SIGNATURE_FOUND), and readable: 1 page, 4 files', () => {
    const r = verifyOfd(bytes('ofd/helloworld_unsigned.ofd'), ctxAt('2021-06-01T00:00:00Z', []), undefined, opts);
    expect(r.indication).toBe('NO_SIGNATURE_FOUND');
    const pkg = readOfd(bytes('ofd/helloworld_unsigned.ofd'));
    expect(pkg.files).toHaveLength(4);
    expect(pkg.document().pages).toHaveLength(1);
  });

  it('both namespace spellings and relative/absolute ST_Loc are read (tongzhi mixes http://www.ofdspec.org and /2016; gomain uses a relative SignedValue)', () => {
    const f = ofdFacts(bytes('ofd/gomain_sign35275_testImageNotFound.ofd'));
    expect(f.signatures[1].description!.signedValuePath).toBe('Doc_0/Signs/Sign_1/SignedValue.dat');
    expect(readOfd(bytes('ofd/tongzhi_keyword.ofd')).document().res.fonts.get('7')!.file).toBe('Doc_0/Res/Font7.ttf');
  });
});

const POLICY_AT_VALIDATION_TIME = (await import('../../src/validation/policy.js')).makePolicy({ signingTime: 'validation-time' });
