import { describe, expect, it } from 'vitest';
import { nextSealStatus, allowedSealActions, sealCanStamp, nextApplicationStatus, SEAL_TRANSITIONS, SEAL_ACTIONS, type SealAction } from '../../src/core/domain/seal-lifecycle.js';
import type { SealStatus } from '../../src/core/domain/types.js';
import { isEsealError } from '../../src/util/errors.js';

const STATUSES: SealStatus[] = ['made', 'active', 'suspended', 'lost', 'revoked', 'expired'];

describe('seal lifecycle (pure state machine)', () => {
  it('follows the table for every status × action, and refuses everything else with TRANSITION_FORBIDDEN', () => {
    for (const s of STATUSES) {
      for (const a of SEAL_ACTIONS) {
        const allowed = SEAL_TRANSITIONS[a].from.includes(s);
        try {
          const to = nextSealStatus(s, a, 'because');
          expect(allowed, `${s} --${a}--> ${to}`).toBe(true);
          expect(to).toBe(SEAL_TRANSITIONS[a].to);
        } catch (e) {
          expect(allowed, `${s} --${a}--> refused: ${(e as Error).message}`).toBe(false);
          expect(isEsealError(e, 'TRANSITION_FORBIDDEN')).toBe(true);
        }
      }
    }
  });

  it('the important paths', () => {
    let s: SealStatus = 'made';
    for (const [a, to] of [['issue', 'active'], ['suspend', 'suspended'], ['resume', 'active'], ['report-lost', 'lost'], ['revoke', 'revoked']] as [SealAction, SealStatus][]) {
      s = nextSealStatus(s, a, 'r');
      expect(s).toBe(to);
    }
    expect(() => nextSealStatus('revoked', 'resume')).toThrow(/revoked seal cannot be resumed/);
    expect(() => nextSealStatus('revoked', 'issue')).toThrow(/TRANSITION|cannot/);
    expect(() => nextSealStatus('expired', 'resume')).toThrow();
  });

  it('revoked and expired are terminal', () => {
    expect(allowedSealActions('revoked')).toEqual([]);
    expect(allowedSealActions('expired')).toEqual([]);
    expect(allowedSealActions('active').sort()).toEqual(['change', 'expire', 'report-lost', 'revoke', 'suspend'].sort());
  });

  it('suspension, loss, revocation and change need a reason', () => {
    for (const a of ['suspend', 'report-lost', 'revoke', 'change'] as SealAction[]) {
      try {
        nextSealStatus('active', a);
        throw new Error('no reason accepted');
      } catch (e) {
        expect(isEsealError(e, 'REASON_REQUIRED'), a).toBe(true);
      }
    }
    expect(nextSealStatus('made', 'issue')).toBe('active');
  });

  it('only an active seal within its validity stamps', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const end = new Date('2027-01-01T00:00:00Z');
    const mid = new Date('2026-06-01T00:00:00Z');
    expect(sealCanStamp('active', start, end, mid).ok).toBe(true);
    for (const s of STATUSES.filter((x) => x !== 'active')) expect(sealCanStamp(s, start, end, mid)).toMatchObject({ ok: false, code: `SEAL_${s.toUpperCase()}` });
    expect(sealCanStamp('active', start, end, new Date('2027-01-01T00:00:01Z'))).toMatchObject({ ok: false, code: 'SEAL_EXPIRED' });
    expect(sealCanStamp('active', start, end, new Date('2025-12-31T23:59:59Z'))).toMatchObject({ ok: false, code: 'SEAL_NOT_YET_VALID' });
  });

  it('applications: submitted → approved/rejected → made, nothing else', () => {
    expect(nextApplicationStatus('submitted', 'approve')).toBe('approved');
    expect(nextApplicationStatus('submitted', 'reject')).toBe('rejected');
    expect(nextApplicationStatus('approved', 'make')).toBe('made');
    expect(() => nextApplicationStatus('rejected', 'make')).toThrow(/rejected cannot be made/);
    expect(() => nextApplicationStatus('made', 'approve')).toThrow();
    expect(() => nextApplicationStatus('submitted', 'make')).toThrow(/must be approved/);
  });
});
