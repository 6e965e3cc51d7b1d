/**
 * What happens after a signature: later seals and annotations are allowed changes, content edits are
 * not; DocMDP P=1 ("no changes") certification forbids both and refuses further seals; a signature
 * removed from the form is still found; a /ByteRange that leaves more than /Contents out fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { sm2Sign } from '../../src/sm/index.js';
import { completePdfStamp, openPdf, preparePdfStamp, readPdfSignatures, dict, name, PdfDict, PdfRef, type PdfStampOptions } from '../../src/pdf/index.js';
import { IncrementalUpdate } from '../../src/pdf/incremental.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { SIGN_TIME, VERIFY_TIME, pdfLibDocument, pdfPki, testSeal, type PdfPki } from './fixtures.js';
import type { ValidationReport } from '../../src/validation/types.js';

let pki: PdfPki;
let seals: Uint8Array[];
let doc: Uint8Array;

beforeAll(async () => {
  pki = await pdfPki();
  seals = [await testSeal(pki, { signers: [pki.holders[0].cert.der] }), await testSeal(pki, { signers: [pki.holders[1].cert.der], esId: '44010000000002', name: '某某贸易有限公司' })];
  doc = await pdfLibDocument(2);
});

async function stamp(pdf: Uint8Array, i = 0, opts: Partial<PdfStampOptions> = {}): Promise<Uint8Array> {
  const h = pki.holders[i];
  const p = await preparePdfStamp(pdf, { certificates: [h.cert.der, pki.ca.der], seal: seals[i], placement: { kind: 'position', page: 1, x: 60 + 60 * i, y: 240 }, signingTime: SIGN_TIME, ...opts });
  return completePdfStamp(p, sm2Sign(h.key.d, p.toBeSigned));
}

const verify = (pdf: Uint8Array): ValidationReport => verifyPdf(pdf, { time: VERIFY_TIME, trustAnchors: [pki.root] });
const modCheck = (r: ValidationReport, i = 0) => r.signatures[i].checks.find((c) => c.id === 'DOC_MODIFIED_AFTER_SIGNING')!;

/** Adds a sticky-note annotation to page 1 as an incremental update (what a reader app does). */
function addAnnotation(pdf: Uint8Array): Uint8Array {
  const d = openPdf(pdf);
  const up = new IncrementalUpdate(d);
  const page = d.page(0);
  const note = up.add(dict({ Type: name('Annot'), Subtype: name('Text'), Rect: [100, 100, 120, 120], Contents: null, Name: name('Comment') }));
  const pd = page.dict.clone();
  const annots = d.array(pd.get('Annots')) ?? [];
  pd.set('Annots', [...annots, note]);
  up.set(page.ref, pd);
  return up.build().bytes;
}

describe('changes after signing', () => {
  it('a later seal is an allowed change (signature, widget, appearance, form, page annotations)', async () => {
    const r = verify(await stamp(await stamp(doc, 0), 1));
    expect(r.indication).toBe('TOTAL_PASSED');
    const m = modCheck(r);
    expect(m.status).toBe('PASSED');
    const kinds = new Set((m.details!.changes as { kind: string }[]).map((c) => c.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['signature', 'signature-field', 'appearance', 'form', 'annotation-list']));
  });

  it('an annotation added later is allowed and reported as such', async () => {
    const r = verify(addAnnotation(await stamp(doc)));
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(JSON.stringify(modCheck(r).details)).toContain('Text annotation');
  });

  it('a content edit made later with another tool (@cantoo/pdf-lib incremental save) fails the signature', async () => {
    const signed = await stamp(doc);
    const d = await PDFDocument.load(signed, { forIncrementalUpdate: true });
    d.getPage(0).drawText('PAID IN FULL', { x: 300, y: 500, size: 30, color: rgb(0, 0, 1) });
    const edited = await d.commit();
    const r = verify(new Uint8Array(edited));
    expect(r.indication).toBe('TOTAL_FAILED');
    const m = modCheck(r);
    expect(m.status).toBe('FAILED');
    expect(m.message.en).toMatch(/page-content|content/);
    // the signature itself is intact: only the changes fail it
    expect(r.signatures[0].checks.find((c) => c.id === 'SIGNATURE_INTACT')!.status).toBe('PASSED');
    expect(r.signatures[0].checks.find((c) => c.id === 'CMS_MESSAGE_DIGEST')!.status).toBe('PASSED');
  });

  it('a stamp on a document edited before (several revisions made by another tool) is valid', async () => {
    const d = await PDFDocument.load(doc, { forIncrementalUpdate: true });
    d.getPage(1).drawText('Annex attached', { x: 72, y: 60, size: 12 });
    const edited = new Uint8Array(await d.commit());
    const r = verify(await stamp(edited));
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info.revision).toBe(3);
  });

  it('DocMDP P=1: the certified document refuses further seals, and any later change fails the certification', async () => {
    const certified = await stamp(doc, 0, { certify: true });
    const r = verify(certified);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0].info.certification).toEqual({ docMdp: 1 });
    expect(r.document).toMatchObject({ certification: { docMdp: 1 } });
    await expect(stamp(certified, 1)).rejects.toMatchObject({ code: 'PDF_CERTIFIED_NO_CHANGES' });
    const r2 = verify(addAnnotation(certified));
    expect(r2.indication).toBe('TOTAL_FAILED');
    expect(modCheck(r2).message.en).toMatch(/not permitted by the certification, DocMDP P=1/);
    // certification must come first
    await expect(stamp(await stamp(doc, 1), 0, { certify: true })).rejects.toMatchObject({ code: 'PDF_CERTIFY_NOT_FIRST' });
  });

  it('a signature removed from the form later is still found, and the removal fails it', async () => {
    const signed = await stamp(doc);
    const d = openPdf(signed);
    const up = new IncrementalUpdate(d);
    const form = d.dict(d.catalog.get('AcroForm'))!;
    const formRef = d.catalog.get('AcroForm') as PdfRef;
    const next = (form as PdfDict).clone();
    next.set('Fields', []);
    up.set(formRef, next);
    const hidden = up.build().bytes;
    const f = readPdfSignatures(hidden);
    expect(f.signatures).toHaveLength(1);
    expect(f.signatures[0].removed).toBe(true);
    const r = verify(hidden);
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(modCheck(r).message.en).toMatch(/removed/);
  });

  it('a /ByteRange that leaves out more than /Contents fails DOC_BYTE_RANGE', async () => {
    const signed = await stamp(doc);
    const f = readPdfSignatures(signed).signatures[0];
    const [, a, b, c] = f.byteRange!;
    const text = Buffer.from(signed).toString('latin1');
    const at = text.indexOf(`/ByteRange [0 ${a} ${b} ${c}`);
    expect(at).toBeGreaterThan(0);
    const patched = signed.slice();
    const old = `[0 ${a} ${b} ${c}`;
    const neu = `[0 ${a - 40} ${b} ${c}`.padEnd(old.length, ' ');
    for (let i = 0; i < neu.length; i++) patched[at + 11 + i] = neu.charCodeAt(i);
    const r = verify(patched);
    expect(r.indication).toBe('TOTAL_FAILED');
    const br = r.signatures[0].checks.find((x) => x.id === 'DOC_BYTE_RANGE')!;
    expect(br.status).toBe('FAILED');
    expect(br.message.en).toMatch(/not exactly the \/Contents string/);
  });

  it('junk after the last %%EOF is reported as a document problem', async () => {
    const signed = await stamp(doc);
    const junk = new Uint8Array([...signed, ...Buffer.from('\n1 0 obj\n<< /Evil true >>\nendobj\n')]);
    const r = verify(junk);
    expect(r.signatures[0].checks.find((c) => c.id === 'DOC_MODIFIED_AFTER_SIGNING')!.status).toBe('FAILED');
    expect(r.documentChecks?.[0].message.en).toMatch(/follow the last %%EOF/);
  });
});
