import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { SES_SealInfo } from './ses_seal_info.js';

/**
 * GB/T 38540-2020 电子印章数据 electronic seal.
 * ```asn
 * SESeal ::= SEQUENCE {
 *     eSealInfo    SES_SealInfo,        -- 印章信息
 *     cert         OCTET STRING,        -- 制章者证书 maker certificate (DER)
 *     signAlgID    OBJECT IDENTIFIER,   -- 1.2.156.10197.1.501
 *     signedValue  BIT STRING           -- maker's signature over DER(SES_SealInfo)
 * }
 * ```
 * GM/T 0031-2025 (v5) appends `timeStamp [0] BIT STRING OPTIONAL`: see ../v5/se_seal.ts.
 */
export class SESeal {
  @AsnProp({ type: SES_SealInfo, raw: true })
  public eSealInfo = new SES_SealInfo();
  public eSealInfoRaw?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.OctetString })
  public cert = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public signAlgID = '1.2.156.10197.1.501';

  @AsnProp({ type: AsnPropTypes.BitString })
  public signedValue = new ArrayBuffer(0);

  constructor(params: Partial<SESeal> = {}) {
    Object.assign(this, params);
  }
}
