import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { SES_Header } from './ses_header.js';
import { SES_ESPropertyInfo } from './ses_es_property_info.js';
import { SES_ESPictrueInfo } from './ses_es_pictrue_info.js';
import { ExtensionDatas } from './ext_data.js';

/**
 * GB/T 38540-2020 印章信息 seal information — the part the maker signs.
 * ```asn
 * SES_SealInfo ::= SEQUENCE {
 *     header    SES_Header,
 *     esID      IA5String,                 -- 电子印章标识 unique seal id
 *     property  SES_ESPropertyInfo,
 *     picture   SES_ESPictrueInfo,
 *     extDatas  ExtensionDatas OPTIONAL    -- untagged in real files
 * }
 * ```
 */
export class SES_SealInfo {
  @AsnProp({ type: SES_Header })
  public header = new SES_Header();

  @AsnProp({ type: AsnPropTypes.IA5String })
  public esID = '';

  @AsnProp({ type: SES_ESPropertyInfo })
  public property = new SES_ESPropertyInfo();

  @AsnProp({ type: SES_ESPictrueInfo })
  public picture = new SES_ESPictrueInfo();

  @AsnProp({ type: ExtensionDatas, optional: true })
  public extDatas?: ExtensionDatas;

  constructor(params: Partial<SES_SealInfo> = {}) {
    Object.assign(this, params);
  }
}
