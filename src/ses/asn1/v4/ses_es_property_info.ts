import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * GB/T 38540-2020 印章属性 seal properties.
 * ```asn
 * SES_ESPropertyInfo ::= SEQUENCE {
 *     type          INTEGER,            -- 印章类型 seal type (business defined)
 *     name          UTF8String,         -- 印章名称 seal name
 *     certListType  INTEGER,            -- 1 = certificates, 2 = certificate digests
 *     certList      SES_CertList,       -- see ses_cert_list.ts
 *     createDate    GeneralizedTime,    -- 制作日期
 *     validStart    GeneralizedTime,    -- 有效起始
 *     validEnd      GeneralizedTime     -- 有效终止
 * }
 * ```
 */
export class SES_ESPropertyInfo {
  @AsnProp({ type: AsnPropTypes.Integer })
  public type = 0;

  @AsnProp({ type: AsnPropTypes.Utf8String })
  public name = '';

  @AsnProp({ type: AsnPropTypes.Integer })
  public certListType = 1;

  /** DER of CertInfoList (certListType 1) or CertDigestList (2) */
  @AsnProp({ type: AsnPropTypes.Any })
  public certList = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  public createDate = new Date(0);

  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  public validStart = new Date(0);

  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  public validEnd = new Date(0);

  constructor(params: Partial<SES_ESPropertyInfo> = {}) {
    Object.assign(this, params);
  }
}
