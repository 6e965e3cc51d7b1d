/**
 * @module ses/model
 * The seal (电子印章, SESeal) and electronic signature (电子签章, SES_Signature) as parsed values.
 * Every signed part keeps its original bytes; verification uses those, never a re-encoding.
 */

/** Layout detected from the structure (STANDARDS.md §1.5), refined by the header version for v4/v5. */
export type SealLayout = 'v1' | 'v4' | 'v5';

export interface ExtDataValue {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface SealInfo {
  header: { id: string; version: number; vid: string };
  esId: string;
  property: {
    type: number;
    name: string;
    /** 1 = certificates, 2 = certificate digests; undefined for v1 (always certificates) */
    certListType?: number;
    /** DER certificates of the allowed signers (certListType 1, and v1) */
    certs: Uint8Array[];
    /** certificate digests (certListType 2) */
    certDigests: { type: string; value: Uint8Array }[];
    createDate: Date;
    validStart: Date;
    validEnd: Date;
  };
  picture: { type: string; data: Uint8Array; width: number; height: number };
  extDatas: ExtDataValue[];
}

export interface Seal {
  layout: SealLayout;
  /** the SESeal exactly as given */
  der: Uint8Array;
  info: SealInfo;
  /** SES_SealInfo TLV as it sits in `der` */
  infoDer: Uint8Array;
  /** 制章者证书 maker certificate, DER */
  makerCert: Uint8Array;
  signatureAlgorithm: string;
  /** maker signature value (DER or raw r‖s) */
  signature: Uint8Array;
  /** the bytes the maker signed: v4/v5 = infoDer; v1 = DER SEQUENCE { infoDer, cert, alg } from original TLVs */
  signedBytes: Uint8Array;
  /** v5 seal time stamp ([0] BIT STRING content), if present */
  timeStamp?: Uint8Array;
}

export interface SesSignature {
  layout: SealLayout;
  der: Uint8Array;
  /** TBS_Sign TLV: the bytes the signer signed */
  tbsDer: Uint8Array;
  version: number;
  /** the embedded seal, byte for byte */
  sealDer: Uint8Array;
  seal: Seal;
  /** signing time (v4/v5 GeneralizedTime; v1 text parsed when possible) */
  timeInfo?: Date;
  /** v1 timeInfo as the text found (BIT STRING of ASCII) */
  timeInfoText?: string;
  dataHash: Uint8Array;
  propertyInfo: string;
  extDatas: ExtDataValue[];
  /** signer certificate, DER */
  signerCert: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  /** RFC 3161 TimeStampToken over the signature value ([0] BIT STRING content), if present */
  timeStamp?: Uint8Array;
}
