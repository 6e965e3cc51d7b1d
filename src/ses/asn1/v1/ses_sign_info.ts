import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * GM/T 0031-2014 (v1) 制章人签名信息 the maker's signature block.
 * ```asn
 * SES_SignInfo ::= SEQUENCE {
 *     cert                OCTET STRING,        -- maker certificate
 *     signatureAlgorithm  OBJECT IDENTIFIER,
 *     signData            BIT STRING           -- over DER(SEQUENCE { SES_SealInfo, cert, signatureAlgorithm })
 * }
 * ```
 */
export class SES_SignInfo {
  @AsnProp({ type: AsnPropTypes.OctetString })
  public cert = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public signatureAlgorithm = '1.2.156.10197.1.501';

  @AsnProp({ type: AsnPropTypes.BitString })
  public signData = new ArrayBuffer(0);

  constructor(params: Partial<SES_SignInfo> = {}) {
    Object.assign(this, params);
  }
}
