import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { SES_SealInfo } from '../v4/ses_seal_info.js';

/**
 * GM/T 0031-2025 ("v5") electronic seal: the v4 SESeal plus an optional time stamp on the maker's
 * signature. Everything else (SES_SealInfo with header version 5, TBS_Sign, SES_Signature) is as v4.
 * ```asn
 * SESeal ::= SEQUENCE {
 *     eSealInfo    SES_SealInfo,
 *     cert         OCTET STRING,
 *     signAlgID    OBJECT IDENTIFIER,
 *     signedValue  BIT STRING,
 *     timeStamp [0] BIT STRING OPTIONAL    -- EXPLICIT on the wire (A0 .. 03 ..)
 * }
 * ```
 */
export class SESealV5 {
  @AsnProp({ type: SES_SealInfo, raw: true })
  public eSealInfo = new SES_SealInfo();
  public eSealInfoRaw?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.OctetString })
  public cert = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public signAlgID = '1.2.156.10197.1.501';

  @AsnProp({ type: AsnPropTypes.BitString })
  public signedValue = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.BitString, context: 0, optional: true })
  public timeStamp?: ArrayBuffer;

  constructor(params: Partial<SESealV5> = {}) {
    Object.assign(this, params);
  }
}
