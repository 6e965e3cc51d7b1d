/**
 * @module pki/cms/signer-certificate
 * The part of a certificate a CMS verifier needs to find the signer and check its signature: issuer,
 * serial number, subject key identifier and public key. `parseCertificate` is tried first; when it
 * refuses a certificate (real CA certificates carry oddities such as the YNCA vendor extension
 * 1.2.5.29.1 whose value is plain text, not DER), this lenient reader still extracts those fields so
 * the signature can be judged, and the refusal is reported as a warning.
 */
import { parseDer, readInteger, readOctetString, readOid, TAG, type DerNode } from '../../util/der.js';
import { toHex } from '../../util/bytes.js';
import { fail } from '../../util/errors.js';
import { parseSpki, type SpkiInfo } from '../algorithms.js';
import { parseCertificate, type Certificate } from '../certificate.js';
import { id_ce_subjectKeyIdentifier } from '../oids.js';

export interface SignerCertificate {
  der: Uint8Array;
  issuerDer: Uint8Array;
  /** hex of the serial INTEGER content octets */
  serialNumber: string;
  spki: SpkiInfo;
  subjectKeyId?: Uint8Array;
  /** the fully parsed certificate, when `parseCertificate` accepts it */
  certificate?: Certificate;
  /** why `parseCertificate` refused it */
  parseError?: string;
}

function lenient(der: Uint8Array): Omit<SignerCertificate, 'der' | 'certificate' | 'parseError'> {
  const root = parseDer(der);
  const [tbs] = root.children();
  if (!tbs || tbs.tag !== TAG.SEQUENCE) fail('CERT_MALFORMED', 'not a certificate SEQUENCE');
  const f = tbs.children();
  let i = f[0]?.contextNumber === 0 ? 1 : 0;
  const serial = f[i++];
  readInteger(serial, 'serialNumber');
  i++; // signature algorithm
  const issuer = f[i++];
  i += 2; // validity, subject
  const spkiNode = f[i++];
  if (!issuer || issuer.tag !== TAG.SEQUENCE || !spkiNode) fail('CERT_MALFORMED', 'tbsCertificate is too short');
  let subjectKeyId: Uint8Array | undefined;
  const extWrapper = f.slice(i).find((n) => n.contextNumber === 3);
  if (extWrapper) {
    for (const ext of extWrapper.children()[0]?.children() ?? []) {
      const parts: DerNode[] = ext.children();
      if (readOid(parts[0]) !== id_ce_subjectKeyIdentifier) continue;
      const v = readOctetString(parts[parts.length - 1]);
      try {
        subjectKeyId = readOctetString(parseDer(v));
      } catch {
        // an unreadable SKI only means the certificate cannot be found by key identifier
      }
    }
  }
  return { issuerDer: issuer.raw, serialNumber: toHex(serial.value), spki: parseSpki(spkiNode.raw), ...(subjectKeyId ? { subjectKeyId } : {}) };
}

/** Reads `der` strictly if possible, leniently otherwise; throws only when even that fails. */
export function readSignerCertificate(der: Uint8Array): SignerCertificate {
  try {
    const c = parseCertificate(der);
    return { der, issuerDer: c.issuerDer, serialNumber: c.serialNumber, spki: c.spki, ...(c.extensions.subjectKeyId ? { subjectKeyId: c.extensions.subjectKeyId } : {}), certificate: c };
  } catch (e) {
    return { der, ...lenient(der), parseError: (e as Error).message };
  }
}
