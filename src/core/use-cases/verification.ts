/**
 * Verification for relying parties and the public: a document (OFD, PDF), a seal or an SES_Signature,
 * judged with the platform's trust (its authorities' CAs and makers, plus the certificates of other
 * providers the operator trusts), their CRLs, and the seal status service at the signing time — so a
 * seal revoked after signing still verifies for documents signed before, and the report says so.
 */
import { parseCertificate, type Certificate, type Crl } from '../../pki/index.js';
import { fail } from '../../util/errors.js';
import { DEFAULT_POLICY, type Policy } from '../../validation/policy.js';
import { verifySeal } from '../../validation/seal.js';
import { verifySesSignature } from '../../validation/ses-signature.js';
import type { SealStatusRecord, ValidationContext } from '../../validation/context.js';
import type { ValidationReport } from '../../validation/types.js';
import type { CoreDeps } from '../context.js';
import { verifierFor } from '../documents/formats.js';
import { authorityCrl } from './status.js';

const CRL_TTL_MS = 5 * 60_000;
const crlCache = new Map<string, { crl: Crl; at: number }>();

/** Trust anchors, intermediates and CRLs of the platform at time t. */
export async function platformTrust(deps: CoreDeps): Promise<{ trustAnchors: Certificate[]; intermediates: Certificate[]; crls: Crl[] }> {
  const authorities = await deps.store.repos.authorities.list();
  const trustAnchors: Certificate[] = [];
  const intermediates: Certificate[] = [];
  const crls: Crl[] = [];
  const now = deps.clock.now().getTime();
  for (const a of authorities) {
    trustAnchors.push(parseCertificate(a.caCertificate));
    intermediates.push(parseCertificate(a.makerCertificate));
    let c = crlCache.get(a.id);
    if (!c || now - c.at > CRL_TTL_MS) {
      c = { crl: await authorityCrl(a.id, deps), at: now };
      crlCache.set(a.id, c);
    }
    crls.push(c.crl);
  }
  for (const t of await deps.store.repos.trust.list()) trustAnchors.push(parseCertificate(t.certificate));
  return { trustAnchors, intermediates, crls };
}

/** Drops cached CRLs (after a revocation, so verification sees it at once). */
export function invalidateCrlCache(authorityId?: string): void {
  if (authorityId) crlCache.delete(authorityId);
  else crlCache.clear();
}

async function statusRecords(esIds: string[], deps: CoreDeps): Promise<Map<string, SealStatusRecord>> {
  const out = new Map<string, SealStatusRecord>();
  for (const esId of new Set(esIds)) {
    const seal = await deps.store.repos.seals.getByEsId(esId);
    if (!seal) continue;
    const events = await deps.store.repos.sealEvents.listForSeal(seal.id);
    out.set(esId, {
      esId,
      source: 'eseal status service',
      history: events.filter((e) => e.status !== 'made').map((e) => ({ status: e.status === 'made' ? 'active' : e.status, from: e.at, ...(e.reason ? { reason: e.reason } : {}) })),
    });
  }
  return out;
}

async function contextFor(deps: CoreDeps, esIds: string[], time?: Date): Promise<ValidationContext> {
  const trust = await platformTrust(deps);
  const statuses = await statusRecords(esIds, deps);
  return { time: time ?? deps.clock.now(), ...trust, sealStatus: (esId) => statuses.get(esId) };
}

export interface VerifyOptions {
  time?: Date;
  policy?: Policy;
}

export async function verifyDocument(bytes: Uint8Array, opts: VerifyOptions, deps: CoreDeps): Promise<ValidationReport> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail('VALIDATION', 'the document is empty');
  const verifier = verifierFor(bytes);
  if (!verifier) fail('UNSUPPORTED_MEDIA_TYPE', 'the document is neither an OFD nor a PDF');
  const policy = opts.policy ?? DEFAULT_POLICY;
  // The status service needs the esIDs first: from the format when it can list them cheaply,
  // else from a first pass.
  let esIds = verifier.esIds?.(bytes);
  if (!esIds) {
    const first = await verifier.verify(bytes, await contextFor(deps, [], opts.time), policy);
    esIds = first.signatures.flatMap((s) => (typeof s.info.esId === 'string' ? [s.info.esId] : []));
  }
  return verifier.verify(bytes, await contextFor(deps, esIds, opts.time), policy);
}

export async function verifySealBytes(bytes: Uint8Array, opts: VerifyOptions, deps: CoreDeps): Promise<ValidationReport> {
  const first = verifySeal(bytes, await contextFor(deps, [], opts.time), opts.policy ?? DEFAULT_POLICY);
  const esId = first.signatures[0]?.info.esId;
  return typeof esId === 'string' ? verifySeal(bytes, await contextFor(deps, [esId], opts.time), opts.policy ?? DEFAULT_POLICY) : first;
}

export async function verifySignatureBytes(bytes: Uint8Array, data: { data?: Uint8Array; hash?: Uint8Array }, opts: VerifyOptions, deps: CoreDeps): Promise<ValidationReport> {
  const input = { ...(data.data ? { data: data.data } : {}), ...(data.hash ? { expectedDataHash: data.hash } : {}) };
  const first = verifySesSignature(bytes, input, await contextFor(deps, [], opts.time), opts.policy ?? DEFAULT_POLICY);
  const esId = first.signatures[0]?.info.esId;
  return typeof esId === 'string' ? verifySesSignature(bytes, input, await contextFor(deps, [esId], opts.time), opts.policy ?? DEFAULT_POLICY) : first;
}
