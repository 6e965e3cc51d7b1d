import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { PKIStatusInfo } from './pki_status_info.js';

/**
 * RFC 3161 §2.4.2: a time-stamp response (`application/timestamp-reply`).
 * ```asn
 * TimeStampResp ::= SEQUENCE  {
 *     status                  PKIStatusInfo,
 *     timeStampToken          TimeStampToken     OPTIONAL  }   -- ContentInfo (SignedData)
 * ```
 * The token is kept as raw DER: it is signed data and is never re-encoded.
 */
export class TimeStampResp {
  @AsnProp({ type: PKIStatusInfo })
  public status = new PKIStatusInfo();

  @AsnProp({ type: AsnPropTypes.Any, optional: true })
  public timeStampToken?: ArrayBuffer;

  constructor(params: Partial<TimeStampResp> = {}) {
    Object.assign(this, params);
  }
}
