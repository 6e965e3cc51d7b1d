/**
 * @module sm/sm4-pure
 * SM4 block cipher (GB/T 32907-2016, formerly GM/T 0002-2012 / SMS4) in pure TypeScript, with the
 * ECB, CBC and CTR modes and PKCS#7 padding. Runs in browsers; on Node, `sm4.ts` uses OpenSSL
 * instead and the tests check that both give identical output.
 *
 * The argument checks and the padding below are shared with the node:crypto path, so both paths
 * fail on the same inputs with the same codes and messages.
 *
 * Section numbers refer to GB/T 32907-2016: §5 key and key parameters (MK, rk, FK, CK),
 * §6 round function F (§6.2.1 S-box τ, §6.2.2 linear transform L), §7.1 encryption,
 * §7.2 decryption, §7.3 key expansion, Annex A examples.
 */
import { fail } from '../util/errors.js';

export type Sm4Mode = 'ecb' | 'cbc' | 'ctr';

export interface Sm4Options {
  mode: Sm4Mode;
  /** 16 bytes; required for cbc and ctr (for ctr: the initial counter block), refused for ecb. */
  iv?: Uint8Array;
  /** PKCS#7 padding: default true for ecb and cbc, ignored for ctr (a stream mode). */
  padding?: boolean;
}

export const SM4_BLOCK_SIZE = 16;
export const SM4_KEY_SIZE = 16;

// ------------------------------------------------------------------------------------ constants

/** §6.2.1 S-box τ: Sbox[16·row + column]. */
const SBOX = Uint8Array.from([
  0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
  0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
  0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
  0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
  0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
  0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
  0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
  0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
  0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
  0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
  0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
  0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
  0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
  0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
  0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
  0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
]);

/** §5 system parameter FK. */
const FK = Uint32Array.from([0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc]);

/** §5 fixed parameter CK: byte j of CK_i is ck_{i,j} = (4i + j) × 7 mod 256 (§7.3 lists the values). */
const CK = new Uint32Array(32);
for (let i = 0; i < 32; i++) {
  let w = 0;
  for (let j = 0; j < 4; j++) w = (w << 8) | (((4 * i + j) * 7) & 0xff);
  CK[i] = w >>> 0;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** §6.2.1 τ: the S-box applied to each byte of a word. */
function tau(a: number): number {
  return (SBOX[a >>> 24] << 24) | (SBOX[(a >>> 16) & 0xff] << 16) | (SBOX[(a >>> 8) & 0xff] << 8) | SBOX[a & 0xff];
}

/** §6.2.2 L(B) = B ⊕ (B <<< 2) ⊕ (B <<< 10) ⊕ (B <<< 18) ⊕ (B <<< 24). */
const L = (b: number): number => b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24);
/** §7.3 L'(B) = B ⊕ (B <<< 13) ⊕ (B <<< 23), used by the key expansion's T'. */
const L1 = (b: number): number => b ^ rotl(b, 13) ^ rotl(b, 23);

/**
 * T = L ∘ τ as four lookup tables: L is linear over ⊕ and commutes with rotation, so
 * T(a) = T0[a0] ⊕ T1[a1] ⊕ T2[a2] ⊕ T3[a3] with T0[x] = L(Sbox[x] << 24) and Tk = T0 >>> 8k.
 */
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);
for (let x = 0; x < 256; x++) {
  const t = L(SBOX[x] << 24);
  T0[x] = t;
  T1[x] = rotl(t, 24);
  T2[x] = rotl(t, 16);
  T3[x] = rotl(t, 8);
}

/**
 * §7.1 (and §7.2 with reversed round keys): 32 applications of the round function
 * X_{i+4} = F(X_i, X_{i+1}, X_{i+2}, X_{i+3}, rk_i) = X_i ⊕ T(X_{i+1} ⊕ X_{i+2} ⊕ X_{i+3} ⊕ rk_i) (§6.1),
 * then the reverse transform R: output (X_35, X_34, X_33, X_32). `s` holds the 4 words in and out.
 */
function cryptWords(rk: Uint32Array, s: Uint32Array): void {
  let x0 = s[0];
  let x1 = s[1];
  let x2 = s[2];
  let x3 = s[3];
  let a: number;
  for (let i = 0; i < 32; i += 4) {
    a = x1 ^ x2 ^ x3 ^ rk[i];
    x0 ^= T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];
    a = x2 ^ x3 ^ x0 ^ rk[i + 1];
    x1 ^= T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];
    a = x3 ^ x0 ^ x1 ^ rk[i + 2];
    x2 ^= T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];
    a = x0 ^ x1 ^ x2 ^ rk[i + 3];
    x3 ^= T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];
  }
  s[0] = x3;
  s[1] = x2;
  s[2] = x1;
  s[3] = x0;
}

function loadWords(src: Uint8Array, off: number, s: Uint32Array): void {
  for (let i = 0; i < 4; i++, off += 4) s[i] = (src[off] << 24) | (src[off + 1] << 16) | (src[off + 2] << 8) | src[off + 3];
}

function storeWords(s: Uint32Array, dst: Uint8Array, off: number): void {
  for (let i = 0; i < 4; i++, off += 4) {
    const w = s[i];
    dst[off] = w >>> 24;
    dst[off + 1] = (w >>> 16) & 0xff;
    dst[off + 2] = (w >>> 8) & 0xff;
    dst[off + 3] = w & 0xff;
  }
}

function checkKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 key must be a Uint8Array');
  if (key.length !== SM4_KEY_SIZE) fail('INVALID_ARGUMENT', `SM4 key must be 16 bytes, got ${key.length}`, { length: key.length });
}

/**
 * An expanded SM4 key: the 32 round keys, computed once (§7.3) and reused for any number of
 * blocks. `encryptBlock`/`decryptBlock` work on one 16-byte block; `src` and `dst` may be the
 * same array (in place).
 */
export class Sm4RoundKeys {
  /** rk_0 … rk_31 (encryption order). */
  private readonly enc = new Uint32Array(32);
  /** rk_31 … rk_0 (§7.2: decryption is encryption with the round keys reversed). */
  private readonly dec = new Uint32Array(32);
  private readonly s = new Uint32Array(4);

  constructor(key: Uint8Array) {
    checkKey(key);
    // §7.3: (K_0, K_1, K_2, K_3) = (MK_0 ⊕ FK_0, …, MK_3 ⊕ FK_3);
    // rk_i = K_{i+4} = K_i ⊕ T'(K_{i+1} ⊕ K_{i+2} ⊕ K_{i+3} ⊕ CK_i), T' = L' ∘ τ.
    const k = this.s;
    loadWords(key, 0, k);
    let k0 = k[0] ^ FK[0];
    let k1 = k[1] ^ FK[1];
    let k2 = k[2] ^ FK[2];
    let k3 = k[3] ^ FK[3];
    for (let i = 0; i < 32; i++) {
      const next = k0 ^ L1(tau(k1 ^ k2 ^ k3 ^ CK[i]));
      this.enc[i] = next;
      this.dec[31 - i] = next;
      k0 = k1;
      k1 = k2;
      k2 = k3;
      k3 = next;
    }
    k.fill(0);
  }

  /** Encrypts the 16 bytes at `src[srcOff]` into `dst[dstOff]` (a new block by default); returns `dst`. */
  encryptBlock(src: Uint8Array, dst: Uint8Array = new Uint8Array(16), srcOff = 0, dstOff = 0): Uint8Array {
    return this.block(this.enc, src, dst, srcOff, dstOff);
  }

  /** Decrypts the 16 bytes at `src[srcOff]` into `dst[dstOff]` (a new block by default); returns `dst`. */
  decryptBlock(src: Uint8Array, dst: Uint8Array = new Uint8Array(16), srcOff = 0, dstOff = 0): Uint8Array {
    return this.block(this.dec, src, dst, srcOff, dstOff);
  }

  /** Overwrites the round keys (after use of a long-lived key). The object is unusable afterwards. */
  wipe(): void {
    this.enc.fill(0);
    this.dec.fill(0);
    this.s.fill(0);
  }

  private block(rk: Uint32Array, src: Uint8Array, dst: Uint8Array, srcOff: number, dstOff: number): Uint8Array {
    if (srcOff < 0 || srcOff + 16 > src.length) fail('INVALID_ARGUMENT', `SM4 block needs 16 bytes at offset ${srcOff}, input has ${src.length}`);
    if (dstOff < 0 || dstOff + 16 > dst.length) fail('INVALID_ARGUMENT', `SM4 block needs 16 bytes at offset ${dstOff}, output has ${dst.length}`);
    loadWords(src, srcOff, this.s);
    cryptWords(rk, this.s);
    storeWords(this.s, dst, dstOff);
    return dst;
  }

  /** @internal Mode loops below work on words to avoid per-block allocation. */
  static roundKeys(k: Sm4RoundKeys, decrypt: boolean): Uint32Array {
    return decrypt ? k.dec : k.enc;
  }
}

// ------------------------------------------------------------------------------ checks, padding

export interface CheckedSm4Options {
  mode: Sm4Mode;
  iv: Uint8Array | undefined;
  padding: boolean;
}

/**
 * Validates key, IV and data length for `mode` (shared by the pure and the node:crypto paths).
 * Throws EsealError INVALID_ARGUMENT naming the problem.
 */
export function checkSm4Arguments(key: unknown, data: unknown, opts: Sm4Options | undefined, decrypt: boolean): CheckedSm4Options {
  checkKey(key);
  if (!(data instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 data must be a Uint8Array');
  if (opts === null || typeof opts !== 'object') fail('INVALID_ARGUMENT', 'SM4 options with a mode (ecb, cbc or ctr) are required');
  const { mode, iv } = opts;
  if (mode !== 'ecb' && mode !== 'cbc' && mode !== 'ctr') fail('INVALID_ARGUMENT', `SM4 mode must be ecb, cbc or ctr, got ${String(mode)}`);
  const name = `SM4-${mode.toUpperCase()}`;
  if (mode === 'ecb') {
    if (iv !== undefined) fail('INVALID_ARGUMENT', 'SM4-ECB takes no IV');
  } else {
    if (iv === undefined) fail('INVALID_ARGUMENT', `${name} needs a 16-byte IV`);
    if (!(iv instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${name} IV must be a Uint8Array`);
    if (iv.length !== SM4_BLOCK_SIZE) fail('INVALID_ARGUMENT', `${name} IV must be 16 bytes, got ${iv.length}`, { length: iv.length });
  }
  const padding = mode === 'ctr' ? false : opts.padding ?? true;
  if (mode !== 'ctr') {
    if (!padding && data.length % SM4_BLOCK_SIZE !== 0) {
      fail('INVALID_ARGUMENT', `${name} without padding needs a multiple of 16 bytes, got ${data.length}`, { length: data.length });
    }
    if (padding && decrypt && (data.length === 0 || data.length % SM4_BLOCK_SIZE !== 0)) {
      fail('INVALID_ARGUMENT', `${name} ciphertext with PKCS#7 padding must be a non-zero multiple of 16 bytes, got ${data.length}`, { length: data.length });
    }
  }
  return { mode, iv, padding };
}

/** PKCS#7 (RFC 5652 §6.3): 1..16 bytes, each holding the pad length. */
export function pkcs7Pad(data: Uint8Array): Uint8Array {
  const n = SM4_BLOCK_SIZE - (data.length % SM4_BLOCK_SIZE);
  const out = new Uint8Array(data.length + n);
  out.set(data);
  out.fill(n, data.length);
  return out;
}

/**
 * Removes PKCS#7 padding; DECRYPTION_FAILED when it is not valid. The whole last block is
 * checked without an early exit, so the time does not depend on where the padding is wrong.
 */
export function pkcs7Unpad(data: Uint8Array, what = 'SM4'): Uint8Array {
  const len = data.length;
  if (len === 0 || len % SM4_BLOCK_SIZE !== 0) fail('DECRYPTION_FAILED', `${what} decryption failed: no complete padded block`);
  const n = data[len - 1];
  let bad = ((n - 1) >>> 31) | ((16 - n) >>> 31); // n == 0 or n > 16
  for (let i = 1; i <= SM4_BLOCK_SIZE; i++) {
    const inPad = ((i - n - 1) >>> 31) & 1; // i <= n
    bad |= inPad & (data[len - i] !== n ? 1 : 0);
  }
  if (bad) fail('DECRYPTION_FAILED', `${what} decryption failed: bad PKCS#7 padding (wrong key or corrupted data)`);
  return data.slice(0, len - n);
}

// --------------------------------------------------------------------------------------- modes

/** 128-bit big-endian increment with wrap-around at 2^128, as OpenSSL's CTR mode does. */
function incrementCounter(ctr: Uint8Array): void {
  for (let i = 15; i >= 0; i--) {
    ctr[i] = (ctr[i] + 1) & 0xff;
    if (ctr[i] !== 0) return;
  }
}

/**
 * ECB / CBC / CTR over block-aligned data (any length for CTR), no padding. `decrypt` selects the
 * direction for ECB and CBC; CTR is its own inverse.
 */
export function sm4RawPure(keys: Sm4RoundKeys, mode: Sm4Mode, data: Uint8Array, iv: Uint8Array | undefined, decrypt: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  const s = new Uint32Array(4);
  if (mode === 'ctr') {
    const rk = Sm4RoundKeys.roundKeys(keys, false);
    const ctr = new Uint8Array(iv!);
    const ks = new Uint8Array(16);
    for (let off = 0; off < data.length; off += 16) {
      loadWords(ctr, 0, s);
      cryptWords(rk, s);
      storeWords(s, ks, 0);
      const n = Math.min(16, data.length - off);
      for (let i = 0; i < n; i++) out[off + i] = data[off + i] ^ ks[i];
      incrementCounter(ctr);
    }
    ks.fill(0);
    return out;
  }
  const rk = Sm4RoundKeys.roundKeys(keys, decrypt);
  if (mode === 'ecb') {
    for (let off = 0; off < data.length; off += 16) {
      loadWords(data, off, s);
      cryptWords(rk, s);
      storeWords(s, out, off);
    }
    return out;
  }
  // CBC: C_i = E(P_i ⊕ C_{i-1}), P_i = D(C_i) ⊕ C_{i-1}, C_{-1} = IV.
  const prev = new Uint32Array(4);
  loadWords(iv!, 0, prev);
  const c = new Uint32Array(4);
  for (let off = 0; off < data.length; off += 16) {
    loadWords(data, off, s);
    if (decrypt) {
      c.set(s);
      cryptWords(rk, s);
      for (let i = 0; i < 4; i++) s[i] ^= prev[i];
      prev.set(c);
    } else {
      for (let i = 0; i < 4; i++) s[i] ^= prev[i];
      cryptWords(rk, s);
      prev.set(s);
    }
    storeWords(s, out, off);
  }
  return out;
}

/** SM4 encryption in pure TypeScript; same contract as `sm4Encrypt` in sm4.ts. */
export function sm4EncryptPure(key: Uint8Array, data: Uint8Array, opts: Sm4Options): Uint8Array {
  const o = checkSm4Arguments(key, data, opts, false);
  const input = o.padding ? pkcs7Pad(data) : data;
  return sm4RawPure(new Sm4RoundKeys(key), o.mode, input, o.iv, false);
}

/** SM4 decryption in pure TypeScript; same contract as `sm4Decrypt` in sm4.ts. */
export function sm4DecryptPure(key: Uint8Array, data: Uint8Array, opts: Sm4Options): Uint8Array {
  const o = checkSm4Arguments(key, data, opts, true);
  const out = sm4RawPure(new Sm4RoundKeys(key), o.mode, data, o.iv, true);
  if (!o.padding) return out;
  try {
    return pkcs7Unpad(out, `SM4-${o.mode.toUpperCase()}`);
  } finally {
    out.fill(0);
  }
}
