/** Values remembered for a short time (util/ttl-cache.ts). */
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/util/ttl-cache.js';

describe('TtlCache', () => {
  it('gives a value only within ttl after it was set, not before it (clock going back) nor after', () => {
    const c = new TtlCache<string>(1000, 10);
    c.set('k', 'v', 5_000);
    expect([c.get('k', 5_000), c.get('k', 5_999), c.get('k', 6_000), c.get('k', 4_999), c.get('other', 5_000)]).toEqual(['v', 'v', undefined, undefined, undefined]);
  });

  it('keeps at most max keys, dropping the oldest; delete with a value forgets only that value', () => {
    const c = new TtlCache<number>(1000, 2);
    c.set('a', 1, 0);
    c.set('b', 2, 0);
    c.set('a', 3, 0); // an update takes no extra room
    c.set('c', 4, 0); // drops a, the first set
    expect([c.get('a', 1), c.get('b', 1), c.get('c', 1)]).toEqual([undefined, 2, 4]);
    c.delete('b', 99);
    expect(c.get('b', 1)).toBe(2);
    c.delete('b', 2);
    c.delete('c');
    expect([c.get('b', 1), c.get('c', 1)]).toEqual([undefined, undefined]);
  });
});
