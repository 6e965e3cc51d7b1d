/**
 * @module ses/facts
 * What a seal or an electronic signature says, with the cryptographic checks done over the original
 * bytes: the "facts" half of facts → policy → report (see src/validation). Nothing here throws for a
 * bad signature or an unreadable certificate: each becomes a fact with its reason.
 */
import { EsealError } from '../util/errors.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { sm3 } from '../sm/sm3.js';
import { id_sm2_with_sm3 } from '../sm/oids.js';
import { sm2Verify } from '../sm/sm2/index.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { sha1, sha256 } from './_digests.js';
import type { ExtDataValue, Seal, SesSignature } from './model.js';

export interface CheckFact {
  /** true = holds; false = does not hold; null = could not be determined */
  ok: boolean | null;
  /** why it does not hold or could not be determined */
  reason?: string;
}

export interface CertificateFact {
  der: Uint8Array;
  certificate?: Certificate;
  /** why the certificate could not be read */
  error?: string;
}

export interface SealFacts {
  layout: Seal['layout'];
  version: number;
  vid: string;
  esId: string;
  name: string;
  type: number;
  createDate: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; widthMm: number; heightMm: number; size: number };
  certListType?: number;
  extDatas: ExtDataValue[];
  makerCertificate: CertificateFact;
  /** 制章者签名 the maker's signature over the signed bytes of the seal */
  makerSignature: CheckFact;
  /** allowed signers (certListType 1 / v1) */
  signerCertificates: CertificateFact[];
  /** v5 seal time stamp present (its verification is added by the time-stamp code) */
  timeStampPresent: boolean;
}

export interface SesSignatureFacts {
  layout: SesSignature['layout'];
  version: number;
  /** signing time claimed in TBS_Sign */
  signTime?: Date;
  signTimeText?: string;
  propertyInfo: string;
  dataHash: Uint8Array;
  signerCertificate: CertificateFact;
  /** 签章人签名 the signer's signature over TBS_Sign */
  signature: CheckFact;
  /** the signer certificate is one the seal allows (certList) */
  signerInCertList: CheckFact;
  /** TBS_Sign.version matches the seal's header version */
  versionConsistent: CheckFact;
  /** dataHash equals the hash of the original, when the original (or its hash) was given */
  dataHash_matches: CheckFact;
  extDatas: ExtDataValue[];
  timeStampPresent: boolean;
  seal: SealFacts;
}

export function certificateFact(der: Uint8Array): CertificateFact {
  try {
    return { der, certificate: parseCertificate(der) };
  } catch (e) {
    return { der, error: e instanceof EsealError ? e.message : String(e) };
  }
}

/** Verifies an SM2-with-SM3 signature with the key of a certificate; reasons for every failure. */
export function verifyWithCertificate(cert: CertificateFact, algorithm: string, data: Uint8Array, signature: Uint8Array, what: string): CheckFact {
  if (!cert.certificate) return { ok: null, reason: `${what}: the certificate cannot be read (${cert.error})` };
  if (algorithm !== id_sm2_with_sm3) return { ok: null, reason: `${what}: signature algorithm ${algorithm} is not SM2-with-SM3` };
  if (cert.certificate.spki.keyType !== 'sm2') return { ok: null, reason: `${what}: the certificate's key is ${cert.certificate.spki.keyType}, not SM2` };
  try {
    return sm2Verify(cert.certificate.spki.publicKey, data, signature)
      ? { ok: true }
      : { ok: false, reason: `${what}: the SM2 signature does not match the signed bytes and the certificate's key` };
  } catch (e) {
    return { ok: false, reason: `${what}: ${(e as Error).message}` };
  }
}

export function sealFacts(seal: Seal): SealFacts {
  const { info } = seal;
  const makerCertificate = certificateFact(seal.makerCert);
  return {
    layout: seal.layout,
    version: info.header.version,
    vid: info.header.vid,
    esId: info.esId,
    name: info.property.name,
    type: info.property.type,
    createDate: info.property.createDate,
    validStart: info.property.validStart,
    validEnd: info.property.validEnd,
    picture: { type: info.picture.type, widthMm: info.picture.width, heightMm: info.picture.height, size: info.picture.data.length },
    ...(info.property.certListType !== undefined ? { certListType: info.property.certListType } : {}),
    extDatas: info.extDatas,
    makerCertificate,
    makerSignature: verifyWithCertificate(
      makerCertificate,
      seal.signatureAlgorithm,
      seal.signedBytes,
      seal.signature,
      seal.layout === 'v1' ? 'maker signature over SEQUENCE{SES_SealInfo, cert, alg}' : 'maker signature over SES_SealInfo',
    ),
    signerCertificates: info.property.certs.map(certificateFact),
    timeStampPresent: !!seal.timeStamp,
  };
}

/** certListType 2: which digest of the signer certificate appears in the list (SM3, SHA-256 or SHA-1). */
function digestListed(seal: Seal, signerCert: Uint8Array): CheckFact {
  const candidates = [sm3(signerCert), sha256(signerCert), sha1(signerCert)];
  const hit = seal.info.property.certDigests.some((d) => candidates.some((c) => equalBytes(c, d.value)));
  return hit ? { ok: true } : { ok: false, reason: 'no SM3, SHA-256 or SHA-1 digest of the signer certificate is in the seal\'s certDigestList' };
}

/** Is this signer certificate one the seal allows (certListType 1: byte-equal entry; 2: a listed digest)? */
export function signerListedInSeal(seal: Seal, signerCert: Uint8Array): CheckFact {
  if (seal.info.property.certListType === 2) return digestListed(seal, signerCert);
  if (seal.info.property.certs.some((c) => equalBytes(c, signerCert))) return { ok: true };
  return { ok: false, reason: `the signer certificate (SM3 ${toHex(sm3(signerCert)).slice(0, 16)}…) is not in the seal's certificate list` };
}

export interface SignatureFactsInput {
  /** the original data, hashed with SM3 and compared with dataHash */
  data?: Uint8Array;
  /** or the expected hash itself */
  expectedDataHash?: Uint8Array;
}

export function sesSignatureFacts(sig: SesSignature, input: SignatureFactsInput = {}): SesSignatureFacts {
  const seal = sealFacts(sig.seal);
  const signerCertificate = certificateFact(sig.signerCert);
  const signerInCertList = signerListedInSeal(sig.seal, sig.signerCert);

  const expected = input.data ? sm3(input.data) : input.expectedDataHash;
  const dataHash_matches: CheckFact = !expected
    ? { ok: null, reason: 'the original data was not given, so dataHash was not compared' }
    : equalBytes(expected, sig.dataHash)
      ? { ok: true }
      : { ok: false, reason: `dataHash ${toHex(sig.dataHash)} differs from the SM3 of the original ${toHex(expected)}` };

  return {
    layout: sig.layout,
    version: sig.version,
    ...(sig.timeInfo ? { signTime: sig.timeInfo } : {}),
    ...(sig.timeInfoText !== undefined ? { signTimeText: sig.timeInfoText } : {}),
    propertyInfo: sig.propertyInfo,
    dataHash: sig.dataHash,
    signerCertificate,
    signature: verifyWithCertificate(signerCertificate, sig.signatureAlgorithm, sig.tbsDer, sig.signature, 'signer signature over TBS_Sign'),
    signerInCertList,
    versionConsistent:
      sig.layout === 'v1' || sig.version === sig.seal.info.header.version
        ? { ok: true }
        : { ok: false, reason: `TBS_Sign version ${sig.version} differs from the seal header version ${sig.seal.info.header.version}` },
    dataHash_matches,
    extDatas: sig.extDatas,
    timeStampPresent: !!sig.timeStamp,
    seal,
  };
}
