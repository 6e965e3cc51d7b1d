/**
 * @module pki/cms/algorithms
 * AlgorithmIdentifiers of a SignerInfo (RFC 5652 §5.3 digestAlgorithm / signatureAlgorithm) for the
 * schemes eseal signs with, and the reverse mapping used when verifying: CMS names the hash and the
 * signature separately, `verifyWithSpki` wants one signature algorithm OID.
 */
import { id_ecPublicKey, id_sm2, id_sm2_1_sign, id_sm2_with_sm3 } from '../../sm/oids.js';
import { derNull, derOid, derSequence } from '../../util/der.js';
import { fail } from '../../util/errors.js';
import {
  id_ecdsaWithSHA256, id_ecdsaWithSHA384, id_ecdsaWithSHA512, id_rsaEncryption, id_sha1WithRSAEncryption, id_sha256WithRSAEncryption,
  id_sha384WithRSAEncryption, id_sha512WithRSAEncryption,
} from '../oids.js';
import { DIGEST_OIDS, digestNameOf, type AnyDigestName, type DigestName } from './digest.js';

/**
 * "gbt35275": GB/T 35275 / GM/T 0010 OIDs (SignedData 1.2.156.10197.6.1.4.2.2, SM2-1 signature
 * 1.2.156.10197.1.301.1, NULL parameters as in the YNCA sample). "rfc5652": PKCS#7 OIDs, with
 * SM2-with-SM3 1.2.156.10197.1.501 for SM2 keys (STANDARDS.md §3).
 */
export type CmsFlavour = 'gbt35275' | 'rfc5652';
export type SignatureScheme = 'sm2' | 'rsa' | 'ecdsa';

/** Digest AlgorithmIdentifier: NULL parameters in GB/T 35275 (as vendors write), absent in RFC 5754 §2 style. */
export function digestAlgorithmIdentifier(name: AnyDigestName, flavour: CmsFlavour): Uint8Array {
  return flavour === 'gbt35275' ? derSequence(derOid(DIGEST_OIDS[name]), derNull()) : derSequence(derOid(DIGEST_OIDS[name]));
}

const RSA_WITH: Record<string, string> = {
  sha1: id_sha1WithRSAEncryption,
  sha256: id_sha256WithRSAEncryption,
  sha384: id_sha384WithRSAEncryption,
  sha512: id_sha512WithRSAEncryption,
};
const ECDSA_WITH: Record<string, string> = { sha256: id_ecdsaWithSHA256, sha384: id_ecdsaWithSHA384, sha512: id_ecdsaWithSHA512 };

export interface SignatureAlgorithmChoice {
  scheme: SignatureScheme;
  digest: DigestName;
  flavour: CmsFlavour;
  /** RSA only: name the signature `sha256WithRSAEncryption` (default) or plain `rsaEncryption` (RFC 3370 §3.2 allows both). */
  rsaOid?: 'withHash' | 'rsaEncryption';
}

/** The signatureAlgorithm (PKCS#7: digestEncryptionAlgorithm) AlgorithmIdentifier to write. */
export function signatureAlgorithmIdentifier(c: SignatureAlgorithmChoice): Uint8Array {
  if (c.scheme === 'sm2') {
    if (c.digest !== 'sm3') fail('INVALID_ARGUMENT', `SM2 signatures in CMS use SM3, not ${c.digest}`);
    return c.flavour === 'gbt35275' ? derSequence(derOid(id_sm2_1_sign), derNull()) : derSequence(derOid(id_sm2_with_sm3));
  }
  if (c.flavour === 'gbt35275') fail('INVALID_ARGUMENT', 'the GB/T 35275 flavour is for SM2 keys only');
  if (c.scheme === 'rsa') {
    const oid = c.rsaOid === 'rsaEncryption' ? id_rsaEncryption : RSA_WITH[c.digest];
    if (!oid) fail('INVALID_ARGUMENT', `RSA with ${c.digest} is not supported`);
    return derSequence(derOid(oid), derNull()); // RFC 4055 §5: NULL parameters for PKCS#1 v1.5
  }
  const oid = ECDSA_WITH[c.digest];
  if (!oid) fail('INVALID_ARGUMENT', `ECDSA with ${c.digest} is not supported`);
  return derSequence(derOid(oid)); // RFC 5758 §3.2: parameters absent
}

/**
 * Which `verifyWithSpki` algorithm checks a SignerInfo with this signatureAlgorithm and
 * digestAlgorithm. Returns a sentence instead when the pair is inconsistent or unknown.
 */
export function resolveSignatureAlgorithm(signatureOid: string, digestOid: string): { algorithm: string } | { error: string } {
  const d = digestNameOf(digestOid);
  const dn = d ?? digestOid;
  if (signatureOid === id_sm2_with_sm3 || signatureOid === id_sm2_1_sign || signatureOid === id_sm2) {
    if (d !== 'sm3') return { error: `SM2 signature with digest algorithm ${dn}: SM2 in CMS is defined with SM3 only` };
    return { algorithm: id_sm2_with_sm3 };
  }
  if (signatureOid === id_rsaEncryption) {
    const a = d && RSA_WITH[d];
    return a ? { algorithm: a } : { error: `rsaEncryption with unsupported digest algorithm ${dn}` };
  }
  for (const [hash, oid] of Object.entries(RSA_WITH)) {
    if (oid === signatureOid) return d === hash ? { algorithm: oid } : { error: `signature algorithm ${oid} (${hash}) does not match digest algorithm ${dn}` };
  }
  for (const [hash, oid] of Object.entries(ECDSA_WITH)) {
    if (oid === signatureOid) return d === hash ? { algorithm: oid } : { error: `signature algorithm ${oid} (ecdsa-with-${hash}) does not match digest algorithm ${dn}` };
  }
  if (signatureOid === id_ecPublicKey) {
    // Some signers name the key algorithm instead of ecdsa-with-SHAxxx; the digest then decides.
    const a = d && ECDSA_WITH[d];
    return a ? { algorithm: a } : { error: `ECDSA with unsupported digest algorithm ${dn}` };
  }
  return { error: `signature algorithm ${signatureOid} is not supported` };
}

/** The signature scheme that a certificate's key type (from `parseSpki`) signs with. */
export function schemeOfKeyType(keyType: string): SignatureScheme {
  if (keyType === 'sm2') return 'sm2';
  if (keyType === 'rsa') return 'rsa';
  if (keyType === 'ec') return 'ecdsa';
  fail('KEY_UNSUPPORTED', `cannot sign CMS with a ${keyType} key`);
}
