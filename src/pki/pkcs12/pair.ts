/**
 * @module pki/pkcs12/pair
 * Finds the certificate that belongs to a private key from a PKCS#12 file: by the localKeyId bag
 * attribute first, else by comparing the certificate's SubjectPublicKeyInfo point with the key's
 * public key. A localKeyId match whose certificate holds a different SM2 public key is not trusted.
 */
import { equalBytes } from '../../util/bytes.js';
import { TAG, parseDer } from '../../util/der.js';
import { decodeSpki } from '../../sm/key-formats.js';
import type { Pkcs12Certificate, Pkcs12Contents, Pkcs12Key } from './types.js';

/** SubjectPublicKeyInfo DER of an X.509 certificate (a view into `certDer`), or undefined if unreadable. */
export function certificateSpki(certDer: Uint8Array): Uint8Array | undefined {
  try {
    const cert = parseDer(certDer, { what: 'certificate' });
    const [tbs] = cert.children();
    if (!tbs || tbs.tag !== TAG.SEQUENCE) return undefined;
    const fields = tbs.children();
    // TBSCertificate: [0] version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ...
    const i = fields[0]?.contextNumber === 0 ? 6 : 5;
    const spki = fields[i];
    return spki?.tag === TAG.SEQUENCE ? spki.raw : undefined;
  } catch {
    return undefined;
  }
}

/** The SM2 public key (04‖x‖y) of a certificate, or undefined when it is not an SM2 certificate. */
export function certificateSm2PublicKey(certDer: Uint8Array): Uint8Array | undefined {
  const spki = certificateSpki(certDer);
  if (!spki) return undefined;
  try {
    return decodeSpki(spki);
  } catch {
    return undefined;
  }
}

/** A key as far as pairing needs it: an SM2 key has both, another key only its localKeyId. */
export interface PairableKey {
  localKeyId?: Uint8Array;
  publicKey?: Uint8Array;
}

/** The certificate for `key` among `certificates`, or undefined. */
export function findCertificateForKey(key: PairableKey, certificates: readonly Pkcs12Certificate[]): Pkcs12Certificate | undefined {
  const keyMatches = (c: Pkcs12Certificate): boolean => {
    if (!key.publicKey) return true;
    const pub = certificateSm2PublicKey(c.der);
    return pub !== undefined && equalBytes(pub, key.publicKey);
  };
  if (key.localKeyId) {
    const id = key.localKeyId;
    const byId = certificates.find((c) => c.localKeyId !== undefined && equalBytes(c.localKeyId, id) && keyMatches(c));
    if (byId) return byId;
  }
  if (!key.publicKey) return undefined;
  return certificates.find(keyMatches);
}

/** Every SM2 key of the file with its certificate (when one is there). */
export function pairKeysWithCertificates(contents: Pick<Pkcs12Contents, 'keys' | 'certificates'>): Array<{ key: Pkcs12Key; certificate?: Pkcs12Certificate }> {
  return contents.keys.map((key) => {
    const certificate = findCertificateForKey(key, contents.certificates);
    return certificate ? { key, certificate } : { key };
  });
}
