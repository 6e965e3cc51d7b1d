import { AsnProp } from '@peculiar/asn1-schema';
import { SES_SealInfoV1 } from './ses_seal_info.js';
import { SES_SignInfo } from './ses_sign_info.js';

/**
 * GM/T 0031-2014 (v1) 电子印章数据: two elements (this is how v1 is told from v4/v5).
 * ```asn
 * SESeal ::= SEQUENCE {
 *     esealInfo  SES_SealInfo,
 *     signInfo   SES_SignInfo
 * }
 * ```
 */
export class SESealV1 {
  @AsnProp({ type: SES_SealInfoV1, raw: true })
  public esealInfo = new SES_SealInfoV1();
  public esealInfoRaw?: ArrayBuffer;

  @AsnProp({ type: SES_SignInfo })
  public signInfo = new SES_SignInfo();

  constructor(params: Partial<SESealV1> = {}) {
    Object.assign(this, params);
  }
}
