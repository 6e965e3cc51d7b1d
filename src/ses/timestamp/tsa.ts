/**
 * @module ses/timestamp/tsa
 * A local time-stamping authority with an SM2 key held in memory (tests, demos, an embedded TSA):
 * both token phases with `sm2Sign`, a responder for RFC 3161 requests, and a helper to issue the TSA
 * certificate with pki's TSA profile (critical extendedKeyUsage timeStamping, RFC 3161 §2.3).
 * Still pure: time, serial numbers and keys are parameters.
 */
import { sm2Sign, getPublicKey } from '../../sm/index.js';
import { fail } from '../../util/errors.js';
import { issueCertificate, PROFILES, type Certificate, type CertificateTemplate, type SignFunction } from '../../pki/index.js';
import type { TimeStampResponder } from './protocol.js';
import { assembleTimeStampToken, prepareTimeStampToken, type PrepareTimeStampTokenParams } from './token.js';

export interface LocalTsaKey {
  /** SM2 private key (32-byte scalar d) */
  key: Uint8Array;
  /** the TSA certificate (DER) */
  certificate: Uint8Array;
  /** the TSA's chain (DER), carried in tokens */
  chain?: Uint8Array[];
}

export type IssueTimeStampParams = LocalTsaKey & Omit<PrepareTimeStampTokenParams, 'tsaCertificate' | 'certificates'>;

/** Issues a DER TimeStampToken signed with an in-memory SM2 key. */
export function issueTimeStamp(p: IssueTimeStampParams): Uint8Array {
  const { key, certificate, chain, ...rest } = p;
  const state = prepareTimeStampToken({ ...rest, tsaCertificate: certificate, certificates: chain ?? [] });
  if (state.scheme !== 'sm2') fail('INVALID_ARGUMENT', 'issueTimeStamp signs with an SM2 key; use prepare/assembleTimeStampToken for other keys');
  return assembleTimeStampToken(state, sm2Sign(key, state.toBeSigned));
}

/** An RFC 3161 responder over an in-memory SM2 TSA key. */
export function localTsaResponder(tsa: LocalTsaKey, options: Omit<TimeStampResponder, 'tsaCertificate' | 'certificates' | 'sign'>): TimeStampResponder {
  return { ...options, tsaCertificate: tsa.certificate, certificates: tsa.chain ?? [], sign: (tbs) => sm2Sign(tsa.key, tbs) };
}

export type TsaCertificateParams = Omit<CertificateTemplate, 'publicKey' | 'keyUsage' | 'extKeyUsage' | 'extKeyUsageCritical' | 'ca'> & {
  /** the TSA's SM2 private key (its public key goes into the certificate), or an explicit public key / SPKI */
  tsaKey?: Uint8Array;
  publicKey?: CertificateTemplate['publicKey'];
  /** the issuing CA's SM2 private key (self-signed: the TSA's own), or a signing function (HSM) */
  issuerKey?: Uint8Array;
  sign?: SignFunction;
};

/** Issues a TSA certificate with PROFILES.tsa (digitalSignature + nonRepudiation, critical EKU timeStamping). */
export function makeTsaCertificate(p: TsaCertificateParams): Promise<Certificate> {
  const { tsaKey, publicKey, issuerKey, sign, ...template } = p;
  const pub = publicKey ?? (tsaKey ? getPublicKey(tsaKey) : fail('INVALID_ARGUMENT', 'give the TSA key or its public key'));
  const signer: SignFunction = sign ?? ((tbs) => sm2Sign(issuerKey ?? tsaKey ?? fail('INVALID_ARGUMENT', 'give the issuer key or a sign function'), tbs));
  return issueCertificate({ ...template, ...PROFILES.tsa, publicKey: pub }, signer);
}
