/**
 * @module validation/context
 * Everything besides the bytes that a verdict depends on: the time, whom we trust, revocation data,
 * seal status. All are parameters: this layer reads no clock, file or network.
 */
import type { Certificate } from '../pki/certificate.js';
import type { Crl } from '../pki/crl.js';

export type SealStatus = 'active' | 'suspended' | 'lost' | 'revoked' | 'expired';

/** A seal's status history from the status service (全省印章目录): status changes in time order. */
export interface SealStatusRecord {
  esId: string;
  history: { status: SealStatus; from: Date; reason?: string }[];
  /** who answered (the authority's status service) */
  source?: string;
}

export interface ValidationContext {
  /** the time validation is performed for (default: now, supplied by the caller) */
  time: Date;
  /** trust anchors: CA roots or seal-maker / signer certificates trusted directly */
  trustAnchors: Certificate[];
  /** extra untrusted certificates that may complete chains */
  intermediates?: Certificate[];
  /** CRLs; `undefined` means no revocation source was given at all (revocation reported as not checked) */
  crls?: Crl[];
  /** seal status lookup; `undefined` means the status service was not consulted */
  sealStatus?: (esId: string) => SealStatusRecord | undefined;
}

/** Status of a seal at time t from its history ('active' before the first entry). */
export function sealStatusAt(record: SealStatusRecord, t: Date): { status: SealStatus; since?: Date; reason?: string } {
  let current: { status: SealStatus; since?: Date; reason?: string } = { status: 'active' };
  for (const h of [...record.history].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    if (h.from <= t) current = { status: h.status, since: h.from, ...(h.reason ? { reason: h.reason } : {}) };
  }
  return current;
}
