/**
 * @module pki/pkcs12/kdf
 * The PKCS#12 key derivation function (RFC 7292 Appendix B.2) and its password encoding
 * (Appendix B.1: BMPString, big-endian UTF-16, with a terminating 00 00).
 *
 * It derives the MAC key (ID 3) and the legacy PBE keys (ID 1) and IVs (ID 2). PBES2 does not use it:
 * PBES2 takes the password as UTF-8 bytes into PBKDF2.
 */
import { fail } from '../../util/errors.js';
import type { DigestAlgorithm } from './hashes.js';

export const KDF_ID_KEY = 1;
export const KDF_ID_IV = 2;
export const KDF_ID_MAC = 3;

/**
 * Password as BMPString with the two-zero-byte terminator ("" gives 00 00). JavaScript strings are
 * already UTF-16, so characters outside the BMP come out as surrogate pairs, as OpenSSL writes them.
 */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/** `src` repeated to fill `ceil(len(src)/v) * v` bytes (RFC 7292 B.2 steps 2 and 3); empty stays empty. */
function fillBlocks(src: Uint8Array, v: number): Uint8Array {
  if (src.length === 0) return new Uint8Array(0);
  const out = new Uint8Array(v * Math.ceil(src.length / v));
  for (let i = 0; i < out.length; i++) out[i] = src[i % src.length];
  return out;
}

/**
 * RFC 7292 Appendix B.2: `length` bytes of key material for purpose `id` from the BMP-encoded
 * password, the salt and the iteration count, with hash `d`. The caller bounds `iterations`.
 */
export function pkcs12Kdf(d: DigestAlgorithm, id: number, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(iterations) || iterations < 1) fail('INVALID_ARGUMENT', `PKCS#12 KDF iteration count ${iterations} must be a positive integer`);
  if (!Number.isSafeInteger(length) || length < 1 || length > 1024) fail('INVALID_ARGUMENT', `PKCS#12 KDF output length ${length} is out of range`);
  const u = d.outputLength;
  const v = d.blockLength;
  const D = new Uint8Array(v).fill(id);
  const S = fillBlocks(salt, v);
  const P = fillBlocks(password, v);
  const I = new Uint8Array(S.length + P.length);
  I.set(S);
  I.set(P, S.length);
  const blocks = Math.ceil(length / u);
  const out = new Uint8Array(blocks * u);
  const DI = new Uint8Array(v + I.length);
  const B = new Uint8Array(v);
  for (let i = 0; i < blocks; i++) {
    DI.set(D);
    DI.set(I, v);
    let A = d.hash(DI);
    for (let r = 1; r < iterations; r++) A = d.hash(A);
    out.set(A, i * u);
    if (i === blocks - 1) break;
    // B = A repeated to v bytes; every v-byte block I_j of I becomes (I_j + B + 1) mod 2^(8v).
    for (let k = 0; k < v; k++) B[k] = A[k % u];
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >>> 8;
      }
    }
  }
  return out.subarray(0, length);
}
