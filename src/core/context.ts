/**
 * @module core/context
 * What every use case receives: its dependencies (ports, wired by the composition root) and the
 * acting principal. Use cases are functions `(input, ctx, deps)`; they never read globals.
 */
import type { Principal } from './domain/roles.js';
import type { Actor } from './domain/types.js';
import type { BlobStore, Clock, NewAuditEvent, Random, Repositories, Store } from './ports.js';
import type { SignerProvider } from './signer.js';
import { timeOrderedUuid } from './ids.js';

export interface PlatformSettings {
  /** SES_Header.Vid fallback and names in generated material */
  platformName: string;
  /** how long a login session lasts */
  sessionTtlMs: number;
  /** failed logins before the account is locked for `lockMs` */
  maxFailedLogins: number;
  lockMs: number;
  /** documents up to this size are stamped (bytes) */
  maxDocumentBytes: number;
  /** keep stamped outputs in the blob store (for batch downloads and idempotent replays) */
  keepOutputs: boolean;
}

export const DEFAULT_SETTINGS: PlatformSettings = {
  platformName: 'eseal',
  sessionTtlMs: 8 * 3600_000,
  maxFailedLogins: 5,
  lockMs: 15 * 60_000,
  maxDocumentBytes: 50 * 1024 * 1024,
  keepOutputs: true,
};

export interface CoreDeps {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  random: Random;
  signers: SignerProvider;
  /** the seal appearance font (TrueType), loaded by the composition root */
  sealFont: Uint8Array;
  settings: PlatformSettings;
  /** the platform's time-stamping authority: a DER TimeStampToken over the given bytes (SM3 imprint) */
  timeStamper?: (data: Uint8Array) => Promise<Uint8Array | undefined>;
}

export interface ActionContext {
  principal: Principal;
  requestId?: string;
}

export function actorOf(ctx: ActionContext): Actor {
  const p = ctx.principal;
  return { type: p.kind === 'api-key' ? 'api-key' : p.kind === 'user' ? 'user' : 'public', ...(p.id ? { id: p.id } : {}), ...(p.name ? { name: p.name } : {}) };
}

export const SYSTEM: ActionContext = { principal: { kind: 'user', id: 'system', name: 'system', grants: [{ role: 'operator' }] } };

export type AuditTarget = { type?: string; id?: string; organisationId?: string; authorityId?: string };

/** Appends an audit event in the current transaction. */
export function audit(
  repos: Repositories,
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  ctx: ActionContext,
  action: string,
  target: AuditTarget,
  details: Record<string, unknown> = {},
  result: 'success' | 'denied' | 'failure' = 'success',
) {
  return repos.audit.append(auditEvent(deps, ctx, action, target, details, result));
}

/** The audit event of an act, not yet appended (group commit appends many at once). */
export function auditEvent(
  deps: Pick<CoreDeps, 'clock' | 'random'>,
  ctx: ActionContext,
  action: string,
  target: AuditTarget,
  details: Record<string, unknown> = {},
  result: 'success' | 'denied' | 'failure' = 'success',
): NewAuditEvent {
  const time = deps.clock.now();
  return {
    id: timeOrderedUuid(deps.random, time),
    time,
    actor: actorOf(ctx),
    action,
    ...(target.type ? { targetType: target.type } : {}),
    ...(target.id ? { targetId: target.id } : {}),
    ...(target.organisationId ? { organisationId: target.organisationId } : {}),
    ...(target.authorityId ? { authorityId: target.authorityId } : {}),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    result,
    details,
  };
}
