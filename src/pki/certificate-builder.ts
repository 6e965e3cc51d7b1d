/**
 * @module pki/certificate-builder
 * Issue X.509 v3 certificates on @peculiar/asn1-x509 schemas, in two phases so the CA key can live
 * in an HSM: `prepareCertificate` returns the tbsCertificate bytes to sign, `assembleCertificate`
 * adds the signature. Serial numbers come from the caller's random source (unique, unpredictable);
 * times are parameters (no clock in this layer).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate as AsnCertificate, Extensions, Name, SubjectPublicKeyInfo, TBSCertificate, Validity, Version, type Extension } from '@peculiar/asn1-x509';
import { sha1 } from '@noble/hashes/legacy.js';
import { fail } from '../util/errors.js';
import { id_sm2_with_sm3 } from '../sm/oids.js';
import { encodeSpki } from '../sm/key-formats.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { parseSpki } from './algorithms.js';
import { dnToName, parseDn, type Dn } from './name.js';
import {
  authorityKeyIdExtension, basicConstraintsExtension, crlDistributionPointsExtension, extKeyUsageExtension, keyUsageExtension, subjectKeyIdExtension, type KeyUsageName,
} from './extensions.js';
import { id_kp_timeStamping } from './oids.js';

export interface CertificateTemplate {
  subject: string | Dn;
  /** SM2 public key point (04‖x‖y), or { spki } with any SubjectPublicKeyInfo DER */
  publicKey: Uint8Array | { spki: Uint8Array };
  /** serial number bytes (caller's randomness: use {@link randomSerial}) */
  serialNumber: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** issuing CA; absent = self-signed (issuer = subject) */
  issuer?: Certificate;
  /** make a CA certificate (basicConstraints cA=TRUE) with an optional path length */
  ca?: { pathLength?: number };
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  extKeyUsageCritical?: boolean;
  crlDistributionPoints?: string[];
  /** extra extensions (already built) */
  extensions?: Extension[];
  /** signature algorithm OID of the issuer's key (default SM2-with-SM3) */
  signatureAlgorithm?: string;
}

export interface PreparedCertificate {
  /** DER tbsCertificate: the bytes the issuer signs */
  tbs: Uint8Array;
  signatureAlgorithm: string;
}

/** 16 random bytes as a positive serial with no leading zero octet (RFC 5280 §4.1.2.2: <= 20 octets). */
export function randomSerial(random: (n: number) => Uint8Array): Uint8Array {
  const s = random(16);
  if (s.length !== 16) fail('INVALID_ARGUMENT', 'random source returned the wrong number of bytes');
  const out = new Uint8Array(s);
  out[0] = (out[0] & 0x7f) | 0x40;
  return out;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spkiDer: Uint8Array): Uint8Array {
  return sha1(parseSpki(spkiDer).publicKey);
}

function algorithmIdentifier(oid: string): AlgorithmIdentifier {
  // SM2-with-SM3 and ECDSA take absent parameters (RFC 5758 style); RSA PKCS#1 v1.5 takes NULL.
  return oid.startsWith('1.2.840.113549.1.1.') ? new AlgorithmIdentifier({ algorithm: oid, parameters: null }) : new AlgorithmIdentifier({ algorithm: oid });
}

export function prepareCertificate(t: CertificateTemplate): PreparedCertificate {
  if (!(t.notBefore instanceof Date) || !(t.notAfter instanceof Date) || Number.isNaN(t.notBefore.getTime()) || Number.isNaN(t.notAfter.getTime())) {
    fail('INVALID_ARGUMENT', 'notBefore and notAfter must be valid dates');
  }
  if (t.notAfter <= t.notBefore) fail('INVALID_ARGUMENT', 'notAfter must be later than notBefore');
  if (t.serialNumber.length === 0 || t.serialNumber.length > 20 || t.serialNumber[0] & 0x80) fail('INVALID_ARGUMENT', 'serial number must be 1-20 bytes and positive');
  const spkiDer = t.publicKey instanceof Uint8Array ? encodeSpki(t.publicKey) : t.publicKey.spki;
  const subjectName = dnToName(typeof t.subject === 'string' ? parseDn(t.subject) : t.subject);
  const issuerName = t.issuer ? AsnConvert.parse(t.issuer.subjectDer, Name) : subjectName;
  if (t.issuer && !t.issuer.extensions.basicConstraints?.ca) fail('INVALID_ARGUMENT', 'the issuer certificate is not a CA (basicConstraints cA is not TRUE)');
  const signatureAlgorithm = t.signatureAlgorithm ?? id_sm2_with_sm3;

  const ski = keyIdentifier(spkiDer);
  const exts: Extension[] = [];
  if (t.ca) exts.push(basicConstraintsExtension(true, t.ca.pathLength));
  else exts.push(basicConstraintsExtension(false));
  const usage = t.keyUsage ?? (t.ca ? (['keyCertSign', 'cRLSign'] as KeyUsageName[]) : (['digitalSignature', 'nonRepudiation'] as KeyUsageName[]));
  if (usage.length) exts.push(keyUsageExtension(usage));
  if (t.extKeyUsage?.length) exts.push(extKeyUsageExtension(t.extKeyUsage, t.extKeyUsageCritical ?? false));
  exts.push(subjectKeyIdExtension(ski));
  const akid = t.issuer ? (t.issuer.extensions.subjectKeyId ?? keyIdentifier(t.issuer.spki.der)) : ski;
  exts.push(authorityKeyIdExtension(akid));
  if (t.crlDistributionPoints?.length) exts.push(crlDistributionPointsExtension(t.crlDistributionPoints));
  if (t.extensions) exts.push(...t.extensions);

  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: t.serialNumber.slice().buffer,
    signature: algorithmIdentifier(signatureAlgorithm),
    issuer: issuerName,
    validity: new Validity({ notBefore: t.notBefore, notAfter: t.notAfter }),
    subject: subjectName,
    subjectPublicKeyInfo: AsnConvert.parse(spkiDer, SubjectPublicKeyInfo),
    extensions: new Extensions(exts),
  });
  return { tbs: new Uint8Array(AsnConvert.serialize(tbs)), signatureAlgorithm };
}

/** Adds the issuer's signature (DER for SM2/ECDSA, raw for RSA) and returns the parsed certificate. */
export function assembleCertificate(prepared: PreparedCertificate, signature: Uint8Array): Certificate {
  const cert = new AsnCertificate({
    tbsCertificate: AsnConvert.parse(prepared.tbs, TBSCertificate),
    signatureAlgorithm: algorithmIdentifier(prepared.signatureAlgorithm),
    signatureValue: signature.slice().buffer,
  });
  // Re-serialising the tbs we just built is safe: it is our own DER; assembled bytes are checked below.
  const der = new Uint8Array(AsnConvert.serialize(cert));
  const parsed = parseCertificate(der);
  if (parsed.tbs.length !== prepared.tbs.length || parsed.tbs.some((b, i) => b !== prepared.tbs[i])) fail('INVALID_ARGUMENT', 'assembled certificate does not carry the prepared tbsCertificate');
  return parsed;
}

export type SignFunction = (tbs: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** One-shot helper over the two phases. */
export async function issueCertificate(t: CertificateTemplate, sign: SignFunction): Promise<Certificate> {
  const prepared = prepareCertificate(t);
  return assembleCertificate(prepared, await sign(prepared.tbs));
}

/** Template presets for the roles eseal needs. */
export const PROFILES = {
  rootCa: { ca: {}, keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'] as KeyUsageName[] },
  /** 制章机构 seal-making authority / intermediate CA */
  intermediateCa: { ca: { pathLength: 0 }, keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'] as KeyUsageName[] },
  /** seal holder / signer: digitalSignature + nonRepudiation */
  sealHolder: { keyUsage: ['digitalSignature', 'nonRepudiation'] as KeyUsageName[] },
  /** 制章者 seal maker (signs SESeal structures) */
  sealMaker: { keyUsage: ['digitalSignature', 'nonRepudiation'] as KeyUsageName[] },
  /** time-stamping authority: extendedKeyUsage timeStamping, critical (RFC 3161 §2.3) */
  tsa: { keyUsage: ['digitalSignature', 'nonRepudiation'] as KeyUsageName[], extKeyUsage: [id_kp_timeStamping], extKeyUsageCritical: true },
} satisfies Record<string, Partial<CertificateTemplate>>;
