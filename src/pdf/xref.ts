/**
 * @module pdf/xref
 * Cross-reference data (ISO 32000-1 §7.5.4 tables, §7.5.8 streams, §7.5.8.4 hybrid files, §7.5.6
 * incremental updates): from a `startxref` offset, every section along /Prev (and /XRefStm) is read
 * and merged, newest first. Loops, absurd sizes and sections that point nowhere are errors with
 * their own codes; a slightly misplaced section (a few bytes off, as some producers write) is found.
 */
import { EsealError, fail } from '../util/errors.js';
import type { PdfLimits } from './limits.js';
import { decodeStream, type DecodeBudget } from './filters.js';
import { PdfDict, PdfRef, PdfStream } from './objects.js';
import { PdfParser, bytesOf, isWhite, lastIndexOf, matchAt } from './parser.js';

export type XrefEntry =
  | { type: 0 }
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number };

export interface XrefSection {
  kind: 'table' | 'stream';
  /** where the section starts (the `xref` keyword or the stream object) */
  offset: number;
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  /** object number of the xref stream (kind "stream") */
  streamObject?: number;
  /** a hybrid file's /XRefStm section, merged into `entries` */
  hybrid?: boolean;
}

export interface Xref {
  /** newest first */
  sections: XrefSection[];
  /** merged: the newest entry of each object */
  entries: Map<number, XrefEntry>;
  /** the newest trailer (an xref stream's dictionary for stream sections) */
  trailer: PdfDict;
  /** the `startxref` value it was read from */
  startxref: number;
}

const KW_STARTXREF = bytesOf('startxref');
const KW_XREF = bytesOf('xref');

/**
 * The `startxref` value of the last section that ends at or before `before` (default: end of file).
 * Looks back at most `window` bytes (1024 in the spec; trailing junk is common, so more).
 */
export function findStartxref(b: Uint8Array, before = b.length, window = 64 * 1024): { value: number; at: number } {
  const at = lastIndexOf(b, KW_STARTXREF, before, Math.max(0, before - window));
  if (at < 0) fail('PDF_XREF_MALFORMED', 'no "startxref" found: this is not a complete PDF (or it is truncated)');
  let p = at + KW_STARTXREF.length;
  while (p < b.length && isWhite(b[p])) p++;
  let v = 0;
  const s = p;
  while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39 && p - s < 15) v = v * 10 + (b[p++] - 0x30);
  if (p === s) fail('PDF_XREF_MALFORMED', `"startxref" at offset ${at} is not followed by an offset`);
  if (v >= b.length) fail('PDF_XREF_MALFORMED', `startxref ${v} points past the end of the file (${b.length} bytes)`);
  return { value: v, at };
}

/** Finds the section start at `offset`, tolerating a few bytes of displacement. */
function locateSection(b: Uint8Array, offset: number): number {
  const isHeader = (p: number) => {
    if (matchAt(b, p, KW_XREF)) return true;
    // "N G obj"
    let q = p;
    const d = () => {
      const s = q;
      while (q < b.length && b[q] >= 0x30 && b[q] <= 0x39) q++;
      return q > s;
    };
    if (!d()) return false;
    if (!isWhite(b[q])) return false;
    while (isWhite(b[q])) q++;
    if (!d()) return false;
    while (isWhite(b[q])) q++;
    return b[q] === 0x6f && b[q + 1] === 0x62 && b[q + 2] === 0x6a; // obj
  };
  let p = offset;
  while (p < b.length && isWhite(b[p])) p++;
  if (isHeader(p) && (p === 0 || !(b[p - 1] >= 0x30 && b[p - 1] <= 0x39))) return p;
  for (let d = 1; d <= 64; d++) {
    for (const q of [offset - d, offset + d]) {
      if (q >= 0 && q < b.length && (q === 0 || isWhite(b[q - 1]) || b[q - 1] === 0x3e) && isHeader(q)) return q;
    }
  }
  fail('PDF_XREF_MALFORMED', `no cross-reference section at offset ${offset}`, { offset });
}

function readTable(b: Uint8Array, at: number, limits: PdfLimits): XrefSection {
  const parser = new PdfParser(b, at + KW_XREF.length, limits);
  const entries = new Map<number, XrefEntry>();
  const uint = (): number => {
    parser.skipWs();
    let p = parser.pos;
    let v = 0;
    const s = p;
    while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39 && p - s < 12) v = v * 10 + (b[p++] - 0x30);
    if (p === s) fail('PDF_XREF_MALFORMED', `malformed cross-reference table at offset ${p}`, { offset: p });
    parser.pos = p;
    return v;
  };
  let firstSubsection = true;
  for (;;) {
    parser.skipWs();
    if (parser.pos >= b.length) fail('PDF_XREF_MALFORMED', 'cross-reference table without a trailer');
    if (parser.startsWith('trailer')) {
      parser.pos += 7;
      break;
    }
    let first = uint();
    const count = uint();
    if (first + count > limits.maxObjects) throw new EsealError('LIMIT_EXCEEDED', `the cross-reference table lists objects up to ${first + count}, more than ${limits.maxObjects}`, { limit: 'maxObjects' });
    for (let i = 0; i < count; i++) {
      const offset = uint();
      const gen = uint();
      parser.skipWs();
      const t = b[parser.pos++];
      if (t !== 0x6e && t !== 0x66) fail('PDF_XREF_MALFORMED', `cross-reference entry type '${String.fromCharCode(t)}' at offset ${parser.pos - 1} is neither n nor f`);
      // a frequent producer bug: the first subsection starts at 1 but says 0 — the free head is then missing
      if (firstSubsection && i === 0 && first === 0 && t === 0x6e) {
        first = 1;
      }
      const num = first + i;
      if (!entries.has(num)) entries.set(num, t === 0x6e ? { type: 1, offset, gen } : { type: 0 });
    }
    firstSubsection = false;
  }
  const trailer = parser.parseValue(0);
  if (!(trailer instanceof PdfDict)) fail('PDF_XREF_MALFORMED', 'the trailer is not a dictionary');
  return { kind: 'table', offset: at, trailer, entries };
}

function readStreamSection(b: Uint8Array, at: number, limits: PdfLimits, budget: DecodeBudget): XrefSection {
  const parser = new PdfParser(b, at, limits);
  const obj = parser.parseIndirectObject();
  const s = obj.value;
  if (!(s instanceof PdfStream) || s.dict.name('Type') !== 'XRef') fail('PDF_XREF_MALFORMED', `object ${obj.num} at offset ${at} is not a cross-reference stream`);
  const d = s.dict;
  const size = d.num('Size');
  if (size === undefined || !Number.isInteger(size) || size < 0) fail('PDF_XREF_MALFORMED', 'a cross-reference stream has no valid /Size');
  if (size > limits.maxObjects) throw new EsealError('LIMIT_EXCEEDED', `the cross-reference stream declares ${size} objects, more than ${limits.maxObjects}`, { limit: 'maxObjects' });
  const W = d.get('W');
  if (!Array.isArray(W) || W.length < 3 || !W.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 8)) fail('PDF_XREF_MALFORMED', 'a cross-reference stream has no valid /W');
  const w = W as number[];
  const idxV = d.get('Index');
  const index: number[] = Array.isArray(idxV) ? (idxV as unknown[]).map((x) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : fail('PDF_XREF_MALFORMED', 'bad /Index in a cross-reference stream'))) : [0, size];
  if (index.length % 2) fail('PDF_XREF_MALFORMED', '/Index of a cross-reference stream has an odd length');
  const data = decodeStream(s, budget);
  const rowLen = w[0] + w[1] + w[2];
  if (rowLen === 0) fail('PDF_XREF_MALFORMED', '/W of a cross-reference stream is all zeros');
  const entries = new Map<number, XrefEntry>();
  let pos = 0;
  const field = (width: number): number => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[pos++];
    return v;
  };
  for (let k = 0; k < index.length; k += 2) {
    const first = index[k];
    const count = index[k + 1];
    if (first + count > limits.maxObjects) throw new EsealError('LIMIT_EXCEEDED', `the cross-reference stream lists objects up to ${first + count}, more than ${limits.maxObjects}`, { limit: 'maxObjects' });
    for (let i = 0; i < count; i++) {
      if (pos + rowLen > data.length) fail('PDF_XREF_MALFORMED', 'a cross-reference stream is shorter than its /Index says');
      const type = w[0] === 0 ? 1 : field(w[0]);
      const f2 = field(w[1]);
      const f3 = field(w[2]);
      const num = first + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: 0 });
      else if (type === 1) entries.set(num, { type: 1, offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { type: 2, stream: f2, index: f3 });
      // other types: "shall be ignored" (§7.5.8.3) — the object reads as null
    }
  }
  return { kind: 'stream', offset: at, trailer: d, entries, streamObject: obj.num };
}

/** Reads the chain of cross-reference sections starting at `startxref`. */
export function readXref(b: Uint8Array, startxref: number, limits: PdfLimits, budget: DecodeBudget): Xref {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let next: number | undefined = startxref;
  while (next !== undefined) {
    if (seen.has(next)) fail('PDF_XREF_MALFORMED', `the cross-reference /Prev chain loops (offset ${next} is visited twice)`);
    seen.add(next);
    if (sections.length >= limits.maxXrefSections) throw new EsealError('LIMIT_EXCEEDED', `more than ${limits.maxXrefSections} cross-reference sections`, { limit: 'maxXrefSections' });
    if (!Number.isInteger(next) || next < 0 || next >= b.length) fail('PDF_XREF_MALFORMED', `a cross-reference offset (${next}) points outside the file`);
    const at = locateSection(b, next);
    const section = matchAt(b, at, KW_XREF) ? readTable(b, at, limits) : readStreamSection(b, at, limits, budget);
    if (section.kind === 'table') {
      const stm = section.trailer.get('XRefStm');
      if (typeof stm === 'number' && !seen.has(stm)) {
        seen.add(stm);
        try {
          const hs = readStreamSection(b, locateSection(b, stm), limits, budget);
          for (const [num, e] of hs.entries) {
            const cur = section.entries.get(num);
            if (!cur || cur.type === 0) section.entries.set(num, e);
          }
          section.hybrid = true;
        } catch (e) {
          if (e instanceof EsealError && e.code === 'LIMIT_EXCEEDED') throw e;
          // a broken hidden stream: readers that ignore XRefStm see the same document
        }
      }
    }
    sections.push(section);
    const prev = section.trailer.get('Prev');
    next = typeof prev === 'number' ? prev : undefined;
  }
  const entries = new Map<number, XrefEntry>();
  for (const s of sections) for (const [num, e] of s.entries) if (!entries.has(num)) entries.set(num, e);
  const trailer = sections[0].trailer;
  const size = trailer.num('Size');
  if (size !== undefined && size > limits.maxObjects) throw new EsealError('LIMIT_EXCEEDED', `the trailer declares ${size} objects, more than ${limits.maxObjects}`, { limit: 'maxObjects' });
  return { sections, entries, trailer, startxref };
}

/** The trailer's /Root reference (the catalog). */
export function rootRef(x: Xref): PdfRef {
  for (const s of x.sections) {
    const r = s.trailer.get('Root');
    if (r instanceof PdfRef) return r;
  }
  fail('PDF_MALFORMED', 'the trailer has no /Root (document catalog)');
}
