import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

/**
 * GB/T 38540-2020 extension data (also GM/T 0031-2014).
 * ```asn
 * ExtData ::= SEQUENCE {
 *     extnID     OBJECT IDENTIFIER,
 *     critical   BOOLEAN DEFAULT FALSE,
 *     extnValue  OCTET STRING
 * }
 * ```
 * Real files encode the DEFAULT FALSE explicitly (tax bureau); parsers must keep the original bytes.
 */
export class ExtData {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  public extnID = '';

  @AsnProp({ type: AsnPropTypes.Boolean, defaultValue: false })
  public critical = false;

  @AsnProp({ type: AsnPropTypes.OctetString })
  public extnValue = new ArrayBuffer(0);

  constructor(params: Partial<ExtData> = {}) {
    Object.assign(this, params);
  }
}

/**
 * ```asn
 * ExtensionDatas ::= SEQUENCE SIZE (0..MAX) OF ExtData
 * ```
 */
@AsnType({ type: AsnTypeTypes.Sequence, itemType: ExtData })
export class ExtensionDatas extends AsnArray<ExtData> {
  constructor(items?: ExtData[]) {
    super(items);
    Object.setPrototypeOf(this, ExtensionDatas.prototype);
  }
}
