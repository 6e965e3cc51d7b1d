import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { CertInfoList } from '../v4/ses_cert_list.js';

/**
 * GM/T 0031-2014 (v1, legacy, read-mostly) 印章属性 seal properties: 6 fields, UTCTime, no certListType.
 * ```asn
 * SES_ESPropertyInfo ::= SEQUENCE {
 *     type        INTEGER,          -- 1 = 单位印章 organisation seal, 2 = 个人印章 personal seal
 *     name        UTF8String,
 *     certList    SEQUENCE OF cert, -- the text also has a dangling "certID ::= IA5String"
 *     createDate  UTCTime,
 *     validStart  UTCTime,
 *     validEnd    UTCTime
 * }
 * ```
 */
export class SES_ESPropertyInfoV1 {
  @AsnProp({ type: AsnPropTypes.Integer })
  public type = 1;

  @AsnProp({ type: AsnPropTypes.Utf8String })
  public name = '';

  @AsnProp({ type: CertInfoList })
  public certList = new CertInfoList();

  @AsnProp({ type: AsnPropTypes.UTCTime })
  public createDate = new Date(0);

  @AsnProp({ type: AsnPropTypes.UTCTime })
  public validStart = new Date(0);

  @AsnProp({ type: AsnPropTypes.UTCTime })
  public validEnd = new Date(0);

  constructor(params: Partial<SES_ESPropertyInfoV1> = {}) {
    Object.assign(this, params);
  }
}
