/**
 * @module sm/sm2/pure
 * SM2 digital signature (GB/T 32918.2-2016 §6, §7) in pure TypeScript over @noble/curves points.
 * Runs in Node and in browsers. Randomness is a parameter so the standard's examples are testable.
 */
import { mod, invert } from '@noble/curves/abstract/modular.js';
import { fail } from '../../util/errors.js';
import { bytesToBigint } from '../../util/bytes.js';
import { randomBytes } from '../_node.js';
import { DEFAULT_USER_ID, SM2_CURVE, type Sm2Curve, type Sm2Point } from './curve.js';
import { decodePublicKey, privateKeyToScalar, randomScalar, type RandomSource } from './keys.js';
import { computeE } from './z.js';
import { decodeSignature, encodeSignatureDer, type RS } from './signature-encoding.js';

export interface PureSignOptions {
  userId?: Uint8Array;
  /** Randomness for k (tests inject the standard's k; default: WebCrypto). */
  random?: RandomSource;
  /** The signer's public key if known (saves one scalar multiplication for Z). */
  publicKey?: Uint8Array;
  curve?: Sm2Curve;
}

/** Signs a precomputed e = SM3(Z‖M) (§6.1 steps A3–A7). Returns (r, s). */
export function signDigestRS(privateKey: Uint8Array, e: Uint8Array, random: RandomSource = randomBytes, curve: Sm2Curve = SM2_CURVE): RS {
  const { n, Point } = curve;
  const d = privateKeyToScalar(privateKey, curve);
  const eN = bytesToBigint(e);
  const dInv = invert(1n + d, n);
  for (let attempt = 0; attempt < 100; attempt++) {
    // A3: k in [1, n-1]
    const k = randomScalar(n - 1n, random, curve.byteLength);
    // A4: (x1, y1) = [k]G
    const x1 = Point.BASE.multiply(k).toAffine().x;
    // A5: r = (e + x1) mod n; retry if r = 0 or r + k = n
    const r = mod(eN + x1, n);
    if (r === 0n || r + k === n) continue;
    // A6: s = ((1 + d)^-1 · (k − r·d)) mod n; retry if s = 0
    const s = mod(dInv * (k - r * d), n);
    if (s === 0n) continue;
    return { r, s };
  }
  fail('INVALID_ARGUMENT', 'SM2 signing did not find a valid k: the random source is broken');
}

/** Verifies (r, s) over a precomputed e (§7.1 steps B5–B7). */
export function verifyDigestRS(P: Sm2Point, e: Uint8Array, { r, s }: RS, curve: Sm2Curve = SM2_CURVE): boolean {
  const { n, Point } = curve;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  // B5: t = (r + s) mod n, t != 0
  const t = mod(r + s, n);
  if (t === 0n) return false;
  // B6: (x1', y1') = [s]G + [t]P_A. The base table is cached by noble; P's table when precomputed.
  const sum = Point.BASE.multiplyUnsafe(s).add(P.multiplyUnsafe(t));
  if (sum.is0()) return false;
  // B7: R = (e' + x1') mod n == r
  return mod(bytesToBigint(e) + sum.toAffine().x, n) === r;
}

export function signPure(privateKey: Uint8Array, message: Uint8Array, opts: PureSignOptions = {}): Uint8Array {
  const curve = opts.curve ?? SM2_CURVE;
  const pub = opts.publicKey ?? curve.Point.BASE.multiply(privateKeyToScalar(privateKey, curve)).toBytes(false);
  const e = computeE(pub, message, opts.userId ?? DEFAULT_USER_ID, curve);
  return encodeSignatureDer(signDigestRS(privateKey, e, opts.random, curve));
}

export interface PureVerifyOptions {
  userId?: Uint8Array;
  curve?: Sm2Curve;
}

/** Verifies a DER or raw r‖s signature over message M. Malformed keys/signatures throw EsealError. */
export function verifyPure(publicKey: Uint8Array | Sm2Point, message: Uint8Array, signature: Uint8Array, opts: PureVerifyOptions = {}): boolean {
  const curve = opts.curve ?? SM2_CURVE;
  const P = publicKey instanceof Uint8Array ? decodePublicKey(publicKey, curve) : publicKey;
  const rs = decodeSignature(signature, curve.n, curve.byteLength);
  const e = computeE(P, message, opts.userId ?? DEFAULT_USER_ID, curve);
  return verifyDigestRS(P, e, rs, curve);
}
