import { describe, expect, it } from 'vitest';
import { auditHash, canonicalJson, verifyAuditChain, GENESIS_HASH } from '../../src/core/audit-chain.js';
import type { AuditEvent } from '../../src/core/domain/types.js';

function chain(n: number): AuditEvent[] {
  const out: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = { id: `e${seq}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)), actor: { type: 'user' as const, id: 'u1', name: '张三' }, action: 'seal.revoke', targetType: 'seal', targetId: `s${seq}`, result: 'success' as const, details: { reason: '测试', n: seq } };
    const hash = auditHash(prev, seq, e);
    out.push({ ...e, seq, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}
const scanner = (events: AuditEvent[]) => async (from: number, limit: number) => events.filter((e) => e.seq >= from).slice(0, limit);

describe('hash-chained audit record', () => {
  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });
  it('an intact chain verifies (in pages)', async () => {
    const ev = chain(25);
    const r = await verifyAuditChain(scanner(ev), { seq: 25, hash: ev[24].hash }, 7);
    expect(r).toMatchObject({ valid: true, events: 25, headSeq: 25 });
  });
  it('detects an edited event', async () => {
    const ev = chain(10);
    ev[4] = { ...ev[4], details: { reason: '改过', n: 5 } };
    const r = await verifyAuditChain(scanner(ev), { seq: 10, hash: ev[9].hash });
    expect(r.valid).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ seq: 5, problem: 'edited' })]);
  });
  it('detects a deleted event in the middle and the newest events removed', async () => {
    const ev = chain(10);
    const r1 = await verifyAuditChain(scanner(ev.filter((e) => e.seq !== 6)), { seq: 10, hash: ev[9].hash });
    expect(r1.problems.map((p) => p.problem)).toEqual(['missing', 'reordered']);
    const r2 = await verifyAuditChain(scanner(ev.slice(0, 8)), { seq: 10, hash: ev[9].hash });
    expect(r2.problems.map((p) => p.problem)).toEqual(['head-mismatch']);
  });
});
