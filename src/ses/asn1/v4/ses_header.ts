import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * GB/T 38540-2020 印章头 seal header.
 * ```asn
 * SES_Header ::= SEQUENCE {
 *     ID       IA5String,   -- "ES"
 *     version  INTEGER,     -- 4 (GB/T 38540-2020), 5 (GM/T 0031-2025), 1 (GM/T 0031-2014)
 *     Vid      IA5String    -- vendor / making-system id
 * }
 * ```
 */
export class SES_Header {
  @AsnProp({ type: AsnPropTypes.IA5String })
  public ID = 'ES';

  @AsnProp({ type: AsnPropTypes.Integer })
  public version = 4;

  @AsnProp({ type: AsnPropTypes.IA5String })
  public Vid = '';

  constructor(params: Partial<SES_Header> = {}) {
    Object.assign(this, params);
  }
}
