/**
 * The native SM2 binding (native/sm2_binding.c) against the pure TypeScript SM2 and the openssl CLI.
 * Both implementations must produce signatures the other accepts, and both must interoperate with
 * OpenSSL 3 when it is told the standard user ID (distid); without it OpenSSL uses an empty ID.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_USER_ID, SM2_N, computeE, decodeSignature, encodeSignatureDer, generatePrivateKey, getPublicKey, nativeSm2, randomBytes,
  sm2Backend, sm2Sign, sm2SignDigest, sm2SignDigestAsync, sm2Verify, sm2VerifyDigest, useSm2Backend, verifyPure, type Sm2BackendName,
} from '../../src/sm/index.js';
import { privateKeyToPem, publicKeyToPem, readPrivateKey, readPublicKey } from '../../src/sm/key-formats.js';
import { bigintToBytes, toHex, utf8 } from '../../src/util/bytes.js';

function withBackend<T>(name: Sm2BackendName, f: () => T): T {
  const before = sm2Backend();
  useSm2Backend(name);
  try {
    return f();
  } finally {
    useSm2Backend(before);
  }
}

const other = (b: Sm2BackendName): Sm2BackendName => (b === 'native' ? 'pure' : 'native');

/** Random length in [0, max], biased towards small values and block boundaries of SM3 (64 bytes). */
function randomLength(max: number): number {
  const r = randomBytes(2);
  return r[0] < 32 ? [0, 1, 55, 56, 63, 64, 65, 128][r[0] & 7] : ((r[0] << 8) | r[1]) % (max + 1);
}

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const c = b.slice();
  c[(bit >> 3) % c.length] ^= 1 << (bit & 7);
  return c;
}

/** Same signature with s replaced by s+1 mod n: well formed, wrong. */
function tamperS(sig: Uint8Array): Uint8Array {
  const { r, s } = decodeSignature(sig);
  return encodeSignatureDer({ r, s: s + 1n === SM2_N ? 1n : s + 1n });
}

describe('native SM2 binding', () => {
  it('is built and chosen by the facade', () => {
    expect(nativeSm2, 'run `node scripts/build-native.mjs`').toBeDefined();
    expect(sm2Backend()).toBe('native');
    expect(nativeSm2!.version()).toContain(process.versions.openssl.replace(/\+.*$/, ''));
  });

  it('signDigestAsync signs e = SM3(Z‖M) on the thread pool: pure verification accepts, a wrong e does not', async () => {
    const keys = Array.from({ length: 4 }, () => generatePrivateKey());
    const jobs = keys.flatMap((d) =>
      Array.from({ length: 8 }, async () => {
        const pub = getPublicKey(d);
        const m = randomBytes(1 + Math.floor(Math.random() * 30_000));
        const e = computeE(pub, m);
        const sig = await sm2SignDigestAsync(d, e);
        expect(verifyPure(pub, m, sig)).toBe(true);
        expect(sm2VerifyDigest(pub, e, sig)).toBe(true);
        const other = e.slice();
        other[0] ^= 1;
        expect(sm2VerifyDigest(pub, other, sig)).toBe(false);
      }),
    );
    await Promise.all(jobs);
    await expect(sm2SignDigestAsync(keys[0], new Uint8Array(31))).rejects.toThrow(/32 bytes/);
    expect(() => nativeSm2!.signDigestAsync!(nativeSm2!.privateKey(keys[0]), new Uint8Array(33))).toThrow(/32 bytes/);
  });

  it('sm3Async hashes on the thread pool: the GB/T 32905 vector, an empty input, and many at once', async () => {
    const hex = async (d: Uint8Array) => Buffer.from(await nativeSm2!.sm3Async!(d)).toString('hex');
    expect(await hex(new TextEncoder().encode('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(await hex(new Uint8Array(0))).toBe('1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
    const inputs = Array.from({ length: 64 }, (_, i) => randomBytes(10_000 + i * 977));
    const got = await Promise.all(inputs.map(hex));
    expect(got).toEqual(inputs.map((d) => createHash('sm3').update(d).digest('hex')));
    expect(() => nativeSm2!.sm3Async!('abc' as unknown as Uint8Array)).toThrow(/data/);
  });

  // The pure facade builds a window table (≈80 ms) for a public key on its second use, so the loops
  // below use several messages per key: 12 keys × 5 messages and 8 keys × 4 digests.
  it('native and pure accept each other’s signatures over random keys, messages and user IDs', () => {
    for (let k = 0; k < 12; k++) {
      const d = generatePrivateKey();
      const pub = getPublicKey(d);
      const stranger = getPublicKey(generatePrivateKey());
      for (let j = 0; j < 5; j++) {
        const i = k * 5 + j;
        const message = randomBytes(randomLength(2000));
        // The default ID, the empty ID, and random IDs up to 300 bytes.
        const userId = j === 0 ? DEFAULT_USER_ID : j === 1 ? new Uint8Array(0) : randomBytes(randomLength(300));
        const ctx = `d=${toHex(d)} id=${toHex(userId)} m=${toHex(message)}`;
        for (const signer of ['native', 'pure'] as const) {
          const sig = withBackend(signer, () => sm2Sign(d, message, { userId }));
          expect(Object.getPrototypeOf(sig), 'signatures are plain Uint8Arrays').toBe(Uint8Array.prototype);
          for (const verifier of [signer, other(signer)]) {
            withBackend(verifier, () => {
              expect(sm2Verify(pub, message, sig, { userId }), `${signer}→${verifier} ${ctx}`).toBe(true);
              if (j === 2) {
                // Tampering anywhere must fail: message, signature value, user ID.
                expect(sm2Verify(pub, flipBit(message.length ? message : new Uint8Array(1), i * 7), sig, { userId })).toBe(false);
                expect(sm2Verify(pub, message, tamperS(sig), { userId })).toBe(false);
                expect(sm2Verify(pub, message, sig, { userId: flipBit(userId.length ? userId : new Uint8Array(1), i) })).toBe(false);
              }
            });
          }
          // A signature by one key never verifies under another.
          if (j === 3) expect(withBackend(other(signer), () => sm2Verify(stranger, message, sig, { userId }))).toBe(false);
        }
      }
    }
  });

  it('signDigest / verifyDigest cross-check over e = SM3(Z‖M), and agree with sign / verify', () => {
    for (let k = 0; k < 8; k++) {
      const d = generatePrivateKey();
      const pub = getPublicKey(d);
      for (let j = 0; j < 4; j++) {
        const message = randomBytes(randomLength(500));
        const e = computeE(pub, message);
        for (const signer of ['native', 'pure'] as const) {
          const sig = withBackend(signer, () => sm2SignDigest(d, e));
          for (const verifier of ['native', 'pure'] as const) {
            withBackend(verifier, () => {
              expect(sm2VerifyDigest(pub, e, sig), `${signer}→${verifier} d=${toHex(d)}`).toBe(true);
              // A digest signature is an ordinary signature over M with the default ID.
              expect(sm2Verify(pub, message, sig)).toBe(true);
              expect(sm2VerifyDigest(pub, flipBit(e, k * 4 + j), sig)).toBe(false);
              expect(sm2VerifyDigest(pub, e, tamperS(sig))).toBe(false);
            });
          }
        }
      }
    }
  });

  it('handles the empty message and a 1 MiB message', () => {
    const d = generatePrivateKey();
    const pub = getPublicKey(d);
    const big = randomBytes(1 << 20);
    for (const message of [new Uint8Array(0), big]) {
      for (const signer of ['native', 'pure'] as const) {
        const sig = withBackend(signer, () => sm2Sign(d, message));
        for (const verifier of ['native', 'pure'] as const) {
          expect(withBackend(verifier, () => sm2Verify(pub, message, sig))).toBe(true);
        }
        expect(verifyPure(pub, message, sig)).toBe(true);
      }
    }
    const sig = sm2Sign(d, big);
    expect(sm2Verify(pub, flipBit(big, 8 * 1000000 + 3), sig)).toBe(false);
    expect(withBackend('pure', () => sm2Verify(pub, flipBit(big, 8 * 1000000 + 3), sig))).toBe(false);
  });

  it('checks its arguments and throws clear errors', () => {
    const b = nativeSm2!;
    const d = generatePrivateKey();
    const priv = b.privateKey(d);
    const pubKey = b.publicKey(getPublicKey(d));
    const m = utf8('m');
    expect(() => b.privateKey(new Uint8Array(31))).toThrow(/private key must be 32 bytes, got 31/);
    expect(() => b.privateKey(d.buffer as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => b.privateKey(new Uint16Array(16) as unknown as Uint8Array)).toThrow(/must be a Uint8Array/);
    // d must be in [1, n-2]: n-1 would make 1+d non-invertible.
    expect(() => b.privateKey(new Uint8Array(32))).toThrow(/out of range/);
    expect(() => b.privateKey(bigintToBytes(SM2_N - 1n, 32))).toThrow(RangeError);
    expect(() => b.privateKey(new Uint8Array(32).fill(0xff))).toThrow(/out of range/);
    const edge = b.privateKey(bigintToBytes(SM2_N - 2n, 32));
    expect(b.verify(edge, m, b.sign(edge, m, DEFAULT_USER_ID), DEFAULT_USER_ID)).toBe(true);
    // Public keys: uncompressed, on the curve.
    expect(() => b.publicKey(getPublicKey(d, undefined, true))).toThrow(/65 bytes/);
    const offCurve = getPublicKey(d);
    offCurve[64] ^= 1;
    expect(() => b.publicKey(offCurve)).toThrow(/not a point on the SM2 curve/);
    const notUncompressed = getPublicKey(d);
    notUncompressed[0] = 6;
    expect(() => b.publicKey(notUncompressed)).toThrow(/uncompressed/);
    // Handles.
    expect(() => b.sign({} as never, m, DEFAULT_USER_ID)).toThrow(/handle from privateKey\(\) or publicKey\(\)/);
    expect(() => b.sign(pubKey, m, DEFAULT_USER_ID)).toThrow(/needs a handle from privateKey/);
    expect(() => b.signDigest(pubKey, new Uint8Array(32))).toThrow(TypeError);
    expect(() => (b.sign as (...a: unknown[]) => unknown)(priv, m)).toThrow(/expected 3 arguments, got 2/);
    expect(() => b.sign(priv, 'text' as never, DEFAULT_USER_ID)).toThrow(/message must be a Uint8Array/);
    expect(() => b.signDigest(priv, new Uint8Array(31))).toThrow(/digest e must be 32 bytes/);
    expect(() => b.sign(priv, m, new Uint8Array(8192))).toThrow(/user ID longer than 8191 bytes/);
    // A public-key handle verifies; a private-key handle verifies too (it holds the public point).
    const sig = b.sign(priv, m, DEFAULT_USER_ID);
    expect(b.verify(pubKey, m, sig, DEFAULT_USER_ID)).toBe(true);
    expect(b.verify(priv, m, sig, DEFAULT_USER_ID)).toBe(true);
    // Garbage signatures are "does not verify", not an exception (the facade reports malformed DER).
    expect(b.verify(pubKey, m, new Uint8Array([0x30, 3, 2, 1, 1]), DEFAULT_USER_ID)).toBe(false);
    expect(b.verify(pubKey, m, new Uint8Array(0), DEFAULT_USER_ID)).toBe(false);
    expect(b.verifyDigest(pubKey, new Uint8Array(32), new Uint8Array(64))).toBe(false);
    // Those failures leave nothing in OpenSSL's error queue for node:crypto to trip over.
    expect(createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('facade: a malformed signature still throws in both backends (the binding never sees it)', () => {
    const d = generatePrivateKey();
    for (const backend of ['native', 'pure'] as const) {
      withBackend(backend, () => {
        expect(() => sm2Verify(getPublicKey(d), utf8('m'), new Uint8Array([0x30, 0x03, 0x02, 0x01]))).toThrow(/SM2 signature/);
      });
    }
  });
});

const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = opensslVersion.status === 0 && /^OpenSSL 3\./.test(opensslVersion.stdout);

describe.skipIf(!haveOpenssl)('interop with the openssl CLI (OpenSSL 3, distid)', () => {
  const DISTID = 'distid:1234567812345678';
  let dir: string;
  let n = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eseal-sm2-native-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, data?: Uint8Array | string): string => {
    const path = join(dir, name);
    if (data !== undefined) writeFileSync(path, data);
    return path;
  };

  function openssl(args: string[]): { ok: boolean; out: string } {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  }

  function opensslSign(keyPem: string, message: Uint8Array, distid = true): Uint8Array {
    const id = n++;
    const sig = file(`sig-o-${id}`);
    const r = openssl(['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', keyPem, '-in', file(`msg-o-${id}`, message), '-out', sig, ...(distid ? ['-pkeyopt', DISTID] : [])]);
    expect(r.ok, r.out).toBe(true);
    return new Uint8Array(readFileSync(sig));
  }

  function opensslVerify(pubPem: string, message: Uint8Array, sig: Uint8Array, distid = true): boolean {
    const id = n++;
    const r = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pubPem, '-in', file(`msg-v-${id}`, message), '-sigfile', file(`sig-v-${id}`, sig), ...(distid ? ['-pkeyopt', DISTID] : [])]);
    expect(r.out, r.out).toMatch(/Signature Verifi(ed Successfully|cation Failure)/);
    return r.ok;
  }

  it('openssl signs with our PKCS#8 key; both backends verify (40 messages)', () => {
    const d = generatePrivateKey();
    const pub = getPublicKey(d);
    const keyPem = file('ours.key.pem', privateKeyToPem(d));
    for (let i = 0; i < 40; i++) {
      const message = i === 0 ? new Uint8Array(0) : randomBytes(randomLength(4000));
      const sig = opensslSign(keyPem, message);
      for (const backend of ['native', 'pure'] as const) {
        withBackend(backend, () => {
          expect(sm2Verify(pub, message, sig), `${backend} m=${toHex(message)}`).toBe(true);
          if (i % 8 === 0) expect(sm2Verify(pub, flipBit(message.length ? message : new Uint8Array(1), i), sig)).toBe(false);
        });
      }
    }
  });

  it('openssl verifies our signatures from both backends (40 messages each)', () => {
    const d = generatePrivateKey();
    const pubPem = file('ours.pub.pem', publicKeyToPem(getPublicKey(d)));
    for (const backend of ['native', 'pure'] as const) {
      for (let i = 0; i < 40; i++) {
        const message = i === 0 ? new Uint8Array(0) : randomBytes(randomLength(4000));
        const sig = withBackend(backend, () => sm2Sign(d, message));
        expect(opensslVerify(pubPem, message, sig), `${backend} m=${toHex(message)} sig=${toHex(sig)}`).toBe(true);
      }
    }
    const message = utf8('tampered');
    expect(opensslVerify(pubPem, message, tamperS(sm2Sign(d, message)))).toBe(false);
  });

  it('pitfall: without distid OpenSSL 3 uses an empty ID, so standard signatures do not verify', () => {
    const d = generatePrivateKey();
    const pub = getPublicKey(d);
    const pubPem = file('pitfall.pub.pem', publicKeyToPem(pub));
    const message = utf8('message digest');
    const sig = sm2Sign(d, message);
    expect(opensslVerify(pubPem, message, sig, true)).toBe(true);
    expect(opensslVerify(pubPem, message, sig, false)).toBe(false);
    // And what such an OpenSSL signs is a signature with the empty ID, not the standard one.
    const oSig = opensslSign(file('pitfall.key.pem', privateKeyToPem(d)), message, false);
    expect(sm2Verify(pub, message, oSig)).toBe(false);
    expect(sm2Verify(pub, message, oSig, { userId: new Uint8Array(0) })).toBe(true);
  });

  it('keys made by `openssl genpkey -algorithm SM2` are read and work both ways', () => {
    for (let i = 0; i < 4; i++) {
      const keyPem = file(`gen-${i}.key.pem`);
      const pubPem = file(`gen-${i}.pub.pem`);
      expect(openssl(['genpkey', '-algorithm', 'SM2', '-out', keyPem]).ok).toBe(true);
      expect(openssl(['pkey', '-in', keyPem, '-pubout', '-out', pubPem]).ok).toBe(true);
      const key = readPrivateKey(readFileSync(keyPem, 'utf8'));
      const pub = readPublicKey(readFileSync(pubPem, 'utf8'));
      expect(toHex(key.publicKey)).toBe(toHex(pub));
      const message = randomBytes(randomLength(1000));
      const backend = i % 2 === 0 ? 'native' : 'pure';
      const ours = withBackend(backend, () => sm2Sign(key.d, message));
      expect(opensslVerify(pubPem, message, ours), backend).toBe(true);
      const theirs = opensslSign(keyPem, message);
      expect(withBackend(backend, () => sm2Verify(pub, message, theirs))).toBe(true);
      expect(withBackend(other(backend), () => sm2Verify(pub, message, theirs))).toBe(true);
    }
  });
});

describe('native signAsync (thread pool)', () => {
  it('gives standard signatures that both implementations verify, many at once', async () => {
    const { sm2SignAsync, sm2Verify, verifyPure, generatePrivateKey, getPublicKey, sm2Backend } = await import('../../src/sm/index.js');
    expect(sm2Backend()).toBe('native');
    const d = generatePrivateKey();
    const pub = getPublicKey(d);
    const msgs = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(`message ${i} `.repeat(i + 1)));
    const sigs = await Promise.all(msgs.map((m) => sm2SignAsync(d, m)));
    sigs.forEach((s, i) => {
      expect(sm2Verify(pub, msgs[i], s)).toBe(true);
      expect(verifyPure(pub, msgs[i], s)).toBe(true);
    });
    // the message is copied: changing it after the call does not change what was signed
    const m = new Uint8Array(1000).fill(7);
    const p = sm2SignAsync(d, m);
    m.fill(8);
    expect(sm2Verify(pub, new Uint8Array(1000).fill(7), await p)).toBe(true);
  });
});
