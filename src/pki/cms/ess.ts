/**
 * @module pki/cms/ess
 * ESS signing-certificate attributes: they bind the signer certificate into the signed attributes so
 * that a certificate with the same key (or a re-issued one) cannot be substituted.
 * ```asn
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL } -- RFC 5035 §3
 * ESSCertIDv2 ::= SEQUENCE {
 *     hashAlgorithm AlgorithmIdentifier DEFAULT { algorithm id-sha256 },
 *     certHash      OCTET STRING,                 -- hash of the whole certificate DER
 *     issuerSerial  IssuerSerial OPTIONAL }
 * SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies ... OPTIONAL }    -- RFC 2634 §5.4
 * ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * ```
 * RFC 5816 allows ESSCertIDv2 in RFC 3161 time-stamp tokens; with SM2 keys we hash with SM3.
 */
import { fromHex, toHex, equalBytes } from '../../util/bytes.js';
import { derContext, derOctetString, derSequence, derTlv, parseDer, readOctetString, readOid, TAG, type DerNode } from '../../util/der.js';
import type { Certificate } from '../certificate.js';
import type { CmsAttribute } from './attributes.js';
import { computeDigest, digestNameOf, DIGEST_OIDS, id_sha256, type DigestName } from './digest.js';
import { digestAlgorithmIdentifier } from './algorithms.js';
import { id_aa_signingCertificate, id_aa_signingCertificateV2 } from './oids.js';

export interface EssCertId {
  /** 1 = ESSCertID (SHA-1), 2 = ESSCertIDv2 */
  version: 1 | 2;
  hashAlgorithm: string;
  certHash: Uint8Array;
  issuerSerial?: { issuerNames: Uint8Array[]; serialNumber: string };
}

/** IssuerSerial with the certificate's issuer as a directoryName ([4], explicit because Name is a CHOICE). */
function issuerSerial(cert: Certificate): Uint8Array {
  return derSequence(derSequence(derContext(4, cert.issuerDer)), derTlv(TAG.INTEGER, fromHex(cert.serialNumber)));
}

/** signing-certificate-v2 attribute for `cert`; SHA-256 is the DEFAULT and therefore not written (DER). */
export function signingCertificateV2Attribute(cert: Certificate, hash: DigestName = 'sha256', withIssuerSerial = true): CmsAttribute {
  const hashAlg = DIGEST_OIDS[hash] === id_sha256 ? [] : [digestAlgorithmIdentifier(hash, 'rfc5652')];
  const certId = derSequence(...hashAlg, derOctetString(computeDigest(hash, cert.der)), ...(withIssuerSerial ? [issuerSerial(cert)] : []));
  return { oid: id_aa_signingCertificateV2, values: [derSequence(derSequence(certId))] };
}

function readCertId(node: DerNode, version: 1 | 2): EssCertId {
  const parts = node.children();
  let i = 0;
  let hashAlgorithm = version === 1 ? DIGEST_OIDS.sha1 : id_sha256;
  if (version === 2 && parts[0]?.tag === TAG.SEQUENCE) hashAlgorithm = readOid(parts[i++].children()[0], 'ESSCertIDv2 hashAlgorithm');
  const certHash = readOctetString(parts[i++], 'ESSCertID certHash');
  let is: EssCertId['issuerSerial'];
  if (parts[i]) {
    const [names, serial] = parts[i].children();
    if (!names || !serial || serial.tag !== TAG.INTEGER) throw new Error('IssuerSerial must be SEQUENCE { GeneralNames, INTEGER }');
    is = { issuerNames: names.children().filter((g) => g.tag === 0xa4).map((g) => g.children()[0].raw), serialNumber: toHex(serial.value) };
  }
  return { version, hashAlgorithm, certHash, ...(is ? { issuerSerial: is } : {}) };
}

/**
 * The certificate identifiers of a signing-certificate(-v2) attribute, v2 preferred (RFC 5035 §5.4:
 * the first one identifies the signer). Undefined when neither is present.
 */
export function readSigningCertificate(attrs: CmsAttribute[]): { ids: EssCertId[] } | { error: string } | undefined {
  const v2 = attrs.filter((a) => a.oid === id_aa_signingCertificateV2);
  const v1 = attrs.filter((a) => a.oid === id_aa_signingCertificate);
  const chosen = v2.length ? v2 : v1;
  if (chosen.length === 0) return undefined;
  const version: 1 | 2 = v2.length ? 2 : 1;
  const name = version === 2 ? 'signing-certificate-v2' : 'signing-certificate';
  if (chosen.length > 1 || chosen[0].values.length !== 1) return { error: `the ${name} attribute must occur once with one value` };
  try {
    const root = parseDer(chosen[0].values[0], { what: name });
    const certs = root.children()[0];
    if (!certs || certs.tag !== TAG.SEQUENCE) return { error: `${name}: certs is not a SEQUENCE` };
    const ids = certs.children().map((c) => readCertId(c, version));
    if (ids.length === 0) return { error: `${name} lists no certificate` };
    return { ids };
  } catch (e) {
    return { error: `${name} is malformed: ${(e as Error).message}` };
  }
}

/** Does the first ESS certificate id name `cert`? Returns a sentence when it does not. */
export function essCertIdMatches(id: EssCertId, cert: Pick<Certificate, 'der' | 'issuerDer' | 'serialNumber'>): { ok: true } | { ok: false; error: string } {
  const hash = digestNameOf(id.hashAlgorithm);
  if (!hash) return { ok: false, error: `ESS certificate hash algorithm ${id.hashAlgorithm} is not supported` };
  if (!equalBytes(computeDigest(hash, cert.der), id.certHash)) return { ok: false, error: `the ESS ${hash} certificate hash does not match the signer certificate` };
  if (id.issuerSerial) {
    if (id.issuerSerial.serialNumber !== cert.serialNumber) return { ok: false, error: 'the ESS issuerSerial serial number differs from the signer certificate' };
    if (!id.issuerSerial.issuerNames.some((n) => equalBytes(n, cert.issuerDer))) return { ok: false, error: 'the ESS issuerSerial issuer differs from the signer certificate issuer' };
  }
  return { ok: true };
}
