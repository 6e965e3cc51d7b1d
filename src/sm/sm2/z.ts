/**
 * @module sm/sm2/z
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ Gx ‖ Gy ‖ x_A ‖ y_A)   (GB/T 32918.2 §5.5)
 */
import { fail } from '../../util/errors.js';
import { bigintToBytes } from '../../util/bytes.js';
import { sm3, createSm3 } from '../sm3.js';
import { DEFAULT_USER_ID, SM2_CURVE, type Sm2Curve, type Sm2Point } from './curve.js';
import { decodePublicKey } from './keys.js';

export function computeZ(publicKey: Uint8Array | Sm2Point, userId: Uint8Array = DEFAULT_USER_ID, curve: Sm2Curve = SM2_CURVE): Uint8Array {
  const bits = userId.length * 8;
  if (bits > 0xffff) fail('INVALID_ARGUMENT', 'SM2 user ID longer than 8191 bytes');
  const P = publicKey instanceof Uint8Array ? decodePublicKey(publicKey, curve) : publicKey;
  const L = curve.byteLength;
  const buf = new Uint8Array(2 + userId.length + curve.zPrefix.length + 2 * L);
  buf[0] = bits >> 8;
  buf[1] = bits & 0xff;
  buf.set(userId, 2);
  buf.set(curve.zPrefix, 2 + userId.length);
  const { x, y } = P.toAffine();
  buf.set(bigintToBytes(x, L), 2 + userId.length + curve.zPrefix.length);
  buf.set(bigintToBytes(y, L), 2 + userId.length + curve.zPrefix.length + L);
  return sm3(buf);
}

/** e = SM3(Z_A ‖ M), the value that is actually signed. */
export function computeE(publicKey: Uint8Array | Sm2Point, message: Uint8Array, userId: Uint8Array = DEFAULT_USER_ID, curve: Sm2Curve = SM2_CURVE): Uint8Array {
  return createSm3().update(computeZ(publicKey, userId, curve)).update(message).digest();
}
