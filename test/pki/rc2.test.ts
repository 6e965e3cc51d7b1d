import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rc2DecryptCbc, rc2DecryptEcb, rc2EncryptCbc, rc2EncryptEcb, rc2ExpandKey } from '../../src/pki/pkcs12/rc2.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

/** RFC 2268 §5 test vectors: key, effective key bits, plaintext, ciphertext. */
const RFC2268: [string, number, string, string][] = [
  ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
  ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
  ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
  ['88', 64, '0000000000000000', '61a8a244adacccf0'],
  ['88bca90e90875a', 64, '0000000000000000', '6ccf4308974c267f'],
  ['88bca90e90875a7f0f79c384627bafb2', 64, '0000000000000000', '1a807d272bbe5db1'],
  ['88bca90e90875a7f0f79c384627bafb2', 128, '0000000000000000', '2269552ab0f85ca6'],
  ['88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e', 129, '0000000000000000', '5b78d3a43dfff1f1'],
];

function opensslHasRc2(): boolean {
  try {
    execFileSync('openssl', ['enc', '-provider', 'legacy', '-provider', 'default', '-rc2-cbc', '-K', '00'.repeat(16), '-iv', '00'.repeat(8)], { input: 'x', stdio: ['pipe', 'pipe', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

describe('RC2 (RFC 2268)', () => {
  it.each(RFC2268)('key %s, %i effective bits', (key, bits, pt, ct) => {
    const K = rc2ExpandKey(fromHex(key), bits);
    expect(toHex(rc2EncryptEcb(K, fromHex(pt)))).toBe(ct);
    expect(toHex(rc2DecryptEcb(K, fromHex(ct)))).toBe(pt);
  });

  it('CBC decryption inverts CBC encryption over many blocks', () => {
    const K = rc2ExpandKey(fromHex('0102030405'), 40);
    const iv = fromHex('0001020304050607');
    const data = Uint8Array.from({ length: 8 * 37 }, (_, i) => (i * 31 + 7) & 0xff);
    const ct = rc2EncryptCbc(K, iv, data);
    expect(toHex(ct)).not.toBe(toHex(data));
    expect(rc2DecryptCbc(K, iv, ct)).toEqual(data);
  });

  it('refuses bad arguments', () => {
    expect(() => rc2ExpandKey(new Uint8Array(0))).toThrow(/1 to 128 bytes/);
    expect(() => rc2ExpandKey(new Uint8Array(8), 0)).toThrow(/effective key length/);
    const K = rc2ExpandKey(new Uint8Array(8));
    expect(() => rc2DecryptCbc(K, new Uint8Array(7), new Uint8Array(8))).toThrow(/IV must be 8 bytes/);
    expect(() => rc2DecryptCbc(K, new Uint8Array(8), new Uint8Array(9))).toThrow(/multiple of the 8-byte block/);
  });

  it.skipIf(!opensslHasRc2())('matches the OpenSSL CLI (legacy provider) for RC2-40-CBC and RC2-128-CBC', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eseal-rc2-'));
    try {
      const plain = Uint8Array.from({ length: 100 }, (_, i) => (i * 73 + 11) & 0xff);
      writeFileSync(join(dir, 'plain.bin'), plain);
      for (const [cipher, key, bits] of [['rc2-40-cbc', '0a1b2c3d4e', 40], ['rc2-cbc', '00112233445566778899aabbccddeeff', 128]] as const) {
        const iv = 'f0e1d2c3b4a59687';
        execFileSync('openssl', ['enc', '-provider', 'legacy', '-provider', 'default', `-${cipher}`, '-K', key, '-iv', iv, '-in', join(dir, 'plain.bin'), '-out', join(dir, 'ct.bin')]);
        const ct = new Uint8Array(readFileSync(join(dir, 'ct.bin')));
        const out = rc2DecryptCbc(rc2ExpandKey(fromHex(key), bits), fromHex(iv), ct);
        // OpenSSL pads with PKCS#7: 100 bytes -> 104
        expect(out.subarray(0, 100)).toEqual(plain);
        expect(toHex(out.subarray(100))).toBe('04040404');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
