/**
 * @module pdf/document
 * A read-only, lazy view of a PDF (ISO 32000-1 §7.5): the cross-reference chain is read once, and
 * objects are parsed only when asked for — stamping a 1,000-page document touches the catalog, the
 * page tree down to one page and the form, not the other 10,000 objects. Object streams (§7.5.7) are
 * decoded on first use and cached. Reference cycles, runaway resolution and decompression bombs are
 * bounded by `PdfLimits`.
 *
 * `openPdf(bytes, { length })` reads the document as it was when the file ended at `length` (an
 * earlier revision of an incrementally updated file): that is how a signature's revision is compared
 * with what came after it.
 */
import { EsealError, fail } from '../util/errors.js';
import { resolveLimits, type PdfLimits } from './limits.js';
import { decodeStream, type DecodeBudget } from './filters.js';
import { PdfDict, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';
import { PdfParser, bytesOf, indexOf, parseValueAt } from './parser.js';
import { findStartxref, readXref, rootRef, type Xref, type XrefEntry } from './xref.js';
import { standardDecryptor, type Decryptor } from './crypt.js';

export interface OpenPdfOptions {
  limits?: Partial<PdfLimits>;
  /** read the revision that ends at this length (default: the whole file) */
  length?: number;
}

/** A page with its inherited attributes (ISO 32000-1 §7.7.3.4). */
export interface PdfPage {
  /** 0-based */
  index: number;
  ref: PdfRef;
  dict: PdfDict;
  mediaBox: [number, number, number, number];
  /** visible region: CropBox ∩ MediaBox */
  cropBox: [number, number, number, number];
  /** 0, 90, 180 or 270 (clockwise, as displayed) */
  rotate: number;
}

const PDF_HEADER = bytesOf('%PDF-');

/** Where the PDF starts: `%PDF-` within the first 1024 bytes (ISO 32000-1 §7.5.2 tolerates leading junk). */
export function pdfHeaderOffset(b: Uint8Array): number {
  return indexOf(b, PDF_HEADER, 0, Math.min(b.length, 1024 + PDF_HEADER.length));
}

export class PdfDocument {
  readonly bytes: Uint8Array;
  readonly limits: PdfLimits;
  readonly xref: Xref;
  /** the length of the revision read (≤ bytes.length) */
  readonly length: number;
  /** "1.7" etc. from the header */
  readonly version: string;
  readonly budget: DecodeBudget;
  private readonly cache = new Map<number, PdfValue>();
  private readonly objStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number>; first: number }>();
  private readonly resolving = new Set<number>();
  private resolved = 0;
  private pageList?: PdfPage[];
  private decryptor?: Decryptor;
  private encryptObject?: number;
  /** for encrypted documents: how they were decrypted, or why they could not be */
  encryption?: { decrypted: true; description: string } | { decrypted: false; reason: string };

  private constructor(bytes: Uint8Array, length: number, limits: PdfLimits, budget: DecodeBudget, xref: Xref, version: string) {
    this.bytes = bytes;
    this.length = length;
    this.limits = limits;
    this.budget = budget;
    this.xref = xref;
    this.version = version;
  }

  static open(bytes: Uint8Array, opts: OpenPdfOptions = {}): PdfDocument {
    if (!(bytes instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'the PDF must be a Uint8Array');
    const limits = resolveLimits(opts.limits);
    if (bytes.length > limits.maxFileSize) throw new EsealError('LIMIT_EXCEEDED', `the PDF is ${bytes.length} bytes, more than the ${limits.maxFileSize} allowed`, { limit: 'maxFileSize' });
    const h = pdfHeaderOffset(bytes);
    if (h < 0) fail('PDF_NOT_PDF', 'not a PDF: no "%PDF-" header in the first 1024 bytes');
    const m = /^%PDF-(\d\.\d)/.exec(String.fromCharCode(...bytes.subarray(h, h + 8)));
    const length = opts.length ?? bytes.length;
    if (!Number.isInteger(length) || length < 0 || length > bytes.length) fail('INVALID_ARGUMENT', `revision length ${length} is outside the file`);
    const budget: DecodeBudget = { maxStream: limits.maxStreamDecodedSize, remaining: limits.maxTotalDecodedSize, maxRatio: limits.maxCompressionRatio };
    const sx = findStartxref(bytes, length);
    // A file with junk before %PDF- has offsets relative to the header (§7.5.2 note): try both.
    let xref: Xref;
    try {
      xref = readXref(bytes, sx.value, limits, budget);
    } catch (e) {
      if (h === 0 || !(e instanceof EsealError) || e.code !== 'PDF_XREF_MALFORMED') throw e;
      xref = readXref(bytes, sx.value + h, limits, budget);
    }
    const doc = new PdfDocument(bytes, length, limits, budget, xref, m?.[1] ?? '1.4');
    doc.setUpDecryption();
    return doc;
  }

  /** Strings and streams of an encrypted document are decrypted on reading when no password is needed (crypt.ts). */
  private setUpDecryption(): void {
    const encV = this.xref.sections.map((s) => s.trailer.get('Encrypt')).find((v) => v !== undefined);
    if (encV === undefined) return;
    if (encV instanceof PdfRef) this.encryptObject = encV.num;
    try {
      const enc = this.dict(encV);
      if (!enc) {
        this.encryption = { decrypted: false, reason: 'the /Encrypt dictionary cannot be read' };
        return;
      }
      const id = this.array(this.trailer.get('ID'))?.[0];
      const r = standardDecryptor(enc, id instanceof PdfString ? id.bytes : undefined, (v) => this.resolve(v));
      if (r.ok) {
        this.decryptor = r.decryptor;
        this.encryption = { decrypted: true, description: r.description };
      } else this.encryption = { decrypted: false, reason: r.reason };
    } catch (e) {
      if (e instanceof EsealError && e.code === 'LIMIT_EXCEEDED') throw e;
      this.encryption = { decrypted: false, reason: (e as Error).message };
    }
  }

  get trailer(): PdfDict {
    return this.xref.trailer;
  }

  /** true when the trailer has /Encrypt: strings and streams are encrypted. */
  get encrypted(): boolean {
    return this.xref.sections.some((s) => s.trailer.has('Encrypt'));
  }

  /** Highest object number + 1 (the trailer /Size, or more when entries exceed it). */
  get size(): number {
    let max = this.trailer.num('Size') ?? 0;
    for (const k of this.xref.entries.keys()) if (k + 1 > max) max = k + 1;
    return max;
  }

  get catalogRef(): PdfRef {
    return rootRef(this.xref);
  }

  get catalog(): PdfDict {
    const c = this.get(this.catalogRef);
    if (!(c instanceof PdfDict)) fail('PDF_MALFORMED', 'the document catalog (/Root) is not a dictionary');
    return c;
  }

  entry(num: number): XrefEntry | undefined {
    return this.xref.entries.get(num);
  }

  /** The object with number `num` (or the referenced object), null when free or absent (§7.3.10). */
  get(r: PdfRef | number): PdfValue {
    const num = typeof r === 'number' ? r : r.num;
    const cached = this.cache.get(num);
    if (cached !== undefined) return cached;
    const e = this.xref.entries.get(num);
    if (!e || e.type === 0) return null;
    if (this.resolving.has(num)) fail('PDF_MALFORMED', `reference cycle: object ${num} refers to itself while it is being read`, { object: num });
    if (++this.resolved > this.limits.maxResolvedObjects) throw new EsealError('LIMIT_EXCEEDED', `more than ${this.limits.maxResolvedObjects} objects were read from one PDF`, { limit: 'maxResolvedObjects' });
    this.resolving.add(num);
    try {
      let v = e.type === 1 ? this.readAt(num, e.offset) : this.readCompressed(num, e.stream, e.index);
      // objects inside object streams were decrypted with their stream
      if (this.decryptor && e.type === 1 && num !== this.encryptObject) v = this.decryptor.object(num, e.gen, v);
      this.cache.set(num, v);
      return v;
    } finally {
      this.resolving.delete(num);
    }
  }

  /** Where object `num` starts in the file and ends (type-1 objects only). */
  span(num: number): { start: number; end: number } | undefined {
    const e = this.xref.entries.get(num);
    if (!e || e.type !== 1) return undefined;
    const p = new PdfParser(this.bytes, e.offset, this.limits, (r) => this.lengthOf(r));
    try {
      const o = p.parseIndirectObject({ num });
      return { start: o.start, end: o.end };
    } catch {
      return undefined;
    }
  }

  private lengthOf(r: PdfRef): number | undefined {
    const v = this.get(r);
    return typeof v === 'number' ? v : undefined;
  }

  private readAt(num: number, offset: number): PdfValue {
    if (offset >= this.bytes.length) fail('PDF_XREF_MALFORMED', `object ${num} is listed at offset ${offset}, past the end of the file`);
    const p = new PdfParser(this.bytes, offset, this.limits, (r) => this.lengthOf(r));
    try {
      return p.parseIndirectObject({ num }).value;
    } catch (e) {
      if (!(e instanceof EsealError) || (e.code !== 'PDF_XREF_MALFORMED' && e.code !== 'PDF_MALFORMED')) throw e;
      // some producers' offsets are a little off: look for "num gen obj" nearby
      const near = this.findHeaderNear(num, offset);
      if (near < 0) throw new EsealError('PDF_XREF_MALFORMED', `object ${num} is not where the cross-reference table says (offset ${offset}): ${e.message}`, { object: num, offset });
      const q = new PdfParser(this.bytes, near, this.limits, (r) => this.lengthOf(r));
      return q.parseIndirectObject({ num }).value;
    }
  }

  private findHeaderNear(num: number, offset: number): number {
    const pat = bytesOf(`${num} `);
    const from = Math.max(0, offset - 1024);
    const to = Math.min(this.bytes.length, offset + 1024);
    for (let p = indexOf(this.bytes, pat, from, to); p >= 0; p = indexOf(this.bytes, pat, p + 1, to)) {
      if (p > 0 && this.bytes[p - 1] >= 0x30 && this.bytes[p - 1] <= 0x39) continue;
      const m = /^(\d+)\s+(\d+)\s+obj\b/.exec(String.fromCharCode(...this.bytes.subarray(p, Math.min(to, p + 32))));
      if (m && Number(m[1]) === num) return p;
    }
    return -1;
  }

  private readCompressed(num: number, streamNum: number, index: number): PdfValue {
    let os = this.objStreams.get(streamNum);
    if (!os) {
      const s = this.get(streamNum);
      if (!(s instanceof PdfStream) || s.dict.name('Type') !== 'ObjStm') fail('PDF_MALFORMED', `object ${num} is said to be in object stream ${streamNum}, which is not an object stream`);
      const n = s.dict.num('N');
      const first = s.dict.num('First');
      if (n === undefined || first === undefined || !Number.isInteger(n) || !Number.isInteger(first) || n < 0 || first < 0) fail('PDF_MALFORMED', `object stream ${streamNum} has no valid /N and /First`);
      if (n > this.limits.maxObjectsPerObjectStream) throw new EsealError('LIMIT_EXCEEDED', `object stream ${streamNum} holds ${n} objects, more than ${this.limits.maxObjectsPerObjectStream}`, { limit: 'maxObjectsPerObjectStream' });
      const data = decodeStream(s, this.budget, (v) => this.resolve(v));
      const offsets = new Map<number, number>();
      const p = new PdfParser(data, 0, this.limits);
      for (let i = 0; i < n; i++) {
        const on = p.parseValue(0);
        const off = p.parseValue(0);
        if (typeof on !== 'number' || typeof off !== 'number') fail('PDF_MALFORMED', `object stream ${streamNum} has a malformed header`);
        if (!offsets.has(on)) offsets.set(on, off);
      }
      os = { data, offsets, first };
      this.objStreams.set(streamNum, os);
    }
    const off = os.offsets.get(num);
    if (off === undefined) fail('PDF_XREF_MALFORMED', `object ${num} is not in object stream ${streamNum} (index ${index})`);
    return parseValueAt(os.data, os.first + off, this.limits).value;
  }

  /** Follows references (a chain of them, bounded) to a direct value. */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    let cur = v;
    for (let i = 0; cur instanceof PdfRef; i++) {
      if (i > 32) fail('PDF_MALFORMED', 'a chain of more than 32 references (or a reference cycle)');
      cur = this.get(cur);
    }
    return cur;
  }

  dict(v: PdfValue | undefined): PdfDict | undefined {
    const r = this.resolve(v);
    if (r instanceof PdfDict) return r;
    if (r instanceof PdfStream) return r.dict;
    return undefined;
  }

  array(v: PdfValue | undefined): PdfValue[] | undefined {
    const r = this.resolve(v);
    return Array.isArray(r) ? r : undefined;
  }

  num(v: PdfValue | undefined): number | undefined {
    const r = this.resolve(v);
    return typeof r === 'number' && Number.isFinite(r) ? r : undefined;
  }

  /** Decoded data of a stream (bounded by the document's budget). */
  streamData(s: PdfStream): Uint8Array {
    if (this.encrypted && !this.decryptor) fail('PDF_ENCRYPTED', `the document is encrypted: its streams cannot be read${this.encryption && !this.encryption.decrypted ? ` (${this.encryption.reason})` : ''}`);
    return decodeStream(s, this.budget, (v) => this.resolve(v));
  }

  /** Number of pages, by walking the tree (cached). */
  get pageCount(): number {
    return this.pages().length;
  }

  /** Every page in order, with inherited attributes. Bounded in count and depth; cycles are errors. */
  pages(): PdfPage[] {
    if (this.pageList) return this.pageList;
    const rootRefV = this.catalog.get('Pages');
    if (!(rootRefV instanceof PdfRef)) fail('PDF_MALFORMED', 'the catalog has no /Pages reference');
    const out: PdfPage[] = [];
    const visited = new Set<string>();
    type Inh = { mediaBox?: PdfValue; cropBox?: PdfValue; rotate?: PdfValue };
    const walk = (r: PdfRef, inh: Inh, depth: number): void => {
      if (depth > this.limits.maxPageTreeDepth) throw new EsealError('LIMIT_EXCEEDED', `the page tree is deeper than ${this.limits.maxPageTreeDepth}`, { limit: 'maxPageTreeDepth' });
      if (visited.has(r.key())) fail('PDF_MALFORMED', `the page tree contains object ${r.num} twice (a cycle)`);
      visited.add(r.key());
      const node = this.dict(r);
      if (!node) fail('PDF_MALFORMED', `page tree node ${r.num} is not a dictionary`);
      const here: Inh = {
        mediaBox: node.get('MediaBox') ?? inh.mediaBox,
        cropBox: node.get('CropBox') ?? inh.cropBox,
        rotate: node.get('Rotate') ?? inh.rotate,
      };
      const type = node.name('Type');
      const kids = this.array(node.get('Kids'));
      if (type === 'Page' || (type !== 'Pages' && !kids)) {
        if (out.length >= this.limits.maxPages) throw new EsealError('LIMIT_EXCEEDED', `the document has more than ${this.limits.maxPages} pages`, { limit: 'maxPages' });
        out.push(this.pageOf(out.length, r, node, here));
        return;
      }
      for (const k of kids ?? []) {
        if (!(k instanceof PdfRef)) fail('PDF_MALFORMED', `page tree node ${r.num} has a /Kids entry that is not a reference`);
        walk(k, here, depth + 1);
      }
    };
    walk(rootRefV, {}, 0);
    this.pageList = out;
    return out;
  }

  /** Page `index` (0-based), descending by /Count when the tree's counts are consistent. */
  page(index: number): PdfPage {
    if (this.pageList) {
      const p = this.pageList[index];
      if (!p) fail('PDF_PAGE_OUT_OF_RANGE', `page ${index + 1} does not exist: the document has ${this.pageList.length} page(s)`);
      return p;
    }
    const fast = this.pageByCount(index);
    if (fast) return fast;
    const all = this.pages();
    const p = all[index];
    if (!p) fail('PDF_PAGE_OUT_OF_RANGE', `page ${index + 1} does not exist: the document has ${all.length} page(s)`);
    return p;
  }

  private pageByCount(index: number): PdfPage | undefined {
    try {
      let r = this.catalog.get('Pages');
      let inh: { mediaBox?: PdfValue; cropBox?: PdfValue; rotate?: PdfValue } = {};
      let remaining = index;
      const seen = new Set<number>();
      for (let depth = 0; depth <= this.limits.maxPageTreeDepth; depth++) {
        if (!(r instanceof PdfRef) || seen.has(r.num)) return undefined;
        seen.add(r.num);
        const node = this.dict(r);
        if (!node) return undefined;
        inh = { mediaBox: node.get('MediaBox') ?? inh.mediaBox, cropBox: node.get('CropBox') ?? inh.cropBox, rotate: node.get('Rotate') ?? inh.rotate };
        if (node.name('Type') === 'Page') return remaining === 0 ? this.pageOf(index, r, node, inh) : undefined;
        const kids = this.array(node.get('Kids'));
        if (!kids) return undefined;
        let next: PdfRef | undefined;
        for (const k of kids) {
          if (!(k instanceof PdfRef)) return undefined;
          const kd = this.dict(k);
          if (!kd) return undefined;
          const isPage = kd.name('Type') === 'Page';
          const c = isPage ? 1 : this.num(kd.get('Count'));
          if (c === undefined || c < 0) return undefined;
          if (remaining < c) {
            next = k;
            break;
          }
          remaining -= c;
        }
        if (!next) return undefined;
        r = next;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  private box(v: PdfValue | undefined): [number, number, number, number] | undefined {
    const a = this.array(v);
    if (!a || a.length !== 4) return undefined;
    const n = a.map((x) => this.num(x));
    if (n.some((x) => x === undefined)) return undefined;
    const [x0, y0, x1, y1] = n as number[];
    return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
  }

  private pageOf(index: number, ref: PdfRef, dict: PdfDict, inh: { mediaBox?: PdfValue; cropBox?: PdfValue; rotate?: PdfValue }): PdfPage {
    const mediaBox = this.box(inh.mediaBox) ?? [0, 0, 612, 792]; // US Letter when missing, as Acrobat does
    const crop = this.box(inh.cropBox);
    const cropBox: [number, number, number, number] = crop
      ? [Math.max(crop[0], mediaBox[0]), Math.max(crop[1], mediaBox[1]), Math.min(crop[2], mediaBox[2]), Math.min(crop[3], mediaBox[3])]
      : mediaBox;
    if (cropBox[2] <= cropBox[0] || cropBox[3] <= cropBox[1]) return { index, ref, dict, mediaBox, cropBox: mediaBox, rotate: rotation(this.num(inh.rotate)) };
    return { index, ref, dict, mediaBox, cropBox, rotate: rotation(this.num(inh.rotate)) };
  }
}

function rotation(r: number | undefined): number {
  if (r === undefined || !Number.isInteger(r) || r % 90 !== 0) return 0;
  return ((r % 360) + 360) % 360;
}

/** Opens a PDF (see {@link PdfDocument}). */
export function openPdf(bytes: Uint8Array, opts: OpenPdfOptions = {}): PdfDocument {
  return PdfDocument.open(bytes, opts);
}

