/**
 * @module sm/oids
 * Object identifiers of the Chinese national algorithms (GM/T 0006-2012) and the generic ones they
 * travel with. Arcs as in STANDARDS.md §1.1.
 */

/** id-ecPublicKey (RFC 5480): algorithm of an EC SubjectPublicKeyInfo; SM2 keys use it with the SM2 curve. */
export const id_ecPublicKey = '1.2.840.10045.2.1';
/** 1.2.156.10197.1.301 sm2p256v1 curve / SM2 algorithm (GM/T 0006). */
export const id_sm2 = '1.2.156.10197.1.301';
/** 1.2.156.10197.1.301.1 SM2-1 digital signature (GB/T 35275 digestEncryptionAlgorithm). */
export const id_sm2_1_sign = '1.2.156.10197.1.301.1';
/** 1.2.156.10197.1.301.3 SM2-3 public key encryption. */
export const id_sm2_3_encrypt = '1.2.156.10197.1.301.3';
/** 1.2.156.10197.1.401 SM3 hash. */
export const id_sm3 = '1.2.156.10197.1.401';
/** 1.2.156.10197.1.401.2 HMAC-SM3 (id-hmacWithSM3, PBKDF2 PRF). */
export const id_hmacWithSm3 = '1.2.156.10197.1.401.2';
/** 1.2.156.10197.1.501 SM2 signature with SM3 ("SM2-with-SM3"). */
export const id_sm2_with_sm3 = '1.2.156.10197.1.501';
/** 1.2.156.10197.1.104 SM4 block cipher; .2 = SM4-CBC. */
export const id_sm4 = '1.2.156.10197.1.104';
export const id_sm4_cbc = '1.2.156.10197.1.104.2';

/** Other curves we name in errors (so "wrong curve" says which one it was). */
export const KNOWN_CURVES: Record<string, string> = {
  '1.2.156.10197.1.301': 'sm2p256v1',
  '1.2.840.10045.3.1.7': 'prime256v1 (P-256)',
  '1.3.132.0.34': 'secp384r1 (P-384)',
  '1.3.132.0.35': 'secp521r1 (P-521)',
  '1.3.132.0.10': 'secp256k1',
};
