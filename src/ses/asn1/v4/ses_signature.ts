import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { TBS_Sign } from './tbs_sign.js';

/**
 * GB/T 38540-2020 电子签章数据 electronic signature (OFD SignedValue.dat).
 * ```asn
 * SES_Signature ::= SEQUENCE {
 *     toSign          TBS_Sign,
 *     cert            OCTET STRING,          -- signer certificate (DER)
 *     signatureAlgID  OBJECT IDENTIFIER,     -- 1.2.156.10197.1.501
 *     signature       BIT STRING,            -- signer's signature over DER(TBS_Sign)
 *     timeStamp   [0] BIT STRING OPTIONAL    -- RFC 3161 TimeStampToken over the signature value
 * }
 * ```
 */
export class SES_Signature {
  @AsnProp({ type: TBS_Sign, raw: true })
  public toSign = new TBS_Sign();
  public toSignRaw?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.OctetString })
  public cert = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public signatureAlgID = '1.2.156.10197.1.501';

  @AsnProp({ type: AsnPropTypes.BitString })
  public signature = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.BitString, context: 0, optional: true })
  public timeStamp?: ArrayBuffer;

  constructor(params: Partial<SES_Signature> = {}) {
    Object.assign(this, params);
  }
}
