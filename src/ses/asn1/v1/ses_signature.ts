import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { TBS_SignV1 } from './tbs_sign.js';

/**
 * GM/T 0031-2014 (v1) 电子签章数据.
 * ```asn
 * SES_Signature ::= SEQUENCE {
 *     toSign     TBS_Sign,
 *     signature  BIT STRING
 * }
 * ```
 */
export class SES_SignatureV1 {
  @AsnProp({ type: TBS_SignV1, raw: true })
  public toSign = new TBS_SignV1();
  public toSignRaw?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.BitString })
  public signature = new ArrayBuffer(0);

  constructor(params: Partial<SES_SignatureV1> = {}) {
    Object.assign(this, params);
  }
}
