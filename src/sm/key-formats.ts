/**
 * @module sm/key-formats
 * SM2 key encodings: PKCS#8 PrivateKeyInfo (RFC 5208/5958), SEC1 ECPrivateKey (RFC 5915),
 * SubjectPublicKeyInfo (RFC 5280/5480), each as DER or PEM. What OpenSSL 3 writes for SM2 keys
 * (`id-ecPublicKey` + namedCurve 1.2.156.10197.1.301) is what we write; we also read keys whose
 * algorithm OID is 1.2.156.10197.1.301 itself, as some Chinese toolkits write.
 */
import { fail, EsealError } from '../util/errors.js';
import { bigintToBytes, bytesToBigint, fromUtf8 } from '../util/bytes.js';
import {
  DerNode, TAG, derBitString, derContext, derInteger, derOctetString, derOid, derSequence, parseDer, readBitStringBytes, readInteger, readOctetString, readOid,
} from '../util/der.js';
import { decodePem, encodePem, looksLikePem } from '../util/pem.js';
import { id_ecPublicKey, id_sm2, KNOWN_CURVES } from './oids.js';
import { decodePublicKey, getPublicKey, privateKeyToScalar } from './sm2/keys.js';

export interface DecodedPrivateKey {
  /** 32-byte scalar. */
  d: Uint8Array;
  /** 04‖x‖y, derived from d (the embedded copy, if any, is checked against it). */
  publicKey: Uint8Array;
  format: 'pkcs8' | 'sec1';
}

function checkAlgorithm(alg: DerNode, what: string): void {
  const parts = alg.children();
  if (parts.length < 1) fail('KEY_MALFORMED', `${what}: empty AlgorithmIdentifier`);
  const oid = readOid(parts[0], `${what} algorithm`);
  if (oid === id_sm2) return; // some toolkits name the algorithm by the SM2 OID directly
  if (oid !== id_ecPublicKey) fail('KEY_UNSUPPORTED', `${what}: algorithm ${oid} is not an elliptic-curve key (expected SM2)`);
  if (parts.length < 2 || parts[1].tag !== TAG.OID) fail('KEY_UNSUPPORTED', `${what}: EC key without a named curve (explicit curve parameters are not supported)`);
  const curve = readOid(parts[1]);
  if (curve !== id_sm2) fail('KEY_UNSUPPORTED', `${what}: curve ${KNOWN_CURVES[curve] ?? curve} is not SM2 (sm2p256v1, ${id_sm2})`, { curve });
}

function scalarFromOctets(octets: Uint8Array, what: string): Uint8Array {
  // RFC 5915 says the octet string is exactly ceiling(log2(n)/8) bytes; some writers drop leading zeros.
  if (octets.length === 0 || octets.length > 33) fail('KEY_MALFORMED', `${what}: private key is ${octets.length} bytes, expected 32`);
  const value = bytesToBigint(octets);
  if (value >= 1n << 256n) fail('KEY_MALFORMED', `${what}: private key value does not fit in 32 bytes`);
  const d = bigintToBytes(value, 32);
  privateKeyToScalar(d);
  return d;
}

function decodeSec1Node(seq: DerNode, what: string, outerCurveChecked: boolean): DecodedPrivateKey {
  if (seq.tag !== TAG.SEQUENCE) fail('KEY_MALFORMED', `${what}: ECPrivateKey is not a SEQUENCE`);
  const k = seq.children();
  if (k.length < 2) fail('KEY_MALFORMED', `${what}: ECPrivateKey has ${k.length} elements, expected at least 2`);
  if (readInteger(k[0], 'ECPrivateKey version') !== 1n) fail('KEY_MALFORMED', `${what}: ECPrivateKey version must be 1`);
  const d = scalarFromOctets(readOctetString(k[1], 'ECPrivateKey privateKey'), what);
  const publicKey = getPublicKey(d);
  let curveSeen = outerCurveChecked;
  for (const n of k.slice(2)) {
    if (n.contextNumber === 0) {
      const inner = n.children()[0];
      const curve = readOid(inner, `${what} parameters`);
      if (curve !== id_sm2) fail('KEY_UNSUPPORTED', `${what}: curve ${KNOWN_CURVES[curve] ?? curve} is not SM2`, { curve });
      curveSeen = true;
    } else if (n.contextNumber === 1) {
      const embedded = readBitStringBytes(n.children()[0], `${what} publicKey`);
      decodePublicKey(embedded);
      const same = embedded.length === publicKey.length && embedded.every((b, i) => b === publicKey[i]);
      if (!same && !(embedded.length === 33 && embedded[1] === publicKey[1])) {
        fail('KEY_MALFORMED', `${what}: embedded public key does not match the private key`);
      }
    }
  }
  if (!curveSeen) fail('KEY_UNSUPPORTED', `${what}: no curve named; cannot tell it is an SM2 key`);
  return { d, publicKey, format: 'sec1' };
}

function wrapDecode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EsealError && (e.code.startsWith('KEY_') || e.code === 'SCALAR_OUT_OF_RANGE' || e.code === 'POINT_NOT_ON_CURVE' || e.code === 'PEM_MALFORMED')) throw e;
    throw new EsealError('KEY_MALFORMED', `${what}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** PKCS#8 PrivateKeyInfo DER. */
export function decodePkcs8(der: Uint8Array): DecodedPrivateKey {
  return wrapDecode('PKCS#8 private key', () => {
    const seq = parseDer(der, { what: 'PKCS#8 private key' });
    if (seq.tag !== TAG.SEQUENCE) fail('KEY_MALFORMED', 'PKCS#8 private key is not a SEQUENCE');
    const k = seq.children();
    if (k.length < 3) fail('KEY_MALFORMED', `PKCS#8 private key has ${k.length} elements, expected at least 3`);
    const version = readInteger(k[0], 'PKCS#8 version');
    if (version !== 0n && version !== 1n) fail('KEY_MALFORMED', `PKCS#8 version ${version} is not 0 or 1`);
    checkAlgorithm(k[1], 'PKCS#8 private key');
    const inner = readOctetString(k[2], 'PKCS#8 privateKey');
    const sec1 = parseDer(inner, { what: 'PKCS#8 inner ECPrivateKey' });
    return { ...decodeSec1Node(sec1, 'PKCS#8 private key', true), format: 'pkcs8' as const };
  });
}

/** SEC1 ECPrivateKey DER ("EC PRIVATE KEY"). */
export function decodeSec1(der: Uint8Array): DecodedPrivateKey {
  return wrapDecode('SEC1 private key', () => decodeSec1Node(parseDer(der, { what: 'SEC1 private key' }), 'SEC1 private key', false));
}

/** SubjectPublicKeyInfo DER → 04‖x‖y (validated on the curve). */
export function decodeSpki(der: Uint8Array): Uint8Array {
  return wrapDecode('SM2 public key', () => {
    const seq = parseDer(der, { what: 'SubjectPublicKeyInfo' });
    if (seq.tag !== TAG.SEQUENCE) fail('KEY_MALFORMED', 'SubjectPublicKeyInfo is not a SEQUENCE');
    const k = seq.children();
    if (k.length !== 2) fail('KEY_MALFORMED', `SubjectPublicKeyInfo has ${k.length} elements, expected 2`);
    checkAlgorithm(k[0], 'SM2 public key');
    const point = readBitStringBytes(k[1], 'subjectPublicKey');
    return decodePublicKey(point).toBytes(false);
  });
}

const ecAlgorithm = () => derSequence(derOid(id_ecPublicKey), derOid(id_sm2));

export function encodeSec1(d: Uint8Array, withCurve = true): Uint8Array {
  privateKeyToScalar(d);
  const parts = [derInteger(1), derOctetString(d)];
  if (withCurve) parts.push(derContext(0, derOid(id_sm2)));
  parts.push(derContext(1, derBitString(getPublicKey(d))));
  return derSequence(...parts);
}

export function encodePkcs8(d: Uint8Array): Uint8Array {
  return derSequence(derInteger(0), ecAlgorithm(), derOctetString(encodeSec1(d, false)));
}

export function encodeSpki(publicKey: Uint8Array): Uint8Array {
  const point = decodePublicKey(publicKey).toBytes(false);
  return derSequence(ecAlgorithm(), derBitString(point));
}

export const privateKeyToPem = (d: Uint8Array): string => encodePem('PRIVATE KEY', encodePkcs8(d));
export const sec1ToPem = (d: Uint8Array): string => encodePem('EC PRIVATE KEY', encodeSec1(d));
export const publicKeyToPem = (pub: Uint8Array): string => encodePem('PUBLIC KEY', encodeSpki(pub));

/**
 * Reads an SM2 private key from PEM (PRIVATE KEY / EC PRIVATE KEY) or DER (PKCS#8 or SEC1, told
 * apart by structure). Encrypted PKCS#8 is refused with a message pointing to PKCS#12 import.
 */
export function readPrivateKey(data: Uint8Array | string): DecodedPrivateKey {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (looksLikePem(bytes)) {
    const text = fromUtf8(bytes);
    if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) fail('KEY_UNSUPPORTED', 'encrypted PKCS#8 private keys are not supported here; decrypt it or import a PKCS#12 file');
    const block = decodePem(text, ['PRIVATE KEY', 'EC PRIVATE KEY']);
    return block.label === 'PRIVATE KEY' ? decodePkcs8(block.der) : decodeSec1(block.der);
  }
  // DER: PKCS#8 starts SEQUENCE { INTEGER 0, SEQUENCE ...}; SEC1 starts SEQUENCE { INTEGER 1, OCTET STRING ...}.
  const probe = wrapDecode('private key', () => parseDer(bytes, { what: 'private key' }));
  const kids = wrapDecode('private key', () => probe.children());
  if (kids.length >= 2 && kids[1].tag === TAG.SEQUENCE) return decodePkcs8(bytes);
  return decodeSec1(bytes);
}

/** Reads an SM2 public key from PEM/DER SubjectPublicKeyInfo or a raw SEC1 point. */
export function readPublicKey(data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (looksLikePem(bytes)) return decodeSpki(decodePem(fromUtf8(bytes), ['PUBLIC KEY']).der);
  if (bytes.length > 0 && bytes[0] === TAG.SEQUENCE) return decodeSpki(bytes);
  return decodePublicKey(bytes).toBytes(false);
}
