import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * GM/T 0031-2014 (v1) 待签名数据: the signer's certificate and algorithm are inside (and so signed).
 * ```asn
 * TBS_Sign ::= SEQUENCE {
 *     version             INTEGER,
 *     eseal               SESeal,
 *     timeInfo            BIT STRING,          -- "timestamp or UTCTime"; files carry ASCII text
 *     dataHash            BIT STRING,
 *     propertyInfo        IA5String,
 *     cert                OCTET STRING,        -- signer certificate
 *     signatureAlgorithm  OBJECT IDENTIFIER
 * }
 * ```
 */
export class TBS_SignV1 {
  @AsnProp({ type: AsnPropTypes.Integer })
  public version = 1;

  @AsnProp({ type: AsnPropTypes.Any })
  public eseal = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.BitString })
  public timeInfo = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.BitString })
  public dataHash = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.IA5String })
  public propertyInfo = '';

  @AsnProp({ type: AsnPropTypes.OctetString })
  public cert = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public signatureAlgorithm = '1.2.156.10197.1.501';

  constructor(params: Partial<TBS_SignV1> = {}) {
    Object.assign(this, params);
  }
}
