/**
 * @module sm/sm2/keys
 * SM2 key values: a private key is a 32-byte scalar d in [1, n-2] (GB/T 32918.1 §6.1: d < n-1 so
 * that 1+d is invertible); a public key is a point on the curve, encoded SEC1 uncompressed (04‖x‖y)
 * or compressed (02/03‖x).
 */
import { fail } from '../../util/errors.js';
import { bigintToBytes, bytesToBigint, toHex } from '../../util/bytes.js';
import { randomBytes } from '../_node.js';
import { SM2_CURVE, type Sm2Curve, type Sm2Point } from './curve.js';

export type RandomSource = (n: number) => Uint8Array;

export function privateKeyToScalar(d: Uint8Array, curve: Sm2Curve = SM2_CURVE): bigint {
  if (!(d instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'private key must be bytes');
  if (d.length !== curve.byteLength) fail('KEY_MALFORMED', `SM2 private key must be ${curve.byteLength} bytes, got ${d.length}`);
  const k = bytesToBigint(d);
  if (k < 1n || k > curve.n - 2n) fail('SCALAR_OUT_OF_RANGE', 'SM2 private key is out of range [1, n-2]');
  return k;
}

/** Decodes and validates a public key point (on the curve, not infinity). */
export function decodePublicKey(pub: Uint8Array, curve: Sm2Curve = SM2_CURVE): Sm2Point {
  if (!(pub instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'public key must be bytes');
  const L = curve.byteLength;
  if (!((pub.length === 2 * L + 1 && pub[0] === 4) || (pub.length === L + 1 && (pub[0] === 2 || pub[0] === 3)))) {
    fail('KEY_MALFORMED', `SM2 public key must be 04‖x‖y (${2 * L + 1} bytes) or 02/03‖x (${L + 1} bytes), got ${pub.length} bytes starting 0x${(pub[0] ?? 0).toString(16)}`);
  }
  try {
    const P = curve.Point.fromBytes(pub);
    P.assertValidity();
    return P;
  } catch {
    fail('POINT_NOT_ON_CURVE', 'SM2 public key is not a point on the SM2 curve');
  }
}

export function pointToBytes(P: Sm2Point, compressed = false): Uint8Array {
  return P.toBytes(compressed);
}

export function getPublicKey(privateKey: Uint8Array, curve: Sm2Curve = SM2_CURVE, compressed = false): Uint8Array {
  const d = privateKeyToScalar(privateKey, curve);
  return curve.Point.BASE.multiply(d).toBytes(compressed);
}

/** Uniform scalar in [1, max] by rejection sampling (no modulo bias). */
export function randomScalar(max: bigint, random: RandomSource = randomBytes, byteLength = 32): bigint {
  for (let i = 0; i < 1000; i++) {
    const k = bytesToBigint(random(byteLength));
    if (k >= 1n && k <= max) return k;
  }
  fail('INVALID_ARGUMENT', 'random source keeps producing out-of-range values');
}

export function generatePrivateKey(random: RandomSource = randomBytes, curve: Sm2Curve = SM2_CURVE): Uint8Array {
  return bigintToBytes(randomScalar(curve.n - 2n, random, curve.byteLength), curve.byteLength);
}

/** Stable cache key for a public key. */
export const publicKeyId = (pub: Uint8Array): string => toHex(pub);
