import { AsnProp, AsnPropTypes, BitString } from '@peculiar/asn1-schema';
import { PKIFreeText } from './pki_free_text.js';

/**
 * RFC 3161 §2.4.2: the status of a time-stamp response.
 * ```asn
 * PKIStatusInfo ::= SEQUENCE {
 *     status        PKIStatus,           -- INTEGER granted(0) grantedWithMods(1) rejection(2) waiting(3)
 *                                        --   revocationWarning(4) revocationNotification(5)
 *     statusString  PKIFreeText     OPTIONAL,
 *     failInfo      PKIFailureInfo  OPTIONAL }
 * PKIFailureInfo ::= BIT STRING { badAlg(0), badRequest(2), badDataFormat(5), timeNotAvailable(14),
 *     unacceptedPolicy(15), unacceptedExtension(16), addInfoNotAvailable(17), systemFailure(25) }
 * ```
 */
export class PKIStatusInfo {
  @AsnProp({ type: AsnPropTypes.Integer })
  public status = 0;

  @AsnProp({ type: PKIFreeText, optional: true })
  public statusString?: PKIFreeText;

  @AsnProp({ type: BitString, optional: true })
  public failInfo?: BitString;

  constructor(params: Partial<PKIStatusInfo> = {}) {
    Object.assign(this, params);
  }
}
