/**
 * @module ses/timestamp/token
 * Builds RFC 3161 TimeStampTokens (GB/T 20520-2006) in two phases like every other signature here:
 * {@link prepareTimeStampToken} returns the bytes the TSA key signs, {@link assembleTimeStampToken}
 * embeds the signature value.
 *
 * The token is a CMS SignedData (RFC 3161 §2.4.2) whose eContentType is id-ct-TSTInfo with the DER
 * TSTInfo encapsulated, signed attributes content-type + message-digest + ESS signing-certificate-v2
 * (RFC 5816; SM3 certificate hash for SM2 TSAs, SHA-256 otherwise). SM2 TSAs use the RFC 5652 OID
 * family with SM OIDs (sm3 digest, SM2-with-SM3 signature), as GB/T 20520 tokens do.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, GeneralName, Name } from '@peculiar/asn1-x509';
import { fail } from '../../util/errors.js';
import {
  assembleSignedData, DIGEST_LENGTHS, DIGEST_OIDS, isDigestName, parseCertificate, prepareSignedData, type DigestName, type PreparedSignedData, type SignatureScheme,
} from '../../pki/index.js';
import { Accuracy, MessageImprint, TSTInfo } from './asn1/index.js';
import { toArrayBuffer, unsignedIntegerContent } from './integers.js';
import { id_ct_TSTInfo } from './oids.js';

export type TimeStampHash = DigestName;

export interface TimeStampAccuracy {
  seconds?: number;
  /** 1..999 */
  millis?: number;
  /** 1..999 */
  micros?: number;
}

export interface PrepareTimeStampTokenParams {
  /** hash algorithm of the message imprint */
  hashAlgorithm: TimeStampHash;
  /** the hash of the time-stamped data, computed by the requester */
  hashedMessage: Uint8Array;
  /** TSA policy OID under which the token is issued */
  policy: string;
  /** unique serial number, unsigned big-endian, at most 20 bytes (the caller's counter or randomness) */
  serialNumber: Uint8Array;
  /** the time (a parameter: this layer has no clock); milliseconds are written when non-zero */
  genTime: Date;
  accuracy?: TimeStampAccuracy;
  ordering?: boolean;
  /** the requester's nonce, unsigned big-endian (echoed from the request) */
  nonce?: Uint8Array;
  /** write the `tsa` field as the TSA certificate's subject (directoryName) */
  includeTsaName?: boolean;
  /** the TSA's DER certificate (critical extendedKeyUsage timeStamping) */
  tsaCertificate: Uint8Array;
  /** more certificates for the verifier (the TSA's chain) */
  certificates?: Uint8Array[];
  /** carry the certificates in the token (RFC 3161 certReq); default true */
  includeCertificates?: boolean;
  /** CMS digest algorithm; default sm3 for SM2 TSAs, sha256 otherwise */
  digestAlgorithm?: DigestName;
  /** hash of the ESS certificate id; default sm3 for SM2 TSAs, sha256 otherwise */
  certificateHash?: DigestName;
}

export interface PreparedTimeStampToken {
  /** the bytes to sign (DER SET OF signed attributes) */
  toBeSigned: Uint8Array;
  /** the digest an RSA/ECDSA TSA key applies to `toBeSigned` */
  digestAlgorithm: DigestName;
  scheme: SignatureScheme;
  /** the DER TSTInfo that is encapsulated */
  tstInfo: Uint8Array;
  cms: PreparedSignedData;
}

function accuracyOf(a: TimeStampAccuracy): Accuracy {
  const check = (v: number | undefined, name: string, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < (name === 'seconds' ? 0 : 1) || v > max)) fail('INVALID_ARGUMENT', `accuracy ${name} ${v} is out of range`);
  };
  check(a.seconds, 'seconds', 2 ** 31 - 1);
  check(a.millis, 'millis', 999);
  check(a.micros, 'micros', 999);
  return new Accuracy({ ...(a.seconds !== undefined ? { seconds: a.seconds } : {}), ...(a.millis ? { millis: a.millis } : {}), ...(a.micros ? { micros: a.micros } : {}) });
}

/** DER TSTInfo (RFC 3161 §2.4.2). */
export function encodeTstInfo(p: Omit<PrepareTimeStampTokenParams, 'certificates' | 'includeCertificates' | 'digestAlgorithm' | 'certificateHash'>): Uint8Array {
  if (!isDigestName(p.hashAlgorithm)) fail('INVALID_ARGUMENT', `message imprint hash ${String(p.hashAlgorithm)} is not one of sm3, sha256, sha384, sha512`);
  if (!(p.hashedMessage instanceof Uint8Array) || p.hashedMessage.length !== DIGEST_LENGTHS[p.hashAlgorithm]) {
    fail('INVALID_ARGUMENT', `hashedMessage must be the ${DIGEST_LENGTHS[p.hashAlgorithm]}-byte ${p.hashAlgorithm} of the data`);
  }
  if (!/^[0-2](\.\d+)+$/.test(p.policy ?? '')) fail('INVALID_ARGUMENT', `policy "${p.policy}" is not an OID`);
  if (!(p.genTime instanceof Date) || Number.isNaN(p.genTime.getTime())) fail('INVALID_ARGUMENT', 'genTime must be a valid Date');
  const tsa = p.includeTsaName ? new GeneralName({ directoryName: AsnConvert.parse(parseCertificate(p.tsaCertificate).subjectDer, Name) }) : undefined;
  const info = new TSTInfo({
    version: 1,
    policy: p.policy,
    // NULL parameters, as `openssl ts -query` writes them (RFC 3161 requires the request's imprint to be echoed).
    messageImprint: new MessageImprint({ hashAlgorithm: new AlgorithmIdentifier({ algorithm: DIGEST_OIDS[p.hashAlgorithm], parameters: null }), hashedMessage: toArrayBuffer(p.hashedMessage) }),
    serialNumber: toArrayBuffer(unsignedIntegerContent(p.serialNumber, 'serialNumber')),
    genTime: p.genTime,
    ...(p.accuracy ? { accuracy: accuracyOf(p.accuracy) } : {}),
    ordering: p.ordering ?? false,
    ...(p.nonce ? { nonce: toArrayBuffer(unsignedIntegerContent(p.nonce, 'nonce', 64)) } : {}),
    ...(tsa ? { tsa } : {}),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

/** Phase 1: TSTInfo and the signed attributes to be signed by the TSA key. */
export function prepareTimeStampToken(p: PrepareTimeStampTokenParams): PreparedTimeStampToken {
  const tsaCert = parseCertificate(p.tsaCertificate);
  const sm2 = tsaCert.spki.keyType === 'sm2';
  const tstInfo = encodeTstInfo(p);
  const cms = prepareSignedData({
    flavour: 'rfc5652',
    content: tstInfo,
    encapsulate: true,
    eContentType: id_ct_TSTInfo,
    digestAlgorithm: p.digestAlgorithm ?? (sm2 ? 'sm3' : 'sha256'),
    signerCertificate: p.tsaCertificate,
    certificates: p.includeCertificates === false ? [] : (p.certificates ?? []),
    includeSignerCertificate: p.includeCertificates !== false,
    signedAttributes: { signingCertificateV2: { hash: p.certificateHash ?? (sm2 ? 'sm3' : 'sha256') } },
  });
  return { toBeSigned: cms.toBeSigned, digestAlgorithm: cms.digestAlgorithm, scheme: cms.scheme, tstInfo, cms };
}

/** Phase 2: the DER TimeStampToken (ContentInfo). */
export function assembleTimeStampToken(state: PreparedTimeStampToken, signatureValue: Uint8Array): Uint8Array {
  return assembleSignedData(state.cms, signatureValue);
}
