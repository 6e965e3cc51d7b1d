import { describe, expect, it } from 'vitest';
import { createCipheriv, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';
import { openWithSm4, sealWithSm4, SM4_ENVELOPE_OVERHEAD } from '../../src/sm/sm4-aead.js';
import { EsealError } from '../../src/util/errors.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/util/bytes.js';

const MASTER = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const fixedIv = (hex: string) => (n: number) => {
  expect(n).toBe(16);
  return fromHex(hex);
};

function errorOf(f: () => unknown): EsealError {
  try {
    f();
  } catch (e) {
    if (e instanceof EsealError) return e;
    throw new Error(`expected an EsealError, got ${String(e)}`);
  }
  throw new Error('expected an EsealError, nothing was thrown');
}

describe('SM4-CTR + HMAC-SM3 key envelope', () => {
  it('round trip for empty, short and long plaintexts, with and without AAD', () => {
    for (const len of [0, 1, 15, 16, 17, 121, 4096]) {
      const pt = new Uint8Array(nodeRandomBytes(len));
      const env = sealWithSm4(MASTER, pt);
      expect(env.length).toBe(len + SM4_ENVELOPE_OVERHEAD);
      expect(toHex(env.subarray(0, 4))).toBe(toHex(utf8('ESK1')));
      expect(toHex(openWithSm4(MASTER, env))).toBe(toHex(pt));
      const aad = utf8(`key-${len}`);
      const env2 = sealWithSm4(MASTER, pt, { aad });
      expect(toHex(openWithSm4(MASTER, env2, { aad }))).toBe(toHex(pt));
    }
  });

  it('fresh IV per envelope (same plaintext seals differently)', () => {
    const pt = utf8('the same private key');
    const a = sealWithSm4(MASTER, pt);
    const b = sealWithSm4(MASTER, pt);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(toHex(a.subarray(5, 21))).not.toBe(toHex(b.subarray(5, 21)));
  });

  it('matches the documented format, recomputed independently with node:crypto', () => {
    const iv = 'ffffffffffffffffffffffffffffffff'; // also exercises the counter wrap
    const pt = utf8('private key bytes, 45 of them, spanning blocks');
    const aad = utf8('key-id:42');
    const env = sealWithSm4(MASTER, pt, { aad, random: fixedIv(iv) });

    const encKey = createHmac('sm3', MASTER).update('eseal sm4-aead v1 enc\x01').digest().subarray(0, 16);
    const macKey = createHmac('sm3', MASTER).update('eseal sm4-aead v1 mac\x01').digest();
    const c = createCipheriv('sm4-ctr', encKey, fromHex(iv));
    const ct = new Uint8Array(Buffer.concat([c.update(pt), c.final()]));
    const header = concatBytes(utf8('ESK1'), Uint8Array.of(1), fromHex(iv));
    const aadLen = new Uint8Array(8);
    aadLen[7] = aad.length;
    const tag = createHmac('sm3', macKey).update(concatBytes(header, aadLen, aad, ct)).digest();
    expect(toHex(env)).toBe(toHex(concatBytes(header, ct, tag)));

    const noAad = sealWithSm4(MASTER, pt, { random: fixedIv(iv) });
    expect(noAad[4]).toBe(0);
  });

  it('AAD is bound: wrong, missing or extra AAD fails', () => {
    const pt = utf8('secret');
    const env = sealWithSm4(MASTER, pt, { aad: utf8('record-1') });
    const wrong = errorOf(() => openWithSm4(MASTER, env, { aad: utf8('record-2') }));
    expect(wrong.code).toBe('AUTHENTICATION_FAILED');
    expect(wrong.details?.reason).toBe('tag');
    const missing = errorOf(() => openWithSm4(MASTER, env));
    expect(missing.code).toBe('AUTHENTICATION_FAILED');
    expect(missing.message).toMatch(/bound to associated data/);
    const plain = sealWithSm4(MASTER, pt);
    const extra = errorOf(() => openWithSm4(MASTER, plain, { aad: utf8('record-1') }));
    expect(extra.code).toBe('AUTHENTICATION_FAILED');
    expect(extra.message).toMatch(/sealed without/);
    // Moving bytes between AAD and ciphertext does not verify either (length-prefixed AAD).
    const envAb = sealWithSm4(MASTER, utf8('b'), { aad: utf8('a'), random: fixedIv('00'.repeat(16)) });
    expect(errorOf(() => openWithSm4(MASTER, envAb, { aad: utf8('ab') })).code).toBe('AUTHENTICATION_FAILED');
  });

  it('every single-bit flip anywhere in the envelope is detected', () => {
    const aad = utf8('key-7');
    for (const env of [sealWithSm4(MASTER, utf8('a private key of some length'), { aad }), sealWithSm4(MASTER, new Uint8Array(0))]) {
      const opts = env[4] === 1 ? { aad } : {};
      const reasons = new Set<unknown>();
      for (let i = 0; i < env.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const t = new Uint8Array(env);
          t[i] ^= 1 << bit;
          const e = errorOf(() => openWithSm4(MASTER, t, opts));
          expect(e.code, `byte ${i} bit ${bit}`).toBe('AUTHENTICATION_FAILED');
          reasons.add(e.details?.reason);
        }
      }
      expect([...reasons].sort()).toEqual(['aad', 'flags', 'magic', 'tag', 'version']);
    }
  });

  it('wrong master key fails; a master key that is not 32 bytes is an argument error', () => {
    const env = sealWithSm4(MASTER, utf8('secret'));
    const other = new Uint8Array(MASTER);
    other[31] ^= 1;
    const e = errorOf(() => openWithSm4(other, env));
    expect(e.code).toBe('AUTHENTICATION_FAILED');
    expect(e.message).toMatch(/tag mismatch/);
    for (const n of [0, 16, 31, 33]) {
      expect(errorOf(() => sealWithSm4(new Uint8Array(n), utf8('x'))).message).toContain(`must be 32 bytes, got ${n}`);
      expect(errorOf(() => openWithSm4(new Uint8Array(n), env)).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('truncated envelopes, at every length, and appended bytes fail', () => {
    const env = sealWithSm4(MASTER, utf8('0123456789abcdef0123'), { aad: utf8('k') });
    for (let n = 0; n < env.length; n++) {
      const e = errorOf(() => openWithSm4(MASTER, env.subarray(0, n), { aad: utf8('k') }));
      expect(e.code, `length ${n}`).toBe('AUTHENTICATION_FAILED');
      if (n < SM4_ENVELOPE_OVERHEAD) expect(e.message, `length ${n}`).toMatch(/shorter than the 53-byte minimum/);
    }
    const longer = concatBytes(env, Uint8Array.of(0));
    expect(errorOf(() => openWithSm4(MASTER, longer, { aad: utf8('k') })).code).toBe('AUTHENTICATION_FAILED');
  });

  it('unknown version, foreign data and unknown flags are refused with a clear reason', () => {
    const env = sealWithSm4(MASTER, utf8('secret'));
    const v2 = new Uint8Array(env);
    v2[3] = 0x32; // "ESK2"
    const e = errorOf(() => openWithSm4(MASTER, v2));
    expect(e.code).toBe('AUTHENTICATION_FAILED');
    expect(e.details).toMatchObject({ reason: 'version', version: 0x32 });
    expect(e.message).toMatch(/unsupported format version/);
    const foreign = errorOf(() => openWithSm4(MASTER, utf8('-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg\n')));
    expect(foreign.details?.reason).toBe('magic');
    const flags = new Uint8Array(env);
    flags[4] = 0x80;
    expect(errorOf(() => openWithSm4(MASTER, flags)).details?.reason).toBe('flags');
  });

  it('bad arguments', () => {
    expect(errorOf(() => sealWithSm4(MASTER, 'text' as unknown as Uint8Array)).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => sealWithSm4(MASTER, utf8('x'), { random: () => new Uint8Array(8) })).message).toMatch(/16 bytes/);
    expect(errorOf(() => sealWithSm4(MASTER, utf8('x'), { aad: 'id' as unknown as Uint8Array })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => openWithSm4(MASTER, null as unknown as Uint8Array)).code).toBe('INVALID_ARGUMENT');
  });
});
