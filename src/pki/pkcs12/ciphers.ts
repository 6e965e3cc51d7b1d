/**
 * @module pki/pkcs12/ciphers
 * CBC decryption with PKCS#7 padding for the block ciphers PKCS#12 files use: 3DES and AES through
 * node:crypto (reached without importing it, see sm/_node.ts), RC2 in pure TypeScript (rc2.ts),
 * SM4 from sm/sm4.ts. In a browser 3DES and AES are not available: ALGORITHM_UNSUPPORTED.
 *
 * Padding is checked here for every cipher alike; a wrong padding is DECRYPTION_FAILED, which the
 * caller turns into PASSWORD_INCORRECT or PKCS12_MALFORMED depending on whether a MAC vouched for
 * the password.
 */
import { EsealError, fail } from '../../util/errors.js';
import { nodeCryptoWithCipher } from '../../sm/_node.js';
import { sm4Decrypt } from '../../sm/sm4.js';
import { rc2DecryptCbc, rc2ExpandKey } from './rc2.js';

export interface CbcCipher {
  /** OpenSSL name ("des-ede3-cbc", "aes-256-cbc", "sm4-cbc", "rc2-cbc"). */
  name: string;
  keyLength: number;
  blockSize: number;
  /** RC2 only: effective key bits (RFC 2268). */
  effectiveBits?: number;
}

export const DES_EDE3_CBC: CbcCipher = { name: 'des-ede3-cbc', keyLength: 24, blockSize: 8 };
export const DES_EDE_CBC: CbcCipher = { name: 'des-ede-cbc', keyLength: 16, blockSize: 8 };
export const AES128_CBC: CbcCipher = { name: 'aes-128-cbc', keyLength: 16, blockSize: 16 };
export const AES192_CBC: CbcCipher = { name: 'aes-192-cbc', keyLength: 24, blockSize: 16 };
export const AES256_CBC: CbcCipher = { name: 'aes-256-cbc', keyLength: 32, blockSize: 16 };
export const SM4_CBC: CbcCipher = { name: 'sm4-cbc', keyLength: 16, blockSize: 16 };
export const RC2_40_CBC: CbcCipher = { name: 'rc2-cbc', keyLength: 5, blockSize: 8, effectiveBits: 40 };
export const RC2_128_CBC: CbcCipher = { name: 'rc2-cbc', keyLength: 16, blockSize: 8, effectiveBits: 128 };

function label(c: CbcCipher): string {
  return c.name === 'rc2-cbc' ? `RC2-${c.effectiveBits}-CBC` : c.name.toUpperCase();
}

function nodeCbc(c: CbcCipher, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const crypto = nodeCryptoWithCipher(c.name);
  if (!crypto) fail('ALGORITHM_UNSUPPORTED', `${label(c)} needs node:crypto (OpenSSL), which is not available here`);
  let a: Buffer;
  let b: Buffer;
  try {
    const d = crypto.createDecipheriv(c.name, key, iv);
    d.setAutoPadding(false);
    a = d.update(data);
    b = d.final();
  } catch (e) {
    // Lengths were checked before, so OpenSSL has no reason left to refuse.
    throw new EsealError('DECRYPTION_FAILED', `${label(c)}: OpenSSL refused to decrypt: ${(e as Error).message}`, undefined, { cause: e });
  }
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  a.fill(0);
  return out;
}

/** Removes PKCS#7 padding (RFC 5652 §6.3), checking every pad byte. */
export function pkcs7Unpad(data: Uint8Array, blockSize: number, what: string): Uint8Array {
  const n = data.length === 0 ? 0 : data[data.length - 1];
  let bad = n === 0 || n > blockSize || n > data.length ? 1 : 0;
  for (let i = 0; i < blockSize && i < data.length; i++) {
    if (i < n && data[data.length - 1 - i] !== n) bad = 1;
  }
  if (bad) fail('DECRYPTION_FAILED', `${what}: wrong padding after decryption (wrong password or damaged data)`);
  return data.subarray(0, data.length - n);
}

/** Decrypts CBC ciphertext and removes the PKCS#7 padding. */
export function cbcDecrypt(c: CbcCipher, key: Uint8Array, iv: Uint8Array, data: Uint8Array, what: string): Uint8Array {
  if (key.length !== c.keyLength) fail('INVALID_ARGUMENT', `${label(c)} key must be ${c.keyLength} bytes, got ${key.length}`);
  if (iv.length !== c.blockSize) fail('PKCS12_MALFORMED', `${what}: ${label(c)} IV must be ${c.blockSize} bytes, got ${iv.length}`);
  if (data.length === 0 || data.length % c.blockSize !== 0) {
    fail('PKCS12_MALFORMED', `${what}: ${label(c)} ciphertext of ${data.length} bytes is not a whole number of ${c.blockSize}-byte blocks`);
  }
  let plain: Uint8Array;
  if (c.name === 'rc2-cbc') plain = rc2DecryptCbc(rc2ExpandKey(key, c.effectiveBits), iv, data);
  else if (c.name === 'sm4-cbc') plain = sm4Decrypt(key, data, { mode: 'cbc', iv, padding: false });
  else plain = nodeCbc(c, key, iv, data);
  return pkcs7Unpad(plain, c.blockSize, `${what} (${label(c)})`);
}
