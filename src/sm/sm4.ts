/**
 * @module sm/sm4
 * SM4 (GB/T 32907-2016) encryption and decryption in ECB, CBC and CTR modes, choosing node:crypto
 * (OpenSSL's sm4-ecb / sm4-cbc / sm4-ctr) when it is there and the pure TypeScript implementation
 * (sm4-pure.ts) otherwise. Both give identical output; the tests cross-check them.
 *
 * - ECB and CBC use PKCS#7 padding unless `padding: false`, in which case the data must be a
 *   multiple of 16 bytes. CTR is a stream mode: any length, no padding, and the 16-byte IV is the
 *   initial counter block, incremented as one 128-bit big-endian number that wraps at 2^128
 *   (as OpenSSL does).
 * - Padding is added and checked here, not by OpenSSL, so both paths refuse the same inputs with the
 *   same errors: wrong key/IV length or misaligned data → INVALID_ARGUMENT, bad padding on decrypt
 *   → DECRYPTION_FAILED.
 * - SM4 modes alone give no integrity. For keys at rest use `sealWithSm4` (sm4-aead.ts).
 */
import { fail } from '../util/errors.js';
import { nodeCryptoWithCipher } from './_node.js';
import {
  checkSm4Arguments, pkcs7Pad, pkcs7Unpad, sm4RawPure, Sm4RoundKeys, type Sm4Mode, type Sm4Options,
} from './sm4-pure.js';

export type { Sm4Mode, Sm4Options };

const node = {
  ecb: nodeCryptoWithCipher('sm4-ecb'),
  cbc: nodeCryptoWithCipher('sm4-cbc'),
  ctr: nodeCryptoWithCipher('sm4-ctr'),
};

/** ECB/CBC/CTR through OpenSSL without its padding (ours is applied around it). */
function rawNode(mode: Sm4Mode, key: Uint8Array, data: Uint8Array, iv: Uint8Array | undefined, decrypt: boolean): Uint8Array | undefined {
  const crypto = node[mode];
  if (!crypto) return undefined;
  const name = `sm4-${mode}`;
  const c = decrypt ? crypto.createDecipheriv(name, key, iv ?? null) : crypto.createCipheriv(name, key, iv ?? null);
  c.setAutoPadding(false);
  const a = c.update(data);
  const b = c.final();
  // Copy into a fresh array: never hand out a view into Node's shared Buffer pool.
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  a.fill(0);
  return out;
}

function raw(mode: Sm4Mode, key: Uint8Array, data: Uint8Array, iv: Uint8Array | undefined, decrypt: boolean): Uint8Array {
  let out: Uint8Array | undefined;
  try {
    out = rawNode(mode, key, data, iv, decrypt);
  } catch (e) {
    // Arguments are checked before this point; anything OpenSSL still refuses is unexpected.
    fail('INVALID_ARGUMENT', `SM4-${mode.toUpperCase()}: OpenSSL refused the operation: ${(e as Error).message}`);
  }
  return out ?? sm4RawPure(new Sm4RoundKeys(key), mode, data, iv, decrypt);
}

/**
 * Encrypts `data` with a 16-byte SM4 key. ECB/CBC pad with PKCS#7 unless `padding: false`;
 * CBC and CTR need a 16-byte `iv`.
 */
export function sm4Encrypt(key: Uint8Array, data: Uint8Array, opts: Sm4Options): Uint8Array {
  const o = checkSm4Arguments(key, data, opts, false);
  return raw(o.mode, key, o.padding ? pkcs7Pad(data) : data, o.iv, false);
}

/**
 * Decrypts `data` with a 16-byte SM4 key. With padding (default for ECB/CBC) the PKCS#7 padding is
 * checked and removed: DECRYPTION_FAILED when it is wrong (usually a wrong key or corrupted data).
 */
export function sm4Decrypt(key: Uint8Array, data: Uint8Array, opts: Sm4Options): Uint8Array {
  const o = checkSm4Arguments(key, data, opts, true);
  const out = raw(o.mode, key, data, o.iv, true);
  if (!o.padding) return out;
  try {
    return pkcs7Unpad(out, `SM4-${o.mode.toUpperCase()}`);
  } finally {
    out.fill(0);
  }
}

/** Which implementation `sm4Encrypt` uses here for every mode: "node" (OpenSSL) or "pure". */
export const sm4Backend: 'node' | 'pure' = node.ecb && node.cbc && node.ctr ? 'node' : 'pure';
