/**
 * @module pki/pkcs12/types
 * What a PKCS#12 (PFX, RFC 7292) import yields, and its limits.
 */

/** Attributes a SafeBag may carry (PKCS#9). */
export interface BagAttributes {
  /** localKeyId (1.2.840.113549.1.9.21): ties a key bag to its certificate bag. */
  localKeyId?: Uint8Array;
  /** friendlyName (1.2.840.113549.1.9.20, BMPString). */
  friendlyName?: string;
}

/** An SM2 private key. */
export interface Pkcs12Key extends BagAttributes {
  /** 32-byte SM2 scalar. */
  d: Uint8Array;
  /** 04‖x‖y, computed from d. */
  publicKey: Uint8Array;
}

/** A private key of another algorithm (RSA, ECDSA P-256, ...), kept as its PKCS#8 PrivateKeyInfo. */
export interface Pkcs12OtherKey extends BagAttributes {
  /** PrivateKeyInfo DER, decrypted. */
  pkcs8: Uint8Array;
  /** "rsa", "rsa-pss", "ec", "dsa", "ed25519", ... or the algorithm OID when unknown. */
  algorithm: string;
  /** For "ec": the named-curve OID. */
  curve?: string;
}

export interface Pkcs12Certificate extends BagAttributes {
  /** X.509 certificate DER, exactly as stored. */
  der: Uint8Array;
}

export interface Pkcs12Contents {
  keys: Pkcs12Key[];
  otherKeys: Pkcs12OtherKey[];
  certificates: Pkcs12Certificate[];
  /** True when the file had a password MAC and it verified; false when the file has no MAC. */
  macVerified: boolean;
  /** The MAC's digest and iteration count, when there is one. */
  mac?: { digest: string; iterations: number };
}

export interface Pkcs12Limits {
  /** Largest PFX accepted, in bytes. */
  maxBytes: number;
  /** Most SafeBags (and most AuthenticatedSafe ContentInfos) accepted. */
  maxBags: number;
  /** Highest iteration count accepted for the MAC, the PKCS#12 KDF or PBKDF2. */
  maxIterations: number;
  /** Highest sum of all iteration counts in one file (MAC plus every encrypted part and key). */
  maxTotalIterations: number;
}

export const PKCS12_LIMITS: Readonly<Pkcs12Limits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxBags: 64,
  maxIterations: 10_000_000,
  maxTotalIterations: 30_000_000,
});
