/**
 * @module ses/timestamp/verify
 * Facts about a TimeStampToken (RFC 3161 §2.4.2, GB/T 20520): is it a token, what does it say
 * (genTime, policy, serial, imprint), does the imprint match the data, is the TSA's CMS signature
 * valid, does ESS signing-certificate(-v2) name the TSA certificate, is that certificate a TSA
 * certificate (RFC 3161 §2.3: extendedKeyUsage timeStamping only, critical), and — when trust anchors
 * are given — does it chain to one. Never throws for a bad token: `format.ok` is false with a reason.
 */
import { equalBytes, toHex } from '../../util/bytes.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import {
  computeDigest, dnEquals, dnToString, id_ce_extKeyUsage, id_kp_timeStamping, nameToDn, parseCertificate, validateChain, verifySignedData, type Certificate,
  type ChainValidationResult, type Crl,
} from '../../pki/index.js';
import { parseTimeStampToken, type ParsedTimeStampToken } from './parse.js';

export interface VerifyTimeStampOptions {
  /** the time-stamped data (hashed here with the imprint's algorithm) */
  data?: Uint8Array;
  /** or its hash, computed by the caller with the imprint's algorithm */
  hashedMessage?: Uint8Array;
  /** trust anchors: when given, the TSA certificate's path is validated (timeStamping required) */
  trust?: Certificate[];
  /** more untrusted certificates that may complete the path */
  intermediates?: Certificate[];
  /** TSA certificates known from elsewhere, for tokens issued without certificates (certReq FALSE) */
  certificates?: Uint8Array[];
  crls?: Crl[];
  /** time at which the TSA chain is validated; default genTime */
  time?: Date;
  /** the nonce the requester sent (unsigned big-endian) */
  nonce?: Uint8Array;
}

export interface TimeStampFacts {
  /** the bytes are a well-formed TimeStampToken */
  format: { ok: boolean; reason?: string };
  genTime?: Date;
  policy?: string;
  /** serial number, hex */
  serialNumber?: string;
  accuracy?: { seconds: number; millis: number; micros: number };
  ordering?: boolean;
  nonce?: string;
  messageImprint?: { algorithm: string; algorithmName?: string; hashedMessage: Uint8Array };
  /** the imprint matches the given data or hash (undefined when neither was given) */
  messageImprintMatches?: boolean;
  nonceMatches?: boolean;
  tsaCertificateFound: boolean;
  tsaCertificate?: { der: Uint8Array; subject: string; certificate?: Certificate };
  /** RFC 3161 §2.3: extendedKeyUsage present, critical, and timeStamping only */
  timeStampingEku: boolean;
  /** genTime lies within the TSA certificate's validity */
  tsaCertificateValidAtGenTime?: boolean;
  /** the TSTInfo `tsa` name equals the TSA certificate subject (undefined when absent) */
  tsaNameMatches?: boolean;
  signatureValid: boolean;
  messageDigestMatches: boolean;
  signingCertificateMatches: boolean;
  /** path validation of the TSA certificate, when trust anchors were given */
  chain?: ChainValidationResult;
  errors: string[];
  warnings: string[];
  valid: boolean;
  parsed?: ParsedTimeStampToken;
}

function emptyFacts(reason: string): TimeStampFacts {
  return {
    format: { ok: false, reason },
    tsaCertificateFound: false,
    timeStampingEku: false,
    signatureValid: false,
    messageDigestMatches: false,
    signingCertificateMatches: false,
    errors: [reason],
    warnings: [],
    valid: false,
  };
}

/** RFC 3161 §2.3 for the TSA certificate; returns the problem or undefined. */
export function tsaEkuProblem(cert: Certificate): string | undefined {
  const ext = cert.extensions.all.find((e) => e.oid === id_ce_extKeyUsage);
  const eku = cert.extensions.extKeyUsage ?? [];
  if (!ext) return 'the TSA certificate has no extendedKeyUsage extension (RFC 3161 §2.3 requires timeStamping)';
  if (!eku.includes(id_kp_timeStamping)) return `the TSA certificate's extendedKeyUsage (${eku.join(', ')}) lacks timeStamping`;
  if (eku.length !== 1) return `the TSA certificate's extendedKeyUsage lists ${eku.length} purposes; RFC 3161 §2.3 allows timeStamping only`;
  if (!ext.critical) return 'the TSA certificate\'s extendedKeyUsage is not critical (RFC 3161 §2.3)';
  return undefined;
}

/** Verification facts of a DER TimeStampToken. */
export function verifyTimeStampToken(der: Uint8Array, opts: VerifyTimeStampOptions = {}): TimeStampFacts {
  let parsed: ParsedTimeStampToken;
  try {
    parsed = parseTimeStampToken(der);
  } catch (e) {
    return emptyFacts((e as Error).message);
  }
  const t = parsed.tstInfo;
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!t.genTimeText.endsWith('Z')) warnings.push(`genTime "${t.genTimeText}" is not UTC ("Z") as RFC 3161 requires`);

  // the imprint against the data
  let messageImprintMatches: boolean | undefined;
  const algName = t.messageImprint.hashAlgorithmName;
  if (opts.data) {
    if (!algName) errors.push(`message imprint algorithm ${t.messageImprint.hashAlgorithm} is not supported`);
    else messageImprintMatches = equalBytes(computeDigest(algName, opts.data), t.messageImprint.hashedMessage);
  } else if (opts.hashedMessage) {
    messageImprintMatches = equalBytes(opts.hashedMessage, t.messageImprint.hashedMessage);
  } else errors.push('neither data nor a hash was given: the message imprint was not compared');
  if (messageImprintMatches === false) errors.push(`the message imprint (${algName ?? t.messageImprint.hashAlgorithm}) does not match the ${opts.data ? 'data' : 'given hash'}`);

  let nonceMatches: boolean | undefined;
  if (opts.nonce) {
    const want = BigInt('0x' + (toHex(opts.nonce) || '0'));
    nonceMatches = t.nonce !== undefined && BigInt('0x' + (t.nonce || '0')) === want;
    if (!nonceMatches) errors.push(t.nonce === undefined ? 'the token carries no nonce but one was requested' : 'the token nonce differs from the requested one');
  }

  // the TSA's CMS signature
  const [f] = verifySignedData(parsed.signedData, { certificates: opts.certificates });
  errors.push(...f.errors);
  warnings.push(...f.warnings);
  const signingCertificateMatches = f.signingCertificateMatches === true;
  if (f.signingCertificateMatches === undefined && f.certificateFound) errors.push('the token lacks the ESS signing-certificate(-v2) attribute (RFC 3161 §2.4.2, RFC 5816)');

  const cert = f.certificate;
  let timeStampingEku = false;
  let tsaCertificateValidAtGenTime: boolean | undefined;
  let tsaNameMatches: boolean | undefined;
  let chain: ChainValidationResult | undefined;
  if (f.certificateFound && !cert) errors.push('the TSA certificate could not be parsed, so its key usage cannot be checked');
  if (cert) {
    const problem = tsaEkuProblem(cert);
    timeStampingEku = !problem;
    if (problem) errors.push(problem);
    tsaCertificateValidAtGenTime = t.genTime >= cert.notBefore && t.genTime <= cert.notAfter;
    if (!tsaCertificateValidAtGenTime) errors.push(`genTime ${t.genTime.toISOString()} is outside the TSA certificate validity ${cert.notBefore.toISOString()} – ${cert.notAfter.toISOString()}`);
    if (t.tsa?.directoryNameDer) {
      try {
        tsaNameMatches = dnEquals(nameToDn(AsnConvert.parse(t.tsa.directoryNameDer, Name)), cert.subject);
      } catch {
        tsaNameMatches = false;
      }
      if (!tsaNameMatches) errors.push(`the TSTInfo tsa name "${t.tsa.directoryName ?? '?'}" differs from the TSA certificate subject "${dnToString(cert.subject)}"`);
    }
    if (opts.trust) {
      const pool = [...(opts.intermediates ?? [])];
      chain = validateChain({
        certificate: cert,
        intermediates: pool.concat(parsed.signedData.certificates.flatMap((d) => (equalBytes(d, cert.der) ? [] : tryParse(d)))),
        trustAnchors: opts.trust,
        time: opts.time ?? t.genTime,
        crls: opts.crls,
        requiredExtKeyUsage: [id_kp_timeStamping],
      });
      for (const p of chain.problems) (p.severity === 'error' ? errors : warnings).push(`TSA certificate path: ${p.message}`);
    } else warnings.push('no trust anchors given: the TSA certificate path was not validated');
  }

  const valid =
    messageImprintMatches === true &&
    nonceMatches !== false &&
    f.signatureValid &&
    f.messageDigestMatches === true &&
    signingCertificateMatches &&
    timeStampingEku &&
    tsaCertificateValidAtGenTime === true &&
    tsaNameMatches !== false &&
    (!chain || chain.valid);
  return {
    format: { ok: true },
    genTime: t.genTime,
    policy: t.policy,
    serialNumber: t.serialNumber,
    ...(t.accuracy ? { accuracy: t.accuracy } : {}),
    ordering: t.ordering,
    ...(t.nonce !== undefined ? { nonce: t.nonce } : {}),
    messageImprint: { algorithm: t.messageImprint.hashAlgorithm, ...(algName ? { algorithmName: algName } : {}), hashedMessage: t.messageImprint.hashedMessage },
    ...(messageImprintMatches !== undefined ? { messageImprintMatches } : {}),
    ...(nonceMatches !== undefined ? { nonceMatches } : {}),
    tsaCertificateFound: f.certificateFound,
    ...(f.certificateDer ? { tsaCertificate: { der: f.certificateDer, subject: cert ? dnToString(cert.subject) : '', ...(cert ? { certificate: cert } : {}) } } : {}),
    timeStampingEku,
    ...(tsaCertificateValidAtGenTime !== undefined ? { tsaCertificateValidAtGenTime } : {}),
    ...(tsaNameMatches !== undefined ? { tsaNameMatches } : {}),
    signatureValid: f.signatureValid,
    messageDigestMatches: f.messageDigestMatches === true,
    signingCertificateMatches,
    ...(chain ? { chain } : {}),
    errors,
    warnings,
    valid,
    parsed,
  };
}

function tryParse(der: Uint8Array): Certificate[] {
  try {
    return [parseCertificate(der)];
  } catch {
    return [];
  }
}
