/**
 * The platform's own keys (signers/vault-signers.ts): stored encrypted, signing through the cached SM3
 * prefix state. The openssl CLI judges the signatures over messages that repeat a seal-sized prefix.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock, systemRandom } from '../../src/server/platform.js';
import { VaultSignerProvider } from '../../src/signers/vault-signers.js';
import { publicKeyToPem } from '../../src/sm/key-formats.js';
import { openStore } from '../../src/storage/index.js';
import { Sm4KeyVault } from '../../src/storage/key-vault.js';
import { DISTID, openssl, tempDir } from '../helpers/openssl.js';

const tmp = tempDir('eseal-vault-signer-');
afterAll(() => tmp.cleanup());

describe('VaultSignerProvider', () => {
  it('signatures over TBS-like messages (same 17 KB start, varying tail) verify with openssl; keys are stored encrypted', async () => {
    const store = await openStore('sqlite::memory:');
    const provider = new VaultSignerProvider(store, new Sm4KeyVault(randomBytes(32)), systemClock, systemRandom);
    const { keyId, publicKey } = await provider.generate('signer');
    const stored = await store.repos.keys.get(keyId);
    expect(Buffer.from(stored!.encrypted).includes(Buffer.from(publicKey))).toBe(false);
    tmp.write('pub.pem', publicKeyToPem(publicKey));
    const seal = randomBytes(17_000);
    const signer = await provider.forKey(keyId);
    for (let i = 0; i < 12; i++) {
      // the third message changes a byte inside the learned prefix: it must still sign what it is given
      const m = Buffer.concat([Buffer.from([0x30, 0x82]), seal, randomBytes(150 + i)]);
      if (i === 3) m[5_000] ^= 0xff;
      const sig = await (i % 2 ? (await provider.forKey(keyId)).sign(m) : signer.sign(m));
      const r = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', tmp.write('pub.pem', publicKeyToPem(publicKey)), '-rawin', '-digest', 'sm3', '-pkeyopt', DISTID, '-in', tmp.write('m.bin', m), '-sigfile', tmp.write('s.der', sig)]);
      expect(r.stdout + r.stderr, `message ${i}`).toMatch(/Signature Verified Successfully/);
      m[m.length - 1] ^= 1;
      const bad = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', tmp.path('pub.pem'), '-rawin', '-digest', 'sm3', '-pkeyopt', DISTID, '-in', tmp.write('m.bin', m), '-sigfile', tmp.path('s.der')]);
      expect(bad.status).not.toBe(0);
    }
    await expect(provider.forKey('no-such-key')).rejects.toThrow(/not in the key store/);
    provider.clear();
    await store.close();
  });
});
