/**
 * @module pki/algorithms
 * Signature algorithms of certificates and CRLs. SM2-with-SM3 is ours (src/sm, any platform);
 * RSA and ECDSA (for the international PDF profile and foreign CAs) go through node:crypto when it is
 * there — reached without an import, as in src/sm/_node.ts, so this layer still loads in a browser.
 */
import { fail } from '../util/errors.js';
import { id_ecPublicKey, id_sm2, id_sm2_with_sm3 } from '../sm/oids.js';
import { nodeCryptoWithHash } from '../sm/_node.js';
import { sm2Verify } from '../sm/sm2/index.js';
import { parseDer, readBitStringBytes, readOid } from '../util/der.js';
import {
  id_ecdsaWithSHA256, id_ecdsaWithSHA384, id_ecdsaWithSHA512, id_rsaEncryption, id_sha1WithRSAEncryption, id_sha256WithRSAEncryption,
  id_sha384WithRSAEncryption, id_sha512WithRSAEncryption,
} from './oids.js';

export interface SignatureAlgorithmInfo {
  name: string;
  /** Key family the algorithm needs. */
  key: 'sm2' | 'rsa' | 'ec';
  /** Hash name for node:crypto (undefined for SM2, which hashes Z‖M with SM3 itself). */
  hash?: string;
}

export const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithmInfo> = {
  [id_sm2_with_sm3]: { name: 'SM2-with-SM3', key: 'sm2' },
  [id_sha256WithRSAEncryption]: { name: 'sha256WithRSAEncryption', key: 'rsa', hash: 'sha256' },
  [id_sha384WithRSAEncryption]: { name: 'sha384WithRSAEncryption', key: 'rsa', hash: 'sha384' },
  [id_sha512WithRSAEncryption]: { name: 'sha512WithRSAEncryption', key: 'rsa', hash: 'sha512' },
  [id_sha1WithRSAEncryption]: { name: 'sha1WithRSAEncryption', key: 'rsa', hash: 'sha1' },
  [id_ecdsaWithSHA256]: { name: 'ecdsa-with-SHA256', key: 'ec', hash: 'sha256' },
  [id_ecdsaWithSHA384]: { name: 'ecdsa-with-SHA384', key: 'ec', hash: 'sha384' },
  [id_ecdsaWithSHA512]: { name: 'ecdsa-with-SHA512', key: 'ec', hash: 'sha512' },
};

export function algorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid]?.name ?? oid;
}

export type KeyType = 'sm2' | 'rsa' | 'ec' | 'unknown';

export interface SpkiInfo {
  keyType: KeyType;
  /** algorithm OID of the SubjectPublicKeyInfo */
  algorithm: string;
  /** namedCurve for EC keys */
  curve?: string;
  /** subjectPublicKey bits (the EC point for SM2/EC keys) */
  publicKey: Uint8Array;
  /** the whole SubjectPublicKeyInfo DER */
  der: Uint8Array;
}

export function parseSpki(der: Uint8Array): SpkiInfo {
  const seq = parseDer(der, { what: 'SubjectPublicKeyInfo' });
  const [alg, bits] = seq.children();
  if (!alg || !bits) fail('CERT_MALFORMED', 'SubjectPublicKeyInfo must have an algorithm and a key');
  const algParts = alg.children();
  const algorithm = readOid(algParts[0], 'public key algorithm');
  const curve = algParts[1]?.tag === 0x06 ? readOid(algParts[1]) : undefined;
  const publicKey = readBitStringBytes(bits, 'subjectPublicKey');
  let keyType: KeyType = 'unknown';
  if (algorithm === id_sm2 || (algorithm === id_ecPublicKey && curve === id_sm2)) keyType = 'sm2';
  else if (algorithm === id_ecPublicKey) keyType = 'ec';
  else if (algorithm === id_rsaEncryption) keyType = 'rsa';
  return { keyType, algorithm, curve, publicKey, der };
}

/**
 * Verifies `signature` over `data` with the key in `spki` under the signature algorithm `algorithm`.
 * Returns false when it does not verify; throws ALGORITHM_UNSUPPORTED / KEY_UNSUPPORTED for what
 * cannot be checked here, and SIGNATURE_MALFORMED for unusable signature encodings.
 */
export function verifyWithSpki(algorithm: string, spki: SpkiInfo, data: Uint8Array, signature: Uint8Array): boolean {
  const info = SIGNATURE_ALGORITHMS[algorithm];
  if (!info) fail('ALGORITHM_UNSUPPORTED', `signature algorithm ${algorithm} is not supported`);
  if (info.key === 'sm2') {
    if (spki.keyType !== 'sm2') fail('KEY_UNSUPPORTED', `SM2-with-SM3 signature but the key is ${spki.keyType} (${spki.curve ?? spki.algorithm})`);
    return sm2Verify(spki.publicKey, data, signature);
  }
  if (spki.keyType !== info.key) fail('KEY_UNSUPPORTED', `${info.name} signature but the key is ${spki.keyType}`);
  const crypto = nodeCryptoWithHash(info.hash!);
  if (!crypto) fail('ALGORITHM_UNSUPPORTED', `${info.name} needs node:crypto, which is not available here`);
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(spki.der), format: 'der', type: 'spki' });
    return crypto.verify(info.hash!, data, key, signature);
  } catch (e) {
    fail('SIGNATURE_MALFORMED', `${info.name} verification could not run: ${(e as Error).message}`);
  }
}
