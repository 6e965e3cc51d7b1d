/** The bounded get-or-make cache (util/lru-cache.ts). */
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/util/lru-cache.js';

describe('LruCache', () => {
  it('makes a value once, keeps it, and drops the least recently used beyond its bound', () => {
    const c = new LruCache<string>(2);
    const made: string[] = [];
    const get = (k: string) => c.get(k, () => (made.push(k), k.toUpperCase()));
    expect([get('a'), get('b'), get('a')]).toEqual(['A', 'B', 'A']);
    expect(made).toEqual(['a', 'b']);
    get('c'); // drops b: a was used more recently
    get('a');
    expect(made).toEqual(['a', 'b', 'c']);
    get('b');
    expect(made).toEqual(['a', 'b', 'c', 'b']);
    c.clear();
    get('a');
    expect(made).toEqual(['a', 'b', 'c', 'b', 'a']);
  });
});
