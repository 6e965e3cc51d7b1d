/**
 * PDFs made by others: LibreOffice, Chromium's print-to-PDF, pdf-lib (object streams and a
 * cross-reference stream, or a classic table), @cantoo/pdf-lib incremental saves (several revisions),
 * qpdf's object-stream and linearized rewrites, a hybrid-reference file, and encrypted files.
 * Each stamps and verifies; the international stamps pass pdf-check (pdfsig + qpdf).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { sm2Sign } from '../../src/sm/index.js';
import { completePdfStamp, openPdf, preparePdfStamp, readPdfSignatures, type PdfPlacement } from '../../src/pdf/index.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { signBytes } from '../fixtures/cms/keys.js';
import { tempDir } from '../helpers/openssl.js';
import { SIGN_TIME, VERIFY_TIME, fixture, pdfCheck, pdfLibDocument, pdfPki, qpdfCheck, run, testSeal, writeTemp, type PdfPki } from './fixtures.js';
import { hybridPdf } from './generators.js';

const tmp = tempDir('eseal-pdf-foreign-');
afterAll(() => tmp.cleanup());

let pki: PdfPki;
let seal: Uint8Array;

beforeAll(async () => {
  pki = await pdfPki();
  seal = await testSeal(pki, { signers: [pki.holders[0].cert.der, pki.rsa.cert.der] });
});

async function national(pdf: Uint8Array, placement: PdfPlacement): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, { certificates: [pki.holders[0].cert.der, pki.ca.der], seal, placement, signingTime: SIGN_TIME });
  return completePdfStamp(p, sm2Sign(pki.holders[0].key.d, p.toBeSigned));
}

async function international(pdf: Uint8Array, placement: PdfPlacement): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, { profile: 'international', certificates: [pki.rsa.cert.der, pki.rsa.root.der], seal, placement, signingTime: SIGN_TIME });
  return completePdfStamp(p, signBytes(pki.rsa.key, p.toBeSigned, 'sha256'));
}

const ctx = () => ({ time: VERIFY_TIME, trustAnchors: [pki.root, pki.rsa.root], intermediates: [pki.ca] });

/** Both profiles in sequence on `pdf`; pdfsig validates the PAdES one, our verifier both, qpdf the structure. */
async function stampBoth(name: string, pdf: Uint8Array, placement: PdfPlacement, second: PdfPlacement = { kind: 'cross-page' }) {
  const a = await international(pdf, placement);
  const chk = pdfCheck(writeTemp(tmp.dir, `${name}-intl.pdf`, a));
  expect(chk.status, chk.out).toBe(0);
  const b = await national(a, second);
  // qpdf: no errors, and no warning the producer's file did not already have (exit 3 = warnings)
  const before = qpdfCheck(writeTemp(tmp.dir, `${name}-src.pdf`, pdf));
  const q = qpdfCheck(writeTemp(tmp.dir, `${name}-both.pdf`, b));
  expect(q.status === 0 || (q.status === 3 && before.status === 3), q.out).toBe(true);
  const warnings = (t: string) => t.split('\n').filter((l) => /WARNING/.test(l)).map((l) => l.replace(/^WARNING: \S+ (\(object [^)]*\): )?/, ''));
  expect(warnings(q.out)).toEqual(warnings(before.out));
  const r = verifyPdf(b, ctx());
  expect(r.signatures.map((s) => s.indication), JSON.stringify(r.signatures.map((s) => s.summary.en))).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
  expect(r.signatures.map((s) => s.info.profile)).toEqual(['international', 'national']);
  // pdfsig still finds the first signature valid after the national one was added
  const sig = run('pdfsig', [writeTemp(tmp.dir, `${name}-both2.pdf`, b)]);
  expect(sig.out.split('Signature #2')[0]).toContain('Signature is Valid.');
  return { a, b, report: r };
}

describe('PDFs made by other producers', () => {
  it('LibreOffice (CJK text, xref table): keyword （盖章） and a 骑缝章', async () => {
    const { report } = await stampBoth('lo', fixture('libreoffice-contract-zh.pdf'), { kind: 'keyword', keyword: '（盖章）', occurrence: 2 });
    expect(report.signatures[0].info.page).toBe(2);
  });

  it("Chromium's print-to-PDF (Skia): keyword 供方签章 (ToUnicode gives ⽅ U+2F45 for 方) and a 骑缝章", async () => {
    const { report } = await stampBoth('chromium', fixture('chromium-quotation.pdf'), { kind: 'keyword', keyword: '供方签章' });
    expect(report.signatures[0].info.page).toBe(2);
  });

  it('pdf-lib with object streams: the update is a cross-reference stream; without them, a table', async () => {
    const withStreams = await pdfLibDocument(2, { objectStreams: true });
    expect(openPdf(withStreams).xref.sections[0].kind).toBe('stream');
    const { b } = await stampBoth('pdflib-objstm', withStreams, { kind: 'position', page: 1, x: 100, y: 100 });
    expect(readPdfSignatures(b).xrefKind).toBe('stream');
    const plain = await pdfLibDocument(2, { objectStreams: false });
    const { b: b2 } = await stampBoth('pdflib-table', plain, { kind: 'position', page: 2, x: 100, y: 100 });
    expect(readPdfSignatures(b2).xrefKind).toBe('table');
  });

  it('@cantoo/pdf-lib: a document with three revisions (two incremental saves) stamps and verifies', async () => {
    const d = await PDFDocument.create();
    const font = await d.embedFont(StandardFonts.TimesRoman);
    d.addPage([595, 842]).drawText('Revision 1', { x: 72, y: 770, size: 20, font });
    const v1 = await d.save();
    const e = await PDFDocument.load(v1, { forIncrementalUpdate: true });
    e.getPage(0).drawText('Revision 2', { x: 72, y: 740, size: 20 });
    const v2 = await e.commit();
    e.addPage([595, 842]).drawText('Revision 3, new page', { x: 72, y: 770, size: 20 });
    const v3 = new Uint8Array(await e.commit());
    const { report } = await stampBoth('cantoo', v3, { kind: 'position', page: 1, x: 105, y: 150 });
    expect(report.signatures[0].info.revision).toBe(4);
    expect(v2.length).toBeLessThan(v3.length);
  });

  it('qpdf rewrites: object streams generated, and a linearized file', async () => {
    const src = writeTemp(tmp.dir, 'q-src.pdf', await pdfLibDocument(3, { objectStreams: false }));
    for (const [name, args] of [
      ['q-objstm', ['--object-streams=generate']],
      ['q-linear', ['--linearize']],
    ] as const) {
      const out = `${tmp.dir}/${name}.pdf`;
      expect(run('qpdf', [...args, src, out]).status).toBe(0);
      await stampBoth(name, new Uint8Array(readFileSync(out)), { kind: 'position', page: 3, x: 100, y: 100 });
    }
  });

  it('a hybrid-reference file (classic table + /XRefStm): read through the hidden stream, stamped with a table section', async () => {
    const h = hybridPdf();
    expect(qpdfCheck(writeTemp(tmp.dir, 'hybrid-src.pdf', h)).status).toBe(0);
    const doc = openPdf(h);
    expect(doc.xref.sections[0].hybrid).toBe(true);
    expect(doc.xref.entries.get(5)).toMatchObject({ type: 2, stream: 6 });
    const { b } = await stampBoth('hybrid', h, { kind: 'position', page: 1, x: 100, y: 100 });
    expect(readPdfSignatures(b)).toMatchObject({ xrefKind: 'table', hybrid: true });
  });

  it('encrypted PDFs: stamping is refused with a clear error; verification decrypts what opens without a password', async () => {
    const plain = writeTemp(tmp.dir, 'enc-src.pdf', await pdfLibDocument(1, { objectStreams: false }));
    const enc = `${tmp.dir}/enc.pdf`;
    expect(run('qpdf', ['--encrypt', '', 'owner-pw', '256', '--', plain, enc]).status).toBe(0);
    const bytes = new Uint8Array(readFileSync(enc));
    await expect(national(bytes, { kind: 'position', page: 1, x: 50, y: 50 })).rejects.toMatchObject({ code: 'PDF_ENCRYPTED', message: expect.stringMatching(/encrypted.*qpdf --decrypt/) });
    const r = verifyPdf(bytes, ctx());
    expect(r.indication).toBe('NO_SIGNATURE_FOUND');
    expect(r.document).toMatchObject({ type: 'pdf', encrypted: true, encryption: { decrypted: true } });
    // AES-256 (R6) keys come from an iterated hash whose number of rounds depends on the data: files
    // with fresh random salts end it at different rounds (an off-by-one there failed ~1 file in 6)
    for (let i = 0; i < 100; i++) {
      const again = `${tmp.dir}/enc-again-${i}.pdf`;
      expect(run('qpdf', ['--encrypt', '', 'owner-pw', '256', '--', plain, again]).status).toBe(0);
      expect(verifyPdf(new Uint8Array(readFileSync(again)), ctx()).document, `file ${i}`).toMatchObject({ encryption: { decrypted: true } });
    }
    // signed, then encrypted by qpdf with AES-256 (R6), AES-128 (R4) and RC4-128 (R3), also with object streams:
    // the signature is found and read (names, time, seal), and fails only because qpdf rewrote the file
    const signed = writeTemp(tmp.dir, 'signed-src.pdf', await national(new Uint8Array(readFileSync(plain)), { kind: 'position', page: 1, x: 50, y: 50 }));
    for (const [i, args] of [
      ['--encrypt', '', 'owner-pw', '256', '--'],
      ['--encrypt', '', 'owner-pw', '128', '--use-aes=y', '--'],
      ['--allow-weak-crypto', '--encrypt', '', 'owner-pw', '128', '--use-aes=n', '--'],
      ['--encrypt', '', 'owner-pw', '256', '--', '--object-streams=generate'],
    ].entries()) {
      const out = `${tmp.dir}/enc-${i}.pdf`;
      const q = run('qpdf', [...args, signed, out]);
      expect(q.status, q.out).toBe(0);
      const r2 = verifyPdf(new Uint8Array(readFileSync(out)), ctx());
      expect(r2.document, args.join(' ')).toMatchObject({ encrypted: true, encryption: { decrypted: true } });
      expect(r2.signatures).toHaveLength(1);
      const s = r2.signatures[0];
      expect(s.info).toMatchObject({ fieldName: 'Signature1', sealName: '广州市某某科技有限公司', signingTime: SIGN_TIME.toISOString(), page: 1 });
      expect(s.checks.find((c) => c.id === 'SIGNATURE_INTACT')!.status).toBe('PASSED');
      expect(s.checks.find((c) => c.id === 'CMS_MESSAGE_DIGEST')!.status).not.toBe('PASSED');
      expect(s.checks.find((c) => c.id === 'DOC_BYTE_RANGE')!.status).toBe('FAILED');
      expect(r2.indication).toBe('TOTAL_FAILED');
    }
    // a user password: reported, not guessed
    const locked = `${tmp.dir}/locked.pdf`;
    expect(run('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', signed, locked]).status).toBe(0);
    const r3 = verifyPdf(new Uint8Array(readFileSync(locked)), ctx());
    expect(r3.document).toMatchObject({ encrypted: true, encryption: { decrypted: false, reason: expect.stringMatching(/user password/) } });
  });
});
