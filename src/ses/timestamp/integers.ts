/**
 * @module ses/timestamp/integers
 * Serial numbers and nonces are INTEGERs of up to 160 bits (RFC 3161 §2.4.2), handled as unsigned
 * big-endian bytes and written as DER INTEGER content octets (minimal, positive).
 */
import { fail } from '../../util/errors.js';

/** DER INTEGER content octets of an unsigned big-endian number (leading zeros dropped, sign octet added). */
export function unsignedIntegerContent(b: Uint8Array, what: string, maxBytes = 20): Uint8Array {
  if (!(b instanceof Uint8Array) || b.length === 0) fail('INVALID_ARGUMENT', `${what} must be non-empty bytes`);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  if (body.length > maxBytes) fail('INVALID_ARGUMENT', `${what} is longer than ${maxBytes} bytes`);
  if (body[0] & 0x80) {
    const out = new Uint8Array(body.length + 1);
    out.set(body, 1);
    return out;
  }
  return body.slice();
}

/** Copies a Uint8Array into a fresh ArrayBuffer (what @peculiar/asn1-schema fields hold). */
export const toArrayBuffer = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;
