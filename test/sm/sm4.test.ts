import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { sm4Backend, sm4Decrypt, sm4Encrypt, type Sm4Options } from '../../src/sm/sm4.js';
import { Sm4RoundKeys, sm4DecryptPure, sm4EncryptPure } from '../../src/sm/sm4-pure.js';
import { EsealError } from '../../src/util/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

// GB/T 32907-2016 Annex A and OpenSSL evpciph_sm4.txt (STANDARDS.md §4.6)
const KEY = fromHex('0123456789ABCDEFFEDCBA9876543210');
const PT = fromHex('0123456789ABCDEFFEDCBA9876543210');
const IV = fromHex('0123456789ABCDEFFEDCBA9876543210');
const ECB_CT = '681edf34d206965e86b3e94f536e4246';
const CBC_CT = '2677f46b09c122cc975533105bd4a22a';
const ECB_1M_CT = '595298c7c6fd271f0402f804c33d3f66';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b);

/** The error a call throws (fails the test when it does not throw an EsealError). */
function errorOf(f: () => unknown): EsealError {
  try {
    f();
  } catch (e) {
    if (e instanceof EsealError) return e;
    throw new Error(`expected an EsealError, got ${String(e)}`);
  }
  throw new Error('expected an EsealError, nothing was thrown');
}

/** Straight node:crypto (OpenSSL with its own padding), independent of src/sm/sm4.ts. */
function opensslEncrypt(mode: 'ecb' | 'cbc' | 'ctr', key: Uint8Array, data: Uint8Array, iv: Uint8Array | null, padding: boolean): Uint8Array {
  const c = createCipheriv(`sm4-${mode}`, key, iv);
  c.setAutoPadding(padding);
  return u8(Buffer.concat([c.update(data), c.final()]));
}

describe('SM4 (GB/T 32907)', () => {
  it('uses OpenSSL through node:crypto on Node', () => {
    expect(sm4Backend).toBe('node');
  });

  it('Annex A example 1 / evpciph_sm4.txt ECB vector, both implementations and the block API', () => {
    for (const enc of [sm4Encrypt, sm4EncryptPure]) {
      expect(toHex(enc(KEY, PT, { mode: 'ecb', padding: false }))).toBe(ECB_CT);
      // With padding a whole block of 0x10 follows.
      const padded = enc(KEY, PT, { mode: 'ecb' });
      expect(padded.length).toBe(32);
      expect(toHex(padded.subarray(0, 16))).toBe(ECB_CT);
    }
    for (const dec of [sm4Decrypt, sm4DecryptPure]) {
      expect(toHex(dec(KEY, fromHex(ECB_CT), { mode: 'ecb', padding: false }))).toBe(toHex(PT));
    }
    const rk = new Sm4RoundKeys(KEY);
    expect(toHex(rk.encryptBlock(PT))).toBe(ECB_CT);
    expect(toHex(rk.decryptBlock(fromHex(ECB_CT)))).toBe(toHex(PT));
    // Offsets and in-place operation.
    const buf = new Uint8Array(40);
    buf.set(PT, 7);
    rk.encryptBlock(buf, buf, 7, 7);
    expect(toHex(buf.subarray(7, 23))).toBe(ECB_CT);
    expect(buf[6]).toBe(0);
    expect(buf[23]).toBe(0);
  });

  it('evpciph_sm4.txt CBC vector', () => {
    for (const enc of [sm4Encrypt, sm4EncryptPure]) {
      expect(toHex(enc(KEY, PT, { mode: 'cbc', iv: IV, padding: false }))).toBe(CBC_CT);
      expect(toHex(enc(KEY, PT, { mode: 'cbc', iv: IV }).subarray(0, 16))).toBe(CBC_CT);
    }
    for (const dec of [sm4Decrypt, sm4DecryptPure]) {
      expect(toHex(dec(KEY, fromHex(CBC_CT), { mode: 'cbc', iv: IV, padding: false }))).toBe(toHex(PT));
    }
  });

  it('Annex A example 2: ECB applied 1,000,000 times, with one key schedule', () => {
    const rk = new Sm4RoundKeys(KEY);
    const b = new Uint8Array(PT);
    const t0 = performance.now();
    for (let i = 0; i < 1_000_000; i++) rk.encryptBlock(b, b);
    const ms = performance.now() - t0;
    expect(toHex(b)).toBe(ECB_1M_CT);
    for (let i = 0; i < 1_000_000; i++) rk.decryptBlock(b, b);
    expect(toHex(b)).toBe(toHex(PT));
    expect(ms).toBeLessThan(5000);
  });

  it('10,000 chained ECB encryptions: pure equals OpenSSL at every step', () => {
    const rk = new Sm4RoundKeys(KEY);
    const c = createCipheriv('sm4-ecb', KEY, null);
    c.setAutoPadding(false);
    let pure: Uint8Array = new Uint8Array(PT);
    let ossl: Uint8Array = new Uint8Array(PT);
    for (let i = 0; i < 10_000; i++) {
      pure = rk.encryptBlock(pure);
      ossl = u8(c.update(ossl));
      if (i % 97 === 0 || i === 9_999) expect(toHex(pure)).toBe(toHex(ossl));
    }
    // The facade (one call per block, a fresh key schedule each time) agrees too.
    let facade: Uint8Array = new Uint8Array(PT);
    for (let i = 0; i < 10_000; i++) facade = sm4EncryptPure(KEY, facade, { mode: 'ecb', padding: false });
    expect(toHex(facade)).toBe(toHex(pure));
  });

  it('pure equals node equals OpenSSL for ECB/CBC/CTR over random keys, IVs and lengths 0..100', () => {
    for (let len = 0; len <= 100; len++) {
      const key = u8(nodeRandomBytes(16));
      const iv = u8(nodeRandomBytes(16));
      const data = u8(nodeRandomBytes(len));
      const cases: [Sm4Options, Uint8Array | null, boolean][] = [
        [{ mode: 'ecb' }, null, true],
        [{ mode: 'cbc', iv }, iv, true],
        [{ mode: 'ctr', iv }, iv, false],
        // padding is ignored for CTR
        [{ mode: 'ctr', iv, padding: true }, iv, false],
      ];
      if (len % 16 === 0) {
        cases.push([{ mode: 'ecb', padding: false }, null, false], [{ mode: 'cbc', iv, padding: false }, iv, false]);
      }
      for (const [opts, nodeIv, nodePad] of cases) {
        const label = `${opts.mode} padding=${String(opts.padding)} len=${len}`;
        const expected = toHex(opensslEncrypt(opts.mode, key, data, nodeIv, nodePad));
        const ct = sm4Encrypt(key, data, opts);
        expect(toHex(ct), label).toBe(expected);
        expect(toHex(sm4EncryptPure(key, data, opts)), label).toBe(expected);
        expect(toHex(sm4Decrypt(key, ct, opts)), label).toBe(toHex(data));
        expect(toHex(sm4DecryptPure(key, ct, opts)), label).toBe(toHex(data));
        if (opts.mode !== 'ctr') {
          const d = createDecipheriv(`sm4-${opts.mode}`, key, nodeIv);
          d.setAutoPadding(nodePad);
          expect(toHex(u8(Buffer.concat([d.update(ct), d.final()]))), label).toBe(toHex(data));
        }
      }
    }
  });

  it('CTR counter: 128-bit big-endian increment that wraps at 2^128, like OpenSSL', () => {
    const key = u8(nodeRandomBytes(16));
    const data = u8(nodeRandomBytes(16 * 3 + 5));
    const rk = new Sm4RoundKeys(key);
    const ivs = [
      'ffffffffffffffffffffffffffffffff', // wraps to 00..00
      'fffffffffffffffffffffffffffffffe',
      '0000000000000000ffffffffffffffff', // carry into the upper 64 bits
      '000000000000000000000000ffffffff', // carry past a 32-bit word
    ];
    for (const ivHex of ivs) {
      const iv = fromHex(ivHex);
      const expected = toHex(opensslEncrypt('ctr', key, data, iv, false));
      expect(toHex(sm4Encrypt(key, data, { mode: 'ctr', iv })), ivHex).toBe(expected);
      expect(toHex(sm4EncryptPure(key, data, { mode: 'ctr', iv })), ivHex).toBe(expected);
    }
    // Explicitly: after ff..ff comes 00..00, then 00..01.
    const zeros = new Uint8Array(48);
    const ks = sm4EncryptPure(key, zeros, { mode: 'ctr', iv: fromHex(ivs[0]) });
    expect(toHex(ks.subarray(0, 16))).toBe(toHex(rk.encryptBlock(fromHex(ivs[0]))));
    expect(toHex(ks.subarray(16, 32))).toBe(toHex(rk.encryptBlock(new Uint8Array(16))));
    expect(toHex(ks.subarray(32, 48))).toBe(toHex(rk.encryptBlock(fromHex('00000000000000000000000000000001'))));
    const ks2 = sm4EncryptPure(key, zeros, { mode: 'ctr', iv: fromHex(ivs[2]) });
    expect(toHex(ks2.subarray(16, 32))).toBe(toHex(rk.encryptBlock(fromHex('00000000000000010000000000000000'))));
  });

  it('the caller’s IV and data are not modified', () => {
    const iv = fromHex('ffffffffffffffffffffffffffffffff');
    const data = new Uint8Array(40).fill(7);
    for (const enc of [sm4Encrypt, sm4EncryptPure]) {
      enc(KEY, data, { mode: 'ctr', iv });
      enc(KEY, data, { mode: 'cbc', iv });
      expect(toHex(iv)).toBe('ff'.repeat(16));
      expect(data.every((b) => b === 7)).toBe(true);
    }
  });

  describe('interop with the openssl enc CLI', () => {
    const key = fromHex('00112233445566778899aabbccddeeff');
    const iv = fromHex('0f0e0d0c0b0a09080706050403020100');
    const enc = (args: string[], input: Uint8Array) =>
      u8(execFileSync('openssl', ['enc', ...args, '-K', toHex(key), '-iv', toHex(iv)], { input }));

    it('openssl enc -sm4-cbc decrypts what we encrypt, and we decrypt what it encrypts', () => {
      for (const len of [0, 1, 15, 16, 17, 100]) {
        const data = u8(nodeRandomBytes(len));
        const ours = sm4Encrypt(key, data, { mode: 'cbc', iv });
        expect(toHex(enc(['-d', '-sm4-cbc'], ours)), `len ${len}`).toBe(toHex(data));
        const theirs = enc(['-sm4-cbc'], data);
        expect(toHex(theirs), `len ${len}`).toBe(toHex(ours));
        expect(toHex(sm4Decrypt(key, theirs, { mode: 'cbc', iv })), `len ${len}`).toBe(toHex(data));
        expect(toHex(sm4DecryptPure(key, theirs, { mode: 'cbc', iv })), `len ${len}`).toBe(toHex(data));
      }
    });

    it('openssl enc -sm4-cbc -nopad and -sm4-ctr', () => {
      const data = u8(nodeRandomBytes(48));
      expect(toHex(enc(['-sm4-cbc', '-nopad'], data))).toBe(toHex(sm4Encrypt(key, data, { mode: 'cbc', iv, padding: false })));
      const odd = data.subarray(0, 37);
      const ctr = enc(['-sm4-ctr'], odd);
      expect(toHex(ctr)).toBe(toHex(sm4EncryptPure(key, odd, { mode: 'ctr', iv })));
      expect(toHex(sm4Decrypt(key, ctr, { mode: 'ctr', iv }))).toBe(toHex(odd));
    });
  });

  describe('bad inputs (same code and message from both implementations)', () => {
    const both = (f: (enc: typeof sm4Encrypt, dec: typeof sm4Decrypt) => unknown) => {
      const a = errorOf(() => f(sm4Encrypt, sm4Decrypt));
      const b = errorOf(() => f(sm4EncryptPure, sm4DecryptPure));
      expect(b.code).toBe(a.code);
      expect(b.message).toBe(a.message);
      return a;
    };

    it('wrong key length names the length', () => {
      for (const n of [0, 15, 17, 32]) {
        const e = both((enc) => enc(new Uint8Array(n), PT, { mode: 'ecb' }));
        expect(e.code).toBe('INVALID_ARGUMENT');
        expect(e.message).toContain(`got ${n}`);
        expect(e.message).toMatch(/key must be 16 bytes/);
      }
      expect(errorOf(() => new Sm4RoundKeys(new Uint8Array(24))).message).toContain('got 24');
      expect(both((enc) => enc('0123456789abcdef' as unknown as Uint8Array, PT, { mode: 'ecb' })).code).toBe('INVALID_ARGUMENT');
    });

    it('missing or wrong-length IV', () => {
      for (const mode of ['cbc', 'ctr'] as const) {
        const missing = both((enc) => enc(KEY, PT, { mode }));
        expect(missing.code).toBe('INVALID_ARGUMENT');
        expect(missing.message).toContain('IV');
        for (const n of [0, 8, 15, 17]) {
          const e = both((_, dec) => dec(KEY, PT, { mode, iv: new Uint8Array(n) }));
          expect(e.code).toBe('INVALID_ARGUMENT');
          expect(e.message).toContain(`IV must be 16 bytes, got ${n}`);
        }
      }
      expect(both((enc) => enc(KEY, PT, { mode: 'ecb', iv: IV })).message).toMatch(/ECB takes no IV/);
    });

    it('unknown mode and missing options', () => {
      expect(both((enc) => enc(KEY, PT, { mode: 'gcm' as 'ecb' })).message).toMatch(/mode must be ecb, cbc or ctr, got gcm/);
      expect(both((enc) => enc(KEY, PT, undefined as unknown as Sm4Options)).code).toBe('INVALID_ARGUMENT');
    });

    it('data not a multiple of 16 without padding', () => {
      for (const mode of ['ecb', 'cbc'] as const) {
        const iv = mode === 'cbc' ? IV : undefined;
        for (const n of [1, 15, 17, 31]) {
          for (const op of ['enc', 'dec'] as const) {
            const e = both((enc, dec) => (op === 'enc' ? enc : dec)(KEY, new Uint8Array(n), { mode, iv, padding: false }));
            expect(e.code).toBe('INVALID_ARGUMENT');
            expect(e.message).toContain(`multiple of 16 bytes, got ${n}`);
          }
        }
      }
    });

    it('padded ciphertext of a wrong length', () => {
      for (const n of [0, 1, 15, 17]) {
        const e = both((_, dec) => dec(KEY, new Uint8Array(n), { mode: 'cbc', iv: IV }));
        expect(e.code).toBe('INVALID_ARGUMENT');
        expect(e.message).toContain(`got ${n}`);
      }
    });

    it('bad PKCS#7 padding on decrypt gives DECRYPTION_FAILED', () => {
      const lastBlocks = [
        '00112233445566778899aabbccddee00', // pad length 0
        '00112233445566778899aabbccddee11', // pad length 17
        '001122334455667788990a0a0a0a0a0a', // claims 10, only 6 match... (0x99 at 10th from end)
        '00112233445566778899aabbccdd0303', // claims 3, only 2 match
        'ff101010101010101010101010101010', // claims 16, first byte differs
      ];
      for (const hex of lastBlocks) {
        for (const mode of ['ecb', 'cbc'] as const) {
          const iv = mode === 'cbc' ? IV : undefined;
          const ct = sm4Encrypt(KEY, fromHex('aa'.repeat(16) + hex), { mode, iv, padding: false });
          const e = both((_, dec) => dec(KEY, ct, { mode, iv }));
          expect(e.code, hex).toBe('DECRYPTION_FAILED');
          expect(e.message).toMatch(/padding/);
        }
      }
      // Valid edge cases: a full block of 0x10, and 0x01.
      const full = sm4Encrypt(KEY, fromHex('10'.repeat(16)), { mode: 'ecb', padding: false });
      expect(sm4Decrypt(KEY, full, { mode: 'ecb' }).length).toBe(0);
      const one = sm4Encrypt(KEY, fromHex('00112233445566778899aabbccddee01'), { mode: 'ecb', padding: false });
      expect(toHex(sm4Decrypt(KEY, one, { mode: 'ecb' }))).toBe('00112233445566778899aabbccddee');
    });

    it('a wrong key on a padded ciphertext is caught by the padding check (deterministic case)', () => {
      const ct = sm4Encrypt(KEY, new Uint8Array(20).fill(1), { mode: 'cbc', iv: IV });
      const wrong = fromHex('00000000000000000000000000000001');
      const e = both((_, dec) => dec(wrong, ct, { mode: 'cbc', iv: IV }));
      expect(e.code).toBe('DECRYPTION_FAILED');
    });

    it('block API refuses short blocks', () => {
      const rk = new Sm4RoundKeys(KEY);
      expect(errorOf(() => rk.encryptBlock(new Uint8Array(15))).code).toBe('INVALID_ARGUMENT');
      expect(errorOf(() => rk.decryptBlock(new Uint8Array(32), new Uint8Array(16), 17)).message).toMatch(/offset 17/);
      expect(errorOf(() => rk.encryptBlock(new Uint8Array(16), new Uint8Array(8))).message).toMatch(/output has 8/);
    });
  });
});
