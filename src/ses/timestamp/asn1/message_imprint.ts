import { AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * RFC 3161 §2.4.1 (GB/T 20520-2006 §6.2): the hash of the time-stamped data.
 * ```asn
 * MessageImprint ::= SEQUENCE {
 *     hashAlgorithm   AlgorithmIdentifier,
 *     hashedMessage   OCTET STRING }
 * ```
 */
export class MessageImprint {
  @AsnProp({ type: AlgorithmIdentifier })
  public hashAlgorithm = new AlgorithmIdentifier();

  @AsnProp({ type: AsnPropTypes.OctetString })
  public hashedMessage = new ArrayBuffer(0);

  constructor(params: Partial<MessageImprint> = {}) {
    Object.assign(this, params);
  }
}
