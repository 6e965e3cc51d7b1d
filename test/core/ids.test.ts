/** Record identifiers: UUID v4 and time-ordered UUID v7 (RFC 9562). */
import { describe, expect, it } from 'vitest';
import { timeOrderedUuid, uuid } from '../../src/core/ids.js';

const fixed = (byte: number) => (n: number) => new Uint8Array(n).fill(byte);
const FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('uuid is version 4 with the RFC variant', () => {
    expect(uuid(fixed(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuid(fixed(0x00))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('timeOrderedUuid is version 7: Unix milliseconds big-endian in the first 48 bits', () => {
    // RFC 9562 appendix A.6: 2022-02-22T19:22:22Z = 0x017F22E279B0 ms
    const id = timeOrderedUuid(fixed(0x00), new Date(Date.UTC(2022, 1, 22, 19, 22, 22)));
    expect(id).toBe('017f22e2-79b0-7000-8000-000000000000');
    expect(timeOrderedUuid(fixed(0xff), new Date(0x017f22e279b0))).toBe('017f22e2-79b0-7fff-bfff-ffffffffffff');
    const m = FORM.exec(id)!;
    expect([m[1], m[2]]).toEqual(['7', '8']);
  });

  it('later times sort later as text (so rows append to the primary-key index)', () => {
    let random = 0;
    const rnd = (n: number) => Uint8Array.from({ length: n }, () => (random = (random * 73 + 41) % 256));
    const ids = Array.from({ length: 200 }, (_, i) => timeOrderedUuid(rnd, new Date(1_790_000_000_000 + i * 7)));
    expect([...ids].sort()).toEqual(ids);
  });
});
