import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { SES_Header } from '../v4/ses_header.js';
import { SES_ESPictrueInfo } from '../v4/ses_es_pictrue_info.js';
import { ExtensionDatas } from '../v4/ext_data.js';
import { SES_ESPropertyInfoV1 } from './ses_es_property_info.js';

/**
 * GM/T 0031-2014 (v1) 印章信息.
 * ```asn
 * SES_SealInfo ::= SEQUENCE {
 *     header    SES_Header,                 -- version 1
 *     esID      IA5String,
 *     property  SES_ESPropertyInfo,         -- the v1 layout
 *     picture   SES_ESPictrueInfo,
 *     extDatas  EXPLICIT ExtensionDatas OPTIONAL   -- "EXPLICIT" without a tag in the text; files use none
 * }
 * ```
 */
export class SES_SealInfoV1 {
  @AsnProp({ type: SES_Header })
  public header = new SES_Header({ version: 1 });

  @AsnProp({ type: AsnPropTypes.IA5String })
  public esID = '';

  @AsnProp({ type: SES_ESPropertyInfoV1 })
  public property = new SES_ESPropertyInfoV1();

  @AsnProp({ type: SES_ESPictrueInfo })
  public picture = new SES_ESPictrueInfo();

  @AsnProp({ type: ExtensionDatas, optional: true })
  public extDatas?: ExtensionDatas;

  constructor(params: Partial<SES_SealInfoV1> = {}) {
    Object.assign(this, params);
  }
}
