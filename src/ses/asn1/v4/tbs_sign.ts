import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { ExtensionDatas } from './ext_data.js';

/**
 * GB/T 38540-2020 待签名数据 the signed part of an electronic signature (签章).
 * ```asn
 * TBS_Sign ::= SEQUENCE {
 *     version       INTEGER,                  -- = seal header version (4)
 *     eseal         SESeal,                   -- the complete seal, byte for byte
 *     timeInfo      GeneralizedTime,          -- 签章时间 signing time
 *     dataHash      BIT STRING,               -- 原文杂凑值 hash of the original
 *     propertyInfo  IA5String,                -- 原文属性 (OFD: path of Signature.xml)
 *     extDatas  [0] ExtensionDatas OPTIONAL   -- EXPLICIT on the wire
 * }
 * ```
 * `eseal` is carried as opaque DER so that the seal is embedded exactly as it was issued.
 */
export class TBS_Sign {
  @AsnProp({ type: AsnPropTypes.Integer })
  public version = 4;

  /** DER of the SESeal, byte for byte */
  @AsnProp({ type: AsnPropTypes.Any })
  public eseal = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  public timeInfo = new Date(0);

  @AsnProp({ type: AsnPropTypes.BitString })
  public dataHash = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.IA5String })
  public propertyInfo = '';

  @AsnProp({ type: ExtensionDatas, context: 0, optional: true })
  public extDatas?: ExtensionDatas;

  constructor(params: Partial<TBS_Sign> = {}) {
    Object.assign(this, params);
  }
}
