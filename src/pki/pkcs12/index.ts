/**
 * @module pki/pkcs12
 * PKCS#12 / PFX import (RFC 7292) of SM2 keys and certificates: password MAC (SHA-1/SHA-2/SM3),
 * legacy PBE (3DES, RC2) and PBES2 (PBKDF2 with AES, 3DES, SM4). Pure: no I/O; 3DES and AES use
 * node:crypto when it is there and are unavailable in a browser.
 */
export { readPkcs12, type ReadPkcs12Options } from './parse.js';
export { findCertificateForKey, pairKeysWithCertificates, certificateSpki, certificateSm2PublicKey, type PairableKey } from './pair.js';
export {
  PKCS12_LIMITS, type Pkcs12Contents, type Pkcs12Key, type Pkcs12OtherKey, type Pkcs12Certificate, type Pkcs12Limits, type BagAttributes,
} from './types.js';
