/**
 * @module sm/key-formats
 * SM2 key encodings: PKCS#8 PrivateKeyInfo (RFC 5208/5958), SEC1 ECPrivateKey (RFC 5915),
 * SubjectPublicKeyInfo (RFC 5280/5480), each as DER or PEM. What OpenSSL 3 writes for SM2 keys
 * (`id-ecPublicKey` + namedCurve 1.2.156.10197.1.301) is what we write; we also read keys whose
 * algorithm OID is 1.2.156.10197.1.301 itself, as some Chinese toolkits write.
 */
import { fail, EsealError } from '../util/errors.js';
import { bigintToBytes, bytesToBigint, equalBytes, fromUtf8 } from '../util/bytes.js';
import {
  DerNode, TAG, derBitString, derContext, derInteger, derOctetString, derOid, derSequence, parseDer, readBitStringBytes, readInteger, readOctetString, readOid,
} from '../util/der.js';
import { decodePem, decodePemAll, encodePem, looksLikePem } from '../util/pem.js';
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
      const inner = explicitContent(n, `${what}: parameters [0]`);
      if (inner.tag === TAG.SEQUENCE) fail('KEY_UNSUPPORTED', `${what}: explicit curve parameters are not supported (expected the named curve SM2, ${id_sm2})`);
      const curve = readOid(inner, `${what} parameters`);
      if (curve !== id_sm2) fail('KEY_UNSUPPORTED', `${what}: curve ${KNOWN_CURVES[curve] ?? curve} is not SM2`, { curve });
      curveSeen = true;
    } else if (n.contextNumber === 1) {
      const embedded = readBitStringBytes(explicitContent(n, `${what}: publicKey [1]`), `${what} publicKey`);
      // Compare points, not bytes: the embedded copy may be compressed (02/03‖x).
      if (!equalBytes(decodePublicKey(embedded).toBytes(false), publicKey)) {
        fail('KEY_MALFORMED', `${what}: embedded public key does not match the private key`);
      }
    }
  }
  if (!curveSeen) fail('KEY_UNSUPPORTED', `${what}: no curve named; cannot tell it is an SM2 key`);
  return { d, publicKey, format: 'sec1' };
}

/** The single element inside an EXPLICIT context tag ([0] parameters, [1] publicKey of ECPrivateKey). */
function explicitContent(n: DerNode, what: string): DerNode {
  if (!n.constructed) fail('KEY_MALFORMED', `${what} must be a constructed (EXPLICIT) tag`);
  const kids = n.children();
  if (kids.length !== 1) fail('KEY_MALFORMED', `${what} holds ${kids.length} elements, expected 1`);
  return kids[0];
}

function wrapDecode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EsealError && (e.code.startsWith('KEY_') || e.code === 'SCALAR_OUT_OF_RANGE' || e.code === 'POINT_NOT_ON_CURVE' || e.code === 'PEM_MALFORMED')) throw e;
    // DER errors already name what was parsed ("SEC1 private key: truncated DER ..."); don't say it twice.
    const message = (e as Error).message;
    throw new EsealError('KEY_MALFORMED', message.startsWith(`${what}`) ? message : `${what}: ${message}`, e instanceof EsealError ? { cause: e.code } : undefined, { cause: e });
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

function inputBytes(data: unknown, what: string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (!(data instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${what} must be bytes or PEM text`);
  return data;
}

/** PEM labels of keys that are not SM2 keys: named as unsupported rather than as malformed PEM. */
const OTHER_KEY_LABELS: Record<string, string> = {
  'RSA PRIVATE KEY': 'an RSA (PKCS#1) private key',
  'DSA PRIVATE KEY': 'a DSA private key',
  'RSA PUBLIC KEY': 'an RSA (PKCS#1) public key',
};

function refuseOtherKeyLabels(text: string, wanted: string): void {
  for (const [label, desc] of Object.entries(OTHER_KEY_LABELS)) {
    if (text.includes(`-----BEGIN ${label}-----`)) fail('KEY_UNSUPPORTED', `PEM block ${label} is ${desc}; only SM2 keys are supported (expected ${wanted})`);
  }
}

/**
 * Reads an SM2 private key from PEM (PRIVATE KEY = PKCS#8; EC PRIVATE KEY or SM2 PRIVATE KEY = SEC1,
 * the latter being what `openssl ec` 3.x writes for SM2 keys) or DER (PKCS#8 or SEC1, told apart by
 * structure). Encrypted PKCS#8 is refused with a message pointing to PKCS#12 import.
 */
export function readPrivateKey(data: Uint8Array | string): DecodedPrivateKey {
  const bytes = inputBytes(data, 'private key');
  if (looksLikePem(bytes)) {
    const text = fromUtf8(bytes);
    if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) fail('KEY_UNSUPPORTED', 'encrypted PKCS#8 private keys are not supported here; decrypt it or import a PKCS#12 file');
    const labels = ['PRIVATE KEY', 'EC PRIVATE KEY', 'SM2 PRIVATE KEY'];
    if (!decodePemAll(text).some((b) => labels.includes(b.label))) refuseOtherKeyLabels(text, 'PRIVATE KEY or EC PRIVATE KEY');
    const block = decodePem(text, labels);
    return block.label === 'PRIVATE KEY' ? decodePkcs8(block.der) : decodeSec1(block.der);
  }
  // DER: PKCS#8 starts SEQUENCE { INTEGER 0, SEQUENCE ...}; SEC1 starts SEQUENCE { INTEGER 1, OCTET STRING ...}.
  const probe = wrapDecode('private key', () => parseDer(bytes, { what: 'private key' }));
  const kids = wrapDecode('private key', () => probe.children());
  if (kids.length >= 2 && kids[1].tag === TAG.SEQUENCE) return decodePkcs8(bytes);
  if (kids.length >= 3 && kids[0].tag === TAG.INTEGER && kids[1].tag === TAG.INTEGER && kids[2].tag === TAG.INTEGER) {
    fail('KEY_UNSUPPORTED', 'private key looks like an RSA (PKCS#1) key; only SM2 keys are supported');
  }
  return decodeSec1(bytes);
}

/** Reads an SM2 public key from PEM/DER SubjectPublicKeyInfo or a raw SEC1 point. */
export function readPublicKey(data: Uint8Array | string): Uint8Array {
  const bytes = inputBytes(data, 'public key');
  if (looksLikePem(bytes)) {
    const text = fromUtf8(bytes);
    if (!decodePemAll(text).some((b) => b.label === 'PUBLIC KEY')) refuseOtherKeyLabels(text, 'PUBLIC KEY');
    return decodeSpki(decodePem(text, ['PUBLIC KEY']).der);
  }
  if (bytes.length > 0 && bytes[0] === TAG.SEQUENCE) return decodeSpki(bytes);
  return decodePublicKey(bytes).toBytes(false);
}
