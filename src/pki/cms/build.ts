/**
 * @module pki/cms/build
 * CMS SignedData (RFC 5652 §5, GB/T 35275 §8) in two phases, so the key can live in a UKey, an HSM or
 * a remote signer: {@link prepareSignedData} returns the bytes to sign, {@link assembleSignedData}
 * embeds the signature value and returns the DER ContentInfo.
 *
 * What is signed (RFC 5652 §5.4): with signed attributes, the DER `SET OF Attribute` (tag 0x31; it sits
 * in the SignerInfo as `[0] IMPLICIT`, same contents); without them, the content itself.
 * How to sign `toBeSigned`: SM2 → `sm2Sign(d, toBeSigned)` (SM3 with Z, user ID 1234567812345678),
 * DER signature; RSA → PKCS#1 v1.5 with the digest named in the state; ECDSA → DER ECDSA-Sig-Value
 * with that digest.
 */
import { fromHex } from '../../util/bytes.js';
import { derContext, derInteger, derOctetString, derOid, derSequence, derSet, derTlv, parseDer, readOid, TAG } from '../../util/der.js';
import { fail, EsealError } from '../../util/errors.js';
import { verifyWithSpki } from '../algorithms.js';
import { parseCertificate, type Certificate } from '../certificate.js';
import { keyIdentifier } from '../certificate-builder.js';
import { contentTypeAttribute, encodeAttributes, messageDigestAttribute, signingTimeAttribute, type CmsAttribute } from './attributes.js';
import { digestAlgorithmIdentifier, resolveSignatureAlgorithm, schemeOfKeyType, signatureAlgorithmIdentifier, type CmsFlavour, type SignatureScheme } from './algorithms.js';
import { computeDigest, DIGEST_LENGTHS, DIGEST_OIDS, isDigestName, type DigestName } from './digest.js';
import { signingCertificateV2Attribute } from './ess.js';
import { id_data, id_gm_data, id_gm_signedData, id_signedData } from './oids.js';

export interface SignedAttributeOptions {
  /** signing-time attribute (RFC 5652 §11.3); time is a parameter: this layer has no clock */
  signingTime?: Date;
  /** ESS signing-certificate-v2 (RFC 5035) over the signer certificate; `true` = SHA-256 */
  signingCertificateV2?: boolean | { hash?: DigestName; issuerSerial?: boolean };
  /** further signed attributes, e.g. a seal-approval attribute (values are DER) */
  extra?: CmsAttribute[];
}

export interface PrepareSignedDataParams {
  /** OID family; default "rfc5652". "gbt35275" needs an SM2 signer certificate. */
  flavour?: CmsFlavour;
  /** the content; detached unless `encapsulate` */
  content?: Uint8Array;
  /** digest of detached content computed by the caller with `digestAlgorithm` (large documents) */
  contentDigest?: Uint8Array;
  /** put the content inside the SignedData (eContent) instead of leaving it detached */
  encapsulate?: boolean;
  /** eContentType; default id-data (1.2.840.113549.1.7.1), or 1.2.156.10197.6.1.4.2.1 for "gbt35275" */
  eContentType?: string;
  /** default sm3 for SM2 keys, sha256 otherwise */
  digestAlgorithm?: DigestName;
  /** the signer's DER certificate */
  signerCertificate: Uint8Array;
  /** more certificates for the verifier (the chain), DER */
  certificates?: Uint8Array[];
  /** include the signer certificate in `certificates` (default true) */
  includeSignerCertificate?: boolean;
  /** how the SignerInfo names the signer (default issuerAndSerialNumber, as every GB/T 35275 sample) */
  signerIdentifier?: 'issuerAndSerialNumber' | 'subjectKeyIdentifier';
  /** signed attributes (default: contentType + messageDigest); `false` = none, the signature covers the content */
  signedAttributes?: SignedAttributeOptions | false;
  /** RSA only: `rsaEncryption` or `sha256WithRSAEncryption`-style OID (default) as digestEncryptionAlgorithm */
  rsaSignatureOid?: 'withHash' | 'rsaEncryption';
}

/** State between the two phases: plain data, so it can be stored while a remote signer works. */
export interface PreparedSignedData {
  /** the bytes to sign: DER SET OF signed attributes (0x31 …), or the content when there are none */
  toBeSigned: Uint8Array;
  /** the signing scheme of the signer's key */
  scheme: SignatureScheme;
  /** the digest an RSA/ECDSA signer must apply to `toBeSigned` (SM2 always hashes Z‖M with SM3) */
  digestAlgorithm: DigestName;
  flavour: CmsFlavour;
  contentInfoType: string;
  version: number;
  digestAlgorithmIdentifier: Uint8Array;
  encapContentInfo: Uint8Array;
  /** `[0] IMPLICIT CertificateSet`, or empty */
  certificatesField: Uint8Array;
  signerInfoVersion: number;
  sid: Uint8Array;
  /** `[0] IMPLICIT SET OF Attribute`, or empty */
  signedAttributesField: Uint8Array;
  signatureAlgorithmIdentifier: Uint8Array;
  signerCertificate: Uint8Array;
}

export interface AssembleOptions {
  /** unsigned attributes, e.g. a signature time-stamp token (id-aa-signatureTimeStampToken) */
  unsignedAttributes?: CmsAttribute[];
  /** check the signature with the signer certificate before embedding it (default true): catches a wrong key or HSM slot */
  checkSignature?: boolean;
}

/** Re-tags a DER SET (0x31) as `[n] IMPLICIT` (RFC 5652 §5.3/§5.4): same length and contents. */
export function retag(tlv: Uint8Array, tag: number): Uint8Array {
  const out = tlv.slice();
  out[0] = tag;
  return out;
}

function sidOf(cert: Certificate, kind: 'issuerAndSerialNumber' | 'subjectKeyIdentifier'): Uint8Array {
  if (kind === 'subjectKeyIdentifier') {
    // SignerIdentifier subjectKeyIdentifier [0] IMPLICIT OCTET STRING; RFC 5280 method 1 when the cert has none.
    return derTlv(0x80, cert.extensions.subjectKeyId ?? keyIdentifier(cert.spki.der));
  }
  // The serial's content octets as in the certificate (never re-derived from a number).
  return derSequence(cert.issuerDer, derTlv(TAG.INTEGER, fromHex(cert.serialNumber)));
}

function checkBytes(name: string, v: unknown): void {
  if (v !== undefined && !(v instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
}

/** Phase 1: everything except the signature value. */
export function prepareSignedData(p: PrepareSignedDataParams): PreparedSignedData {
  checkBytes('content', p.content);
  checkBytes('contentDigest', p.contentDigest);
  checkBytes('signerCertificate', p.signerCertificate);
  const cert = parseCertificate(p.signerCertificate);
  const scheme = schemeOfKeyType(cert.spki.keyType);
  const flavour = p.flavour ?? 'rfc5652';
  if (flavour === 'gbt35275' && scheme !== 'sm2') fail('INVALID_ARGUMENT', 'the GB/T 35275 flavour needs an SM2 signer certificate');
  const digestName = p.digestAlgorithm ?? (scheme === 'sm2' ? 'sm3' : 'sha256');
  if (!isDigestName(digestName)) fail('INVALID_ARGUMENT', `digest algorithm ${String(digestName)} is not one of sm3, sha256, sha384, sha512`);
  if (scheme === 'sm2' && digestName !== 'sm3') fail('INVALID_ARGUMENT', `SM2 signer with digest ${digestName}: SM2 in CMS uses SM3`);
  if (p.content === undefined && p.contentDigest === undefined) fail('INVALID_ARGUMENT', 'give the content or its digest');
  if (p.content !== undefined && p.contentDigest !== undefined) fail('INVALID_ARGUMENT', 'give either the content or its digest, not both');
  if (p.encapsulate && !p.content) fail('INVALID_ARGUMENT', 'encapsulating needs the content itself');
  if (p.contentDigest && p.contentDigest.length !== DIGEST_LENGTHS[digestName]) {
    fail('INVALID_ARGUMENT', `contentDigest has ${p.contentDigest.length} bytes, ${digestName} gives ${DIGEST_LENGTHS[digestName]}`);
  }
  const withAttributes = p.signedAttributes !== false;
  if (!withAttributes && !p.content) fail('INVALID_ARGUMENT', 'without signed attributes the signature covers the content itself: give the content');

  const eContentType = p.eContentType ?? (flavour === 'gbt35275' ? id_gm_data : id_data);
  const sidKind = p.signerIdentifier ?? 'issuerAndSerialNumber';
  const digestAlgId = digestAlgorithmIdentifier(digestName, flavour);
  const encapContentInfo = derSequence(derOid(eContentType), ...(p.encapsulate ? [derContext(0, derOctetString(p.content!))] : []));

  let toBeSigned: Uint8Array;
  let signedAttributesField: Uint8Array = new Uint8Array(0);
  if (withAttributes) {
    const opts = p.signedAttributes || {};
    const md = p.contentDigest ?? computeDigest(digestName, p.content!);
    const attrs: CmsAttribute[] = [contentTypeAttribute(eContentType), messageDigestAttribute(md)];
    if (opts.signingTime) attrs.push(signingTimeAttribute(opts.signingTime));
    if (opts.signingCertificateV2) {
      const o = opts.signingCertificateV2 === true ? {} : opts.signingCertificateV2;
      attrs.push(signingCertificateV2Attribute(cert, o.hash ?? 'sha256', o.issuerSerial ?? true));
    }
    const reserved = new Set(attrs.map((a) => a.oid));
    for (const a of opts.extra ?? []) {
      if (reserved.has(a.oid)) fail('INVALID_ARGUMENT', `extra signed attribute ${a.oid} duplicates one eseal writes itself`);
      attrs.push(a);
    }
    toBeSigned = encodeAttributes(attrs);
    signedAttributesField = retag(toBeSigned, 0xa0);
  } else {
    toBeSigned = p.content!.slice();
  }

  const certs = [...(p.includeSignerCertificate === false ? [] : [p.signerCertificate]), ...(p.certificates ?? [])];
  for (const c of p.certificates ?? []) checkBytes('certificates[]', c);
  const unique = certs.filter((c, i) => certs.findIndex((o) => o.length === c.length && o.every((b, j) => b === c[j])) === i);
  const certificatesField = unique.length ? retag(derSet(...unique), 0xa0) : new Uint8Array(0);

  // RFC 5652 §5.1/§5.3 versions; GB/T 35275 writes 1 throughout (its "data" type counts as id-data).
  const signerInfoVersion = sidKind === 'subjectKeyIdentifier' ? 3 : 1;
  const version = signerInfoVersion === 3 || (flavour === 'rfc5652' && eContentType !== id_data) ? 3 : 1;

  return {
    toBeSigned,
    scheme,
    digestAlgorithm: digestName,
    flavour,
    contentInfoType: flavour === 'gbt35275' ? id_gm_signedData : id_signedData,
    version,
    digestAlgorithmIdentifier: digestAlgId,
    encapContentInfo,
    certificatesField,
    signerInfoVersion,
    sid: sidOf(cert, sidKind),
    signedAttributesField,
    signatureAlgorithmIdentifier: signatureAlgorithmIdentifier({ scheme, digest: digestName, flavour, rsaOid: p.rsaSignatureOid }),
    signerCertificate: p.signerCertificate,
  };
}

/** Phase 2: embeds the signature value and returns the DER ContentInfo. */
export function assembleSignedData(state: PreparedSignedData, signatureValue: Uint8Array, opts: AssembleOptions = {}): Uint8Array {
  checkBytes('signatureValue', signatureValue);
  if (!signatureValue || signatureValue.length === 0) fail('INVALID_ARGUMENT', 'signature value is empty');
  if (opts.checkSignature !== false) {
    const cert = parseCertificate(state.signerCertificate);
    const alg = resolveSignatureAlgorithm(readOid(parseDer(state.signatureAlgorithmIdentifier).children()[0]), DIGEST_OIDS[state.digestAlgorithm]);
    if ('error' in alg) fail('INVALID_ARGUMENT', alg.error);
    let ok = false;
    try {
      ok = verifyWithSpki(alg.algorithm, cert.spki, state.toBeSigned, signatureValue);
    } catch (e) {
      throw new EsealError('CMS_SIGNATURE_INVALID', `the signature value cannot be checked against the signer certificate: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (!ok) fail('CMS_SIGNATURE_INVALID', 'the signature value does not verify with the signer certificate (wrong key, or not over toBeSigned)');
  }
  const unsigned = opts.unsignedAttributes?.length ? [retag(encodeAttributes(opts.unsignedAttributes), 0xa1)] : [];
  const signerInfo = derSequence(
    derInteger(state.signerInfoVersion),
    state.sid,
    state.digestAlgorithmIdentifier,
    state.signedAttributesField,
    state.signatureAlgorithmIdentifier,
    derOctetString(signatureValue),
    ...unsigned,
  );
  const signedData = derSequence(
    derInteger(state.version),
    derSet(state.digestAlgorithmIdentifier),
    state.encapContentInfo,
    state.certificatesField,
    derSet(signerInfo),
  );
  return derSequence(derOid(state.contentInfoType), derContext(0, signedData));
}
