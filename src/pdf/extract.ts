/**
 * @module pdf/extract
 * Verification facts of a PDF's signatures (the "facts" half of facts → policy → report; the
 * verdicts are made in src/validation/pdf-document.ts): every signature field with its signature
 * dictionary, /ByteRange and whether it covers the whole file except /Contents, the CMS bytes, the
 * revision the signature belongs to, what changed after it, and where its widgets are on the pages.
 * Reads PDFs made by anyone: object streams, cross-reference streams, hybrid files, several revisions.
 * Nothing is verified cryptographically here.
 */
import { EsealError } from '../util/errors.js';
import { openPdf, type OpenPdfOptions, type PdfDocument, type PdfPage } from './document.js';
import { PdfDict, PdfRef, PdfString, decodeTextString, parsePdfDate, type PdfValue } from './objects.js';
import { bytesOf, indexOf, isWhite } from './parser.js';
import { changesAfter, type ChangeReport } from './changes.js';
import { docMdpOf, formFields, type FormField } from './form.js';
import { userToVisible } from './placement.js';
import { PT_PER_MM } from './appearance/seal-form.js';
import { resolveLimits } from './limits.js';

export interface WidgetFacts {
  /** 1-based page number, when the widget is on a page */
  page?: number;
  /** rectangle in user space */
  rect?: [number, number, number, number];
  /** as seen: centre and size in millimetres from the visible top-left corner */
  position?: { xMm: number; yMm: number; widthMm: number; heightMm: number };
  /** a further part of the same stamp (骑缝章 strip, or another keyword occurrence) */
  part?: boolean;
}

export interface ByteRangeFacts {
  /** the /ByteRange is well formed, starts at 0 and leaves out exactly the /Contents string */
  ok: boolean;
  problems: string[];
  /** the signed bytes reach the end of the file */
  coversWholeFile: boolean;
  /** length of the signed revision (end of the last range) */
  signedLength?: number;
}

export interface PdfSignatureFacts {
  /** 0-based, in the order the signatures were made (by signed length) */
  index: number;
  fieldName: string;
  /** object number of the signature dictionary */
  object?: number;
  /** /Type: Sig or DocTimeStamp */
  type?: string;
  filter?: string;
  subFilter?: string;
  byteRange?: number[];
  /** the /Contents bytes (CMS, zero padding included) */
  contents?: Uint8Array;
  /** /M */
  signingTime?: Date;
  signingTimeText?: string;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** this signature's DocMDP permission when it certifies the document */
  docMdp?: number;
  byteRangeFacts: ByteRangeFacts;
  /** 1-based number of the revision the signature covers, of `revisions` */
  revision?: number;
  widgets: WidgetFacts[];
  /** what changed after the signed revision (absent when it covers the whole file) */
  changesAfter?: ChangeReport;
  /** why parts of this signature could not be read */
  errors: string[];
  /** the field is in an earlier revision but no longer in the latest one */
  removed?: boolean;
}

export interface PdfFacts {
  fileSize: number;
  version: string;
  encrypted: boolean;
  /** encrypted documents: decrypted (how) or not (why) */
  encryption?: { decrypted: boolean; description?: string; reason?: string };
  pageCount?: number;
  /** ends of the revisions (offsets just past each %%EOF) */
  revisions: number[];
  /** kind of the newest cross-reference section */
  xrefKind: 'table' | 'stream';
  hybrid: boolean;
  signatures: PdfSignatureFacts[];
  /** certification (DocMDP) in force */
  docMdp?: number;
  /** document-level problems (unreadable parts, data after the last revision …) */
  problems: string[];
}

const KW_EOF = bytesOf('%%EOF');

/** Offsets just past each %%EOF marker (and its end-of-line). */
export function revisionEnds(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = indexOf(b, KW_EOF, 0); p >= 0; p = indexOf(b, KW_EOF, p + 5)) {
    let e = p + 5;
    if (b[e] === 0x0d) e++;
    if (b[e] === 0x0a) e++;
    out.push(e);
  }
  return out;
}

const str = (v: PdfValue | undefined): string | undefined => (v instanceof PdfString ? decodeTextString(v.bytes) : undefined);

/** Reads every signature's facts. Throws only when the PDF as a whole cannot be read. */
export function readPdfSignatures(bytes: Uint8Array, opts: OpenPdfOptions = {}): PdfFacts {
  const doc = openPdf(bytes, opts);
  const limits = resolveLimits(opts.limits);
  const problems: string[] = [];
  const revisions = revisionEnds(bytes);
  let pages: PdfPage[] = [];
  try {
    pages = doc.pages();
  } catch (e) {
    // a limit is a limit: the document is not read further; a broken page tree only costs the positions
    if (e instanceof EsealError && e.code === 'LIMIT_EXCEEDED') throw e;
    problems.push(`the page tree cannot be read: ${(e as Error).message}`);
  }
  const pageIndex = new Map(pages.map((p) => [p.ref.num, p]));
  const signedDocs = new Map<number, PdfDocument>();
  const revisionDoc = (length: number): PdfDocument => {
    let d = signedDocs.get(length);
    if (!d) {
      d = openPdf(bytes, { ...opts, length });
      signedDocs.set(length, d);
    }
    return d;
  };
  // signature fields of the latest revision, and of earlier ones (a field removed later is still reported)
  const found: { field: FormField; doc: PdfDocument; removed: boolean }[] = [];
  try {
    for (const f of formFields(doc)) if (f.type === 'Sig' && f.signed) found.push({ field: f, doc, removed: false });
  } catch (e) {
    // without the catalog and the form, no signature can be found: the document cannot be verified
    throw e instanceof EsealError ? e : new EsealError('PDF_MALFORMED', `the form cannot be read: ${(e as Error).message}`);
  }
  const seenSigs = new Set(found.map((x) => x.field.value?.num));
  for (const end of revisions) {
    if (end >= bytes.length || found.length > limits.maxSignatures) continue;
    try {
      const d = revisionDoc(end);
      for (const f of formFields(d)) {
        if (f.type !== 'Sig' || !f.signed || seenSigs.has(f.value?.num)) continue;
        seenSigs.add(f.value?.num);
        found.push({ field: f, doc: d, removed: true });
      }
    } catch (e) {
      if (e instanceof EsealError && e.code === 'LIMIT_EXCEEDED') throw e;
      // an earlier revision that cannot be read on its own (e.g. the first part of a linearized file)
    }
  }
  if (found.length > limits.maxSignatures) throw new EsealError('LIMIT_EXCEEDED', `the PDF has ${found.length} signatures, more than ${limits.maxSignatures}`, { limit: 'maxSignatures' });

  // further parts of a stamp: our locked /Stamp annotations named "<field>#<n>"
  const parts = new Map<string, WidgetFacts[]>();
  for (const p of pages) {
    for (const a of safe(() => doc.array(p.dict.get('Annots'))) ?? []) {
      const ad = safe(() => doc.dict(a));
      const nm = str(ad?.get('NM'));
      if (!ad || ad.name('Subtype') !== 'Stamp' || !nm || !/#\d+$/.test(nm)) continue;
      const field = nm.replace(/#\d+$/, '');
      const list = parts.get(field) ?? [];
      list.push({ ...widgetFacts(doc, ad, pageIndex.get(p.ref.num)), part: true });
      parts.set(field, list);
    }
  }

  const signatures: PdfSignatureFacts[] = [];
  for (const { field: f, doc: fdoc, removed } of found) {
    const errors: string[] = [];
    if (removed) errors.push('the signature field was removed from the form in a later revision');
    const fpages = fdoc === doc ? pages : (safe(() => fdoc.pages()) ?? []);
    const findex = fdoc === doc ? pageIndex : new Map(fpages.map((p) => [p.ref.num, p]));
    const sigRef = f.dict.get('V');
    const sig = safe(() => fdoc.dict(sigRef), (e) => errors.push(`the signature dictionary cannot be read: ${e}`));
    const facts: PdfSignatureFacts = {
      index: 0,
      fieldName: f.name,
      ...(sigRef instanceof PdfRef ? { object: sigRef.num } : {}),
      byteRangeFacts: { ok: false, problems: [], coversWholeFile: false },
      widgets: f.widgets.map((w) => widgetFacts(fdoc, w.dict, pageOfWidget(fdoc, w, findex, fpages))),
      errors,
      ...(removed ? { removed: true } : {}),
    };
    facts.widgets.push(...(parts.get(f.name) ?? []));
    if (sig) {
      facts.type = sig.name('Type') ?? 'Sig';
      facts.filter = sig.name('Filter');
      facts.subFilter = sig.name('SubFilter');
      const m = str(sig.get('M'));
      if (m) {
        facts.signingTimeText = m;
        const d = parsePdfDate(m);
        if (d) facts.signingTime = d;
      }
      for (const k of ['Name', 'Reason', 'Location', 'ContactInfo'] as const) {
        const v = str(sig.get(k));
        if (v !== undefined) facts[(k[0].toLowerCase() + k.slice(1)) as 'name' | 'reason' | 'location' | 'contactInfo'] = v;
      }
      const mdp = safe(() => docMdpOf(fdoc, sig));
      if (mdp) facts.docMdp = mdp;
      const contents = sig.get('Contents');
      if (contents instanceof PdfString) facts.contents = contents.bytes;
      else errors.push('the signature dictionary has no /Contents string');
      const br = fdoc.array(sig.get('ByteRange'));
      if (br && br.every((x) => typeof x === 'number')) facts.byteRange = br as number[];
      facts.byteRangeFacts = checkByteRange(fdoc, bytes, sigRef, sig, facts.byteRange);
    }
    signatures.push(facts);
  }
  signatures.sort((a, b) => (a.byteRangeFacts.signedLength ?? Infinity) - (b.byteRangeFacts.signedLength ?? Infinity));
  signatures.forEach((s, i) => (s.index = i));

  // DocMDP: the certification signature in force (the first signature, if it certifies)
  const certifying = signatures.find((s) => s.docMdp !== undefined);
  for (const s of signatures) {
    const L = s.byteRangeFacts.signedLength;
    if (L === undefined) continue;
    const rev = revisions.findIndex((r) => r === L);
    if (rev >= 0) s.revision = rev + 1;
    else {
      const before = revisions.filter((r) => r <= L).length;
      if (before) s.revision = before;
    }
    if (L >= bytes.length) continue;
    try {
      const signedDoc = revisionDoc(L);
      const mdp = certifying && (certifying.byteRangeFacts.signedLength ?? Infinity) <= L ? certifying.docMdp : undefined;
      s.changesAfter = changesAfter(signedDoc, doc, mdp);
    } catch (e) {
      s.changesAfter = { changes: [], allowed: false, incomplete: true, error: `the signed revision cannot be read: ${(e as Error).message}` };
    }
  }

  // bytes after the last revision that are not part of an update
  const lastEnd = revisions[revisions.length - 1] ?? 0;
  if (lastEnd < bytes.length) {
    const tail = bytes.subarray(lastEnd);
    if (!tail.every((c) => isWhite(c))) {
      const text = String.fromCharCode(...tail.subarray(0, 4096));
      const syntax = /\bobj\b|\bxref\b|\btrailer\b|\bstartxref\b|<</.test(text);
      problems.push(`${tail.length} byte(s) follow the last %%EOF; they are not part of any revision${syntax ? ' and look like PDF objects (an unfinished or hidden update)' : ''}`);
      // PDF syntax outside any revision may be picked up by readers that repair files: not allowed
      if (syntax) {
        for (const s of signatures) {
          if (s.byteRangeFacts.coversWholeFile || !s.changesAfter) continue;
          s.changesAfter.changes.push({ object: 0, kind: 'other', allowed: false, description: `${tail.length} bytes of PDF objects were appended outside any revision` });
          s.changesAfter.allowed = false;
        }
      }
    }
  }

  return {
    fileSize: bytes.length,
    version: doc.version,
    encrypted: doc.encrypted,
    ...(doc.encryption ? { encryption: doc.encryption } : {}),
    ...(pages.length ? { pageCount: pages.length } : {}),
    revisions,
    xrefKind: doc.xref.sections[0].kind,
    hybrid: doc.xref.sections.some((s) => s.hybrid),
    signatures,
    ...(certifying?.docMdp ? { docMdp: certifying.docMdp } : {}),
    problems,
  };
}

function safe<T>(fn: () => T, onError?: (message: string) => void): T | undefined {
  try {
    return fn();
  } catch (e) {
    onError?.((e as Error).message);
    return undefined;
  }
}

function pageOfWidget(doc: PdfDocument, w: { ref?: PdfRef; dict: PdfDict }, index: Map<number, PdfPage>, pages: PdfPage[]): PdfPage | undefined {
  const p = w.dict.get('P');
  if (p instanceof PdfRef && index.has(p.num)) return index.get(p.num);
  if (!w.ref) return undefined;
  return pages.find((pg) => (safe(() => doc.array(pg.dict.get('Annots'))) ?? []).some((a) => a instanceof PdfRef && a.num === w.ref!.num));
}

function widgetFacts(doc: PdfDocument, d: PdfDict, page: PdfPage | undefined): WidgetFacts {
  const r = safe(() => doc.array(d.get('Rect')));
  const rect = r && r.length === 4 && r.every((x) => typeof x === 'number') ? (r as number[]) : undefined;
  const out: WidgetFacts = {};
  if (page) out.page = page.index + 1;
  if (rect) {
    const [x0, y0, x1, y1] = [Math.min(rect[0], rect[2]), Math.min(rect[1], rect[3]), Math.max(rect[0], rect[2]), Math.max(rect[1], rect[3])];
    out.rect = [x0, y0, x1, y1];
    if (page && x1 > x0 && y1 > y0) {
      const a = userToVisible(page, x0, y0);
      const b = userToVisible(page, x1, y1);
      const mm = (v: number) => Math.round((v / PT_PER_MM) * 10) / 10;
      out.position = { xMm: mm((a[0] + b[0]) / 2), yMm: mm((a[1] + b[1]) / 2), widthMm: mm(Math.abs(b[0] - a[0])), heightMm: mm(Math.abs(b[1] - a[1])) };
    }
  }
  return out;
}

/** ISO 32000-1 §12.8.1: the ByteRange leaves out exactly the /Contents hex string, nothing else. */
function checkByteRange(doc: PdfDocument, bytes: Uint8Array, sigRef: PdfValue | undefined, sig: PdfDict, br: number[] | undefined): ByteRangeFacts {
  const problems: string[] = [];
  if (!br) return { ok: false, problems: ['the signature has no /ByteRange of numbers'], coversWholeFile: false };
  if (br.length % 2 !== 0 || br.length < 4) problems.push(`/ByteRange has ${br.length} numbers; expected [0 a b c]`);
  if (!br.every((x) => Number.isInteger(x) && x >= 0)) problems.push('/ByteRange holds negative or fractional numbers');
  if (problems.length) return { ok: false, problems, coversWholeFile: false };
  const end = br[br.length - 2] + br[br.length - 1];
  if (br[0] !== 0) problems.push(`the signed bytes do not start at the beginning of the file (/ByteRange starts at ${br[0]})`);
  for (let i = 0; i + 2 < br.length; i += 2) {
    if (br[i] + br[i + 1] > br[i + 2]) problems.push('the /ByteRange parts overlap or are out of order');
  }
  if (br.length > 4) problems.push(`/ByteRange has ${br.length / 2} parts: ${br.length / 2 - 1} gaps are not signed, only the /Contents may be left out`);
  if (end > bytes.length) problems.push(`/ByteRange reaches byte ${end}, past the end of the file (${bytes.length} bytes)`);
  // the gap must be the /Contents string of this very signature dictionary, in the file itself
  const contents = sig.get('Contents');
  const container = sigRef instanceof PdfRef ? sigRef.num : undefined;
  const inFile = container !== undefined && doc.entry(container)?.type === 1;
  if (!(contents instanceof PdfString) || !inFile || contents.start < 0) {
    problems.push('the /Contents string is not at a known position in the file (the signature dictionary is inside a compressed object stream or not an indirect object)');
  } else if (br.length === 4 && (br[1] !== contents.start || br[2] !== contents.end)) {
    problems.push(`the unsigned gap [${br[1]}, ${br[2]}) is not exactly the /Contents string [${contents.start}, ${contents.end})`);
  }
  if (inFile && container !== undefined) {
    const span = doc.span(container);
    if (span && span.end > end) problems.push('the signature dictionary itself lies outside the signed bytes');
  }
  return { ok: problems.length === 0, problems, coversWholeFile: end === bytes.length, signedLength: end };
}

