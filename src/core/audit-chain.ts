/**
 * @module core/audit-chain
 * The audit record is append-only and hash-chained: every event's hash is SM3 over the previous
 * event's hash and this event's canonical JSON, so editing or deleting any row breaks the chain
 * from there on. The chain head (last seq and hash) is also kept apart, so removing the newest rows
 * is detected too. `verifyAuditChain` walks the whole record in pages.
 */
import { sm3 } from '../sm/sm3.js';
import { toHex, utf8 } from '../util/bytes.js';
import type { AuditEvent } from './domain/types.js';
import type { NewAuditEvent } from './ports.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys and no whitespace: the same bytes for the same event on every platform. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** The hash of event `seq` following `prevHash`. */
export function auditHash(prevHash: string, seq: number, e: NewAuditEvent): string {
  const body = canonicalJson({
    seq,
    id: e.id,
    time: e.time.toISOString(),
    actor: e.actor,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    organisationId: e.organisationId,
    authorityId: e.authorityId,
    requestId: e.requestId,
    result: e.result,
    details: e.details,
  });
  return toHex(sm3(utf8(`${prevHash}\n${body}`)));
}

export interface AuditChainProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'reordered' | 'head-mismatch';
  message: string;
}

export interface AuditChainReport {
  valid: boolean;
  events: number;
  headSeq: number;
  headHash: string;
  problems: AuditChainProblem[];
}

/**
 * Checks the chain. `scan(fromSeq, limit)` yields events in seq order; `head` is the separately kept
 * head (undefined when the store keeps none).
 */
export async function verifyAuditChain(scan: (fromSeq: number, limit: number) => Promise<AuditEvent[]>, head?: { seq: number; hash: string }, pageSize = 1000): Promise<AuditChainReport> {
  const problems: AuditChainProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const page = await scan(expectedSeq, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      count++;
      if (e.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: 'missing', message: `events ${expectedSeq}…${e.seq - 1} are missing (deleted)` });
        expectedSeq = e.seq;
      }
      if (e.prevHash !== prevHash) problems.push({ seq: e.seq, problem: 'reordered', message: `event ${e.seq} does not follow the previous event (prevHash differs)` });
      const h = auditHash(e.prevHash, e.seq, e);
      if (h !== e.hash) problems.push({ seq: e.seq, problem: 'edited', message: `event ${e.seq} (${e.action}) was changed after it was recorded` });
      prevHash = e.hash;
      expectedSeq = e.seq + 1;
    }
    if (problems.length > 100) break;
  }
  const headSeq = expectedSeq - 1;
  if (head && (head.seq !== headSeq || head.hash !== prevHash)) {
    problems.push({ seq: head.seq, problem: 'head-mismatch', message: `the chain ends at event ${headSeq} but the recorded head is event ${head.seq}: the newest events were removed or the head was altered` });
  }
  return { valid: problems.length === 0, events: count, headSeq, headHash: prevHash, problems };
}
