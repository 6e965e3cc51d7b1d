import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { Extensions, GeneralName } from '@peculiar/asn1-x509';
import { Accuracy } from './accuracy.js';
import { MessageImprint } from './message_imprint.js';

/**
 * RFC 3161 §2.4.2 (GB/T 20520-2006 §6.2.2): the time-stamp proper, encapsulated in the token's
 * SignedData with eContentType id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4).
 * ```asn
 * TSTInfo ::= SEQUENCE  {
 *     version                      INTEGER  { v1(1) },
 *     policy                       TSAPolicyId,             -- OBJECT IDENTIFIER
 *     messageImprint               MessageImprint,
 *     serialNumber                 INTEGER,                 -- up to 160 bits
 *     genTime                      GeneralizedTime,
 *     accuracy                     Accuracy                 OPTIONAL,
 *     ordering                     BOOLEAN             DEFAULT FALSE,
 *     nonce                        INTEGER                  OPTIONAL,
 *     tsa                      [0] GeneralName              OPTIONAL,
 *     extensions               [1] IMPLICIT Extensions      OPTIONAL  }
 * ```
 * INTEGERs that may exceed 2^53 (serialNumber, nonce) are kept as their content octets.
 */
export class TSTInfo {
  @AsnProp({ type: AsnPropTypes.Integer })
  public version = 1;

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public policy = '';

  @AsnProp({ type: MessageImprint })
  public messageImprint = new MessageImprint();

  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })
  public serialNumber = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  public genTime = new Date(0);

  @AsnProp({ type: Accuracy, optional: true })
  public accuracy?: Accuracy;

  @AsnProp({ type: AsnPropTypes.Boolean, defaultValue: false })
  public ordering = false;

  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter, optional: true })
  public nonce?: ArrayBuffer;

  /** GeneralName is a CHOICE, so [0] is explicit despite the module's IMPLICIT TAGS (X.680 §31.2.7). */
  @AsnProp({ type: GeneralName, context: 0, optional: true })
  public tsa?: GeneralName;

  @AsnProp({ type: Extensions, context: 1, implicit: true, optional: true })
  public extensions?: Extensions;

  constructor(params: Partial<TSTInfo> = {}) {
    Object.assign(this, params);
  }
}
