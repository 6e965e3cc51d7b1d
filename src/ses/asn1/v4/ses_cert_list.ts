import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';

/**
 * GB/T 38540-2020 certificate list of the seal (who may use it).
 * ```asn
 * SES_CertList ::= CHOICE {             -- chosen by certListType, no tag on the wire
 *     certs           CertInfoList,     -- certListType = 1
 *     certDigestList  CertDigestList    -- certListType = 2
 * }
 * CertInfoList   ::= SEQUENCE OF OCTET STRING       -- DER X.509 certificates
 * CertDigestList ::= SEQUENCE OF CertDigestObj
 * CertDigestObj  ::= SEQUENCE {
 *     type   PrintableString,          -- 自定义类型 custom type label
 *     value  OCTET STRING              -- certificate digest
 * }
 * ```
 * Both alternatives are SEQUENCEs, so the CHOICE cannot be told apart by tag: SES_ESPropertyInfo
 * carries it as an opaque value and `certListType` says which of the two classes below to use.
 */
@AsnType({ type: AsnTypeTypes.Sequence, itemType: OctetString })
export class CertInfoList extends AsnArray<OctetString> {
  constructor(items?: OctetString[]) {
    super(items);
    Object.setPrototypeOf(this, CertInfoList.prototype);
  }
}

export class CertDigestObj {
  @AsnProp({ type: AsnPropTypes.PrintableString })
  public type = '';

  @AsnProp({ type: AsnPropTypes.OctetString })
  public value = new ArrayBuffer(0);

  constructor(params: Partial<CertDigestObj> = {}) {
    Object.assign(this, params);
  }
}

@AsnType({ type: AsnTypeTypes.Sequence, itemType: CertDigestObj })
export class CertDigestList extends AsnArray<CertDigestObj> {
  constructor(items?: CertDigestObj[]) {
    super(items);
    Object.setPrototypeOf(this, CertDigestList.prototype);
  }
}
