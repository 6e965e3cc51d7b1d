/**
 * @module ses/build
 * Make GB/T 38540 seals (制章) and electronic signatures (签章) in two phases, so the maker's or the
 * signer's key can live in a UKey, HSM or remote signing service:
 *   prepare… → bytes to sign → (the key holder signs with SM2-with-SM3) → assemble… → DER.
 * Times are parameters; nothing here reads a clock.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { fail } from '../util/errors.js';
import { derBitString, derBoolean, derContext, derGeneralizedTime, derIa5String, derInteger, derOctetString, derOid, derSequence } from '../util/der.js';
import { sm3 } from '../sm/sm3.js';
import { signatureToDer } from '../sm/sm2/signature-encoding.js';
import { parseCertificate } from '../pki/certificate.js';
import {
  CertDigestList, CertDigestObj, CertInfoList, ExtData, ExtensionDatas, SES_ESPictrueInfo, SES_ESPropertyInfo, SES_Header, SES_SealInfo,
} from './asn1/index.js';
import { id_sm2_with_sm3 } from './oids.js';
import { parseSeal } from './parse.js';
import type { ExtDataValue, Seal } from './model.js';

export type SealVersion = 4 | 5;

export interface SealSpec {
  /** 4 = GB/T 38540-2020 (default), 5 = GM/T 0031-2025 */
  version?: SealVersion;
  /** the making system's id (SES_Header.Vid) */
  vid: string;
  /** 电子印章标识 unique seal id (ASCII) */
  esId: string;
  /** 印章类型 seal type code */
  type: number;
  /** 印章名称 seal name */
  name: string;
  /** 1 = the signer certificates themselves (default), 2 = their SM3 digests */
  certListType?: 1 | 2;
  /** DER certificates of who may stamp with this seal */
  signerCertificates: Uint8Array[];
  createDate: Date;
  validStart: Date;
  validEnd: Date;
  picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
  extDatas?: ExtDataValue[];
  /** 制章者证书 the maker's certificate, DER */
  makerCertificate: Uint8Array;
}

export interface PreparedSeal {
  /** DER SES_SealInfo: what the maker signs (SM2-with-SM3, ID 1234567812345678) */
  toBeSigned: Uint8Array;
  makerCertificate: Uint8Array;
}

/** Digest label written in CertDigestObj.type for certListType 2 (the standard leaves it to the implementer). */
export const CERT_DIGEST_TYPE = 'SM3';

const ASCII = /^[\x20-\x7e]*$/;

function wholeSeconds(d: Date, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) fail('INVALID_ARGUMENT', `${what} must be a valid date`);
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function extDatas(list: ExtDataValue[] | undefined): ExtensionDatas | undefined {
  if (!list?.length) return undefined;
  return new ExtensionDatas(list.map((e) => new ExtData({ extnID: e.oid, critical: e.critical, extnValue: e.value.slice().buffer })));
}

export function prepareSeal(spec: SealSpec): PreparedSeal {
  const version = spec.version ?? 4;
  if (version !== 4 && version !== 5) fail('INVALID_ARGUMENT', 'seal version must be 4 (GB/T 38540) or 5 (GM/T 0031-2025)');
  if (!spec.vid || !ASCII.test(spec.vid) || spec.vid.length > 64) fail('INVALID_ARGUMENT', 'Vid must be 1-64 printable ASCII characters');
  if (!spec.esId || !ASCII.test(spec.esId) || spec.esId.length > 64) fail('INVALID_ARGUMENT', 'esID must be 1-64 printable ASCII characters');
  if (!spec.name || spec.name.trim() !== spec.name || [...spec.name].length > 100) fail('INVALID_ARGUMENT', 'seal name must be 1-100 characters without surrounding spaces');
  if (!Number.isInteger(spec.type) || spec.type < 0 || spec.type > 1000) fail('INVALID_ARGUMENT', 'seal type must be an integer code 0-1000');
  const createDate = wholeSeconds(spec.createDate, 'createDate');
  const validStart = wholeSeconds(spec.validStart, 'validStart');
  const validEnd = wholeSeconds(spec.validEnd, 'validEnd');
  if (validEnd <= validStart) fail('INVALID_ARGUMENT', 'validEnd must be later than validStart');
  if (!spec.signerCertificates.length) fail('INVALID_ARGUMENT', 'a seal needs at least one signer certificate (certList)');
  spec.signerCertificates.forEach((c) => parseCertificate(c));
  parseCertificate(spec.makerCertificate);
  const { picture } = spec;
  if (!picture?.data?.length) fail('INVALID_ARGUMENT', 'the seal picture is empty');
  if (!ASCII.test(picture.type) || !picture.type) fail('INVALID_ARGUMENT', 'picture type must be ASCII such as "PNG" or "SVG"');
  if (!Number.isInteger(picture.widthMm) || !Number.isInteger(picture.heightMm) || picture.widthMm <= 0 || picture.heightMm <= 0) {
    fail('INVALID_ARGUMENT', 'picture width and height are whole millimetres');
  }

  const certListType = spec.certListType ?? 1;
  const certList =
    certListType === 1
      ? new CertInfoList(spec.signerCertificates.map((c) => new OctetString(c)))
      : new CertDigestList(spec.signerCertificates.map((c) => new CertDigestObj({ type: CERT_DIGEST_TYPE, value: sm3(c).slice().buffer })));
  const info = new SES_SealInfo({
    header: new SES_Header({ ID: 'ES', version, Vid: spec.vid }),
    esID: spec.esId,
    property: new SES_ESPropertyInfo({
      type: spec.type,
      name: spec.name,
      certListType,
      certList: AsnConvert.serialize(certList),
      createDate,
      validStart,
      validEnd,
    }),
    picture: new SES_ESPictrueInfo({ type: picture.type, data: picture.data.slice().buffer, width: picture.widthMm, height: picture.heightMm }),
    ...(spec.extDatas?.length ? { extDatas: extDatas(spec.extDatas) } : {}),
  });
  return { toBeSigned: new Uint8Array(AsnConvert.serialize(info)), makerCertificate: spec.makerCertificate };
}

/** SESeal { eSealInfo, cert, signAlgID, signedValue } with the maker's signature (DER written). */
export function assembleSeal(prepared: PreparedSeal, makerSignature: Uint8Array): Uint8Array {
  const der = derSequence(prepared.toBeSigned, derOctetString(prepared.makerCertificate), derOid(id_sm2_with_sm3), derBitString(signatureToDer(makerSignature)));
  parseSeal(der); // what we write must read back
  return der;
}

export interface SesSignatureSpec {
  /** the seal (SESeal DER, or already parsed — servers stamping many times keep it parsed), embedded byte for byte */
  seal: Uint8Array | Seal;
  /** 签章时间 signing time (from the platform clock) */
  signTime: Date;
  /** 原文杂凑值 hash of the original (OFD: SM3 of Signature.xml) */
  dataHash: Uint8Array;
  /** 原文属性 (OFD: the absolute path of Signature.xml) */
  propertyInfo: string;
  /** signer certificate, DER (must be in the seal's certList) */
  signerCertificate: Uint8Array;
  /** e.g. the 用印审批 approval record */
  extDatas?: ExtDataValue[];
}

export interface PreparedSesSignature {
  /** DER TBS_Sign: what the signer signs */
  toBeSigned: Uint8Array;
  signerCertificate: Uint8Array;
}

export function prepareSesSignature(spec: SesSignatureSpec): PreparedSesSignature {
  const seal = spec.seal instanceof Uint8Array ? parseSeal(spec.seal) : spec.seal;
  if (seal.layout === 'v1') fail('INVALID_ARGUMENT', 'GM/T 0031-2014 (v1) seals are read-only: make a GB/T 38540 seal to stamp with');
  if (spec.dataHash.length !== 32) fail('INVALID_ARGUMENT', `dataHash must be 32 bytes (SM3), got ${spec.dataHash.length}`);
  if (!ASCII.test(spec.propertyInfo)) fail('INVALID_ARGUMENT', 'propertyInfo must be ASCII (IA5String)');
  parseCertificate(spec.signerCertificate);
  // Written with the DER writer rather than AsnConvert: this runs once per stamp and the seal (with its
  // picture) is tens of KiB; test/ses/build.test.ts checks both give the same bytes as TBS_Sign.
  const parts = [
    derInteger(seal.info.header.version),
    seal.der,
    derGeneralizedTime(wholeSeconds(spec.signTime, 'signTime')),
    derBitString(spec.dataHash),
    derIa5String(spec.propertyInfo),
  ];
  if (spec.extDatas?.length) parts.push(derContext(0, derSequence(...spec.extDatas.map((e) => derSequence(derOid(e.oid), ...(e.critical ? [derBoolean(true)] : []), derOctetString(e.value))))));
  const toBeSigned = derSequence(...parts);
  return { toBeSigned, signerCertificate: spec.signerCertificate };
}

/**
 * SES_Signature { toSign, cert, signatureAlgID, signature, [0] timeStamp OPTIONAL }. `timeStamp` is a
 * DER TimeStampToken whose imprint covers the signature value (see {@link signatureValueForTimeStamp}).
 */
export function assembleSesSignature(prepared: PreparedSesSignature, signature: Uint8Array, opts: { timeStamp?: Uint8Array } = {}): Uint8Array {
  const parts = [prepared.toBeSigned, derOctetString(prepared.signerCertificate), derOid(id_sm2_with_sm3), derBitString(signatureToDer(signature))];
  if (opts.timeStamp) parts.push(derContext(0, derBitString(opts.timeStamp)));
  return derSequence(...parts);
}

/** The bytes a time stamp on an SES_Signature covers: the signature value as written (DER r,s). */
export function signatureValueForTimeStamp(signature: Uint8Array): Uint8Array {
  return signatureToDer(signature);
}

export type SignFunction = (toBeSigned: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** One-shot seal making over the two phases. */
export async function makeSeal(spec: SealSpec, sign: SignFunction): Promise<Uint8Array> {
  const prepared = prepareSeal(spec);
  return assembleSeal(prepared, await sign(prepared.toBeSigned));
}

/** One-shot SES_Signature over the two phases (add a time stamp with the two-phase API). */
export async function makeSesSignature(spec: SesSignatureSpec, sign: SignFunction): Promise<Uint8Array> {
  const prepared = prepareSesSignature(spec);
  return assembleSesSignature(prepared, await sign(prepared.toBeSigned));
}
