import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sm3, createSm3, hmacSm3, sm3Backend } from '../../src/sm/sm3.js';
import { sm3Pure } from '../../src/sm/sm3-pure.js';
import { hmac } from '@noble/hashes/hmac.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';

// GB/T 32905-2016 Appendix A and OpenSSL evpmd_sm3.txt (STANDARDS.md §4.5)
const VECTORS: [string, string][] = [
  ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
  ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
];

describe('SM3', () => {
  it('uses OpenSSL through node:crypto on Node', () => {
    expect(sm3Backend).toBe('node');
  });

  for (const [msg, digest] of VECTORS) {
    it(`standard vector "${msg.slice(0, 8)}..." (${msg.length} bytes)`, () => {
      expect(toHex(sm3(utf8(msg)))).toBe(digest);
      expect(toHex(sm3Pure(utf8(msg)))).toBe(digest);
    });
  }

  it('pure implementation equals OpenSSL for every length 0..300 and across block boundaries', () => {
    for (let n = 0; n <= 300; n++) {
      const m = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(toHex(sm3Pure(m))).toBe(createHash('sm3').update(m).digest('hex'));
    }
  });

  it('incremental hashing equals one-shot hashing', () => {
    const m = new Uint8Array(1000).map((_, i) => i & 0xff);
    const h = createSm3();
    for (let i = 0; i < m.length; i += 77) h.update(m.subarray(i, i + 77));
    expect(toHex(h.digest())).toBe(toHex(sm3(m)));
    const p = sm3Pure.create();
    for (let i = 0; i < m.length; i += 13) p.update(m.subarray(i, i + 13));
    expect(toHex(p.digest())).toBe(toHex(sm3(m)));
  });

  it('HMAC-SM3 equals OpenSSL and the pure HMAC for short and long keys', () => {
    for (const keyLen of [0, 16, 64, 65, 200]) {
      const key = new Uint8Array(keyLen).fill(0x0b);
      const data = utf8('Hi There');
      const node = toHex(hmacSm3(key, data));
      expect(toHex(hmac(sm3Pure, key, data))).toBe(node);
    }
  });

  it('HMAC-SM3 known answer (key "key", "The quick brown fox...")', () => {
    // Computed with `openssl dgst -sm3 -hmac key` (independent implementation).
    expect(toHex(hmacSm3(utf8('key'), utf8('The quick brown fox jumps over the lazy dog')))).toBe(
      toHex(fromHex(createHashHmac('key', 'The quick brown fox jumps over the lazy dog'))),
    );
  });
});

import { execFileSync } from 'node:child_process';
function createHashHmac(key: string, msg: string): string {
  const out = execFileSync('openssl', ['dgst', '-sm3', '-hmac', key], { input: msg }).toString();
  return out.trim().split(' ').pop()!;
}

describe('sm3Async', () => {
  it('gives sm3 for sizes below, at and above the thread-pool threshold, and for a view into a larger buffer', async () => {
    const { sm3, sm3Async } = await import('../../src/sm/sm3.js');
    const big = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) & 0xff);
    for (const n of [0, 1, 8191, 8192, 8193, 65_536]) {
      const d = big.subarray(3, 3 + n);
      expect(Buffer.from(await sm3Async(d)).toString('hex')).toBe(Buffer.from(sm3(d)).toString('hex'));
    }
  });
});
