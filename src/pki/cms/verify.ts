/**
 * @module pki/cms/verify
 * Verification FACTS for each SignerInfo of a parsed SignedData (RFC 5652 §5.6): is the signer
 * certificate there, does the message digest match the content, do the ESS and content-type
 * attributes agree, does the signature verify. Nothing here throws for a failed check — every
 * failure is a fact plus a sentence in `errors`; trust in the certificate (path validation) is the
 * caller's next step with `validateChain`.
 *
 * GM/T 0099 variant b (attached SM3 hash, no signed attributes, STANDARDS.md §2.5): the signature
 * covers the encapsulated 32 bytes; that they equal SM3(Signature.xml) is the OFD layer's own
 * comparison with `parsed.encapsulatedContent` (do not pass Signature.xml as `detachedContent`).
 */
import { equalBytes } from '../../util/bytes.js';
import { EsealError } from '../../util/errors.js';
import { verifyWithSpki } from '../algorithms.js';
import type { Certificate } from '../certificate.js';
import { keyIdentifier } from '../certificate-builder.js';
import { dnToString } from '../name.js';
import { resolveSignatureAlgorithm } from './algorithms.js';
import { computeDigest, digestNameOf } from './digest.js';
import { essCertIdMatches, readSigningCertificate } from './ess.js';
import { DATA_TYPES } from './oids.js';
import { readSignerCertificate, type SignerCertificate } from './signer-certificate.js';
import type { ParsedSignedData, ParsedSignerInfo, SignerIdentifier } from './parse.js';

export interface VerifySignedDataOptions {
  /** the content of a detached SignedData */
  detachedContent?: Uint8Array;
  /** or only its digest, computed with the signer's digest algorithm (large documents hashed in parts) */
  contentDigest?: Uint8Array;
  /** certificates known from elsewhere (a seal's certificate list, a store), searched after the SignedData's own */
  certificates?: Uint8Array[];
}

export interface SignerVerificationFacts {
  index: number;
  sid: SignerIdentifier;
  /** a certificate matching the SignerIdentifier was found */
  certificateFound: boolean;
  /** the signer certificate DER */
  certificateDer?: Uint8Array;
  /** the parsed signer certificate (absent when `parseCertificate` refused it; see `warnings`) */
  certificate?: Certificate;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  signedAttributesPresent: boolean;
  /** what the signature value is computed over */
  signatureCovers: 'signed-attributes' | 'content';
  /** content-type attribute equals eContentType (undefined without signed attributes) */
  contentTypeMatches?: boolean;
  /** message-digest attribute equals the digest of the content (undefined without attributes, or when no content was available) */
  messageDigestMatches?: boolean;
  /** the digest we computed, when we could */
  computedDigest?: Uint8Array;
  /** ESS signing-certificate(-v2) names the signer certificate (undefined when the attribute is absent) */
  signingCertificateMatches?: boolean;
  signatureValid: boolean;
  signingTime?: Date;
  /** one sentence per failed or impossible check */
  errors: string[];
  /** observations that do not fail the CMS checks (e.g. a signer certificate our strict parser refused) */
  warnings: string[];
  /** every applicable check passed */
  valid: boolean;
}

const sidText = (sid: SignerIdentifier) =>
  sid.type === 'issuerAndSerialNumber' ? `serial ${sid.serialNumber}` : `subjectKeyIdentifier ${Array.from(sid.keyIdentifier, (b) => b.toString(16).padStart(2, '0')).join('')}`;

function matchesSid(cert: SignerCertificate, sid: SignerIdentifier): boolean {
  if (sid.type === 'subjectKeyIdentifier') {
    const ski = cert.subjectKeyId ?? keyIdentifier(cert.spki.der);
    return equalBytes(ski, sid.keyIdentifier);
  }
  // Serial as INTEGER value (tolerates a redundant leading zero octet); issuer by its DER bytes.
  return BigInt('0x' + (cert.serialNumber || '0')) === BigInt('0x' + (sid.serialNumber || '0')) && equalBytes(cert.issuerDer, sid.issuer);
}

function candidates(parsed: ParsedSignedData, extra: Uint8Array[], notes: string[]): SignerCertificate[] {
  const out: SignerCertificate[] = [];
  for (const der of [...parsed.certificates, ...extra]) {
    try {
      out.push(readSignerCertificate(der));
    } catch (e) {
      notes.push(`a certificate in the SignedData could not be parsed: ${(e as Error).message}`);
    }
  }
  return out;
}

function verifySigner(si: ParsedSignerInfo, index: number, parsed: ParsedSignedData, certs: SignerCertificate[], opts: VerifySignedDataOptions): SignerVerificationFacts {
  const errors: string[] = [];
  const warnings: string[] = [];
  const cert = certs.find((c) => matchesSid(c, si.sid));
  if (!cert) errors.push(`no certificate matches the signer identifier (${sidText(si.sid)})`);
  else if (cert.parseError) warnings.push(`the signer certificate is not well-formed for our certificate parser (${cert.parseError}); its key was still used`);
  const who = cert?.certificate ? `"${dnToString(cert.certificate.subject)}"` : 'the signer certificate';

  const encap = parsed.encapsulatedContent;
  const content = encap ?? opts.detachedContent;
  if (encap && opts.detachedContent && !equalBytes(encap, opts.detachedContent)) {
    errors.push('detached content was given but differs from the encapsulated content (the encapsulated content is what was signed)');
  }
  const digestName = digestNameOf(si.digestAlgorithm.oid);
  let contentTypeMatches: boolean | undefined;
  let messageDigestMatches: boolean | undefined;
  let computedDigest: Uint8Array | undefined;
  let signingCertificateMatches: boolean | undefined;
  let toVerify: Uint8Array | undefined;

  if (si.signedAttributes) {
    toVerify = si.signedAttributes.toBeVerified;
    if (si.contentType === undefined) {
      contentTypeMatches = false;
      errors.push('the signed attributes lack the content-type attribute (RFC 5652 §11.1)');
    } else {
      // GB/T 35275 signers label "data" with either OID family (the YNCA sample mixes them).
      contentTypeMatches = si.contentType === parsed.eContentType || (DATA_TYPES.has(si.contentType) && DATA_TYPES.has(parsed.eContentType));
      if (!contentTypeMatches) errors.push(`the content-type attribute ${si.contentType} differs from eContentType ${parsed.eContentType}`);
    }
    if (!si.messageDigest) {
      messageDigestMatches = false;
      errors.push('the signed attributes lack the message-digest attribute (RFC 5652 §11.2)');
    } else if (!digestName || digestName === 'sha1') {
      messageDigestMatches = false;
      errors.push(`digest algorithm ${si.digestAlgorithm.oid} is not supported for message digests`);
    } else if (content !== undefined) {
      computedDigest = computeDigest(digestName, content);
      messageDigestMatches = equalBytes(computedDigest, si.messageDigest);
      if (!messageDigestMatches) errors.push(`the message-digest attribute does not match the ${digestName} of the ${encap ? 'encapsulated' : 'detached'} content`);
    } else if (opts.contentDigest) {
      messageDigestMatches = equalBytes(opts.contentDigest, si.messageDigest);
      if (!messageDigestMatches) errors.push(`the message-digest attribute does not match the given ${digestName} content digest`);
    } else {
      errors.push('detached SignedData and no content or content digest given: the message digest was not checked');
    }
    const ess = readSigningCertificate(si.signedAttributes.attributes);
    if (ess && 'error' in ess) {
      signingCertificateMatches = false;
      errors.push(ess.error);
    } else if (ess && cert) {
      const m = essCertIdMatches(ess.ids[0], cert);
      signingCertificateMatches = m.ok;
      if (!m.ok) errors.push(m.error);
    }
  } else {
    toVerify = content;
    if (content === undefined) errors.push('the signature covers the content itself (no signed attributes), and no content was given');
  }

  let signatureValid = false;
  if (cert && toVerify) {
    const alg = resolveSignatureAlgorithm(si.signatureAlgorithm.oid, si.digestAlgorithm.oid);
    if ('error' in alg) errors.push(alg.error);
    else {
      try {
        signatureValid = verifyWithSpki(alg.algorithm, cert.spki, toVerify, si.signature);
        if (!signatureValid) errors.push(`the signature does not verify with the key of ${who}`);
      } catch (e) {
        errors.push(`the signature cannot be verified: ${e instanceof EsealError ? e.message : String(e)}`);
      }
    }
  }

  const valid =
    !!cert &&
    signatureValid &&
    signingCertificateMatches !== false &&
    (!si.signedAttributes || (contentTypeMatches === true && messageDigestMatches === true)) &&
    !(encap && opts.detachedContent && !equalBytes(encap, opts.detachedContent));
  return {
    index,
    sid: si.sid,
    certificateFound: !!cert,
    ...(cert ? { certificateDer: cert.der } : {}),
    ...(cert?.certificate ? { certificate: cert.certificate } : {}),
    digestAlgorithm: si.digestAlgorithm.oid,
    signatureAlgorithm: si.signatureAlgorithm.oid,
    signedAttributesPresent: !!si.signedAttributes,
    signatureCovers: si.signedAttributes ? 'signed-attributes' : 'content',
    ...(contentTypeMatches !== undefined ? { contentTypeMatches } : {}),
    ...(messageDigestMatches !== undefined ? { messageDigestMatches } : {}),
    ...(computedDigest ? { computedDigest } : {}),
    ...(signingCertificateMatches !== undefined ? { signingCertificateMatches } : {}),
    signatureValid,
    ...(si.signingTime ? { signingTime: si.signingTime } : {}),
    errors,
    warnings,
    valid,
  };
}

/** One facts record per SignerInfo, in order. A SignedData without signers gives an empty list. */
export function verifySignedData(parsed: ParsedSignedData, opts: VerifySignedDataOptions = {}): SignerVerificationFacts[] {
  const notes: string[] = [];
  const certs = candidates(parsed, opts.certificates ?? [], notes);
  return parsed.signers.map((si, i) => {
    const f = verifySigner(si, i, parsed, certs, opts);
    if (!f.certificateFound) f.errors.push(...notes);
    return f;
  });
}
