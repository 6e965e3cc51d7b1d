/**
 * @module pki/chain
 * Certification path validation (RFC 5280 §6, the parts a seal platform needs): build a path from a
 * certificate to a trust anchor, then check every signature, validity at the given time,
 * basicConstraints, path length, keyUsage, unknown critical extensions and revocation through CRLs.
 * Every problem found is reported with a code and a sentence; validation never stops at the first.
 *
 * A trust anchor may be a root CA or any certificate trusted directly (e.g. a seal maker's
 * certificate, 制章者证书): a certificate equal to an anchor is trusted as it is.
 */
import { EsealError } from '../util/errors.js';
import { verifyWithSpki } from './algorithms.js';
import { isSelfIssued, type Certificate } from './certificate.js';
import { dnEquals, dnToString } from './name.js';
import type { Crl, RevocationReason } from './crl.js';
import type { KeyUsageName } from './extensions.js';
import {
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_certificatePolicies, id_ce_cRLDistributionPoints, id_ce_extKeyUsage, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier,
} from './oids.js';

export type ChainProblemCode =
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_UNVERIFIABLE'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'NOT_A_CA'
  | 'PATH_LENGTH_EXCEEDED'
  | 'KEY_USAGE_MISSING'
  | 'EXT_KEY_USAGE_MISSING'
  | 'UNKNOWN_CRITICAL_EXTENSION'
  | 'REVOKED'
  | 'REVOCATION_NOT_CHECKED'
  | 'CRL_INVALID'
  | 'CRL_STALE';

export interface ChainProblem {
  code: ChainProblemCode;
  /** 'error' makes the chain invalid; 'warning' is reported but does not. */
  severity: 'error' | 'warning';
  message: string;
  /** subject of the certificate concerned */
  subject?: string;
  /** position in `chain` (0 = the certificate being validated) */
  index?: number;
}

export interface ChainValidationInput {
  certificate: Certificate;
  /** untrusted certificates that may complete the path (from the signature, the seal, a store) */
  intermediates?: Certificate[];
  trustAnchors: Certificate[];
  /** the time at which the chain must be valid (a parameter: this layer has no clock) */
  time: Date;
  crls?: Crl[];
  /** when true, a certificate without a usable CRL is an error; otherwise a warning */
  requireRevocation?: boolean;
  /** key usages the end certificate must allow (e.g. ['digitalSignature']) */
  requiredKeyUsage?: KeyUsageName[];
  /** extended key usages the end certificate must list (e.g. timeStamping for a TSA) */
  requiredExtKeyUsage?: string[];
}

export interface ChainValidationResult {
  valid: boolean;
  /** a path to a trust anchor was found (signatures verified along it) */
  trusted: boolean;
  /** leaf first, anchor last */
  chain: Certificate[];
  anchor?: Certificate;
  problems: ChainProblem[];
  /** whether revocation was checked for every non-anchor certificate in the chain */
  revocation: 'checked' | 'not-checked' | 'partial';
  revoked?: { subject: string; date: Date; reason?: RevocationReason };
}

const KNOWN_EXTENSIONS = new Set([
  id_ce_basicConstraints, id_ce_keyUsage, id_ce_extKeyUsage, id_ce_subjectKeyIdentifier, id_ce_authorityKeyIdentifier, id_ce_cRLDistributionPoints,
  id_ce_certificatePolicies, id_ce_subjectAltName,
]);

const MAX_PATH = 8;

const sameCert = (a: Certificate, b: Certificate) => a.fingerprintSm3 === b.fingerprintSm3;
const bytesEqual = (a?: Uint8Array, b?: Uint8Array) => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

/** Could `issuer` have issued `cert`? Name match, and key ids agree when both are present. */
function mayHaveIssued(issuer: Certificate, cert: Certificate): boolean {
  if (!dnEquals(issuer.subject, cert.issuer)) return false;
  const aki = cert.extensions.authorityKeyId;
  const ski = issuer.extensions.subjectKeyId;
  return !(aki && ski && !bytesEqual(aki, ski));
}

function signatureOk(cert: Certificate, issuer: Certificate): { ok: boolean; error?: string } {
  try {
    return { ok: verifyWithSpki(cert.signatureAlgorithm, issuer.spki, cert.tbs, cert.signatureValue) };
  } catch (e) {
    return { ok: false, error: e instanceof EsealError ? e.message : String(e) };
  }
}

/** Depth-first path building; prefers anchors, verifies each link's signature while building. */
function buildPath(cert: Certificate, pool: Certificate[], anchors: Certificate[], seen: Set<string>): Certificate[] | undefined {
  if (anchors.some((a) => sameCert(a, cert))) return [cert];
  if (seen.size >= MAX_PATH) return undefined;
  const candidates = [...anchors, ...pool].filter((c) => !seen.has(c.fingerprintSm3) && mayHaveIssued(c, cert));
  for (const issuer of candidates) {
    if (!signatureOk(cert, issuer).ok) continue;
    seen.add(issuer.fingerprintSm3);
    const rest = buildPath(issuer, pool, anchors, seen);
    if (rest) return [cert, ...rest];
    seen.delete(issuer.fingerprintSm3);
  }
  return undefined;
}

/** The longest chain we can assemble without an anchor, for explaining why trust failed. */
function partialPath(cert: Certificate, pool: Certificate[]): Certificate[] {
  const path = [cert];
  let cur = cert;
  while (path.length < MAX_PATH && !isSelfIssued(cur)) {
    const next = pool.find((c) => !path.some((p) => sameCert(p, c)) && mayHaveIssued(c, cur));
    if (!next) break;
    path.push(next);
    cur = next;
  }
  return path;
}

export function validateChain(input: ChainValidationInput): ChainValidationResult {
  const { certificate, time } = input;
  const pool = input.intermediates ?? [];
  const anchors = input.trustAnchors;
  const problems: ChainProblem[] = [];
  const add = (code: ChainProblemCode, message: string, c?: Certificate, index?: number, severity: 'error' | 'warning' = 'error') =>
    problems.push({ code, severity, message, ...(c ? { subject: dnToString(c.subject) } : {}), ...(index !== undefined ? { index } : {}) });

  const found = buildPath(certificate, pool, anchors, new Set([certificate.fingerprintSm3]));
  const chain = found ?? partialPath(certificate, pool);
  const trusted = !!found;
  if (!found) {
    const last = chain[chain.length - 1];
    const named = [...anchors, ...pool].filter((c) => dnEquals(c.subject, last.issuer));
    const keyMatch = named.filter((c) => mayHaveIssued(c, last));
    let code: ChainProblemCode = 'NO_CERTIFICATE_CHAIN_FOUND';
    let why = `no trusted certificate named "${dnToString(last.issuer)}" (issuer of "${dnToString(last.subject)}") is known`;
    if (isSelfIssued(last)) {
      why = `the chain ends at the self-signed "${dnToString(last.subject)}", which is not among the trust anchors`;
    } else if (keyMatch.length) {
      code = 'SIGNATURE_INVALID';
      why = `"${dnToString(last.issuer)}" is known but its signature on "${dnToString(last.subject)}" does not verify (${signatureOk(last, keyMatch[0]).error ?? 'signature value does not match'})`;
    } else if (named.length) {
      why = `a certificate named "${dnToString(last.issuer)}" is known, but with a different key than the one that issued "${dnToString(last.subject)}" (authorityKeyIdentifier differs)`;
    }
    add(code, `no path to a trust anchor: ${why}`, last, chain.length - 1);
  }
  const anchor = found ? chain[chain.length - 1] : undefined;

  chain.forEach((c, i) => {
    // validity at the given time
    if (time < c.notBefore) add('NOT_YET_VALID', `certificate "${dnToString(c.subject)}" is not valid before ${c.notBefore.toISOString()} (checked at ${time.toISOString()})`, c, i);
    if (time > c.notAfter) add('EXPIRED', `certificate "${dnToString(c.subject)}" expired at ${c.notAfter.toISOString()} (checked at ${time.toISOString()})`, c, i);
    for (const e of c.extensions.all) {
      if (e.critical && !KNOWN_EXTENSIONS.has(e.oid)) add('UNKNOWN_CRITICAL_EXTENSION', `certificate "${dnToString(c.subject)}" has an unknown critical extension ${e.oid}`, c, i);
    }
    if (i === 0) return;
    // RFC 5280 §6.1: a trust anchor is a name and a key; its own basicConstraints/keyUsage are not
    // processed (real SM2 roots, e.g. the ofdrw test root, lack keyCertSign).
    if (anchor && i === chain.length - 1) return;
    // c issued chain[i-1]: it must be a CA allowed to sign certificates, within its path length
    const bc = c.extensions.basicConstraints;
    if (!bc?.ca) add('NOT_A_CA', `"${dnToString(c.subject)}" issued a certificate but is not a CA (basicConstraints cA is not TRUE)`, c, i);
    if (c.extensions.keyUsage && !c.extensions.keyUsage.includes('keyCertSign')) add('KEY_USAGE_MISSING', `CA "${dnToString(c.subject)}" lacks keyUsage keyCertSign`, c, i);
    const below = chain.slice(1, i).filter((x) => !isSelfIssued(x)).length; // intermediate CAs under c
    if (bc?.pathLength !== undefined && below > bc.pathLength) add('PATH_LENGTH_EXCEEDED', `CA "${dnToString(c.subject)}" allows ${bc.pathLength} CA(s) below it, the path has ${below}`, c, i);
  });

  // the end certificate's purpose
  const leaf = chain[0];
  for (const u of input.requiredKeyUsage ?? []) {
    if (leaf.extensions.keyUsage && !leaf.extensions.keyUsage.includes(u)) add('KEY_USAGE_MISSING', `certificate "${dnToString(leaf.subject)}" does not allow ${u}`, leaf, 0);
  }
  for (const eku of input.requiredExtKeyUsage ?? []) {
    if (!leaf.extensions.extKeyUsage?.includes(eku)) add('EXT_KEY_USAGE_MISSING', `certificate "${dnToString(leaf.subject)}" lacks extendedKeyUsage ${eku}`, leaf, 0);
  }

  // revocation: every certificate except the anchor itself
  const crls = input.crls ?? [];
  let checkedCount = 0;
  let revoked: ChainValidationResult['revoked'];
  // The last certificate of the path is the anchor (trusted as configured) or has no known issuer.
  const toCheck = chain.slice(0, -1);
  toCheck.forEach((c, i) => {
    const issuer = chain[i + 1];
    const usable = crls.filter((crl) => dnEquals(crl.issuer, c.issuer));
    let checked = false;
    for (const crl of usable) {
      let ok = false;
      try {
        ok = verifyWithSpki(crl.signatureAlgorithm, issuer.spki, crl.tbs, crl.signatureValue);
      } catch (e) {
        add('CRL_INVALID', `CRL from "${dnToString(crl.issuer)}" cannot be verified: ${(e as Error).message}`, c, i);
        continue;
      }
      if (!ok) {
        add('CRL_INVALID', `CRL from "${dnToString(crl.issuer)}" has an invalid signature`, c, i);
        continue;
      }
      if (issuer.extensions.keyUsage && !issuer.extensions.keyUsage.includes('cRLSign')) {
        add('CRL_INVALID', `CRL issuer "${dnToString(issuer.subject)}" lacks keyUsage cRLSign`, c, i);
        continue;
      }
      if (crl.nextUpdate && crl.nextUpdate < time) add('CRL_STALE', `CRL from "${dnToString(crl.issuer)}" was due for update at ${crl.nextUpdate.toISOString()}`, c, i, 'warning');
      checked = true;
      const entry = crl.revoked.find((r) => r.serialNumber === c.serialNumber);
      if (entry && entry.revocationDate <= time) {
        revoked = { subject: dnToString(c.subject), date: entry.revocationDate, ...(entry.reason ? { reason: entry.reason } : {}) };
        add('REVOKED', `certificate "${dnToString(c.subject)}" was revoked at ${entry.revocationDate.toISOString()}${entry.reason ? ` (${entry.reason})` : ''}`, c, i);
      }
    }
    if (checked) checkedCount++;
    else
      add(
        'REVOCATION_NOT_CHECKED',
        `no usable CRL from "${dnToString(c.issuer)}" for certificate "${dnToString(c.subject)}": revocation not checked`,
        c,
        i,
        input.requireRevocation ? 'error' : 'warning',
      );
  });
  const revocation = checkedCount === toCheck.length ? 'checked' : checkedCount === 0 ? 'not-checked' : 'partial';

  return {
    valid: trusted && !problems.some((p) => p.severity === 'error'),
    trusted,
    chain,
    ...(anchor ? { anchor } : {}),
    problems,
    revocation,
    ...(revoked ? { revoked } : {}),
  };
}
