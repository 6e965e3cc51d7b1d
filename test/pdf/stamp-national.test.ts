/**
 * National profile (SM2, GB/T 35275 SignedData under /adbe.pkcs7.detached): our verifier passes our
 * PDFs; openssl independently verifies the SM2 signature over the signed attributes (ID
 * 1234567812345678) and the SM3 message digest over the ByteRange bytes; qpdf finds no errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2Sign, publicKeyToPem } from '../../src/sm/index.js';
import { toHex } from '../../src/util/bytes.js';
import { completePdfStamp, preparePdfStamp, readPdfSignatures, byteRangeParts, id_aa_eseal_seal, type PdfStampOptions } from '../../src/pdf/index.js';
import { parseSignedData } from '../../src/pki/cms/parse.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { DISTID, openssl, tempDir } from '../helpers/openssl.js';
import { SIGN_TIME, VERIFY_TIME, pdfLibDocument, pdfPki, qpdfCheck, testSeal, writeTemp, type Holder, type PdfPki } from './fixtures.js';
import { concat } from './generators.js';

const tmp = tempDir('eseal-pdf-national-');
afterAll(() => tmp.cleanup());

let pki: PdfPki;
let seals: Uint8Array[];
let doc: Uint8Array;

beforeAll(async () => {
  pki = await pdfPki();
  seals = [
    await testSeal(pki, { signers: [pki.holders[0].cert.der] }),
    await testSeal(pki, { signers: [pki.holders[1].cert.der], type: 'contract', name: '某某贸易有限公司', esId: '44010000000002', picture: 'png' }),
    await testSeal(pki, { signers: [pki.holders[2].cert.der], type: 'legal-rep', name: '李四', esId: '44010000000003' }),
  ];
  doc = await pdfLibDocument(2);
});

async function stamp(pdf: Uint8Array, h: Holder, seal: Uint8Array, opts: Partial<PdfStampOptions> = {}): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, { certificates: [h.cert.der, pki.ca.der], seal, placement: { kind: 'position', page: 1, x: 100, y: 150 }, signingTime: SIGN_TIME, ...opts });
  expect(p.profile).toBe('national');
  expect(p.scheme).toBe('sm2');
  return completePdfStamp(p, sm2Sign(h.key.d, p.toBeSigned));
}

const ctx = () => ({ time: VERIFY_TIME, trustAnchors: [pki.root] });

describe('national profile: SM2 / SM3 / GB/T 35275', () => {
  it('our verifier passes the stamp; the CMS has the GB/T 35275 OIDs, signingTime, messageDigest and the seal', async () => {
    const out = await stamp(doc, pki.holders[0], seals[0]);
    const rep = verifyPdf(out, ctx());
    expect(rep.indication, JSON.stringify(rep.signatures[0].checks.filter((c) => c.status !== 'PASSED' && c.level === 'FAIL'), null, 1)).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info).toMatchObject({ profile: 'national', cms: 'GB/T 35275', subFilter: 'adbe.pkcs7.detached', sealName: '广州市某某科技有限公司', esId: '44010000000001', signer: '某某科技有限公司', page: 1, carriesSeal: true, coversWholeDocument: true });
    expect(rep.signatures[0].info.position).toEqual({ xMm: 100, yMm: 150, widthMm: 42, heightMm: 42 });
    const f = readPdfSignatures(out).signatures[0];
    expect(f.subFilter).toBe('adbe.pkcs7.detached');
    expect(f.filter).toBe('Adobe.PPKLite');
    const cms = parseSignedData(f.contents!, { allowTrailing: true });
    expect(cms.contentInfoType).toBe('1.2.156.10197.6.1.4.2.2');
    expect(cms.eContentType).toBe('1.2.156.10197.6.1.4.2.1');
    const si = cms.signers[0];
    expect(si.digestAlgorithm.oid).toBe('1.2.156.10197.1.401');
    expect(si.signatureAlgorithm.oid).toBe('1.2.156.10197.1.301.1');
    expect(si.signingTime?.toISOString()).toBe(SIGN_TIME.toISOString());
    const oids = si.signedAttributes!.attributes.map((a) => a.oid);
    expect(oids).toEqual(expect.arrayContaining(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.5', id_aa_eseal_seal]));
    expect(toHex(si.signedAttributes!.attributes.find((a) => a.oid === id_aa_eseal_seal)!.values[0])).toBe(toHex(seals[0]));
    expect(cms.certificates.length).toBe(2); // signer + its CA
    expect(qpdfCheck(writeTemp(tmp.dir, 'n1.pdf', out)).status).toBe(0);
  });

  it('openssl verifies the SM2 signature over the signed attributes and the SM3 digest of the ByteRange bytes', async () => {
    const out = await stamp(doc, pki.holders[0], seals[0]);
    const f = readPdfSignatures(out).signatures[0];
    const si = parseSignedData(f.contents!, { allowTrailing: true }).signers[0];
    const attrs = tmp.write('signedattrs.der', si.signedAttributes!.toBeVerified);
    const sig = tmp.write('sig.der', si.signature);
    const pub = tmp.write('pub.pem', publicKeyToPem(pki.holders[0].cert.spki.publicKey));
    const v = openssl(['dgst', '-sm3', '-verify', pub, '-sigopt', DISTID, '-signature', sig, attrs]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('Verified OK');
    // without the distinguishing ID openssl 3.0 (empty ID) must fail: the ID really is 1234567812345678
    expect(openssl(['dgst', '-sm3', '-verify', pub, '-signature', sig, attrs]).status).not.toBe(0);
    // messageDigest = SM3 of the bytes the ByteRange names, computed by openssl
    const signed = tmp.write('signed-bytes.bin', concat(...byteRangeParts(out, f.byteRange!)));
    const d = openssl(['dgst', '-sm3', '-r', signed]).stdout.split(' ')[0];
    expect(d).toBe(toHex(si.messageDigest!));
  });

  it('PKCS#7 with SM2/SM3 OIDs (RFC 5652 flavour) is written on request and verified', async () => {
    const out = await stamp(doc, pki.holders[0], seals[0], { cmsFlavour: 'rfc5652' });
    const cms = parseSignedData(readPdfSignatures(out).signatures[0].contents!, { allowTrailing: true });
    expect(cms.contentInfoType).toBe('1.2.840.113549.1.7.2');
    expect(cms.signers[0].signatureAlgorithm.oid).toBe('1.2.156.10197.1.501');
    const rep = verifyPdf(out, ctx());
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info).toMatchObject({ profile: 'national', cms: 'RFC 5652' });
  });

  it('three seals by three signers in sequence: each verifies, earlier ones see only allowed changes; qpdf is happy', async () => {
    let out = doc;
    out = await stamp(out, pki.holders[0], seals[0], { placement: { kind: 'position', page: 1, x: 60, y: 240 } });
    out = await stamp(out, pki.holders[1], seals[1], { placement: { kind: 'position', page: 1, x: 150, y: 240 } });
    out = await stamp(out, pki.holders[2], seals[2], { placement: { kind: 'cross-page' } });
    const rep = verifyPdf(out, ctx());
    expect(rep.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(rep.signatures.map((s) => s.info.esId)).toEqual(['44010000000001', '44010000000002', '44010000000003']);
    expect(rep.signatures.map((s) => s.info.revision)).toEqual([2, 3, 4]);
    expect(rep.document).toMatchObject({ type: 'pdf', revisions: 4, pageCount: 2 });
    const q = qpdfCheck(writeTemp(tmp.dir, 'n3.pdf', out));
    expect(q.status, q.out).toBe(0);
  });

  it('the seal is a signed attribute: changing it inside /Contents (outside the ByteRange) breaks the signature', async () => {
    const out = await stamp(doc, pki.holders[0], seals[0]);
    const f = readPdfSignatures(out).signatures[0];
    // find the seal's name (UTF-8) in the hex of /Contents and change one byte of it
    const hex = Buffer.from(out.subarray(f.byteRange![1] + 1, f.byteRange![2] - 1)).toString('latin1');
    const nameHex = Buffer.from('广州市某某科技', 'utf8').toString('hex'); // the seal's name, not the signer's CN
    const at = hex.indexOf(nameHex);
    expect(at).toBeGreaterThan(0);
    const bad = out.slice();
    const pos = f.byteRange![1] + 1 + at + 1;
    bad[pos] = bad[pos] === 0x30 ? 0x31 : 0x30;
    const rep = verifyPdf(bad, ctx());
    expect(rep.indication).toBe('TOTAL_FAILED');
    expect(rep.signatures[0].checks.find((c) => c.id === 'SIGNATURE_INTACT')!.status).toBe('FAILED');
  });

  it('a stamp without a seal, or with a seal that does not list the signer, is refused', async () => {
    await expect(preparePdfStamp(doc, { certificates: [pki.holders[0].cert.der], placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME })).rejects.toThrow(/national profile stamps with a seal/);
    await expect(stamp(doc, pki.holders[1], seals[0])).rejects.toMatchObject({ code: 'PDF_SIGNER_NOT_IN_SEAL' });
  });

  it('bad placements are clear errors', async () => {
    await expect(stamp(doc, pki.holders[0], seals[0], { placement: { kind: 'position', page: 3, x: 50, y: 50 } })).rejects.toMatchObject({ code: 'PDF_PAGE_OUT_OF_RANGE' });
    await expect(stamp(doc, pki.holders[0], seals[0], { placement: { kind: 'position', page: 1, x: 500, y: 50 } })).rejects.toMatchObject({ code: 'PDF_PLACEMENT_OUTSIDE' });
    await expect(stamp(doc, pki.holders[0], seals[0], { placement: { kind: 'keyword', keyword: 'NOT-THERE' } })).rejects.toMatchObject({ code: 'PDF_KEYWORD_NOT_FOUND' });
    await expect(stamp(doc, pki.holders[0], seals[0], { placement: { kind: 'cross-page', pages: [2, 5] } })).rejects.toMatchObject({ code: 'PDF_PAGE_OUT_OF_RANGE' });
  });
});

describe('seal ids for the status service', () => {
  it('pdfSealIds lists the esIDs of the carried seals, in order, without duplicates', async () => {
    const { pdfSealIds } = await import('../../src/validation/pdf-document.js');
    let out = await stamp(doc, pki.holders[0], seals[0]);
    out = await stamp(out, pki.holders[1], seals[1], { placement: { kind: 'position', page: 2, x: 100, y: 100 } });
    out = await stamp(out, pki.holders[0], seals[0], { placement: { kind: 'position', page: 2, x: 150, y: 150 } });
    expect(pdfSealIds(out)).toEqual(['44010000000001', '44010000000002']);
    expect(pdfSealIds(new TextEncoder().encode('not a pdf'))).toEqual([]);
  });
});

describe('extra signed attributes', () => {
  it('a use-approval record (用印审批) bound as a signed attribute is shown in the report', async () => {
    const { derTlv, TAG } = await import('../../src/util/der.js');
    const { id_eseal_approval } = await import('../../src/ses/oids.js');
    const record = { approvalId: 'A-2026-0042', approver: '王五', purpose: '合同盖章' };
    const out = await stamp(doc, pki.holders[0], seals[0], { extraSignedAttributes: [{ oid: id_eseal_approval, values: [derTlv(TAG.UTF8_STRING, new TextEncoder().encode(JSON.stringify(record)))] }] });
    const rep = verifyPdf(out, ctx());
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info.approval).toEqual(record);
    expect(rep.signatures[0].checks.find((c) => c.id === 'APPROVAL_RECORD')!.status).toBe('PASSED');
  });
});

describe('signatures made by others', () => {
  it('a PKCS#7 signature without signed attributes (the signature over the ByteRange bytes themselves) verifies', async () => {
    const { prepareSignedData, assembleSignedData } = await import('../../src/pki/cms/build.js');
    const p = await preparePdfStamp(doc, { certificates: [pki.holders[0].cert.der], seal: seals[0], placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME });
    const content = concat(...byteRangeParts(p.pdf, p.byteRange));
    const st = prepareSignedData({ flavour: 'rfc5652', content, signerCertificate: pki.holders[0].cert.der, certificates: [pki.ca.der], signedAttributes: false });
    const der = assembleSignedData(st, sm2Sign(pki.holders[0].key.d, st.toBeSigned));
    const out = p.pdf.slice();
    Buffer.from(Buffer.from(der).toString('hex')).copy(out, p.contentsOffset);
    const rep = verifyPdf(out, ctx());
    expect(rep.signatures[0].checks.find((c) => c.id === 'SIGNATURE_INTACT')!.status).toBe('PASSED');
    expect(rep.signatures[0].checks.find((c) => c.id === 'CMS_MESSAGE_DIGEST')!.status).toBe('PASSED');
    expect(rep.indication).toBe('TOTAL_PASSED');
    expect(rep.signatures[0].info.carriesSeal).toBe(false);
  });
});

describe('document time stamps', () => {
  it('an ETSI.RFC3161 document time stamp (/Type /DocTimeStamp) is verified over its ByteRange', async () => {
    const { issueTimeStamp, makeTsaCertificate } = await import('../../src/ses/timestamp/index.js');
    const { newKey, T0 } = await import('../pki/fixtures.js');
    const { sm3 } = await import('../../src/sm/index.js');
    const { randomSerial } = await import('../../src/pki/index.js');
    const { randomBytes } = await import('../../src/sm/_node.js');
    const tsaKey = newKey();
    const tsaCert = await makeTsaCertificate({ subject: 'CN=eseal Test TSA,C=CN', tsaKey: tsaKey.d, issuer: pki.ca, issuerKey: pki.caKey.d, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: new Date(T0.getTime() + 3 * 365 * 86400_000) });
    const p = await preparePdfStamp(doc, { certificates: [pki.holders[0].cert.der], seal: seals[0], placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME });
    // turn the prepared signature dictionary into a document time stamp, keeping every offset
    const text = Buffer.from(p.pdf).toString('latin1');
    const from = '/Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached';
    const to = '/Type/DocTimeStamp/SubFilter/ETSI.RFC3161'.padEnd(from.length, ' ');
    const at = text.lastIndexOf(from);
    expect(at).toBeGreaterThan(0);
    const out = p.pdf.slice();
    Buffer.from(to, 'latin1').copy(out, at);
    const covered = concat(...byteRangeParts(out, p.byteRange));
    const token = issueTimeStamp({ key: tsaKey.d, certificate: tsaCert.der, chain: [pki.ca.der], hashAlgorithm: 'sm3', hashedMessage: sm3(covered), policy: '1.2.3.4', serialNumber: Uint8Array.of(7), genTime: SIGN_TIME });
    Buffer.from(Buffer.from(token).toString('hex')).copy(out, p.contentsOffset);
    const rep = verifyPdf(out, ctx());
    expect(rep.signatures[0].info.profile).toBe('document-timestamp');
    expect(rep.signatures[0].checks.find((c) => c.id === 'SIGNATURE_TIMESTAMP')!.status).toBe('PASSED');
    expect(rep.indication).toBe('TOTAL_PASSED');
    // and a changed byte fails it
    const bad = out.slice();
    bad[100] ^= 1;
    expect(verifyPdf(bad, ctx()).signatures[0].checks.find((c) => c.id === 'SIGNATURE_TIMESTAMP')!.status).toBe('FAILED');
  });
});
