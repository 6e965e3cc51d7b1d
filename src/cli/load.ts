/**
 * @module cli/load
 * Reading keys and certificates given on the command line, whatever their form.
 */
import { readPrivateKey, readPublicKey, type DecodedPrivateKey } from '../sm/key-formats.js';
import { readCertificates, type Certificate } from '../pki/certificate.js';
import { fromUtf8 } from '../util/bytes.js';
import { looksLikePem } from '../util/pem.js';
import type { CommandContext } from './command.js';
import { readInput } from './io.js';

export function loadPrivateKey(ctx: CommandContext, path: string): DecodedPrivateKey {
  return readPrivateKey(readInput(ctx, path, 'private key file'));
}

export function loadCertificates(ctx: CommandContext, path: string): Certificate[] {
  return readCertificates(readInput(ctx, path, 'certificate file'));
}

export function loadCertificateFiles(ctx: CommandContext, paths: string[]): Certificate[] {
  return paths.flatMap((p) => loadCertificates(ctx, p));
}

/** A public key from an SPKI (PEM/DER), a raw point, or a certificate. */
export function loadPublicKeyOrCertificate(ctx: CommandContext, path: string): { publicKey: Uint8Array; certificate?: Certificate } {
  const data = readInput(ctx, path, 'public key or certificate file');
  const isCertPem = looksLikePem(data) && /-----BEGIN (X509 |TRUSTED )?CERTIFICATE-----/.test(fromUtf8(data.subarray(0, 4096)));
  if (isCertPem) {
    const certificate = readCertificates(data)[0];
    return { publicKey: certificate.spki.publicKey, certificate };
  }
  if (!looksLikePem(data) && data[0] === 0x30) {
    // DER: an SPKI is SEQUENCE { SEQUENCE alg, BIT STRING }; a certificate is SEQUENCE { SEQUENCE tbs, ... } with 3 parts.
    try {
      return { publicKey: readPublicKey(data) };
    } catch {
      const certificate = readCertificates(data)[0];
      return { publicKey: certificate.spki.publicKey, certificate };
    }
  }
  return { publicKey: readPublicKey(data) };
}
