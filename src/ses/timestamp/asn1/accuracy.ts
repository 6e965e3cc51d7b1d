import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * RFC 3161 §2.4.2: how far genTime may be from UTC. Absent fields count as 0.
 * ```asn
 * Accuracy ::= SEQUENCE {
 *     seconds        INTEGER              OPTIONAL,
 *     millis     [0] INTEGER  (1..999)    OPTIONAL,
 *     micros     [1] INTEGER  (1..999)    OPTIONAL }
 * ```
 * (The RFC 3161 module uses IMPLICIT TAGS.)
 */
export class Accuracy {
  @AsnProp({ type: AsnPropTypes.Integer, optional: true })
  public seconds?: number;

  @AsnProp({ type: AsnPropTypes.Integer, context: 0, implicit: true, optional: true })
  public millis?: number;

  @AsnProp({ type: AsnPropTypes.Integer, context: 1, implicit: true, optional: true })
  public micros?: number;

  constructor(params: Partial<Accuracy> = {}) {
    Object.assign(this, params);
  }
}
