/**
 * @module sm/sm2/signature-encoding
 * SM2 signature value encodings: GB/T 35276 DER `SEQUENCE { r INTEGER, s INTEGER }` (what we write)
 * and raw 64-byte r‖s (what some vendors write, e.g. the Shandong samples; accepted when reading).
 */
import { fail } from '../../util/errors.js';
import { bigintToBytes, bytesToBigint } from '../../util/bytes.js';
import { derSequence, derInteger, parseDer, readInteger, TAG } from '../../util/der.js';
import { SM2_CURVE } from './curve.js';

export interface RS {
  r: bigint;
  s: bigint;
}

export function encodeSignatureDer(sig: RS): Uint8Array {
  return derSequence(derInteger(sig.r), derInteger(sig.s));
}

export function encodeSignatureRaw(sig: RS, byteLength = 32): Uint8Array {
  const out = new Uint8Array(byteLength * 2);
  out.set(bigintToBytes(sig.r, byteLength), 0);
  out.set(bigintToBytes(sig.s, byteLength), byteLength);
  return out;
}

/**
 * Decodes DER or raw r‖s (told apart by length and the leading SEQUENCE tag) and checks that
 * 1 <= r, s <= n-1 (GB/T 32918.2 §7.1 B1, B2). Throws SIGNATURE_MALFORMED naming the problem.
 */
export function decodeSignature(sig: Uint8Array, n = SM2_CURVE.n, byteLength = 32): RS {
  if (!(sig instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'signature must be bytes');
  let r: bigint;
  let s: bigint;
  const rawLength = sig.length === byteLength * 2;
  if (rawLength && !(sig[0] === TAG.SEQUENCE && sig[1] === byteLength * 2 - 2)) {
    r = bytesToBigint(sig.subarray(0, byteLength));
    s = bytesToBigint(sig.subarray(byteLength));
  } else {
    let parsed: RS | undefined;
    let problem = '';
    let seq;
    try {
      seq = parseDer(sig, { maxDepth: 2 });
    } catch (e) {
      problem = `SM2 signature is neither DER SEQUENCE{r,s} nor raw ${byteLength * 2}-byte r‖s: ${(e as Error).message}`;
    }
    if (seq) {
      const kids = seq.tag === TAG.SEQUENCE ? seq.children() : [];
      if (seq.tag !== TAG.SEQUENCE) problem = 'SM2 signature DER is not a SEQUENCE';
      else if (kids.length !== 2) problem = `SM2 signature SEQUENCE has ${kids.length} elements, expected 2 (r, s)`;
      else {
        try {
          parsed = { r: readInteger(kids[0], 'r'), s: readInteger(kids[1], 's') };
        } catch (e) {
          problem = `SM2 signature: ${(e as Error).message}`;
        }
      }
    }
    if (parsed) ({ r, s } = parsed);
    // 64 bytes starting 30 3E that are not a valid DER signature: raw r‖s whose r starts with those bytes.
    else if (rawLength) {
      r = bytesToBigint(sig.subarray(0, byteLength));
      s = bytesToBigint(sig.subarray(byteLength));
    } else fail('SIGNATURE_MALFORMED', problem);
  }
  if (r < 1n || r >= n) fail('SIGNATURE_MALFORMED', 'SM2 signature r is out of range [1, n-1]');
  if (s < 1n || s >= n) fail('SIGNATURE_MALFORMED', 'SM2 signature s is out of range [1, n-1]');
  return { r, s };
}

/** Re-encodes any accepted form as DER. */
export function signatureToDer(sig: Uint8Array): Uint8Array {
  return encodeSignatureDer(decodeSignature(sig));
}

export function signatureToRaw(sig: Uint8Array): Uint8Array {
  return encodeSignatureRaw(decodeSignature(sig));
}
