/**
 * @module pki/pkcs12/pbe
 * Password-based decryption of PKCS#12 contents and shrouded keys, by AlgorithmIdentifier:
 * - legacy PKCS#12 PBE (RFC 7292 Appendix C): pbeWithSHAAnd3-KeyTripleDES-CBC, -2-KeyTripleDES-CBC,
 *   -128BitRC2-CBC, -40BitRC2-CBC, keys and IVs from the PKCS#12 KDF with SHA-1 and the BMP password;
 * - PBES2 (RFC 8018 §6.2) with PBKDF2 (PRF HMAC-SHA-1/224/256/384/512 or HMAC-SM3) and AES-CBC,
 *   DES-EDE3-CBC or SM4-CBC, the password taken as UTF-8.
 */
import { fail } from '../../util/errors.js';
import { TAG, type DerNode, readInteger, readOctetString, readOid } from '../../util/der.js';
import { cbcDecrypt, AES128_CBC, AES192_CBC, AES256_CBC, DES_EDE3_CBC, DES_EDE_CBC, RC2_128_CBC, RC2_40_CBC, SM4_CBC, type CbcCipher } from './ciphers.js';
import { HMAC_PRF_BY_OID, PBKDF2_DEFAULT_PRF, SHA1, pbkdf2 } from './hashes.js';
import { KDF_ID_IV, KDF_ID_KEY, pkcs12Kdf } from './kdf.js';
import {
  id_PBES2, id_PBKDF2, id_aes128_CBC, id_aes192_CBC, id_aes256_CBC, id_des_EDE3_CBC, id_pbeWithSHAAnd128BitRC2_CBC, id_pbeWithSHAAnd128BitRC4,
  id_pbeWithSHAAnd2_KeyTripleDES_CBC, id_pbeWithSHAAnd3_KeyTripleDES_CBC, id_pbeWithSHAAnd40BitRC4, id_pbewithSHAAnd40BitRC2_CBC, id_sm4_cbc,
} from './oids.js';

/** The password in the two encodings PKCS#12 uses. */
export interface Pkcs12Password {
  /** BMPString with 00 00 terminator, for the PKCS#12 KDF (the MAC check picks the variant that matched). */
  bmp: Uint8Array;
  /** UTF-8, for PBKDF2. */
  utf8: Uint8Array;
}

export interface PbeLimits {
  /** Highest iteration count of one MAC / KDF / PBKDF2. */
  maxIterations: number;
  /** What is left of the iteration budget of the whole file; each count read is charged to it. */
  budget?: { remaining: number; total: number };
}

const LEGACY: Record<string, CbcCipher> = {
  [id_pbeWithSHAAnd3_KeyTripleDES_CBC]: DES_EDE3_CBC,
  [id_pbeWithSHAAnd2_KeyTripleDES_CBC]: DES_EDE_CBC,
  [id_pbeWithSHAAnd128BitRC2_CBC]: RC2_128_CBC,
  [id_pbewithSHAAnd40BitRC2_CBC]: RC2_40_CBC,
};

const PBES2_CIPHERS: Record<string, CbcCipher> = {
  [id_aes128_CBC]: AES128_CBC,
  [id_aes192_CBC]: AES192_CBC,
  [id_aes256_CBC]: AES256_CBC,
  [id_des_EDE3_CBC]: DES_EDE3_CBC,
  [id_sm4_cbc]: SM4_CBC,
};

/** An iteration count within [1, maxIterations]: LIMIT_EXCEEDED above, PKCS12_MALFORMED below. */
export function readIterations(node: DerNode, what: string, limits: PbeLimits): number {
  const n = readInteger(node, `${what} iteration count`);
  if (n < 1n) fail('PKCS12_MALFORMED', `${what}: iteration count ${n} is not positive`);
  if (n > BigInt(limits.maxIterations)) {
    fail('LIMIT_EXCEEDED', `${what}: iteration count ${n} exceeds the limit of ${limits.maxIterations}`, { iterations: n.toString(), limit: limits.maxIterations });
  }
  const count = Number(n);
  if (limits.budget) {
    if (count > limits.budget.remaining) {
      fail('LIMIT_EXCEEDED', `${what}: iteration counts in this file add up to more than ${limits.budget.total}`, { limit: limits.budget.total });
    }
    limits.budget.remaining -= count;
  }
  return count;
}

function algorithmParts(alg: DerNode, what: string): { oid: string; params?: DerNode } {
  if (alg.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', `${what}: AlgorithmIdentifier is not a SEQUENCE`);
  const parts = alg.children();
  if (parts.length < 1 || parts.length > 2) fail('PKCS12_MALFORMED', `${what}: AlgorithmIdentifier has ${parts.length} elements, expected 1 or 2`);
  const params = parts[1] && parts[1].tag !== TAG.NULL ? parts[1] : undefined;
  return { oid: readOid(parts[0], `${what} algorithm`), params };
}

function sequence(node: DerNode | undefined, what: string, min: number, max: number): DerNode[] {
  if (!node || node.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', `${what}: parameters are missing or not a SEQUENCE`);
  const parts = node.children();
  if (parts.length < min || parts.length > max) fail('PKCS12_MALFORMED', `${what}: parameters have ${parts.length} elements, expected ${min === max ? min : `${min} to ${max}`}`);
  return parts;
}

function legacyDecrypt(cipher: CbcCipher, params: DerNode | undefined, data: Uint8Array, password: Pkcs12Password, limits: PbeLimits, what: string): Uint8Array {
  // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
  const [saltNode, iterNode] = sequence(params, `${what} pkcs-12PbeParams`, 2, 2);
  const salt = readOctetString(saltNode, `${what} PBE salt`);
  const iterations = readIterations(iterNode, `${what} PBE`, limits);
  const key = pkcs12Kdf(SHA1, KDF_ID_KEY, password.bmp, salt, iterations, cipher.keyLength);
  const iv = pkcs12Kdf(SHA1, KDF_ID_IV, password.bmp, salt, iterations, cipher.blockSize);
  try {
    return cbcDecrypt(cipher, key, iv, data, what);
  } finally {
    key.fill(0);
  }
}

function pbes2Decrypt(params: DerNode | undefined, data: Uint8Array, password: Pkcs12Password, limits: PbeLimits, what: string): Uint8Array {
  // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
  const [kdfAlg, encAlg] = sequence(params, `${what} PBES2-params`, 2, 2);
  const kdf = algorithmParts(kdfAlg, `${what} PBES2 key derivation`);
  if (kdf.oid !== id_PBKDF2) fail('ALGORITHM_UNSUPPORTED', `${what}: PBES2 key derivation ${kdf.oid} is not supported (only PBKDF2, ${id_PBKDF2})`, { oid: kdf.oid });
  const enc = algorithmParts(encAlg, `${what} PBES2 encryption scheme`);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) {
    fail('ALGORITHM_UNSUPPORTED', `${what}: PBES2 encryption scheme ${enc.oid} is not supported (AES-128/192/256-CBC, DES-EDE3-CBC, SM4-CBC are)`, { oid: enc.oid });
  }
  if (!enc.params) fail('PKCS12_MALFORMED', `${what}: PBES2 encryption scheme has no IV`);
  const iv = readOctetString(enc.params, `${what} PBES2 IV`);

  // PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier },
  //   iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
  const p = sequence(kdf.params, `${what} PBKDF2-params`, 2, 4);
  if (p[0].tag === TAG.SEQUENCE) fail('ALGORITHM_UNSUPPORTED', `${what}: PBKDF2 salt from another source (otherSource) is not supported`);
  const salt = readOctetString(p[0], `${what} PBKDF2 salt`);
  const iterations = readIterations(p[1], `${what} PBKDF2`, limits);
  let rest = p.slice(2);
  if (rest[0]?.tag === TAG.INTEGER) {
    const keyLength = readInteger(rest[0], `${what} PBKDF2 keyLength`);
    if (keyLength !== BigInt(cipher.keyLength)) {
      fail('PKCS12_MALFORMED', `${what}: PBKDF2 keyLength ${keyLength} does not match the ${cipher.keyLength}-byte key of ${cipher.name}`);
    }
    rest = rest.slice(1);
  }
  let prf = PBKDF2_DEFAULT_PRF;
  if (rest.length > 1) fail('PKCS12_MALFORMED', `${what}: PBKDF2-params has unexpected trailing elements`);
  if (rest.length === 1) {
    const prfAlg = algorithmParts(rest[0], `${what} PBKDF2 PRF`);
    const found = HMAC_PRF_BY_OID[prfAlg.oid];
    if (!found) fail('ALGORITHM_UNSUPPORTED', `${what}: PBKDF2 PRF ${prfAlg.oid} is not supported (HMAC with SHA-1, SHA-2 or SM3 are)`, { oid: prfAlg.oid });
    prf = found;
  }
  const key = pbkdf2(prf, password.utf8, salt, iterations, cipher.keyLength);
  try {
    return cbcDecrypt(cipher, key, iv, data, what);
  } finally {
    key.fill(0);
  }
}

/**
 * Decrypts `data` encrypted under `algorithm` (a PBE AlgorithmIdentifier) with the password.
 * Throws DECRYPTION_FAILED for a wrong padding (the caller decides whether that means a wrong
 * password), ALGORITHM_UNSUPPORTED, LIMIT_EXCEEDED, or PKCS12_MALFORMED / DER_* for bad parameters.
 */
export function pbeDecrypt(algorithm: DerNode, data: Uint8Array, password: Pkcs12Password, limits: PbeLimits, what: string): Uint8Array {
  const { oid, params } = algorithmParts(algorithm, what);
  const legacy = LEGACY[oid];
  if (legacy) return legacyDecrypt(legacy, params, data, password, limits, what);
  if (oid === id_PBES2) return pbes2Decrypt(params, data, password, limits, what);
  if (oid === id_pbeWithSHAAnd128BitRC4 || oid === id_pbeWithSHAAnd40BitRC4) {
    fail('ALGORITHM_UNSUPPORTED', `${what}: RC4 encryption (${oid}) is not supported`, { oid });
  }
  fail('ALGORITHM_UNSUPPORTED', `${what}: encryption algorithm ${oid} is not supported`, { oid });
}
