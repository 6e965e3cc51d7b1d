/**
 * @module signers/vault-signers
 * The platform's own keys: SM2 private keys kept in the key store, encrypted at rest under the master
 * key (SM4-CTR + HMAC-SM3, AAD = key id). Opened keys are cached in memory for a while so a busy seal
 * does not decrypt its key per stamp; the cache holds raw key bytes and is never logged or exported.
 * An HSM, a UKey bridge or a remote signing server implements the same SignerProvider.
 */
import { computeZ, generatePrivateKey, getPublicKey, sm2SignDigestAsync, Sm3PrefixCache } from '../sm/index.js';
import { fail } from '../util/errors.js';
import type { Signer, SignerProvider } from '../core/signer.js';
import type { Clock, KeyVault, Random, Store } from '../core/ports.js';
import type { StoredKey } from '../core/domain/types.js';
import { uuid } from '../core/ids.js';
import { LruCache } from '../util/lru-cache.js';

const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 10_000;
/** Keys whose SM3 prefix state is kept (each holds a few copies of its seal's bytes). */
const PREFIX_CACHE_MAX = 256;

export class VaultSignerProvider implements SignerProvider {
  private cache = new Map<string, { d: Uint8Array; publicKey: Uint8Array; at: number }>();
  /**
   * e = SM3(Z ‖ M) per key, from the state after the bytes its messages repeat (the seal inside every
   * TBS_Sign): the thread pool then does only the curve arithmetic (sm/sm3-prefix.ts).
   */
  private readonly digests = new LruCache<Sm3PrefixCache>(PREFIX_CACHE_MAX);

  constructor(
    private readonly store: Store,
    private readonly vault: KeyVault,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async generate(purpose: StoredKey['purpose']): Promise<{ keyId: string; publicKey: Uint8Array }> {
    const d = generatePrivateKey(this.random);
    const keyId = uuid(this.random);
    const publicKey = getPublicKey(d);
    await this.store.repos.keys.insert({ id: keyId, purpose, publicKey, encrypted: this.vault.seal(keyId, d), createdAt: this.clock.now() });
    return { keyId, publicKey };
  }

  private async open(keyId: string): Promise<{ d: Uint8Array; publicKey: Uint8Array }> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(keyId);
    if (hit && now - hit.at < CACHE_MS) return hit;
    const stored = await this.store.repos.keys.get(keyId);
    if (!stored) fail('KEY_NOT_FOUND', `key ${keyId} is not in the key store`);
    const d = this.vault.open(keyId, stored.encrypted);
    const entry = { d, publicKey: stored.publicKey, at: now };
    this.cache.set(keyId, entry);
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  async forKey(keyId: string): Promise<Signer> {
    const { d, publicKey } = await this.open(keyId);
    const digests = this.digests.get(keyId, () => new Sm3PrefixCache({ head: computeZ(publicKey) }));
    return { algorithm: 'SM2', publicKey, sign: (data) => sm2SignDigestAsync(d, digests.digest(data)) };
  }

  /** Forget opened keys (e.g. on shutdown). */
  clear(): void {
    for (const v of this.cache.values()) v.d.fill(0);
    this.cache.clear();
    this.digests.clear();
  }
}
