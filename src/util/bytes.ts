/**
 * @module util/bytes
 * Byte helpers over Uint8Array (never Buffer: the pure layers also run in browsers).
 */
import { fail } from './errors.js';

export type Bytes = Uint8Array;

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Equality in time independent of where the first difference is (for MACs and digests). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) fail('HEX_MALFORMED', 'hex string has an odd length or a non-hex character');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromUtf8(b: Uint8Array, strict = false): string {
  return (strict ? strictDecoder : decoder).decode(b);
}

/** Big-endian unsigned integer of exactly `len` bytes. */
export function bigintToBytes(n: bigint, len: number): Uint8Array {
  if (n < 0n) fail('INVALID_ARGUMENT', 'negative integer cannot be encoded as unsigned bytes');
  const out = new Uint8Array(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) fail('INVALID_ARGUMENT', `integer does not fit in ${len} bytes`);
  return out;
}

export function bytesToBigint(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < b.length; i++) n = (n << 8n) | BigInt(b[i]);
  return n;
}

/** Copies a view into a fresh, tightly sized Uint8Array (detaches from a larger backing buffer). */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/** Accepts Uint8Array (incl. Node Buffers) or fails with a clear message. */
export function ensureBytes(name: string, v: unknown, length?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
  if (length !== undefined && v.length !== length) fail('INVALID_ARGUMENT', `${name} must be ${length} bytes, got ${v.length}`);
  return v;
}
