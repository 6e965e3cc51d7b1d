import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { Extensions } from '@peculiar/asn1-x509';
import { MessageImprint } from './message_imprint.js';

/**
 * RFC 3161 §2.4.1: a time-stamp request (`application/timestamp-query`).
 * ```asn
 * TimeStampReq ::= SEQUENCE  {
 *     version                  INTEGER  { v1(1) },
 *     messageImprint           MessageImprint,
 *     reqPolicy                TSAPolicyId              OPTIONAL,
 *     nonce                    INTEGER                  OPTIONAL,
 *     certReq                  BOOLEAN                  DEFAULT FALSE,
 *     extensions           [0] IMPLICIT Extensions      OPTIONAL  }
 * ```
 */
export class TimeStampReq {
  @AsnProp({ type: AsnPropTypes.Integer })
  public version = 1;

  @AsnProp({ type: MessageImprint })
  public messageImprint = new MessageImprint();

  @AsnProp({ type: AsnPropTypes.ObjectIdentifier, optional: true })
  public reqPolicy?: string;

  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter, optional: true })
  public nonce?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.Boolean, defaultValue: false })
  public certReq = false;

  @AsnProp({ type: Extensions, context: 0, implicit: true, optional: true })
  public extensions?: Extensions;

  constructor(params: Partial<TimeStampReq> = {}) {
    Object.assign(this, params);
  }
}
