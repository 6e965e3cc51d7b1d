/** @module storage/repos/audit-rows — audit events as they are stored (shared by the append paths). */
import { canonicalJson } from '../../core/audit-chain.js';
import type { Actor } from '../../core/domain/types.js';
import type { NewAuditEvent } from '../../core/ports.js';
import { fail } from '../../util/errors.js';
import type { AuditEventRow } from '../schema.js';
import { compact, type RepoContext } from './context.js';

const optString = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** The event as it will be stored and read back. */
export function normaliseAuditEvent(e: NewAuditEvent): NewAuditEvent {
  if (!(e.time instanceof Date) || Number.isNaN(e.time.getTime())) fail('INVALID_ARGUMENT', 'audit event time must be a valid Date');
  if (typeof e.id !== 'string' || e.id === '') fail('INVALID_ARGUMENT', 'audit event id is required');
  if (typeof e.action !== 'string' || e.action === '') fail('INVALID_ARGUMENT', 'audit event action is required');
  if (!e.actor || typeof e.actor.type !== 'string') fail('INVALID_ARGUMENT', 'audit event actor type is required');
  const details: unknown = JSON.parse(canonicalJson(e.details ?? {}));
  if (details === null || typeof details !== 'object' || Array.isArray(details)) fail('INVALID_ARGUMENT', 'audit event details must be an object');
  return compact<NewAuditEvent>({
    id: e.id,
    time: new Date(e.time.getTime()),
    actor: compact<Actor>({ type: e.actor.type, id: optString(e.actor.id), name: optString(e.actor.name) }),
    action: e.action,
    targetType: optString(e.targetType),
    targetId: optString(e.targetId),
    organisationId: optString(e.organisationId),
    authorityId: optString(e.authorityId),
    requestId: optString(e.requestId),
    result: e.result,
    details: details as Record<string, unknown>,
  });
}

export function stored(x: RepoContext, e: NewAuditEvent, seq: number, prevHash: string, hash: string): AuditEventRow {
  return {
    seq,
    id: e.id,
    time: x.c.time(e.time),
    actor_type: e.actor.type,
    actor_id: e.actor.id ?? null,
    actor_name: e.actor.name ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    organisation_id: e.organisationId ?? null,
    authority_id: e.authorityId ?? null,
    request_id: e.requestId ?? null,
    result: e.result,
    details: canonicalJson(e.details),
    prev_hash: prevHash,
    hash,
  };
}


/**
 * PostgreSQL appends inside a transaction: counts this append as in flight until the transaction
 * ends (a rolled-back one forgets the head it wrote), and returns the head this process appended
 * last when no other append of it is in flight — a guess, checked by the statement that uses it.
 */
export function claimHeadGuess(x: RepoContext): { seq: number; hash: string } | undefined {
  const shared = x.shared;
  const alone = shared.pendingAppends === 0;
  shared.pendingAppends++;
  x.onEnd((committed) => {
    shared.pendingAppends--;
    if (!committed) shared.auditHead = undefined;
  });
  return alone ? shared.auditHead : undefined;
}
