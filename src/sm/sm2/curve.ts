/**
 * @module sm/sm2/curve
 * SM2 curves as data (GB/T 32918.5-2017 recommended curve sm2p256v1, OID 1.2.156.10197.1.301),
 * with point arithmetic from @noble/curves' audited short-Weierstrass implementation.
 * The standard's worked examples use a different test curve, so curves are values, not globals.
 */
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { bigintToBytes } from '../../util/bytes.js';

export interface Sm2CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  Gx: bigint;
  Gy: bigint;
}

export interface Sm2Curve extends Sm2CurveParams {
  Point: WeierstrassPointCons<bigint>;
  /** Field element length in bytes (32 for 256-bit curves). */
  byteLength: number;
  /** a ‖ b ‖ Gx ‖ Gy, the curve part of Z_A (GB/T 32918.2 §5.5). */
  zPrefix: Uint8Array;
}

export type Sm2Point = WeierstrassPoint<bigint>;

export function defineCurve(params: Sm2CurveParams): Sm2Curve {
  const Point = weierstrass({ ...params, h: 1n });
  // A larger window table for the base point: k·G dominates pure-TS signing (~25% faster with w=8).
  Point.BASE.precompute(8);
  const byteLength = Math.ceil(params.p.toString(16).length / 2);
  const zPrefix = new Uint8Array(byteLength * 4);
  [params.a, params.b, params.Gx, params.Gy].forEach((v, i) => zPrefix.set(bigintToBytes(v, byteLength), i * byteLength));
  return { ...params, Point, byteLength, zPrefix };
}

/** sm2p256v1, GB/T 32918.5-2017. */
export const SM2_CURVE: Sm2Curve = defineCurve({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

/** Default signer identity when none is agreed (GM/T 0009 §10, GB/T 35276): "1234567812345678". */
export const DEFAULT_USER_ID = Uint8Array.from('1234567812345678', (c) => c.charCodeAt(0));
