/**
 * PDFs are untrusted input. Each limit of src/pdf/limits.ts, each kind of cycle and each malformed
 * cross-reference gives a clear EsealError when reading or stamping, and a failed report (never an
 * exception) when verifying — and never a hang: every case here must finish within the test timeout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sm2Sign } from '../../src/sm/index.js';
import { DEFAULT_PDF_LIMITS, completePdfStamp, openPdf, preparePdfStamp, readPdfSignatures, type PdfLimits } from '../../src/pdf/index.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { EsealError } from '../../src/util/errors.js';
import { SIGN_TIME, VERIFY_TIME, pdfLibDocument, pdfPki, testSeal, type PdfPki } from './fixtures.js';
import { bombPdf, bytes, concat, minimalObjects, rawPdf, rawPdfWithCompressed } from './generators.js';

let pki: PdfPki;
let seal: Uint8Array;
beforeAll(async () => {
  pki = await pdfPki();
  seal = await testSeal(pki, { signers: [pki.holders[0].cert.der] });
});

async function stamp(pdf: Uint8Array, limits?: Partial<PdfLimits>): Promise<Uint8Array> {
  const p = await preparePdfStamp(pdf, { certificates: [pki.holders[0].cert.der], seal, placement: { kind: 'position', page: 1, x: 50, y: 50 }, signingTime: SIGN_TIME, ...(limits ? { limits } : {}) });
  return completePdfStamp(p, sm2Sign(pki.holders[0].key.d, p.toBeSigned));
}

/** The error of reading + stamping `pdf`, and the verifier's report for it, which must not throw. */
async function refused(pdf: Uint8Array, code: string, message: RegExp, limits?: Partial<PdfLimits>, verify: 'unreadable' | 'page-tree' = 'unreadable') {
  let err: unknown;
  try {
    await stamp(pdf, limits);
  } catch (e) {
    err = e;
  }
  expect(err, 'stamping should fail').toBeInstanceOf(EsealError);
  expect((err as EsealError).code).toBe(code);
  expect((err as EsealError).message).toMatch(message);
  const r = verifyPdf(pdf, { time: VERIFY_TIME, trustAnchors: [] }, undefined, limits ? { limits } : {});
  if (verify === 'page-tree') {
    // a broken page tree costs the seal positions, not the verification: reported as a document problem
    expect(r.indication).toBe('NO_SIGNATURE_FOUND');
    expect(r.documentChecks?.[0].message.en).toMatch(/the page tree cannot be read/);
    return;
  }
  expect(r.indication).toBe('TOTAL_FAILED');
  expect(r.signatures[0].checks[0]).toMatchObject({ id: 'SIGNATURE_FORMAT', status: 'FAILED', details: { code } });
}

describe('limits are explicit constants', () => {
  it('DEFAULT_PDF_LIMITS lists every bound', () => {
    expect(Object.isFrozen(DEFAULT_PDF_LIMITS)).toBe(true);
    expect(DEFAULT_PDF_LIMITS).toMatchObject({ maxFileSize: 512 * 1024 * 1024, maxNestingDepth: 64, maxStreamDecodedSize: 128 * 1024 * 1024, maxXrefSections: 1000, maxObjects: 4_000_000 });
  });

  it('a valid minimal hand-made PDF stamps (the generators make good PDFs unless told otherwise)', async () => {
    const out = await stamp(rawPdf(minimalObjects()));
    expect(readPdfSignatures(out).signatures).toHaveLength(1);
  });
});

describe('each limit is a clear error', () => {
  it('file size', async () => {
    await refused(await pdfLibDocument(1), 'LIMIT_EXCEEDED', /bytes, more than the 1000 allowed/, { maxFileSize: 1000 });
  });

  it('object count: a trailer /Size or an xref subsection beyond maxObjects', async () => {
    await refused(rawPdf(minimalObjects(), { trailer: '/Root 1 0 R' }).map((b) => b), 'LIMIT_EXCEEDED', /more than 3/, { maxObjects: 3 });
    const huge = concat(rawPdf(minimalObjects()), '');
    const text = Buffer.from(huge).toString('latin1').replace('/Size 6', '/Size 99999999');
    await refused(bytes(text), 'LIMIT_EXCEEDED', /declares 99999999 objects/);
  });

  it('nesting depth: arrays nested 1,000 deep in the page', async () => {
    const objs = minimalObjects();
    objs[2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep ${'['.repeat(1000)}${']'.repeat(1000)} >>`;
    await refused(rawPdf(objs), 'LIMIT_EXCEEDED', /nested more than 64 levels/);
  });

  it('decompression bomb: a stream over maxStreamDecodedSize, and over the compression ratio', async () => {
    await refused(bombPdf(4 * 1024 * 1024), 'LIMIT_EXCEEDED', /decompress|expands/, { maxStreamDecodedSize: 1024 * 1024 });
    // 40 MiB of zeros from ~40 KiB: a ratio above 1,000 with the default limits
    await refused(bombPdf(40 * 1024 * 1024), 'LIMIT_EXCEEDED', /expands \d+ times/);
  });

  it('the total decoded budget of a document', async () => {
    await refused(bombPdf(600 * 1024), 'LIMIT_EXCEEDED', /decompression bomb/, { maxTotalDecodedSize: 300 * 1024 });
  });

  it('pages, page-tree depth, cross-reference sections, resolved objects, token size', async () => {
    const three = await pdfLibDocument(3, { objectStreams: false });
    const p = await preparePdfStamp(three, { certificates: [pki.holders[0].cert.der], seal, placement: { kind: 'cross-page' }, signingTime: SIGN_TIME, limits: { maxPages: 2 } }).catch((e) => e);
    expect(p).toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/more than 2 pages/) });
    // a chain of 4 revisions read with maxXrefSections 2
    let doc = await pdfLibDocument(1, { objectStreams: false });
    for (let i = 0; i < 3; i++) doc = await stamp(doc);
    expect(() => openPdf(doc, { limits: { maxXrefSections: 2 } })).toThrow(/more than 2 cross-reference sections/);
    expect(() => openPdf(doc, { limits: { maxResolvedObjects: 2 } }).pages()).toThrow(/more than 2 objects were read/);
    const objs = minimalObjects();
    objs[2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Note (${'x'.repeat(5000)}) >>`;
    await refused(rawPdf(objs), 'LIMIT_EXCEEDED', /longer than 1000 bytes/, { maxTokenSize: 1000 });
  });
});

describe('cycles are errors, not hangs', () => {
  it('a /Prev chain that loops', async () => {
    const pdf = rawPdf(minimalObjects());
    const sx = Buffer.from(pdf).toString('latin1').match(/startxref\n(\d+)/)![1];
    const looped = bytes(Buffer.from(pdf).toString('latin1').replace('/Root 1 0 R', `/Root 1 0 R /Prev ${sx}`));
    await refused(looped, 'PDF_XREF_MALFORMED', /\/Prev chain loops/);
  });

  it('a page tree whose node contains its parent', async () => {
    const objs = minimalObjects();
    objs[2] = '<< /Type /Pages /Kids [2 0 R] /Count 1 >>';
    await refused(rawPdf(objs), 'PDF_MALFORMED', /page tree contains object 2 twice|cycle/, undefined, 'page-tree');
  });

  it('references that point at each other, and an object stream said to contain itself', async () => {
    const objs = minimalObjects();
    objs[0] = '<< /Type /Catalog /Pages 6 0 R >>';
    objs.push('7 0 R', '6 0 R');
    await refused(rawPdf(objs), 'PDF_MALFORMED', /page tree|references|cycle/, undefined, 'page-tree');
    const selfish = minimalObjects();
    selfish.push({ dict: '<< /Type /ObjStm /N 1 /First 4 /Length %LEN% >>', data: '2 0 << >>' });
    await refused(rawPdfWithCompressed(selfish, { 2: [6, 0], 6: [6, 1] }), 'PDF_MALFORMED', /cycle|refers to itself|not an object stream/, undefined, 'page-tree');
  });

  it('a stream whose /Length refers to itself is read up to "endstream"', () => {
    const objs = minimalObjects();
    objs[3] = { dict: '<< /Length 4 0 R >>', data: 'BT /F1 24 Tf 72 720 Td (Hi) Tj ET' };
    const doc = openPdf(rawPdf(objs));
    const s = doc.get(4) as { raw: Uint8Array };
    expect(Buffer.from(s.raw).toString()).toBe('BT /F1 24 Tf 72 720 Td (Hi) Tj ET');
  });
});

describe('malformed cross-reference data', () => {
  it('no startxref, a startxref into nowhere, a truncated file', async () => {
    const pdf = rawPdf(minimalObjects());
    const text = Buffer.from(pdf).toString('latin1');
    await refused(bytes(text.replace('startxref', 'startxreX')), 'PDF_XREF_MALFORMED', /no "startxref" found/);
    await refused(rawPdf(minimalObjects(), { startxref: 20 }), 'PDF_XREF_MALFORMED', /no cross-reference section at offset 20|offset 15 is not a cross-reference stream/);
    await refused(pdf.subarray(0, pdf.length - 200), 'PDF_XREF_MALFORMED', /startxref/);
  });

  it('an entry of unknown type, and object offsets past the end of the file', async () => {
    const text = Buffer.from(rawPdf(minimalObjects())).toString('latin1');
    await refused(bytes(text.replace(/(\d{10} 00000) n\r\n/, '$1 x\r\n')), 'PDF_XREF_MALFORMED', /neither n nor f/);
    await refused(bytes(text.replace(/\n\d{10} 00000 n\r\n/, '\n0099999999 00000 n\r\n')), 'PDF_XREF_MALFORMED', /past the end of the file/);
  });

  it('offsets a few bytes off (a common producer bug) are tolerated', async () => {
    const text = Buffer.from(rawPdf(minimalObjects())).toString('latin1');
    const shifted = text.replace(/(\d{10}) 00000 n/g, (_, o: string) => `${String(Number(o) + 3).padStart(10, '0')} 00000 n`);
    expect(readPdfSignatures(await stamp(bytes(shifted))).signatures).toHaveLength(1);
  });

  it('not a PDF at all', async () => {
    await refused(bytes('PK\x03\x04 this is a zip'), 'PDF_NOT_PDF', /no "%PDF-" header/);
  });

  it('random corruption never escapes as anything but an EsealError or a report', async () => {
    const base = await stamp(await pdfLibDocument(1));
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    for (let i = 0; i < 150; i++) {
      const b = base.slice();
      for (let k = 0; k < 1 + (i % 8); k++) b[rnd() % b.length] = rnd() & 0xff;
      if (i % 10 === 0) b.fill(0x5b, rnd() % b.length, Math.min(b.length, (rnd() % b.length) + 2000)); // "[[[["
      try {
        readPdfSignatures(b);
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(EsealError);
      }
      const r = verifyPdf(b, { time: VERIFY_TIME, trustAnchors: [] });
      expect(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND']).toContain(r.indication);
    }
  });
});
