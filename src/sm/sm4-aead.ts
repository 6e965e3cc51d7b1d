/**
 * @module sm/sm4-aead
 * Authenticated encryption for keys at rest (software signing keys in the database, PKCS#8
 * blobs): SM4-CTR + HMAC-SM3, encrypt-then-MAC, in a small self-describing binary envelope.
 * Only national algorithms are used (node:crypto has no SM4-GCM in OpenSSL 3.0).
 *
 * ## Envelope, version 1
 *
 * ```
 * offset  length  field
 *  0       4      magic and version: ASCII "ESK1" (45 53 4B 31)
 *  4       1      flags: bit 0 = sealed with non-empty associated data; bits 1-7 reserved, zero
 *  5      16      IV: the initial SM4-CTR counter block, random per envelope
 * 21       n      ciphertext: SM4-CTR(K_enc, IV, plaintext), n = plaintext length (may be 0)
 * 21+n    32      tag: HMAC-SM3(K_mac, envelope[0 .. 21) ‖ uint64be(len(aad)) ‖ aad ‖ ciphertext)
 * ```
 * Overhead: 53 bytes. The MAC input is unambiguous: the header is fixed-size and the associated data
 * is length-prefixed, so no (aad, ciphertext) pair can be re-split into another.
 *
 * ## Keys
 *
 * One 32-byte master key. Separate encryption and MAC keys come from HKDF-Expand (RFC 5869 §2.3)
 * with HMAC-SM3 and the master key as PRK, one output block each:
 * `K_enc = HMAC-SM3(master, "eseal sm4-aead v1 enc" ‖ 0x01)[0..16)`,
 * `K_mac = HMAC-SM3(master, "eseal sm4-aead v1 mac" ‖ 0x01)`.
 *
 * ## Associated data
 *
 * Optional bytes that are authenticated but not stored, e.g. the key record's id, so that an
 * envelope copied into another record does not open there. Opening needs the same bytes.
 *
 * ## Failures
 *
 * Opening checks the tag (constant-time compare) before decrypting anything. Every failure to
 * open — bad magic, unknown version or flags, truncation, wrong key, wrong associated data, any
 * modified byte — is EsealError AUTHENTICATION_FAILED, with `details.reason` telling which
 * ("magic", "version", "flags", "truncated", "aad", "tag"): to an opener, an attacker's edit and a
 * corrupted or foreign file are the same thing.
 */
import { fail } from '../util/errors.js';
import { concatBytes, equalBytes, utf8 } from '../util/bytes.js';
import { randomBytes } from './_node.js';
import { hmacSm3 } from './sm3.js';
import { sm4Encrypt } from './sm4.js';

export const SM4_ENVELOPE_VERSION = 1;
/** Bytes added to the plaintext: header 4 + flags 1 + IV 16 + tag 32. */
export const SM4_ENVELOPE_OVERHEAD = 53;
export const SM4_MASTER_KEY_SIZE = 32;

const MAGIC = utf8('ESK');
const VERSION_BYTE = 0x30 + SM4_ENVELOPE_VERSION; // "1"
const FLAG_AAD = 0x01;
const HEADER = 21;
const TAG = 32;

const ENC_INFO = utf8('eseal sm4-aead v1 enc');
const MAC_INFO = utf8('eseal sm4-aead v1 mac');

export interface SealOptions {
  /** Associated data bound into the tag (not stored in the envelope). */
  aad?: Uint8Array;
  /** Source of the 16-byte IV (default: WebCrypto). Tests inject fixed bytes. */
  random?: (n: number) => Uint8Array;
}

export interface OpenOptions {
  /** The associated data given when sealing. */
  aad?: Uint8Array;
}

function deriveKeys(masterKey: Uint8Array): { encKey: Uint8Array; macKey: Uint8Array } {
  if (!(masterKey instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 envelope master key must be a Uint8Array');
  if (masterKey.length !== SM4_MASTER_KEY_SIZE) {
    fail('INVALID_ARGUMENT', `SM4 envelope master key must be 32 bytes, got ${masterKey.length}`, { length: masterKey.length });
  }
  // HKDF-Expand with L <= 32: T(1) = HMAC(PRK, info ‖ 0x01).
  const encKey = hmacSm3(masterKey, concatBytes(ENC_INFO, Uint8Array.of(1))).slice(0, 16);
  const macKey = hmacSm3(masterKey, concatBytes(MAC_INFO, Uint8Array.of(1)));
  return { encKey, macKey };
}

function checkAad(aad: unknown): Uint8Array {
  if (aad === undefined) return new Uint8Array(0);
  if (!(aad instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 envelope associated data must be a Uint8Array');
  return aad;
}

function macInput(header: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(aad.length), false);
  return concatBytes(header, len, aad, ciphertext);
}

/** Encrypts and authenticates `plaintext` under a 32-byte master key; returns the envelope. */
export function sealWithSm4(masterKey: Uint8Array, plaintext: Uint8Array, opts: SealOptions = {}): Uint8Array {
  if (!(plaintext instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 envelope plaintext must be a Uint8Array');
  const aad = checkAad(opts.aad);
  const { encKey, macKey } = deriveKeys(masterKey);
  const iv = (opts.random ?? randomBytes)(16);
  if (!(iv instanceof Uint8Array) || iv.length !== 16) fail('INVALID_ARGUMENT', 'SM4 envelope random source must return 16 bytes for the IV');
  const header = new Uint8Array(HEADER);
  header.set(MAGIC, 0);
  header[3] = VERSION_BYTE;
  header[4] = aad.length > 0 ? FLAG_AAD : 0;
  header.set(iv, 5);
  const ciphertext = sm4Encrypt(encKey, plaintext, { mode: 'ctr', iv });
  const tag = hmacSm3(macKey, macInput(header, aad, ciphertext));
  encKey.fill(0);
  macKey.fill(0);
  return concatBytes(header, ciphertext, tag);
}

function refuse(reason: string, message: string, details: Record<string, unknown> = {}): never {
  fail('AUTHENTICATION_FAILED', `SM4 key envelope: ${message}`, { reason, ...details });
}

/**
 * Checks and decrypts an envelope made by {@link sealWithSm4}. Any failure is EsealError
 * AUTHENTICATION_FAILED; nothing is decrypted unless the tag is right.
 */
export function openWithSm4(masterKey: Uint8Array, envelope: Uint8Array, opts: OpenOptions = {}): Uint8Array {
  if (!(envelope instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'SM4 key envelope must be a Uint8Array');
  const aad = checkAad(opts.aad);
  const { encKey, macKey } = deriveKeys(masterKey);
  try {
    const tooShort = () => refuse('truncated', `${envelope.length} bytes is shorter than the ${SM4_ENVELOPE_OVERHEAD}-byte minimum`, { length: envelope.length });
    if (envelope.length < 4) tooShort();
    if (envelope[0] !== MAGIC[0] || envelope[1] !== MAGIC[1] || envelope[2] !== MAGIC[2]) refuse('magic', 'not an eseal key envelope (no "ESK" magic)');
    if (envelope[3] !== VERSION_BYTE) {
      refuse('version', `unsupported format version byte 0x${envelope[3].toString(16).padStart(2, '0')} (this build reads version ${SM4_ENVELOPE_VERSION}, "ESK1")`, {
        version: envelope[3],
      });
    }
    if (envelope.length < SM4_ENVELOPE_OVERHEAD) tooShort();
    const flags = envelope[4];
    if ((flags & ~FLAG_AAD) !== 0) refuse('flags', `unknown flags 0x${flags.toString(16).padStart(2, '0')}`, { flags });
    const header = envelope.subarray(0, HEADER);
    const ciphertext = envelope.subarray(HEADER, envelope.length - TAG);
    const tag = envelope.subarray(envelope.length - TAG);
    const ok = equalBytes(hmacSm3(macKey, macInput(header, aad, ciphertext)), tag);
    const sealedWithAad = (flags & FLAG_AAD) !== 0;
    if (sealedWithAad !== aad.length > 0) {
      refuse('aad', sealedWithAad ? 'the envelope is bound to associated data, none was given' : 'associated data was given, the envelope was sealed without');
    }
    if (!ok) {
      refuse('tag', aad.length > 0 ? 'authentication tag mismatch (wrong key, wrong associated data, or modified envelope)' : 'authentication tag mismatch (wrong key or modified envelope)');
    }
    return sm4Encrypt(encKey, ciphertext, { mode: 'ctr', iv: envelope.slice(5, HEADER) });
  } finally {
    encKey.fill(0);
    macKey.fill(0);
  }
}
