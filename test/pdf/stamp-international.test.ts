/**
 * International profile (PAdES, RSA / ECDSA P-256 with SHA-256): judged by pdfsig (NSS) and qpdf
 * through ../shared/tools/pdf-check, and by our own verifier. Two and three seals in sequence keep
 * every earlier signature valid; a byte flipped in a signed range breaks it for both judges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { PROFILES } from '../../src/pki/index.js';
import { assembleTimeStampToken, prepareTimeStampToken } from '../../src/ses/timestamp/index.js';
import { completePdfStamp, preparePdfStamp, sealAppearance, type PdfStampOptions } from '../../src/pdf/index.js';
import { parseSignedData } from '../../src/pki/cms/parse.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { issueFor, newAnyKey, signBytes, signPrepared } from '../fixtures/cms/keys.js';
import { tempDir } from '../helpers/openssl.js';
import { SIGN_TIME, VERIFY_TIME, pdfCheck, pdfLibDocument, pdfPki, pem, testSeal, writeTemp, type ForeignSigner, type PdfPki } from './fixtures.js';
import { readPdfSignatures } from '../../src/pdf/extract.js';

const tmp = tempDir('eseal-pdf-intl-');
afterAll(() => tmp.cleanup());

let pki: PdfPki;
let seal: Uint8Array;
let doc1: Uint8Array;
let doc3: Uint8Array;

beforeAll(async () => {
  pki = await pdfPki();
  seal = await testSeal(pki, { signers: [pki.holders[0].cert.der, pki.rsa.cert.der, pki.ec.cert.der] });
  doc1 = await pdfLibDocument(1);
  doc3 = await pdfLibDocument(3);
});

async function stamp(pdf: Uint8Array, s: ForeignSigner, opts: Partial<PdfStampOptions> = {}, ts?: (sig: Uint8Array) => Uint8Array): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, {
    profile: 'international',
    certificates: [s.cert.der, s.root.der],
    seal,
    placement: { kind: 'position', page: 1, x: 105, y: 200 },
    signingTime: SIGN_TIME,
    reason: 'Approved',
    location: 'Guangzhou',
    ...(ts ? { timeStampReserve: 8192 } : {}),
    ...opts,
  });
  expect(p.digestAlgorithm).toBe('sha256');
  const sig = signBytes(s.key, p.toBeSigned, p.digestAlgorithm);
  return completePdfStamp(p, sig, ts ? { timeStampToken: ts(sig) } : {});
}

// the seal maker's CA is not in the PAdES signature: the verifier is given it
const ctx = () => ({ time: VERIFY_TIME, trustAnchors: [pki.root, pki.rsa.root, pki.ec.root], intermediates: [pki.ca] });

function check(name: string, pdf: Uint8Array, expected: number) {
  const f = writeTemp(tmp.dir, name, pdf);
  const r = pdfCheck(f, [tmp.write(`${name}.rsa.pem`, pem(pki.rsa.root.der)), tmp.write(`${name}.ec.pem`, pem(pki.ec.root.der))]);
  expect(r.status, r.out).toBe(0);
  expect(r.out).toContain(`pdfsig: PASS (${expected}/${expected} signatures valid)`);
  expect(r.out).toContain('trust: PASS');
  return r;
}

describe('PAdES stamps pass pdfsig and qpdf', () => {
  it('one RSA seal: pdf-check passes, the whole document is signed, our verifier agrees', async () => {
    const out = await stamp(doc1, pki.rsa);
    const r = check('rsa1.pdf', out, 1);
    expect(r.out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(r.out).toContain('Total document signed');
    const rep = verifyPdf(out, ctx());
    expect(rep.indication, JSON.stringify(rep.signatures[0].checks.filter((c) => c.status !== 'PASSED'), null, 1)).toBe('TOTAL_PASSED');
    const info = rep.signatures[0].info;
    expect(info).toMatchObject({ profile: 'international', sealName: '广州市某某科技有限公司', esId: '44010000000001', signer: 'Acme Signer RSA', page: 1, reason: 'Approved', location: 'Guangzhou', coversWholeDocument: true, carriesSeal: true });
    expect(info.pades).toEqual({ level: 'B-B', signingCertificateV2: true });
    expect(info.position).toEqual({ xMm: 105, yMm: 200, widthMm: 42, heightMm: 42 });
    // PAdES baseline: ESS signing-certificate-v2 present, no signing-time attribute
    const f = readPdfSignatures(out).signatures[0];
    const cms = parseSignedData(f.contents!, { allowTrailing: true });
    const oids = cms.signers[0].signedAttributes!.attributes.map((a) => a.oid);
    expect(oids).toContain('1.2.840.113549.1.9.16.2.47');
    expect(oids).not.toContain('1.2.840.113549.1.9.5');
  });

  it('two and three seals in sequence (RSA, P-256, RSA): every signature stays valid', async () => {
    const a = await stamp(doc3, pki.rsa, { placement: { kind: 'position', page: 1, x: 60, y: 250 } });
    const b = await stamp(a, pki.ec, { placement: { kind: 'position', page: 2, x: 150, y: 250 } });
    check('two.pdf', b, 2);
    const c = await stamp(b, pki.rsa2, { placement: { kind: 'cross-page' }, seal: await testSeal(pki, { signers: [pki.rsa2.cert.der], name: '某某律师事务所', esId: '44010000000003' }) });
    const r = check('three.pdf', c, 3);
    expect((r.out.match(/Not total document signed/g) ?? []).length).toBe(2);
    const rep = verifyPdf(c, ctx());
    expect(rep.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(rep.signatures.map((s) => s.info.signer)).toEqual(['Acme Signer RSA', 'Acme Signer P-256', 'Second Signer RSA']);
    // the later seals are reported as allowed changes for the first signature
    const mod = rep.signatures[0].checks.find((x) => x.id === 'DOC_MODIFIED_AFTER_SIGNING')!;
    expect(mod.status).toBe('PASSED');
    expect(JSON.stringify(mod.details)).toContain('"kind":"signature"');
    expect(rep.signatures[2].info.widgets).toHaveLength(3); // 骑缝章: one strip per page
  });

  it('a certification signature (DocMDP P=1) is valid for pdfsig and reported as such', async () => {
    const out = await stamp(doc1, pki.ec, { certify: true });
    check('certified.pdf', out, 1);
    const rep = verifyPdf(out, ctx());
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info.certification).toEqual({ docMdp: 1 });
  });

  it('a byte flipped inside a signed range makes pdfsig and our verifier fail', async () => {
    const out = await stamp(doc1, pki.rsa);
    const f = readPdfSignatures(out).signatures[0];
    const bad = out.slice();
    // a byte in the page content stream area (first range, well before /Contents)
    const at = Math.floor(f.byteRange![1] / 3);
    bad[at] ^= 0x01;
    const file = writeTemp(tmp.dir, 'flipped.pdf', bad);
    const r = pdfCheck(file);
    expect(r.status).not.toBe(0);
    expect(r.out).not.toContain('Signature Validation: Signature is Valid.');
    const rep = verifyPdf(bad, ctx());
    expect(rep.indication).toBe('TOTAL_FAILED');
    expect(rep.signatures[0].checks.find((c) => c.id === 'CMS_MESSAGE_DIGEST')!.status).toBe('FAILED');
    // and one flipped in the second range (after /Contents)
    const bad2 = out.slice();
    bad2[f.byteRange![2] + 5] ^= 0x20;
    expect(verifyPdf(bad2, ctx()).indication).toBe('TOTAL_FAILED');
    expect(pdfCheck(writeTemp(tmp.dir, 'flipped2.pdf', bad2)).status).not.toBe(0);
  });

  it('PAdES B-T: a signature time stamp (RSA TSA, SHA-256 imprint) is embedded and verified', async () => {
    const tsaKey = newAnyKey('rsa');
    const tsaRootKey = newAnyKey('rsa');
    const tsaRoot = await issueFor(tsaRootKey, tsaRootKey, { subject: 'CN=eseal Test TSA Root,C=CN', ...PROFILES.rootCa });
    const tsaCert = await issueFor(tsaKey, tsaRootKey, { subject: 'CN=eseal Test TSA,C=CN', issuer: tsaRoot, ...PROFILES.tsa });
    const ts = (sig: Uint8Array) => {
      const st = prepareTimeStampToken({
        hashAlgorithm: 'sha256',
        hashedMessage: new Uint8Array(createHash('sha256').update(sig).digest()),
        policy: '1.2.3.4.1',
        serialNumber: Uint8Array.of(1, 2, 3),
        genTime: new Date(SIGN_TIME.getTime() + 1000),
        tsaCertificate: tsaCert.der,
        certificates: [tsaRoot.der],
      });
      return assembleTimeStampToken(st, signPrepared(tsaKey, st));
    };
    const out = await stamp(doc1, pki.rsa, {}, ts);
    check('bt.pdf', out, 1);
    const rep = verifyPdf(out, { ...ctx(), trustAnchors: [pki.root, pki.rsa.root, tsaRoot] });
    expect(rep.indication).toBe('TOTAL_PASSED');
    const s = rep.signatures[0];
    expect(s.info.pades).toMatchObject({ level: 'B-T' });
    expect(s.info.signingTimeSource).toBe('timestamp');
    expect(s.checks.find((c) => c.id === 'SIGNATURE_TIMESTAMP')!.status).toBe('PASSED');
  });

  it('without a seal, the international profile draws a given appearance and carries no seal', async () => {
    const p = await preparePdfStamp(doc1, {
      profile: 'international',
      certificates: [pki.ec.cert.der],
      appearance: sealAppearance({ type: 'SVG', data: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="none" stroke="#E60012"/></svg>'), widthMm: 30, heightMm: 30 }),
      placement: { kind: 'position', page: 1, x: 50, y: 50 },
      signingTime: SIGN_TIME,
    });
    const out = completePdfStamp(p, signBytes(pki.ec.key, p.toBeSigned, 'sha256'));
    check('noseal.pdf', out, 1);
    const rep = verifyPdf(out, ctx());
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info.carriesSeal).toBe(false);
  });

  it('refuses what would be wrong: SM2 cert in the international profile, RSA cert in the national one, a signer the seal does not list', async () => {
    await expect(preparePdfStamp(doc1, { profile: 'international', certificates: [pki.holders[0].cert.der], seal, placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME })).rejects.toMatchObject({ code: 'PDF_PROFILE_MISMATCH' });
    await expect(preparePdfStamp(doc1, { profile: 'national', certificates: [pki.rsa.cert.der], seal, placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME })).rejects.toMatchObject({ code: 'PDF_PROFILE_MISMATCH' });
    await expect(preparePdfStamp(doc1, { profile: 'international', certificates: [pki.rsa2.cert.der], seal, placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME })).rejects.toMatchObject({ code: 'PDF_SIGNER_NOT_IN_SEAL' });
    // a wrong key is caught before embedding
    const p = await preparePdfStamp(doc1, { profile: 'international', certificates: [pki.rsa.cert.der], seal, placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME });
    expect(() => completePdfStamp(p, signBytes(pki.rsa2.key, p.toBeSigned, 'sha256'))).toThrow(/does not verify/);
  });
});
