/** SM3 with a learned prefix state (sm/sm3-prefix.ts): always exactly SM3(head ‖ message). */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sm3PrefixCache } from '../../src/sm/sm3-prefix.js';
import { createSm3 } from '../../src/sm/sm3.js';
import { sm3Pure } from '../../src/sm/sm3-pure.js';

const ref = (head: Uint8Array, m: Uint8Array) => createHash('sm3').update(head).update(m).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** a TBS_Sign-like message: fixed header and seal, then a varying tail */
const message = (seal: Uint8Array, tail: number, headerByte = 0x30) => new Uint8Array([headerByte, 0x82, ...seal, ...randomBytes(tail)]);

describe('Sm3PrefixCache', () => {
  const head = randomBytes(32);
  const seal = randomBytes(17_000);

  it('learns the common start of two messages and then finishes every digest from it', () => {
    const c = new Sm3PrefixCache({ head });
    for (let i = 0; i < 20; i++) {
      const m = message(seal, 200 + i);
      expect(hex(c.digest(m))).toBe(ref(head, m));
    }
    expect(c.prefixLengths).toHaveLength(1);
    expect(c.prefixLengths[0]).toBeGreaterThanOrEqual(seal.length + 2);
  });

  it('a message that differs inside the learned prefix, or early, is hashed in full; several prefixes are kept', () => {
    const c = new Sm3PrefixCache({ head, maxEntries: 2 });
    const other = randomBytes(17_000);
    const ms = [message(seal, 100), message(seal, 100), message(other, 90), message(other, 90), message(seal, 100, 0x31), message(seal, 100, 0x31)];
    const flipped = message(seal, 100);
    flipped[9_000] ^= 1;
    ms.push(flipped, message(seal, 100).subarray(0, 100), new Uint8Array(0), message(seal, 0));
    for (let round = 0; round < 3; round++) for (const m of ms) expect(hex(c.digest(m))).toBe(ref(head, m));
    expect(c.prefixLengths.length).toBeLessThanOrEqual(2);
  });

  it('the message equal to its prefix, a caller that reuses its buffer, and oversized messages', () => {
    const c = new Sm3PrefixCache({ maxMessage: 40_000 });
    const buf = message(seal, 50);
    const first = ref(new Uint8Array(0), buf);
    expect(hex(c.digest(buf))).toBe(first);
    buf.fill(7, 5_000, 6_000); // the cache must not have kept a view of the caller's bytes
    expect(hex(c.digest(buf))).toBe(ref(new Uint8Array(0), buf));
    expect(hex(c.digest(buf))).toBe(ref(new Uint8Array(0), buf));
    const exact = buf.slice(0, c.prefixLengths[0] ?? buf.length);
    expect(hex(c.digest(exact))).toBe(ref(new Uint8Array(0), exact));
    const big = randomBytes(50_000);
    expect(hex(c.digest(big))).toBe(ref(new Uint8Array(0), big));
    expect(hex(c.digest(big))).toBe(ref(new Uint8Array(0), big));
  });

  it('IncrementalHash.clone continues independently (node and pure)', () => {
    const a = randomBytes(1000);
    const b = randomBytes(77);
    const h = createSm3().update(a);
    const copy = h.clone();
    expect(hex(copy.update(b).digest())).toBe(ref(a, b));
    expect(hex(h.digest())).toBe(ref(a, new Uint8Array(0)));
    const p = sm3Pure.create().update(a);
    const pc = p.clone();
    expect(hex(pc.update(b).digest())).toBe(ref(a, b));
    expect(hex(p.digest())).toBe(ref(a, new Uint8Array(0)));
  });
});
