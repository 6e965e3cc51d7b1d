/**
 * @module signers/node-key
 * A software signer for RSA and ECDSA keys (the international PDF profile), over node:crypto:
 * PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value for P-256/P-384, with the digest a prepared signature
 * names. SM2 keys are signed with `sm2Sign` (src/sm); this adapter refuses them.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { EsealError, fail } from '../util/errors.js';
import { equalBytes } from '../util/bytes.js';

export interface NodeKeySigner {
  /** rsa or ecdsa */
  scheme: 'rsa' | 'ecdsa';
  /** DER SubjectPublicKeyInfo of the key, to match it with a certificate */
  spki: Uint8Array;
  /** signs `data` with `digest` (sha256, sha384, sha512) */
  sign(data: Uint8Array, digest: string): Uint8Array;
}

/** Loads a PKCS#8 (PEM or DER) or traditional PEM RSA / EC private key. */
export function nodeKeySigner(key: Uint8Array | string, password?: string): NodeKeySigner {
  let k: KeyObject;
  try {
    const isPem = typeof key === 'string' || (key.length > 10 && String.fromCharCode(...key.subarray(0, 10)).startsWith('-----'));
    k = isPem
      ? createPrivateKey({ key: typeof key === 'string' ? key : Buffer.from(key).toString('utf8'), format: 'pem', ...(password ? { passphrase: password } : {}) })
      : createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8', ...(password ? { passphrase: password } : {}) });
  } catch (e) {
    throw new EsealError('KEY_MALFORMED', `the private key cannot be read: ${(e as Error).message}`);
  }
  const type = k.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') fail('KEY_UNSUPPORTED', `a ${type} key cannot sign with RSA or ECDSA (SM2 keys use the national profile)`);
  if (type === 'ec') {
    const curve = k.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1' && curve !== 'secp384r1') fail('KEY_UNSUPPORTED', `EC keys on ${curve} are not supported (P-256 or P-384)`);
  }
  const spki = new Uint8Array(createPublicKey(k).export({ type: 'spki', format: 'der' }));
  return {
    scheme: type === 'rsa' ? 'rsa' : 'ecdsa',
    spki,
    sign(data, digest) {
      return new Uint8Array(nodeSign(digest, data, k));
    },
  };
}

/** true when the signer's key is the one in `certSpki` (DER SubjectPublicKeyInfo). */
export function keyMatches(signer: NodeKeySigner, certSpki: Uint8Array): boolean {
  return equalBytes(signer.spki, certSpki);
}
