/**
 * @module pki/pkcs12/mac
 * Password integrity of a PFX (RFC 7292 §5.1 and Appendix B): HMAC over the AuthenticatedSafe
 * octets with a key from the PKCS#12 KDF (ID 3), using the digest MacData names (SHA-1, SHA-2, SM3).
 */
import { equalBytes } from '../../util/bytes.js';
import { fail } from '../../util/errors.js';
import { TAG, type DerNode, readOctetString, readOid } from '../../util/der.js';
import { DIGEST_BY_OID, hmacDigest } from './hashes.js';
import { KDF_ID_MAC, bmpPassword, pkcs12Kdf } from './kdf.js';
import { id_PBMAC1 } from './oids.js';
import { readIterations, type PbeLimits } from './pbe.js';

export interface MacInfo {
  digest: string;
  iterations: number;
}

/**
 * Checks MacData over `content` (the octets of the authSafe `data` content). Returns the
 * BMP-encoded password that matched: for "" both 00 00 and no bytes at all are tried, since
 * writers disagree on how to encode an empty password (OpenSSL tries both too).
 * A mismatch is PASSWORD_INCORRECT: a MAC cannot tell a wrong password from altered content.
 */
export function verifyMac(macData: DerNode, content: Uint8Array, password: string, limits: PbeLimits): { bmp: Uint8Array; info: MacInfo } {
  if (macData.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', 'PFX macData is not a SEQUENCE');
  const parts = macData.children();
  if (parts.length < 2 || parts.length > 3) fail('PKCS12_MALFORMED', `PFX macData has ${parts.length} elements, expected 2 or 3`);
  const [digestInfo, saltNode, iterNode] = parts;
  if (digestInfo.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', 'PFX MAC DigestInfo is not a SEQUENCE');
  const di = digestInfo.children();
  if (di.length !== 2 || di[0].tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', 'PFX MAC DigestInfo must be SEQUENCE { AlgorithmIdentifier, OCTET STRING }');
  const algParts = di[0].children();
  if (algParts.length < 1 || algParts.length > 2) fail('PKCS12_MALFORMED', `PFX MAC digest AlgorithmIdentifier has ${algParts.length} elements`);
  const oid = readOid(algParts[0], 'PFX MAC digest algorithm');
  if (algParts[1] && (algParts[1].tag !== TAG.NULL || algParts[1].length !== 0)) fail('PKCS12_MALFORMED', 'PFX MAC digest algorithm parameters must be NULL or absent');
  if (oid === id_PBMAC1) fail('ALGORITHM_UNSUPPORTED', 'PFX MAC uses PBMAC1 (RFC 9579), which is not supported');
  const digest = DIGEST_BY_OID[oid];
  if (!digest) fail('ALGORITHM_UNSUPPORTED', `PFX MAC digest algorithm ${oid} is not supported (SHA-1, SHA-2 and SM3 are)`, { oid });
  const expected = readOctetString(di[1], 'PFX MAC value');
  if (expected.length !== digest.outputLength) {
    fail('PKCS12_MALFORMED', `PFX MAC value is ${expected.length} bytes, HMAC-${digest.name.toUpperCase()} gives ${digest.outputLength}`);
  }
  const salt = readOctetString(saltNode, 'PFX MAC salt');
  // iterations INTEGER DEFAULT 1 (absent in some old files)
  const iterations = iterNode ? readIterations(iterNode, 'PFX MAC', limits) : 1;

  const candidates = [bmpPassword(password)];
  if (password === '') candidates.push(new Uint8Array(0));
  for (const bmp of candidates) {
    const key = pkcs12Kdf(digest, KDF_ID_MAC, bmp, salt, iterations, digest.outputLength);
    const mac = hmacDigest(digest, key, content);
    key.fill(0);
    if (equalBytes(mac, expected)) return { bmp, info: { digest: digest.name, iterations } };
  }
  fail('PASSWORD_INCORRECT', 'PKCS#12 MAC verification failed: the password is wrong (or the file was altered)');
}
