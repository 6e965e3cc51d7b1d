/** Certificates pulled out of a real vendor seal (tax bureau) without the ses layer: DER slicing only. */
import { parseDer, readOctetString } from '../../src/util/der.js';
import { parseCertificate, type Certificate } from '../../src/pki/index.js';
import { sample } from '../helpers/openssl.js';

export function extractedSealCertificates(): Certificate[] {
  // SES_Signature { TBS_Sign { version, SESeal { sealInfo, cert OCTET STRING, ... }, ... }, cert OCTET STRING, ... }
  const ses = parseDer(new Uint8Array(sample('extracted/gomain_zj_1.SignedValue.dat')));
  const [tbs, signerCert] = ses.children();
  const seal = tbs.children()[1];
  const makerCert = seal.children()[1];
  return [parseCertificate(readOctetString(makerCert)), parseCertificate(readOctetString(signerCert))];
}
