/**
 * @module pki/certificate
 * Parse X.509 certificates (RFC 5280) made by anyone: SM2 ones from Chinese CAs (signatureAlgorithm
 * with or without NULL parameters — both occur, STANDARDS.md §1.1), and RSA/ECDSA ones.
 * The raw `tbsCertificate` bytes are kept for signature verification (never re-encoded).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { EsealError, fail } from '../util/errors.js';
import { fromUtf8, toHex } from '../util/bytes.js';
import { parseDer, readBitStringBytes, readInteger, readOid, readTime, TAG, type DerNode } from '../util/der.js';
import { decodePemAll, looksLikePem } from '../util/pem.js';
import { sm3 } from '../sm/sm3.js';
import { nameToDn, type Dn, dnToString, dnGet } from './name.js';
import { parseSpki, type SpkiInfo } from './algorithms.js';
import { readExtensions, type ParsedExtensions } from './extensions.js';

/** Certificates above this size are refused (real ones are 0.5–4 KiB). */
export const MAX_CERTIFICATE_SIZE = 64 * 1024;

export interface Certificate {
  der: Uint8Array;
  /** tbsCertificate exactly as it sits in `der` (what the issuer signed) */
  tbs: Uint8Array;
  signatureAlgorithm: string;
  /** Whether the AlgorithmIdentifier carried NULL parameters, none, or something else */
  signatureAlgorithmParameters: 'absent' | 'null' | 'other';
  signatureValue: Uint8Array;
  version: number;
  /** lower-case hex of the serial number's content octets */
  serialNumber: string;
  issuer: Dn;
  /** DER of the issuer Name, as in the certificate */
  issuerDer: Uint8Array;
  subject: Dn;
  subjectDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spki: SpkiInfo;
  extensions: ParsedExtensions;
  /** SM3 of the DER (a stable identifier for display and lookup) */
  fingerprintSm3: string;
}

function algorithmOf(node: DerNode, what: string): { oid: string; params: 'absent' | 'null' | 'other' } {
  const parts = node.children();
  const oid = readOid(parts[0], what);
  const params = parts.length < 2 ? 'absent' : parts[1].tag === TAG.NULL ? 'null' : 'other';
  return { oid, params };
}

function parseName(node: DerNode, what: string): Dn {
  try {
    return nameToDn(AsnConvert.parse(node.raw, Name));
  } catch (e) {
    fail('CERT_MALFORMED', `${what} name is malformed: ${(e as Error).message}`);
  }
}

/**
 * Parsed certificates by SM3 of their DER: a platform parses the same few certificates (a seal's
 * signer, its CA, the makers) on every stamp and verification, and decoding the names is the costly
 * part. The returned objects are shared: treat them as read-only.
 */
const parsedCache = new Map<string, Certificate>();
const PARSED_CACHE_MAX = 2048;

/** Parses one DER certificate. Throws EsealError CERT_MALFORMED naming the broken part. */
export function parseCertificate(der: Uint8Array): Certificate {
  if (!(der instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'certificate must be bytes');
  if (der.length > MAX_CERTIFICATE_SIZE) fail('LIMIT_EXCEEDED', `certificate of ${der.length} bytes exceeds the ${MAX_CERTIFICATE_SIZE}-byte limit`);
  const fingerprint = toHex(sm3(der));
  const hit = parsedCache.get(fingerprint);
  if (hit) return hit;
  const cert = parseCertificateUncached(der.slice(), fingerprint); // a copy: callers may reuse their buffer
  parsedCache.set(fingerprint, cert);
  if (parsedCache.size > PARSED_CACHE_MAX) parsedCache.delete(parsedCache.keys().next().value as string);
  return cert;
}

function parseCertificateUncached(der: Uint8Array, fingerprint: string): Certificate {
  try {
    const root = parseDer(der, { what: 'certificate' });
    const top = root.children();
    if (root.tag !== TAG.SEQUENCE || top.length !== 3) fail('CERT_MALFORMED', 'certificate must be SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }');
    const [tbsNode, algNode, sigNode] = top;
    const alg = algorithmOf(algNode, 'signatureAlgorithm');
    const signatureValue = readBitStringBytes(sigNode, 'signatureValue');
    const f = tbsNode.children();
    let i = 0;
    let version = 1;
    if (f[0]?.contextNumber === 0) {
      version = Number(readInteger(f[0].children()[0], 'version')) + 1;
      i++;
    }
    if (version < 1 || version > 3) fail('CERT_MALFORMED', `certificate version ${version} is not 1, 2 or 3`);
    if (f.length < i + 6) fail('CERT_MALFORMED', `tbsCertificate has ${f.length} fields, expected at least ${i + 6}`);
    const serialNode = f[i++];
    readInteger(serialNode, 'serialNumber');
    const innerAlg = algorithmOf(f[i++], 'tbsCertificate.signature');
    if (innerAlg.oid !== alg.oid) fail('CERT_MALFORMED', `signature algorithm differs inside (${innerAlg.oid}) and outside (${alg.oid}) the signed part`);
    const issuerNode = f[i++];
    const validity = f[i++].children();
    if (validity.length !== 2) fail('CERT_MALFORMED', 'validity must have notBefore and notAfter');
    const subjectNode = f[i++];
    const spkiNode = f[i++];
    let extensions: ParsedExtensions = { all: [] };
    for (; i < f.length; i++) {
      if (f[i].contextNumber === 3) {
        if (version !== 3) fail('CERT_MALFORMED', 'extensions are present but the version is not 3');
        extensions = readExtensions(f[i].children()[0], 'certificate');
      }
    }
    return {
      der,
      tbs: tbsNode.raw,
      signatureAlgorithm: alg.oid,
      signatureAlgorithmParameters: alg.params,
      signatureValue,
      version,
      serialNumber: toHex(serialNode.value),
      issuer: parseName(issuerNode, 'issuer'),
      issuerDer: issuerNode.raw,
      subject: parseName(subjectNode, 'subject'),
      subjectDer: subjectNode.raw,
      notBefore: readTime(validity[0], 'notBefore'),
      notAfter: readTime(validity[1], 'notAfter'),
      spki: parseSpki(spkiNode.raw),
      extensions,
      fingerprintSm3: fingerprint,
    };
  } catch (e) {
    if (e instanceof EsealError && (e.code === 'CERT_MALFORMED' || e.code === 'LIMIT_EXCEEDED')) throw e;
    throw new EsealError('CERT_MALFORMED', `certificate is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** All certificates in PEM text (several blocks) or one DER certificate. */
export function readCertificates(data: Uint8Array | string): Certificate[] {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (looksLikePem(bytes)) {
    const blocks = decodePemAll(fromUtf8(bytes)).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (blocks.length === 0) fail('CERT_MALFORMED', 'no CERTIFICATE PEM block found');
    return blocks.map((b) => parseCertificate(b.der));
  }
  return [parseCertificate(bytes)];
}

export function readCertificate(data: Uint8Array | string): Certificate {
  return readCertificates(data)[0];
}

export const subjectString = (c: Certificate): string => dnToString(c.subject);
export const issuerString = (c: Certificate): string => dnToString(c.issuer);
export const commonName = (c: Certificate): string | undefined => dnGet(c.subject, 'CN');

/** Issuer and subject Names are the same (a root or a self-issued certificate). */
export function isSelfIssued(c: Certificate): boolean {
  return c.issuerDer.length === c.subjectDer.length && c.issuerDer.every((b, i) => b === c.subjectDer[i]);
}
