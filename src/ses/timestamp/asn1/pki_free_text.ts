import { AsnArray, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

/**
 * RFC 4210 §5.1.1 (used by RFC 3161 §2.4.2): human-readable status text.
 * ```asn
 * PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
 * ```
 */
@AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.Utf8String })
export class PKIFreeText extends AsnArray<string> {
  constructor(items?: string[]) {
    super(items);
    Object.setPrototypeOf(this, PKIFreeText.prototype);
  }
}
