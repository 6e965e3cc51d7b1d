/**
 * @module server/platform
 * The composition root. From a configuration — database URL, data folder, master key source, port — it
 * builds the core's dependencies:
 *
 *   store     SQLite or PostgreSQL (storage: openStore, migrated on open)
 *   blobs     content-addressed files under DATA/blobs
 *   clock     the system clock; random: crypto.getRandomValues
 *   signers   VaultSignerProvider: SM2 keys in the key store, SM4-sealed under the master key
 *   sealFont  the seal appearance font (assets/fonts)
 *   settings  DEFAULT_SETTINGS with overrides
 *   TSA       the platform's time-stamping authority: its key (key store) and certificate, made at the
 *             first start and described in DATA/tsa.json; its root is added to the trust list
 *
 * On start it expires seals past their validity, resumes unfinished batches, optionally seeds the demo
 * data, and serves. `startPlatform` is what `eseal serve`, `eseal start` and the tests call.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  addTrustedCertificate, DEFAULT_SETTINGS, expireSeals, resumeBatches, SYSTEM,
  type Clock, type CoreDeps, type PlatformSettings, type Random,
} from '../core/index.js';
import { issueCertificate, PROFILES, randomSerial, parseCertificate } from '../pki/index.js';
import { prepareTimeStampToken, assembleTimeStampToken, makeTsaCertificate } from '../ses/timestamp/index.js';
import { id_eseal_tsa_policy } from '../ses/oids.js';
import { sm3 } from '../sm/sm3.js';
import { fromBase64, toBase64 } from '../util/base64.js';
import { EsealError } from '../util/errors.js';
import { openStoreWithInfo, FileBlobStore, Sm4KeyVault, loadMasterKey, redactUrl, type OpenStoreOptions, type LoadedMasterKey } from '../storage/index.js';
import { loadSealFont } from '../storage/assets.js';
import { VaultSignerProvider } from '../signers/vault-signers.js';
import { buildServer, type ServerOptions } from './server.js';
import { runningBatches } from './routes/api/stamping/index.js';
import { seedDemo, type DemoInfo } from './demo.js';

/** The platform TSA's policy OID (under the eseal UUID arc; the same as `eseal tsa init`). */
export const PLATFORM_TSA_POLICY = id_eseal_tsa_policy;

export interface PlatformConfig {
  /** sqlite:PATH | sqlite::memory: | postgres://user@host:port/db */
  db: string;
  /** blobs (documents, pictures, outputs), tsa.json and — by default — the master key file */
  dataDir: string;
  /**
   * The master key (SM4, 32 bytes): its bytes, or where to find it: `env` (a variable's value, wins),
   * `file`, and whether to generate a key into `file` when there is none (with a warning to back it up).
   * Default: file DATA/master.key, created if missing.
   */
  masterKey?: Uint8Array | { file?: string; env?: string; createIfMissing?: boolean };
  port?: number;
  host?: string;
  settings?: Partial<PlatformSettings>;
  /** run the platform TSA (default true) */
  tsa?: boolean;
  /** seed the demo data into an empty database */
  demo?: boolean;
  /** storage options (PostgreSQL schema, pool size, …) */
  storeOptions?: OpenStoreOptions;
  clock?: Clock;
  random?: Random;
  /** server options: logger, rate limits, login limits, body limit */
  server?: Omit<ServerOptions, 'deps' | 'isClosing'>;
  /** how often to expire seals and drop expired sessions (ms; default hourly; 0 = only at start) */
  housekeepingMs?: number;
}

export interface PlatformTsa {
  keyId: string;
  certificate: Uint8Array;
  chain: Uint8Array[];
  policy: string;
}

export interface Platform {
  deps: CoreDeps;
  masterKey: Omit<LoadedMasterKey, 'key'>;
  tsa?: PlatformTsa;
  /** what opening the store did (migrations applied) */
  migrations: number[];
  /** seals expired at start */
  expired: number;
  /** demo data seeded now */
  demo?: DemoInfo;
  /** closes the store and forgets opened keys */
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Identifiers (16 bytes) come from a pool filled 4 KiB at a time, as node's own randomUUID does: one
 * call into the CSPRNG per request was 2% of the hash-signing endpoint's main thread. Used bytes are
 * wiped. Anything larger (keys, nonces) is drawn directly.
 */
const POOL_BYTES = 4096;
const POOLED_MAX = 16;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** crypto.getRandomValues in chunks (it fills at most 65536 bytes at a time). */
export const systemRandom: Random = (n) => {
  if (n <= POOLED_MAX) {
    if (poolOffset + n > POOL_BYTES) {
      crypto.getRandomValues(pool);
      poolOffset = 0;
    }
    const bytes = pool.slice(poolOffset, poolOffset + n);
    pool.fill(0, poolOffset, poolOffset + n);
    poolOffset += n;
    return bytes;
  }
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
};

async function masterKeyOf(config: PlatformConfig): Promise<LoadedMasterKey> {
  const mk = config.masterKey;
  if (mk instanceof Uint8Array) return { key: mk, source: 'env', generated: false, warnings: [] };
  return loadMasterKey({
    ...(mk?.env ? { env: mk.env } : {}),
    file: mk?.file ?? join(config.dataDir, 'master.key'),
    createIfMissing: mk?.createIfMissing ?? true,
  });
}

interface TsaFile {
  version: 1;
  keyId: string;
  rootKeyId: string;
  certificate: string;
  chain: string[];
  policy: string;
}

/**
 * The platform TSA: read DATA/tsa.json, or make a root and a TSA certificate (keys in the key store)
 * and write it. Two processes starting at once: the file is created exclusively, the loser reads the
 * winner's (its own keys stay unused in the key store).
 */
export async function ensurePlatformTsa(deps: CoreDeps, dataDir: string): Promise<PlatformTsa> {
  const file = join(dataDir, 'tsa.json');
  const read = async (): Promise<PlatformTsa | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    }
    const j = JSON.parse(text) as TsaFile;
    if (!(await deps.store.repos.keys.get(j.keyId))) {
      throw new EsealError('TSA_KEY_MISSING', `${file} names TSA key ${j.keyId}, which this database does not hold: the data folder belongs to another database (move ${file} away to make a new TSA)`);
    }
    return { keyId: j.keyId, certificate: fromBase64(j.certificate), chain: j.chain.map(fromBase64), policy: j.policy };
  };
  const existing = await read();
  if (existing) return existing;

  const now = deps.clock.now();
  const name = deps.settings.platformName;
  const root = await deps.signers.generate('ca');
  const rootSigner = await deps.signers.forKey(root.keyId);
  const rootCert = await issueCertificate(
    { subject: `CN=${name} 时间戳根 CA,O=${name},C=CN`, publicKey: root.publicKey, serialNumber: randomSerial(deps.random), notBefore: new Date(now.getTime() - 5 * 60_000), notAfter: new Date(now.getTime() + 20 * 365 * 86400_000), ...PROFILES.rootCa, ca: { pathLength: 0 } },
    (tbs) => rootSigner.sign(tbs),
  );
  const tsaKey = await deps.signers.generate('tsa');
  const tsaCert = await makeTsaCertificate({
    subject: `CN=${name} 时间戳服务,O=${name},C=CN`,
    publicKey: tsaKey.publicKey,
    serialNumber: randomSerial(deps.random),
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(now.getTime() + 10 * 365 * 86400_000),
    issuer: rootCert,
    sign: (tbs) => rootSigner.sign(tbs),
  });
  const content: TsaFile = { version: 1, keyId: tsaKey.keyId, rootKeyId: root.keyId, certificate: toBase64(tsaCert.der), chain: [toBase64(rootCert.der)], policy: PLATFORM_TSA_POLICY };
  await mkdir(dataDir, { recursive: true });
  try {
    const fh = await open(file, 'wx', 0o644);
    try {
      await fh.writeFile(JSON.stringify(content, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') {
      const other = await read();
      if (other) return other;
    }
    throw e;
  }
  // relying parties verify the time stamps in the platform's documents against this root
  await addTrustedCertificate({ name: `${name} TSA root (platform time-stamping authority)`, certificate: rootCert.der }, SYSTEM, deps);
  return { keyId: tsaKey.keyId, certificate: tsaCert.der, chain: [rootCert.der], policy: PLATFORM_TSA_POLICY };
}

/** CoreDeps.timeStamper over the platform TSA: an RFC 3161 token (SM3 imprint) signed through the key store. */
export function tsaTimeStamper(tsa: PlatformTsa, deps: Pick<CoreDeps, 'signers' | 'clock' | 'random'>): (data: Uint8Array) => Promise<Uint8Array> {
  parseCertificate(tsa.certificate);
  return async (data) => {
    const serial = deps.random(16);
    serial[0] &= 0x7f;
    const prepared = prepareTimeStampToken({
      hashAlgorithm: 'sm3',
      hashedMessage: sm3(data),
      policy: tsa.policy,
      serialNumber: serial,
      genTime: deps.clock.now(),
      accuracy: { seconds: 1 },
      tsaCertificate: tsa.certificate,
      certificates: tsa.chain,
    });
    const signer = await deps.signers.forKey(tsa.keyId);
    return assembleTimeStampToken(prepared, await signer.sign(prepared.toBeSigned));
  };
}

/** Opens everything the core needs; runs the start-up tasks. The caller closes it. */
export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  const mk = await masterKeyOf({ ...config, dataDir });
  const opened = await openStoreWithInfo(config.db, config.storeOptions ?? {});
  const store = opened.store;
  try {
    const clock = config.clock ?? systemClock;
    const random = config.random ?? systemRandom;
    const signers = new VaultSignerProvider(store, new Sm4KeyVault(mk.key), clock, random);
    // the vault keeps its own copy; wipe ours (not the caller's, when the key was given as bytes)
    if (!(config.masterKey instanceof Uint8Array)) mk.key.fill(0);
    const deps: CoreDeps = {
      store,
      blobs: new FileBlobStore(join(dataDir, 'blobs')),
      clock,
      random,
      signers,
      sealFont: loadSealFont(),
      settings: { ...DEFAULT_SETTINGS, ...config.settings },
    };
    let tsa: PlatformTsa | undefined;
    if (config.tsa !== false) {
      tsa = await ensurePlatformTsa(deps, dataDir);
      deps.timeStamper = tsaTimeStamper(tsa, deps);
    }
    const expired = await expireSeals(SYSTEM, deps);
    const demo = config.demo ? await seedDemo(deps) : undefined;
    const { key: _k, ...masterKey } = mk;
    return {
      deps,
      masterKey,
      ...(tsa ? { tsa } : {}),
      migrations: opened.migrations.applied,
      expired,
      ...(demo ? { demo } : {}),
      async close() {
        signers.clear();
        await store.close();
      },
    };
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}

export interface RunningPlatform extends Platform {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  port: number;
  /** graceful: stop accepting, finish in-flight requests and running batches, close the store */
  close(): Promise<void>;
}

/** Creates the platform and serves it. */
export async function startPlatform(config: PlatformConfig): Promise<RunningPlatform> {
  const platform = await createPlatform(config);
  let closing = false;
  let app: FastifyInstance;
  try {
    app = await buildServer({ ...config.server, deps: platform.deps, isClosing: () => closing });
    await app.listen({ port: config.port ?? 8080, host: config.host ?? 'localhost' });
  } catch (e) {
    await platform.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (config.port ?? 8080);
  const host = config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  // unfinished batches continue in the background; housekeeping runs periodically
  const resumed = resumeBatches(platform.deps).catch((err: unknown) => app.log.error({ err }, 'resuming batches failed'));
  runningBatches.add(resumed);
  void resumed.finally(() => runningBatches.delete(resumed));
  const every = config.housekeepingMs ?? 3600_000;
  const timer =
    every > 0
      ? setInterval(() => {
          void expireSeals(SYSTEM, platform.deps).catch((err: unknown) => app.log.error({ err }, 'expiring seals failed'));
          void platform.deps.store.repos.sessions.deleteExpired(platform.deps.clock.now()).catch((err: unknown) => app.log.error({ err }, 'dropping expired sessions failed'));
        }, every)
      : undefined;
  timer?.unref();
  app.log.info({ url, db: redactUrl(config.db), dataDir: resolve(config.dataDir), migrationsApplied: platform.migrations.length, sealsExpired: platform.expired, instance: randomUUID() }, 'eseal platform started');

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      if (timer) clearInterval(timer);
      await app.close();
      await Promise.allSettled([...runningBatches]);
      await platform.close();
    })());
  return { ...platform, app, url, port, close };
}
