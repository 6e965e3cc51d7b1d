/**
 * @module pdf/parser
 * Tokenizer and object parser for PDF syntax (ISO 32000-1 §7.2–7.3, §7.5.3 indirect objects).
 * Works on bytes with an index; nesting depth and token sizes are bounded (`PdfLimits`). Lenient
 * where real files are sloppy (comments anywhere, missing `endobj`, a wrong stream /Length),
 * strict where sloppiness would be ambiguous (unbalanced brackets, stray delimiters).
 */
import { EsealError } from '../util/errors.js';
import type { PdfLimits } from './limits.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

// character classes (ISO 32000-1 §7.2.2, Table 1 and Table 2)
const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export const isWhite = (c: number): boolean => WS[c] === 1;
export const isDelimiter = (c: number): boolean => DELIM[c] === 1;
const isRegular = (c: number) => WS[c] === 0 && DELIM[c] === 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

const HEXVAL = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEXVAL[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEXVAL[0x41 + i] = 10 + i;
  HEXVAL[0x61 + i] = 10 + i;
}

const KW_ENDSTREAM = bytesOf('endstream');

export function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** Index of `needle` in `hay` from `from` (to `to`, exclusive end of the match), or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  const first = needle[0];
  const last = to - needle.length;
  outer: for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Last index of `needle` that ends at or before `before`, or -1. */
export function lastIndexOf(hay: Uint8Array, needle: Uint8Array, before = hay.length, notBefore = 0): number {
  for (let i = Math.min(before - needle.length, hay.length - needle.length); i >= notBefore; i--) {
    if (hay[i] !== needle[0]) continue;
    let ok = true;
    for (let j = 1; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return i;
  }
  return -1;
}

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** offset of the object header ("N G obj") */
  start: number;
  /** offset just past `endobj` (or past the value when `endobj` is missing) */
  end: number;
}

/** Resolves an indirect /Length while a stream is being read. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

export class PdfParser {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos: number,
    private readonly limits: Pick<PdfLimits, 'maxNestingDepth' | 'maxTokenSize'>,
    private readonly resolveLength?: LengthResolver,
  ) {
    this.pos = pos;
  }

  private err(message: string): never {
    throw new EsealError('PDF_MALFORMED', `PDF syntax error at offset ${this.pos}: ${message}`, { offset: this.pos });
  }

  /** Skips white space and comments. */
  skipWs(): void {
    const b = this.buf;
    let p = this.pos;
    for (;;) {
      while (p < b.length && WS[b[p]] === 1) p++;
      if (p < b.length && b[p] === 0x25) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
        continue;
      }
      break;
    }
    this.pos = p;
  }

  /** Reads a regular-character token (keyword or number text) without consuming leading space. */
  private word(): string {
    const b = this.buf;
    const start = this.pos;
    while (this.pos < b.length && isRegular(b[this.pos])) this.pos++;
    if (this.pos - start > 256) this.err('token too long');
    let s = '';
    for (let i = start; i < this.pos; i++) s += String.fromCharCode(b[i]);
    return s;
  }

  /** Reads a non-negative integer at pos (no sign), or returns -1 and leaves pos unchanged. */
  private tryUint(): number {
    const b = this.buf;
    let p = this.pos;
    let n = 0;
    const start = p;
    while (p < b.length && isDigit(b[p])) {
      n = n * 10 + (b[p] - 0x30);
      p++;
      if (p - start > 15) return -1;
    }
    if (p === start || (p < b.length && isRegular(b[p]))) return -1;
    this.pos = p;
    return n;
  }

  /** Parses one value. */
  parseValue(depth = 0): PdfValue {
    if (depth > this.limits.maxNestingDepth) {
      throw new EsealError('LIMIT_EXCEEDED', `PDF objects are nested more than ${this.limits.maxNestingDepth} levels deep (offset ${this.pos})`, { limit: 'maxNestingDepth' });
    }
    this.skipWs();
    const b = this.buf;
    if (this.pos >= b.length) this.err('unexpected end of data');
    const c = b[this.pos];
    switch (c) {
      case 0x5b: {
        // [
        this.pos++;
        const arr: PdfValue[] = [];
        for (;;) {
          this.skipWs();
          if (this.pos >= b.length) this.err('unterminated array');
          if (b[this.pos] === 0x5d) {
            this.pos++;
            return arr;
          }
          arr.push(this.parseValue(depth + 1));
        }
      }
      case 0x3c: {
        if (b[this.pos + 1] === 0x3c) return this.parseDict(depth);
        return this.parseHexString();
      }
      case 0x28:
        return this.parseLiteralString();
      case 0x2f:
        return this.parseName();
      case 0x29:
      case 0x3e:
      case 0x5d:
      case 0x7b:
      case 0x7d:
        this.err(`unexpected '${String.fromCharCode(c)}'`);
      // falls through (err never returns)
      default:
        break;
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.parseNumberOrRef();
    const start = this.pos;
    const w = this.word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    this.pos = start;
    this.err(`unexpected keyword "${w.slice(0, 40)}"`);
  }

  private parseDict(depth: number): PdfDict {
    const b = this.buf;
    this.pos += 2;
    const d = new PdfDict();
    for (;;) {
      this.skipWs();
      if (this.pos >= b.length) this.err('unterminated dictionary');
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return d;
      }
      if (b[this.pos] !== 0x2f) this.err('a dictionary key must be a name');
      const key = this.parseName().name;
      this.skipWs();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        d.set(key, null); // key without value: read as null (ISO 32000-1 §7.3.7)
        continue;
      }
      const v = this.parseValue(depth + 1);
      // null values are equivalent to absent entries (§7.3.7)
      if (v !== null) d.set(key, v);
    }
  }

  private parseName(): PdfName {
    const b = this.buf;
    this.pos++;
    const start = this.pos;
    let s = '';
    while (this.pos < b.length && isRegular(b[this.pos])) {
      let c = b[this.pos++];
      if (c === 0x23) {
        const h1 = HEXVAL[b[this.pos]];
        const h2 = HEXVAL[b[this.pos + 1]];
        if (h1 >= 0 && h2 >= 0) {
          c = (h1 << 4) | h2;
          this.pos += 2;
        }
      }
      s += String.fromCharCode(c);
      if (this.pos - start > 1024) this.err('name longer than 1024 bytes');
    }
    return PdfName.of(s);
  }

  private parseNumberOrRef(): number | PdfRef {
    const start = this.pos;
    const n1 = this.tryUint();
    if (n1 >= 0) {
      // maybe "num gen R"
      const save = this.pos;
      this.skipWs();
      const n2 = this.tryUint();
      if (n2 >= 0) {
        this.skipWs();
        const b = this.buf;
        if (b[this.pos] === 0x52 && (this.pos + 1 >= b.length || !isRegular(b[this.pos + 1]))) {
          this.pos++;
          return new PdfRef(n1, n2);
        }
      }
      this.pos = save;
      return n1;
    }
    this.pos = start;
    const w = this.word();
    // lenient: "--5", "+.5", "4." are seen in the wild
    const cleaned = w.replace(/^[-+]+(?=[-+])/, '');
    const v = Number(cleaned === '.' || cleaned === '-' || cleaned === '+' || cleaned === '' ? '0' : cleaned.replace(/^([-+]?)\./, '$10.').replace(/\.$/, ''));
    if (!Number.isFinite(v)) {
      this.pos = start;
      this.err(`"${w.slice(0, 40)}" is not a number`);
    }
    return v;
  }

  private parseHexString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    this.pos++;
    const end = b.indexOf(0x3e, this.pos);
    if (end < 0) this.err('unterminated hex string');
    if (end - this.pos > this.limits.maxTokenSize * 2) {
      throw new EsealError('LIMIT_EXCEEDED', `a PDF string is longer than ${this.limits.maxTokenSize} bytes`, { limit: 'maxTokenSize' });
    }
    const out = new Uint8Array((end - this.pos + 1) >> 1);
    let n = 0;
    let hi = -1;
    for (let p = this.pos; p < end; p++) {
      const c = b[p];
      const v = HEXVAL[c];
      if (v < 0) {
        if (WS[c]) continue;
        this.pos = p;
        this.err(`'${String.fromCharCode(c)}' in a hex string`);
      }
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4; // odd number of digits: a final 0 is assumed (§7.3.4.3)
    this.pos = end + 1;
    return new PdfString(out.subarray(0, n), true, start, this.pos);
  }

  private parseLiteralString(): PdfString {
    const b = this.buf;
    const start = this.pos;
    let p = this.pos + 1;
    let depth = 1;
    // fast path: no escapes or CRs → a copy of the bytes
    let simple = true;
    let q = p;
    for (; q < b.length; q++) {
      const c = b[q];
      if (c === 0x5c || c === 0x0d) {
        simple = false;
        break;
      }
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
    }
    if (simple) {
      if (q >= b.length) this.err('unterminated string');
      if (q - p > this.limits.maxTokenSize) throw new EsealError('LIMIT_EXCEEDED', `a PDF string is longer than ${this.limits.maxTokenSize} bytes`, { limit: 'maxTokenSize' });
      this.pos = q + 1;
      return new PdfString(b.slice(p, q), false, start, this.pos);
    }
    depth = 1;
    const out: number[] = [];
    for (;;) {
      if (p >= b.length) {
        this.pos = p;
        this.err('unterminated string');
      }
      if (out.length > this.limits.maxTokenSize) throw new EsealError('LIMIT_EXCEEDED', `a PDF string is longer than ${this.limits.maxTokenSize} bytes`, { limit: 'maxTokenSize' });
      let c = b[p++];
      if (c === 0x5c) {
        c = b[p++];
        switch (c) {
          case 0x6e: out.push(0x0a); break; // \n
          case 0x72: out.push(0x0d); break; // \r
          case 0x74: out.push(0x09); break; // \t
          case 0x62: out.push(0x08); break; // \b
          case 0x66: out.push(0x0c); break; // \f
          case 0x0d: if (b[p] === 0x0a) p++; break; // line continuation
          case 0x0a: break;
          default:
            if (c >= 0x30 && c <= 0x37) {
              let v = c - 0x30;
              for (let k = 0; k < 2 && b[p] >= 0x30 && b[p] <= 0x37; k++) v = v * 8 + (b[p++] - 0x30);
              out.push(v & 0xff);
            } else if (c !== undefined) out.push(c); // \( \) \\ and unknown escapes: the character itself
        }
        continue;
      }
      if (c === 0x0d) {
        // an end-of-line inside a string reads as \n (§7.3.4.2)
        if (b[p] === 0x0a) p++;
        out.push(0x0a);
        continue;
      }
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
      out.push(c);
    }
    this.pos = p;
    return new PdfString(Uint8Array.from(out), false, start, p);
  }

  /** Expects a keyword (e.g. "obj") at the current position after white space. */
  expectKeyword(kw: string): void {
    this.skipWs();
    const start = this.pos;
    const w = this.word();
    if (w !== kw) {
      this.pos = start;
      this.err(`expected "${kw}", found "${w.slice(0, 40)}"`);
    }
  }

  /**
   * Parses "N G obj value [stream…endstream] endobj" at the current position. `expect` (object
   * number) guards against an xref entry pointing at the wrong object.
   */
  parseIndirectObject(expect?: { num: number; gen?: number }): IndirectObject {
    this.skipWs();
    const start = this.pos;
    const num = this.tryUint();
    this.skipWs();
    const gen = num >= 0 ? this.tryUint() : -1;
    if (num < 0 || gen < 0) this.err('expected an object header "N G obj"');
    this.expectKeyword('obj');
    if (expect && (expect.num !== num || (expect.gen !== undefined && expect.gen !== gen))) {
      throw new EsealError('PDF_XREF_MALFORMED', `the cross-reference table points object ${expect.num} at offset ${start}, where object ${num} ${gen} is`, { offset: start });
    }
    let value = this.parseValue(0);
    this.skipWs();
    const b = this.buf;
    if (value instanceof PdfDict && this.startsWith('stream')) value = this.parseStreamBody(value);
    this.skipWs();
    if (this.startsWith('endobj')) this.pos += 6;
    return { num, gen, value, start, end: this.pos > b.length ? b.length : this.pos };
  }

  startsWith(kw: string): boolean {
    const b = this.buf;
    for (let i = 0; i < kw.length; i++) if (b[this.pos + i] !== kw.charCodeAt(i)) return false;
    const after = b[this.pos + kw.length];
    return after === undefined || !isRegular(after);
  }

  private parseStreamBody(d: PdfDict): PdfStream {
    const b = this.buf;
    this.pos += 6; // "stream"
    // the keyword is followed by CRLF or LF (a lone CR is tolerated)
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const dataStart = this.pos;
    let len: number | undefined;
    const L = d.get('Length');
    if (typeof L === 'number') len = L;
    else if (L instanceof PdfRef && this.resolveLength) {
      try {
        len = this.resolveLength(L);
      } catch (e) {
        // an unreadable (or self-referencing) /Length: find "endstream" instead — but limits stay limits
        if (e instanceof EsealError && e.code === 'LIMIT_EXCEEDED') throw e;
        len = undefined;
      }
    }
    if (len !== undefined && Number.isInteger(len) && len >= 0 && dataStart + len <= b.length) {
      let p = dataStart + len;
      while (p < b.length && WS[b[p]]) p++;
      if (matchAt(b, p, KW_ENDSTREAM)) {
        this.pos = p + KW_ENDSTREAM.length;
        return new PdfStream(d, b.subarray(dataStart, dataStart + len));
      }
    }
    // /Length missing or wrong: the data ends before "endstream" (and its EOL)
    const e = indexOf(b, KW_ENDSTREAM, dataStart);
    if (e < 0) this.err('stream without "endstream"');
    let end = e;
    if (b[end - 1] === 0x0a) end--;
    if (b[end - 1] === 0x0d) end--;
    if (end < dataStart) end = dataStart;
    this.pos = e + KW_ENDSTREAM.length;
    return new PdfStream(d, b.subarray(dataStart, end));
  }
}

export function matchAt(b: Uint8Array, p: number, kw: Uint8Array): boolean {
  if (p + kw.length > b.length) return false;
  for (let i = 0; i < kw.length; i++) if (b[p + i] !== kw[i]) return false;
  return true;
}

/** Parses a single value from bytes (e.g. an object inside an object stream). */
export function parseValueAt(buf: Uint8Array, pos: number, limits: Pick<PdfLimits, 'maxNestingDepth' | 'maxTokenSize'>): { value: PdfValue; end: number } {
  const p = new PdfParser(buf, pos, limits);
  const value = p.parseValue(0);
  return { value, end: p.pos };
}
