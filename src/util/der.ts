/**
 * @module util/der
 * A small, strict DER/BER TLV reader and a DER writer.
 *
 * Why our own and not only @peculiar/asn1-schema: signatures are verified over the exact bytes that
 * were signed, so we need to slice the original TLVs out of a file (never re-encode a parsed structure).
 * The reader is also the gate for untrusted input: it checks every length against the bytes present,
 * refuses indefinite lengths and bounds the nesting depth, so later schema parsing never sees
 * nonsense that could make it recurse or allocate without limit.
 */
import { fail } from './errors.js';
import { concatBytes, utf8, fromUtf8 } from './bytes.js';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Default nesting bound: real certificates and seals stay well under 20 levels. */
export const DEFAULT_MAX_DEPTH = 48;

/** One TLV inside a byte array. Offsets are relative to `src`. */
export class DerNode {
  constructor(
    readonly src: Uint8Array,
    /** identifier octet for tag numbers < 31; for high tag numbers: class/constructed bits | 0x1f */
    readonly tag: number,
    readonly tagNumber: number,
    readonly start: number,
    readonly headerLength: number,
    readonly length: number,
  ) {}

  get cls(): number {
    return this.tag >> 6;
  }
  get constructed(): boolean {
    return (this.tag & 0x20) !== 0;
  }
  get end(): number {
    return this.start + this.headerLength + this.length;
  }
  /** The whole TLV, as it sits in the source (use this for signature verification). */
  get raw(): Uint8Array {
    return this.src.subarray(this.start, this.end);
  }
  /** The contents octets. */
  get value(): Uint8Array {
    return this.src.subarray(this.start + this.headerLength, this.end);
  }
  /** Context-specific tag number, or -1 when the node is not context-specific. */
  get contextNumber(): number {
    return this.cls === 2 ? this.tagNumber : -1;
  }
  /** Direct children of a constructed node. */
  children(): DerNode[] {
    if (!this.constructed) fail('DER_UNEXPECTED', `tag 0x${this.tag.toString(16)} is primitive, expected a constructed value`);
    const out: DerNode[] = [];
    let off = this.start + this.headerLength;
    while (off < this.end) {
      const n = readTlvAt(this.src, off, this.end);
      out.push(n);
      off = n.end;
    }
    return out;
  }
}

/** Reads one TLV at `off`, bounded by `limit`. Does not descend. */
export function readTlvAt(src: Uint8Array, off: number, limit = src.length): DerNode {
  const start = off;
  if (off >= limit) fail('DER_MALFORMED', `truncated DER: expected a tag at offset ${off}`);
  const tag = src[off++];
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    let count = 0;
    for (;;) {
      if (off >= limit) fail('DER_MALFORMED', `truncated DER: high tag number at offset ${start}`);
      const b = src[off++];
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if (++count > 4) fail('DER_MALFORMED', `tag number too large at offset ${start}`);
      if ((b & 0x80) === 0) break;
    }
  }
  if (off >= limit) fail('DER_MALFORMED', `truncated DER: expected a length at offset ${off}`);
  let length = src[off++];
  if (length === 0x80) fail('DER_MALFORMED', `indefinite length at offset ${start} is not allowed in DER`);
  if (length > 0x80) {
    const n = length & 0x7f;
    if (n > 4) fail('DER_MALFORMED', `length of ${n} octets at offset ${start} is too large`);
    if (off + n > limit) fail('DER_MALFORMED', `truncated DER: length octets at offset ${start}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + src[off++];
  }
  const headerLength = off - start;
  if (off + length > limit) {
    fail('DER_MALFORMED', `truncated DER: value at offset ${start} claims ${length} bytes, only ${limit - off} remain`, {
      offset: start,
      claimed: length,
      available: limit - off,
    });
  }
  return new DerNode(src, tag, tagNumber, start, headerLength, length);
}

/** Walks every constructed node once to check lengths nest exactly and depth stays bounded. */
function validateTree(node: DerNode, depth: number, maxDepth: number): void {
  if (depth > maxDepth) fail('DER_TOO_DEEP', `DER nesting deeper than ${maxDepth} levels`);
  if (!node.constructed) return;
  // Explicitly tagged BIT/OCTET STRING content is not walked: only constructed nodes are.
  let off = node.start + node.headerLength;
  while (off < node.end) {
    const child = readTlvAt(node.src, off, node.end);
    validateTree(child, depth + 1, maxDepth);
    off = child.end;
  }
}

export interface ParseDerOptions {
  maxDepth?: number;
  /** Allow bytes after the first TLV (default false: trailing data is an error). */
  allowTrailing?: boolean;
  /** What the bytes are supposed to be, for error messages ("certificate", "seal"). */
  what?: string;
}

/**
 * Parses and validates a complete DER value. Throws EsealError DER_MALFORMED / DER_TOO_DEEP /
 * DER_TRAILING_DATA with the offset of the problem.
 */
export function parseDer(src: Uint8Array, opts: ParseDerOptions = {}): DerNode {
  const what = opts.what ? `${opts.what}: ` : '';
  if (!(src instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${what}input must be bytes`);
  if (src.length === 0) fail('DER_MALFORMED', `${what}empty input`);
  try {
    const root = readTlvAt(src, 0);
    validateTree(root, 0, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
    if (!opts.allowTrailing && root.end !== src.length) {
      fail('DER_TRAILING_DATA', `${what}${src.length - root.end} bytes of trailing data after the DER value`, { trailing: src.length - root.end });
    }
    return root;
  } catch (e) {
    if (opts.what && e instanceof Error && !e.message.startsWith(what)) e.message = what + e.message;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------- readers

export function expectTag(node: DerNode, tag: number, what: string): DerNode {
  if (node.tag !== tag) fail('DER_UNEXPECTED', `${what}: expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  return node;
}

/** INTEGER as bigint (two's complement). */
export function readInteger(node: DerNode, what = 'INTEGER'): bigint {
  expectTag(node, TAG.INTEGER, what);
  const v = node.value;
  if (v.length === 0) fail('DER_MALFORMED', `${what}: empty INTEGER`);
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  if (v[0] & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

export function readOid(node: DerNode, what = 'OBJECT IDENTIFIER'): string {
  expectTag(node, TAG.OID, what);
  return decodeOid(node.value);
}

export function decodeOid(v: Uint8Array): string {
  if (v.length === 0) fail('DER_MALFORMED', 'empty OBJECT IDENTIFIER');
  if (v.length > 256) fail('DER_MALFORMED', 'OBJECT IDENTIFIER longer than 256 bytes');
  const arcs: string[] = [];
  // Arcs may exceed 2^53 (UUID OIDs under 2.25 are 128-bit): accumulate as bigint.
  let acc = 0n;
  for (let i = 0; i < v.length; i++) {
    acc = (acc << 7n) | BigInt(v[i] & 0x7f);
    if ((v[i] & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = acc < 80n ? acc / 40n : 2n;
        arcs.push(String(first), String(acc - first * 40n));
      } else arcs.push(String(acc));
      acc = 0n;
    } else if (i === v.length - 1) fail('DER_MALFORMED', 'OBJECT IDENTIFIER ends inside an arc');
  }
  return arcs.join('.');
}

/** BIT STRING contents without the unused-bits octet. Non-zero unused bits are refused for byte data. */
export function readBitStringBytes(node: DerNode, what = 'BIT STRING'): Uint8Array {
  expectTag(node, TAG.BIT_STRING, what);
  const v = node.value;
  if (v.length === 0) fail('DER_MALFORMED', `${what}: empty BIT STRING`);
  if (v[0] !== 0) fail('DER_MALFORMED', `${what}: ${v[0]} unused bits where whole bytes are expected`);
  return v.subarray(1);
}

export function readOctetString(node: DerNode, what = 'OCTET STRING'): Uint8Array {
  return expectTag(node, TAG.OCTET_STRING, what).value;
}

/** Any ASN.1 character string as JS text (UTF8, IA5, Printable, BMP, ...). */
export function readString(node: DerNode): string {
  if (node.tag === TAG.BMP_STRING) {
    const v = node.value;
    let s = '';
    for (let i = 0; i + 1 < v.length; i += 2) s += String.fromCharCode((v[i] << 8) | v[i + 1]);
    return s;
  }
  return fromUtf8(node.value);
}

/** UTCTime or GeneralizedTime as a Date (UTC). Accepts fractions and numeric offsets seen in real files. */
export function readTime(node: DerNode, what = 'time'): Date {
  const s = fromUtf8(node.value);
  let m: RegExpMatchArray | null;
  if (node.tag === TAG.UTC_TIME) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/);
    if (!m) fail('DER_MALFORMED', `${what}: malformed UTCTime "${s}"`);
    const yy = Number(m[1]);
    return buildDate(yy >= 50 ? 1900 + yy : 2000 + yy, m[2], m[3], m[4], m[5], m[6] ?? '00', undefined, m[7], what, s);
  }
  if (node.tag === TAG.GENERALIZED_TIME) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/);
    if (!m) fail('DER_MALFORMED', `${what}: malformed GeneralizedTime "${s}"`);
    return buildDate(Number(m[1]), m[2], m[3], m[4], m[5], m[6] ?? '00', m[7], m[8] ?? 'Z', what, s);
  }
  fail('DER_UNEXPECTED', `${what}: expected UTCTime or GeneralizedTime, found tag 0x${node.tag.toString(16)}`);
}

function buildDate(y: number, mo: string, d: string, h: string, mi: string, sec: string, frac: string | undefined, zone: string, what: string, text: string): Date {
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(y, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60000;
  }
  const date = new Date(t);
  if (Number.isNaN(t) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) {
    fail('DER_MALFORMED', `${what}: invalid date "${text}"`);
  }
  return date;
}

export function readBoolean(node: DerNode, what = 'BOOLEAN'): boolean {
  expectTag(node, TAG.BOOLEAN, what);
  if (node.length !== 1) fail('DER_MALFORMED', `${what}: BOOLEAN must be one octet`);
  return node.value[0] !== 0;
}

// ---------------------------------------------------------------------------------------------- writer

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  let v = n;
  while (v > 0) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single-octet identifier. */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const len = encodeLength(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}


export const derSequence = (...items: Uint8Array[]): Uint8Array => derTlv(TAG.SEQUENCE, concatBytes(...items));

/** SET OF: DER orders the encoded elements. */
export const derSet = (...items: Uint8Array[]): Uint8Array => {
  const sorted = [...items].sort((a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  return derTlv(TAG.SET, concatBytes(...sorted));
};

export function derInteger(n: bigint | number): Uint8Array {
  const v = BigInt(n);
  // Smallest L with -2^(8L-1) <= v < 2^(8L-1); negative values are written as v + 2^(8L).
  let len = 1;
  while (v >= 1n << BigInt(8 * len - 1) || v < -(1n << BigInt(8 * len - 1))) len++;
  let u = v < 0n ? v + (1n << BigInt(8 * len)) : v;
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return derTlv(TAG.INTEGER, out);
}

/** INTEGER from unsigned big-endian bytes (leading zeros stripped, sign octet added). */
export function derUnsignedInteger(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  return derTlv(TAG.INTEGER, body.length > 0 && body[0] & 0x80 ? concatBytes(Uint8Array.of(0), body) : body.length ? body : Uint8Array.of(0));
}

export const derOctetString = (b: Uint8Array): Uint8Array => derTlv(TAG.OCTET_STRING, b);
export const derBitString = (b: Uint8Array): Uint8Array => derTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), b));
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
export const derBoolean = (v: boolean): Uint8Array => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const derUtf8String = (s: string): Uint8Array => derTlv(TAG.UTF8_STRING, utf8(s));
export const derIa5String = (s: string): Uint8Array => {
  if (!/^[\x00-\x7f]*$/.test(s)) fail('INVALID_ARGUMENT', `IA5String must be ASCII: "${s}"`);
  return derTlv(TAG.IA5_STRING, utf8(s));
};
export const derPrintableString = (s: string): Uint8Array => derTlv(TAG.PRINTABLE_STRING, utf8(s));

export function encodeOid(oid: string): Uint8Array {
  if (!/^[0-2](\.\d+)+$/.test(oid)) fail('INVALID_ARGUMENT', `not an OID: "${oid}"`);
  const arcs = oid.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const push = (value: bigint) => {
    let v = value;
    const tmp: number[] = [Number(v & 0x7fn)];
    v >>= 7n;
    while (v > 0n) {
      tmp.unshift(0x80 | Number(v & 0x7fn));
      v >>= 7n;
    }
    out.push(...tmp);
  };
  push(arcs[0] * 40n + arcs[1]);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

export const derOid = (oid: string): Uint8Array => derTlv(TAG.OID, encodeOid(oid));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** GeneralizedTime "YYYYMMDDHHMMSSZ" (no fractions, as every seal file we have seen). */
export function derGeneralizedTime(d: Date): Uint8Array {
  if (Number.isNaN(d.getTime())) fail('INVALID_ARGUMENT', 'invalid date');
  const s = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return derTlv(TAG.GENERALIZED_TIME, utf8(s));
}

export function derUtcTime(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  if (y < 1950 || y > 2049) fail('INVALID_ARGUMENT', `UTCTime covers 1950-2049, got ${y}`);
  const s = `${pad(y % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return derTlv(TAG.UTC_TIME, utf8(s));
}

/** Context-specific [n]; constructed = EXPLICIT wrapping (or IMPLICIT of a constructed type). */
export function derContext(n: number, content: Uint8Array, constructed = true): Uint8Array {
  if (n > 30) fail('INVALID_ARGUMENT', 'context tag numbers above 30 are not supported');
  return derTlv(0x80 | (constructed ? 0x20 : 0) | n, content);
}
