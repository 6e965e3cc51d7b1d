/**
 * @module pdf/serialize
 * Writes PDF objects (ISO 32000-1 §7.3) as bytes: numbers without exponents, names with `#xx`
 * escapes for delimiters and non-printables, strings literal (escaped) or hex as they were read.
 */
import { fail } from '../util/errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

/** Collects text and byte chunks; `length` is always the byte count so far. */
export class ByteSink {
  private chunks: Uint8Array[] = [];
  private pending = '';
  private flushedLength = 0;

  get length(): number {
    return this.flushedLength + this.pending.length;
  }

  /** Appends Latin-1 text (every char < 256). */
  text(s: string): this {
    this.pending += s;
    if (this.pending.length > 8192) this.flush();
    return this;
  }

  bytes(b: Uint8Array): this {
    this.flush();
    this.chunks.push(b);
    this.flushedLength += b.length;
    return this;
  }

  private flush(): void {
    if (!this.pending) return;
    const s = this.pending;
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    this.chunks.push(b);
    this.flushedLength += b.length;
    this.pending = '';
  }

  /** Everything as one array. */
  toBytes(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.flushedLength);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  /** Writes everything into `target` at `offset`; returns the end offset. */
  copyInto(target: Uint8Array, offset: number): number {
    this.flush();
    let o = offset;
    for (const c of this.chunks) {
      target.set(c, o);
      o += c.length;
    }
    return o;
  }
}

/**
 * A number as PDF writes it, exactly: the shortest decimal that reads back as the same double, in
 * fixed notation (PDF has no exponents). Values read from a document are written back unchanged.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) fail('INVALID_ARGUMENT', `cannot write ${n} as a PDF number`);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const s = String(n);
  if (!s.includes('e')) return s;
  return trimZeros(n.toFixed(20));
}

/** A number for content streams: at most 4 decimals (1/10,000 pt is far below any device's resolution). */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) fail('INVALID_ARGUMENT', `cannot write ${n} as a PDF number`);
  if (Number.isInteger(n)) return String(n);
  return trimZeros(n.toFixed(4));
}

function trimZeros(s: string): string {
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
}

const NAME_PLAIN = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) NAME_PLAIN[c] = 1;
for (const c of '()<>[]{}/%#') NAME_PLAIN[c.charCodeAt(0)] = 0;

export function formatName(n: string): string {
  let s = '/';
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i) & 0xff;
    s += NAME_PLAIN[c] ? n[i] : '#' + c.toString(16).padStart(2, '0');
  }
  return s;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

function literal(b: Uint8Array): string {
  let s = '(';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x28 || c === 0x29 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else s += String.fromCharCode(c);
  }
  return s + ')';
}

/** Writes a value (streams only as the value of an indirect object: see {@link writeIndirect}). */
export function writeValue(sink: ByteSink, v: PdfValue, depth = 0): void {
  if (depth > 256) fail('INVALID_ARGUMENT', 'PDF value nested too deeply to write');
  if (v === null) sink.text('null');
  else if (typeof v === 'boolean') sink.text(v ? 'true' : 'false');
  else if (typeof v === 'number') sink.text(formatNumber(v));
  else if (v instanceof PdfName) sink.text(formatName(v.name));
  else if (v instanceof PdfRef) sink.text(`${v.num} ${v.gen} R`);
  else if (v instanceof PdfString) sink.text(v.hex ? `<${hexOf(v.bytes)}>` : literal(v.bytes));
  else if (Array.isArray(v)) {
    sink.text('[');
    v.forEach((x, i) => {
      if (i) sink.text(' ');
      writeValue(sink, x, depth + 1);
    });
    sink.text(']');
  } else if (v instanceof PdfDict) {
    sink.text('<<');
    for (const [k, x] of v.map) {
      sink.text(formatName(k));
      const needsSpace = !(x instanceof PdfName || x instanceof PdfDict || Array.isArray(x) || x instanceof PdfString);
      if (needsSpace) sink.text(' ');
      writeValue(sink, x, depth + 1);
    }
    sink.text('>>');
  } else if (v instanceof PdfStream) {
    fail('INVALID_ARGUMENT', 'a stream can only be written as an indirect object');
  } else fail('INVALID_ARGUMENT', 'not a PDF value');
}

/** Writes "num gen obj … endobj\n"; a stream gets its /Length set to its data length. */
export function writeIndirect(sink: ByteSink, num: number, gen: number, v: PdfValue): void {
  sink.text(`${num} ${gen} obj\n`);
  if (v instanceof PdfStream) {
    const d = v.dict.clone();
    d.set('Length', v.raw.length);
    writeValue(sink, d);
    sink.text('\nstream\n');
    sink.bytes(v.raw);
    sink.text('\nendstream');
  } else {
    writeValue(sink, v);
  }
  sink.text('\nendobj\n');
}
