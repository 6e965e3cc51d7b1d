/**
 * @module core/signer
 * Keys sit behind a Signer: the use cases never hold a private key. The platform's own keys are in
 * the key store (encrypted at rest); an HSM, a UKey or a remote signing server implements the same
 * interface (src/signers).
 */
import type { Id } from './domain/types.js';

export interface Signer {
  /** 'SM2' for national keys */
  algorithm: 'SM2';
  /** the public key (04‖x‖y) */
  publicKey: Uint8Array;
  /** SM2-with-SM3 (ID 1234567812345678) over `data`; DER signature */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface SignerProvider {
  /** the signer for a key the platform holds (by its key-store id) */
  forKey(keyId: Id): Promise<Signer>;
  /** create and store a new key; returns its id and public key */
  generate(purpose: 'ca' | 'maker' | 'signer' | 'tsa' | 'status'): Promise<{ keyId: Id; publicKey: Uint8Array }>;
}
