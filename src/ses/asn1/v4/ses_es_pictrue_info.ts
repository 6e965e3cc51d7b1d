import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';

/**
 * GB/T 38540-2020 印章图像 seal picture. "Pictrue" is the standard's own spelling, kept on purpose.
 * ```asn
 * SES_ESPictrueInfo ::= SEQUENCE {
 *     type    IA5String,     -- "PNG", "SVG", "GIF", "JPG", "BMP"; tax seals use "ofd"
 *     data    OCTET STRING,  -- image bytes
 *     width   INTEGER,       -- display width in millimetres
 *     height  INTEGER        -- display height in millimetres
 * }
 * ```
 */
export class SES_ESPictrueInfo {
  @AsnProp({ type: AsnPropTypes.IA5String })
  public type = 'PNG';

  @AsnProp({ type: AsnPropTypes.OctetString })
  public data = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.Integer })
  public width = 0;

  @AsnProp({ type: AsnPropTypes.Integer })
  public height = 0;

  constructor(params: Partial<SES_ESPictrueInfo> = {}) {
    Object.assign(this, params);
  }
}
