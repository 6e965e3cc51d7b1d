/**
 * The status service (like OCSP, for seals): a seal's status at a time, signed by its authority, and
 * the CRLs of the authorities' CAs (a revoked seal's signer certificate is listed).
 */
import { sm2Verify } from '../../sm/sm2/index.js';
import { fromBase64, toBase64 } from '../../util/base64.js';
import { utf8 } from '../../util/bytes.js';
import { parseCertificate, prepareCrl, assembleCrl, type Crl, type Certificate } from '../../pki/index.js';
import { validateChain } from '../../pki/chain.js';
import { canonicalJson } from '../audit-chain.js';
import type { CoreDeps } from '../context.js';
import type { SealStatus } from '../domain/types.js';
import { required } from './_common.js';

export interface SealStatusBody {
  esId: string;
  /** status at `at` */
  status: SealStatus;
  since?: string;
  reason?: string;
  /** the time the status is for */
  at: string;
  /** when this response was produced */
  producedAt: string;
  name: string;
  authority: string;
  validStart: string;
  validEnd: string;
  history: { status: SealStatus; at: string; reason?: string }[];
}

export interface SignedSealStatus {
  body: SealStatusBody;
  /** SM2-with-SM3 (ID 1234567812345678) over the canonical JSON of `body`, base64 DER */
  signature: string;
  /** the authority CA certificate that signed, base64 DER */
  certificate: string;
}

const REVOKING: SealStatus[] = ['revoked', 'lost'];

/** The status of a seal at time `at` (default now), signed by its authority's CA key. */
export async function sealStatus(esId: string, at: Date | undefined, deps: CoreDeps): Promise<SignedSealStatus> {
  const seal = required(await deps.store.repos.seals.getByEsId(esId), 'seal', esId);
  const authority = required(await deps.store.repos.authorities.get(seal.authorityId), 'authority', seal.authorityId);
  const events = await deps.store.repos.sealEvents.listForSeal(seal.id);
  const now = deps.clock.now();
  const t = at ?? now;
  let current: { status: SealStatus; since?: Date; reason?: string } = { status: 'made' };
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) if (e.at <= t) current = { status: e.status, since: e.at, ...(e.reason ? { reason: e.reason } : {}) };
  if (current.status === 'active' && t > seal.validEnd) current = { status: 'expired', since: seal.validEnd };
  const body: SealStatusBody = {
    esId,
    status: current.status,
    ...(current.since ? { since: current.since.toISOString() } : {}),
    ...(current.reason ? { reason: current.reason } : {}),
    at: t.toISOString(),
    producedAt: now.toISOString(),
    name: seal.name,
    authority: authority.name,
    validStart: seal.validStart.toISOString(),
    validEnd: seal.validEnd.toISOString(),
    history: events.map((e) => ({ status: e.status, at: e.at.toISOString(), ...(e.reason ? { reason: e.reason } : {}) })),
  };
  const signer = await deps.signers.forKey(authority.caKeyId);
  const signature = await signer.sign(utf8(canonicalJson(body)));
  return { body, signature: toBase64(signature), certificate: toBase64(authority.caCertificate) };
}

/** Checks a signed status response against trusted authority certificates. */
export function verifySealStatus(resp: SignedSealStatus, trusted: Certificate[], time: Date): { valid: boolean; reason?: string } {
  try {
    const cert = parseCertificate(fromBase64(resp.certificate));
    if (!sm2Verify(cert.spki.publicKey, utf8(canonicalJson(resp.body)), fromBase64(resp.signature))) return { valid: false, reason: 'the signature does not match the response' };
    const chain = validateChain({ certificate: cert, trustAnchors: trusted, time });
    if (!chain.trusted) return { valid: false, reason: 'the signer is not a trusted authority' };
    return { valid: true };
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
}

/** The CRL of an authority's CA: the signer certificates of its revoked and lost seals. */
export async function authorityCrl(authorityId: string, deps: CoreDeps): Promise<Crl> {
  const authority = required(await deps.store.repos.authorities.get(authorityId), 'authority', authorityId);
  const revoked: { serialNumber: string; revocationDate: Date; reason?: 'keyCompromise' | 'superseded' | 'cessationOfOperation' }[] = [];
  for (const status of REVOKING) {
    for (const s of await deps.store.repos.seals.list({ authorityId, status, limit: 100_000 })) {
      const events = await deps.store.repos.sealEvents.listForSeal(s.id);
      const when = [...events].reverse().find((e) => e.status === status)?.at ?? s.updatedAt;
      revoked.push({ serialNumber: parseCertificate(s.signerCertificate).serialNumber, revocationDate: when, reason: status === 'lost' ? 'keyCompromise' : s.replacedById ? 'superseded' : 'cessationOfOperation' });
    }
  }
  const now = deps.clock.now();
  const prepared = prepareCrl({ issuer: parseCertificate(authority.caCertificate), thisUpdate: now, nextUpdate: new Date(now.getTime() + 24 * 3600_000), crlNumber: Math.floor(now.getTime() / 1000), revoked });
  const signer = await deps.signers.forKey(authority.caKeyId);
  return assembleCrl(prepared, await signer.sign(prepared.tbs));
}
