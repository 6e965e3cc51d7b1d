/**
 * @module pdf/objects
 * The PDF object model (ISO 32000-1 §7.3): null, booleans, numbers, names, strings, arrays,
 * dictionaries, streams and indirect references. Strings are bytes (their encoding is the reader's
 * business); names are decoded (`#xx` resolved) and kept as JavaScript strings of their bytes.
 */

export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  private constructor(readonly name: string) {}
  /** The one PdfName object for `name` (names compare by identity after this). */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name);
    if (!n) {
      n = new PdfName(name);
      if (PdfName.interned.size < 10_000) PdfName.interned.set(name, n);
    }
    return n;
  }
  toString(): string {
    return `/${this.name}`;
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  key(): string {
    return `${this.num} ${this.gen}`;
  }
  equals(o: unknown): boolean {
    return o instanceof PdfRef && o.num === this.num && o.gen === this.gen;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    /** written as <hex> in the source (or to be written so) */
    readonly hex = false,
    /** offset of the token's first byte ('(' or '<') in the buffer it was parsed from */
    readonly start = -1,
    /** offset just past the token's last byte */
    readonly end = -1,
  ) {}
}

export class PdfDict {
  readonly map: Map<string, PdfValue>;
  constructor(entries?: Iterable<[string, PdfValue]>) {
    this.map = new Map(entries);
  }
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  set(key: string, v: PdfValue): this {
    this.map.set(key, v);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  /** The entry as a name, or undefined. */
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
  num(key: string): number | undefined {
    const v = this.map.get(key);
    return typeof v === 'number' ? v : undefined;
  }
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** the encoded data as stored (a view into the source) */
    readonly raw: Uint8Array,
  ) {}
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream;

export const isDict = (v: unknown): v is PdfDict => v instanceof PdfDict;
export const isRef = (v: unknown): v is PdfRef => v instanceof PdfRef;
export const isName = (v: unknown, name?: string): v is PdfName => v instanceof PdfName && (name === undefined || v.name === name);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const name = (n: string): PdfName => PdfName.of(n);
export const ref = (num: number, gen = 0): PdfRef => new PdfRef(num, gen);
export const dict = (o: Record<string, PdfValue | undefined>): PdfDict => {
  const d = new PdfDict();
  for (const [k, v] of Object.entries(o)) if (v !== undefined) d.set(k, v);
  return d;
};

/** A text string for /T, /Reason… : PDFDocEncoding-safe ASCII as is, anything else as UTF-16BE with BOM. */
export function textString(s: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  const units: number[] = [0xfe, 0xff];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    units.push(c >> 8, c & 0xff);
  }
  return new PdfString(Uint8Array.from(units), true);
}

/** Decodes a PDF text string: UTF-16BE (with BOM), UTF-8 (PDF 2.0, with BOM) or PDFDocEncoding (approximated by Latin-1). */
export function decodeTextString(b: Uint8Array): string {
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
    return s;
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** PDF date string (ISO 32000-1 §7.9.4) in UTC: D:YYYYMMDDHHmmSSZ. */
export function pdfDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Parses a PDF date string; undefined when it is not one. */
export function parsePdfDate(s: string): Date | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(\d{2})?'?)?)?/.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(th) * 60 + Number(tm)) * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Structural equality of two values (references compared by number and generation, streams by dict and bytes). */
export function equalValues(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > 100) return false;
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof PdfRef) return a.equals(b);
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && bytesEqual(a.bytes, b.bytes);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalValues(x, b[i], depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!b.map.has(k) || !equalValues(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) return b instanceof PdfStream && equalValues(a.dict, b.dict, depth + 1) && bytesEqual(a.raw, b.raw);
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
