/**
 * @module pki/pkcs12/rc2
 * RC2 block cipher (RFC 2268) and its CBC mode, in pure TypeScript.
 *
 * Why here: legacy PKCS#12 files (pbeWithSHAAnd40BitRC2-CBC, what OpenSSL 1.x and many Chinese CA
 * tools wrote for the certificate bags) need RC2, and node's OpenSSL 3 does not load the legacy
 * provider that holds it. RC2 is only ever used to decrypt old files: it is not offered for writing.
 */
import { fail } from '../../util/errors.js';

/** PITABLE of RFC 2268 §2: a permutation of 0..255 derived from the digits of pi. */
const PITABLE = Uint8Array.from([
  0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
  0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
  0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
  0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
  0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
  0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
  0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
  0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
  0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
  0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
  0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
  0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
  0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
  0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
  0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
  0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
]);

export const RC2_BLOCK_SIZE = 8;

/** The 64 expanded 16-bit key words K[0..63] (RFC 2268 §2). */
export type Rc2Key = Uint16Array;

/**
 * Key expansion. `effectiveBits` (T1) limits the key's strength: 40 for "RC2-40", 128 for the
 * PKCS#12 128-bit variant; it defaults to the key length in bits, capped at 1024.
 */
export function rc2ExpandKey(key: Uint8Array, effectiveBits = Math.min(key.length * 8, 1024)): Rc2Key {
  const T = key.length;
  if (T < 1 || T > 128) fail('INVALID_ARGUMENT', `RC2 key must be 1 to 128 bytes, got ${T}`);
  if (!Number.isInteger(effectiveBits) || effectiveBits < 1 || effectiveBits > 1024) {
    fail('INVALID_ARGUMENT', `RC2 effective key length must be 1 to 1024 bits, got ${effectiveBits}`);
  }
  const T8 = Math.ceil(effectiveBits / 8);
  const TM = 0xff >> (8 * T8 - effectiveBits);
  const L = new Uint8Array(128);
  L.set(key);
  for (let i = T; i < 128; i++) L[i] = PITABLE[(L[i - 1] + L[i - T]) & 0xff];
  L[128 - T8] = PITABLE[L[128 - T8] & TM];
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1] ^ L[i + T8]];
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i] | (L[2 * i + 1] << 8);
  return K;
}

const rol = (x: number, s: number) => ((x << s) | (x >>> (16 - s))) & 0xffff;
const ror = (x: number, s: number) => ((x >>> s) | (x << (16 - s))) & 0xffff;

/** Encrypts one 8-byte block from `src[off..]` into `dst[off..]`. */
function encryptBlock(K: Rc2Key, src: Uint8Array, sOff: number, dst: Uint8Array, dOff: number): void {
  let r0 = src[sOff] | (src[sOff + 1] << 8);
  let r1 = src[sOff + 2] | (src[sOff + 3] << 8);
  let r2 = src[sOff + 4] | (src[sOff + 5] << 8);
  let r3 = src[sOff + 6] | (src[sOff + 7] << 8);
  let j = 0;
  for (let round = 0; round < 16; round++) {
    // mixing round (RFC 2268 §3.1)
    r0 = rol((r0 + K[j++] + (r3 & r2) + (~r3 & r1)) & 0xffff, 1);
    r1 = rol((r1 + K[j++] + (r0 & r3) + (~r0 & r2)) & 0xffff, 2);
    r2 = rol((r2 + K[j++] + (r1 & r0) + (~r1 & r3)) & 0xffff, 3);
    r3 = rol((r3 + K[j++] + (r2 & r1) + (~r2 & r0)) & 0xffff, 5);
    if (round === 4 || round === 10) {
      // mashing round (§3.2) after the 5th and 11th mixing rounds
      r0 = (r0 + K[r3 & 63]) & 0xffff;
      r1 = (r1 + K[r0 & 63]) & 0xffff;
      r2 = (r2 + K[r1 & 63]) & 0xffff;
      r3 = (r3 + K[r2 & 63]) & 0xffff;
    }
  }
  dst[dOff] = r0 & 0xff;
  dst[dOff + 1] = r0 >>> 8;
  dst[dOff + 2] = r1 & 0xff;
  dst[dOff + 3] = r1 >>> 8;
  dst[dOff + 4] = r2 & 0xff;
  dst[dOff + 5] = r2 >>> 8;
  dst[dOff + 6] = r3 & 0xff;
  dst[dOff + 7] = r3 >>> 8;
}

/** Decrypts one 8-byte block (RFC 2268 §4: the rounds in reverse). */
function decryptBlock(K: Rc2Key, src: Uint8Array, sOff: number, dst: Uint8Array, dOff: number): void {
  let r0 = src[sOff] | (src[sOff + 1] << 8);
  let r1 = src[sOff + 2] | (src[sOff + 3] << 8);
  let r2 = src[sOff + 4] | (src[sOff + 5] << 8);
  let r3 = src[sOff + 6] | (src[sOff + 7] << 8);
  let j = 63;
  for (let round = 15; round >= 0; round--) {
    // r-mixing round (§4.1)
    r3 = (ror(r3, 5) - K[j--] - (r2 & r1) - (~r2 & r0)) & 0xffff;
    r2 = (ror(r2, 3) - K[j--] - (r1 & r0) - (~r1 & r3)) & 0xffff;
    r1 = (ror(r1, 2) - K[j--] - (r0 & r3) - (~r0 & r2)) & 0xffff;
    r0 = (ror(r0, 1) - K[j--] - (r3 & r2) - (~r3 & r1)) & 0xffff;
    if (round === 5 || round === 11) {
      // r-mashing round (§4.2) before the 6th and 12th r-mixing rounds counted from the end
      r3 = (r3 - K[r2 & 63]) & 0xffff;
      r2 = (r2 - K[r1 & 63]) & 0xffff;
      r1 = (r1 - K[r0 & 63]) & 0xffff;
      r0 = (r0 - K[r3 & 63]) & 0xffff;
    }
  }
  dst[dOff] = r0 & 0xff;
  dst[dOff + 1] = r0 >>> 8;
  dst[dOff + 2] = r1 & 0xff;
  dst[dOff + 3] = r1 >>> 8;
  dst[dOff + 4] = r2 & 0xff;
  dst[dOff + 5] = r2 >>> 8;
  dst[dOff + 6] = r3 & 0xff;
  dst[dOff + 7] = r3 >>> 8;
}

function checkBlocks(data: Uint8Array, what: string): void {
  if (data.length % RC2_BLOCK_SIZE !== 0) fail('INVALID_ARGUMENT', `RC2 ${what}: ${data.length} bytes is not a multiple of the 8-byte block`);
}

/** ECB over whole blocks (for the RFC 2268 test vectors). */
export function rc2EncryptEcb(K: Rc2Key, data: Uint8Array): Uint8Array {
  checkBlocks(data, 'ECB input');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 8) encryptBlock(K, data, o, out, o);
  return out;
}

export function rc2DecryptEcb(K: Rc2Key, data: Uint8Array): Uint8Array {
  checkBlocks(data, 'ECB input');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 8) decryptBlock(K, data, o, out, o);
  return out;
}

/** CBC encryption of whole blocks, no padding (the caller pads). */
export function rc2EncryptCbc(K: Rc2Key, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== RC2_BLOCK_SIZE) fail('INVALID_ARGUMENT', `RC2-CBC IV must be 8 bytes, got ${iv.length}`);
  checkBlocks(data, 'CBC input');
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(8);
  let prev: Uint8Array = iv;
  let prevOff = 0;
  for (let o = 0; o < data.length; o += 8) {
    for (let i = 0; i < 8; i++) block[i] = data[o + i] ^ prev[prevOff + i];
    encryptBlock(K, block, 0, out, o);
    prev = out;
    prevOff = o;
  }
  return out;
}

/** CBC decryption of whole blocks, no padding removed (the caller unpads). */
export function rc2DecryptCbc(K: Rc2Key, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== RC2_BLOCK_SIZE) fail('INVALID_ARGUMENT', `RC2-CBC IV must be 8 bytes, got ${iv.length}`);
  checkBlocks(data, 'CBC input');
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += 8) {
    decryptBlock(K, data, o, out, o);
    const prev = o === 0 ? iv : data.subarray(o - 8, o);
    for (let i = 0; i < 8; i++) out[o + i] ^= prev[i];
  }
  return out;
}
