/**
 * @module sm/sm2/encrypt
 * SM2 public-key encryption (GB/T 32918.4-2016 §6, §7) with ciphertext in the C1‖C3‖C2 order of
 * GB/T 35276 / GM/T 0009 — either the ASN.1 form `SEQUENCE { x INTEGER, y INTEGER, hash OCTET
 * STRING, ciphertext OCTET STRING }` (default) or raw 04‖x1‖y1‖C3‖C2.
 */
import { fail } from '../../util/errors.js';
import { bigintToBytes, bytesToBigint, concatBytes, equalBytes } from '../../util/bytes.js';
import { derInteger, derOctetString, derSequence, parseDer, readInteger, readOctetString, TAG } from '../../util/der.js';
import { randomBytes } from '../_node.js';
import { createSm3, sm3 } from '../sm3.js';
import { SM2_CURVE, type Sm2Curve } from './curve.js';
import { decodePublicKey, privateKeyToScalar, randomScalar, type RandomSource } from './keys.js';

export type Sm2CiphertextFormat = 'asn1' | 'raw';

/** GB/T 32918.4 §5.4.3 key derivation function with SM3. */
export function kdf(z: Uint8Array, klen: number): Uint8Array {
  const out = new Uint8Array(klen);
  const ct = new Uint8Array(4);
  for (let off = 0, counter = 1; off < klen; off += 32, counter++) {
    new DataView(ct.buffer).setUint32(0, counter, false);
    const h = createSm3().update(z).update(ct).digest();
    out.set(h.subarray(0, Math.min(32, klen - off)), off);
  }
  return out;
}

export interface EncryptOptions {
  format?: Sm2CiphertextFormat;
  random?: RandomSource;
  curve?: Sm2Curve;
}

export function encrypt(publicKey: Uint8Array, plaintext: Uint8Array, opts: EncryptOptions = {}): Uint8Array {
  const curve = opts.curve ?? SM2_CURVE;
  const L = curve.byteLength;
  const P = decodePublicKey(publicKey, curve);
  if (plaintext.length === 0) fail('INVALID_ARGUMENT', 'SM2 encryption of an empty message is not defined');
  for (let attempt = 0; attempt < 100; attempt++) {
    // A1–A2: k, C1 = [k]G
    const k = randomScalar(curve.n - 1n, opts.random ?? randomBytes, L);
    const C1 = curve.Point.BASE.multiply(k).toAffine();
    // A4: (x2, y2) = [k]P_B
    const S = P.multiply(k).toAffine();
    const x2 = bigintToBytes(S.x, L);
    const y2 = bigintToBytes(S.y, L);
    // A5: t = KDF(x2‖y2, klen), retry when all zero
    const t = kdf(concatBytes(x2, y2), plaintext.length);
    if (t.every((b) => b === 0)) continue;
    // A6–A7
    const C2 = plaintext.map((b, i) => b ^ t[i]);
    const C3 = sm3(concatBytes(x2, plaintext, y2));
    if ((opts.format ?? 'asn1') === 'raw') return concatBytes(Uint8Array.of(4), bigintToBytes(C1.x, L), bigintToBytes(C1.y, L), C3, C2);
    return derSequence(derInteger(C1.x), derInteger(C1.y), derOctetString(C3), derOctetString(C2));
  }
  fail('INVALID_ARGUMENT', 'SM2 encryption: the random source is broken');
}

interface ParsedCiphertext {
  x: bigint;
  y: bigint;
  c3: Uint8Array;
  c2: Uint8Array;
}

function parseCiphertext(ct: Uint8Array, L: number): ParsedCiphertext {
  if (ct.length > 0 && ct[0] === 4) {
    if (ct.length <= 1 + 2 * L + 32) fail('CIPHERTEXT_MALFORMED', 'SM2 raw ciphertext is too short');
    return {
      x: bytesToBigint(ct.subarray(1, 1 + L)),
      y: bytesToBigint(ct.subarray(1 + L, 1 + 2 * L)),
      c3: ct.subarray(1 + 2 * L, 1 + 2 * L + 32),
      c2: ct.subarray(1 + 2 * L + 32),
    };
  }
  try {
    const seq = parseDer(ct, { maxDepth: 2 });
    if (seq.tag !== TAG.SEQUENCE) throw new Error('not a SEQUENCE');
    const k = seq.children();
    if (k.length !== 4) throw new Error(`${k.length} elements, expected 4`);
    const out = { x: readInteger(k[0]), y: readInteger(k[1]), c3: readOctetString(k[2]), c2: readOctetString(k[3]) };
    if (out.c3.length !== 32) throw new Error('hash C3 is not 32 bytes');
    return out;
  } catch (e) {
    fail('CIPHERTEXT_MALFORMED', `SM2 ciphertext is neither GM/T 0009 ASN.1 nor raw C1C3C2: ${(e as Error).message}`);
  }
}

export function decrypt(privateKey: Uint8Array, ciphertext: Uint8Array, opts: { curve?: Sm2Curve } = {}): Uint8Array {
  const curve = opts.curve ?? SM2_CURVE;
  const L = curve.byteLength;
  const d = privateKeyToScalar(privateKey, curve);
  const c = parseCiphertext(ciphertext, L);
  if (c.c2.length === 0) fail('CIPHERTEXT_MALFORMED', 'SM2 ciphertext has no C2');
  // B1: C1 must be on the curve
  let C1;
  try {
    C1 = curve.Point.fromAffine({ x: c.x, y: c.y });
    C1.assertValidity();
  } catch {
    fail('CIPHERTEXT_MALFORMED', 'SM2 ciphertext C1 is not a point on the curve');
  }
  const S = C1.multiply(d).toAffine();
  const x2 = bigintToBytes(S.x, L);
  const y2 = bigintToBytes(S.y, L);
  const t = kdf(concatBytes(x2, y2), c.c2.length);
  if (t.every((b) => b === 0)) fail('DECRYPTION_FAILED', 'SM2 decryption failed (KDF output is zero)');
  const m = c.c2.map((b, i) => b ^ t[i]);
  if (!equalBytes(sm3(concatBytes(x2, m, y2)), c.c3)) fail('DECRYPTION_FAILED', 'SM2 decryption failed: C3 hash mismatch (wrong key or corrupted ciphertext)');
  return m;
}
