/**
 * SM2 sign/verify and SM3 throughput: eseal's native binding and pure TypeScript against
 * `openssl speed sm2` (the practical limit on this machine) and sm-crypto-v2.
 *
 * Every implementation's signature is first checked by the others, so the figures are for correct,
 * standard SM2 (Z with the default ID "1234567812345678", e = SM3(Z‖M)); sm-crypto-v2 is called
 * with { hash: true, der: true } for that reason (its default signs M itself, which is not SM2).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { sm2 as smc2, sm3 as smc3 } from 'sm-crypto-v2';
import {
  generatePrivateKey, getPublicKey, nativeSm2, nativeSm2LoadError, randomBytes, sm2Backend, sm2Sign, sm2Verify, sm3, useSm2Backend, verifyPure,
  DEFAULT_USER_ID, type Sm2BackendName,
} from '../src/sm/index.js';
import { sm3Pure } from '../src/sm/sm3-pure.js';
import { fromHex, toHex } from '../src/util/bytes.js';
import { fmt, measureCases, opsPerSecond, pct, spread, type BenchCase, type BenchOptions, type BenchSection, type BenchTable, type Metrics } from './harness.js';

/** `openssl speed` signs 20 bytes; so do we, to compare like with like. */
const MESSAGE_LENGTH = 20;

function smCryptoV2Version(): string {
  try {
    return (createRequire(import.meta.url)('sm-crypto-v2/package.json') as { version: string }).version;
  } catch {
    return '?';
  }
}

function withBackend<T>(name: Sm2BackendName, f: () => T): T {
  const before = sm2Backend();
  useSm2Backend(name);
  try {
    return f();
  } finally {
    useSm2Backend(before);
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark self-check failed: ${what}`);
}

/** One `openssl speed -seconds N sm2` run: sign/s and verify/s from its summary line. */
function opensslSpeed(seconds: number): Metrics {
  const r = spawnSync('openssl', ['speed', '-seconds', String(Math.max(1, Math.round(seconds))), 'sm2'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`openssl speed sm2 failed: ${r.error?.message ?? r.stderr}`);
  // " 256 bits SM2 (CurveSM2)   0.0003s   0.0003s   3048.5   3462.0"
  const line = r.stdout.split('\n').find((l) => /\bSM2\b.*\d+(\.\d+)?\s+\d+(\.\d+)?\s*$/.test(l));
  const m = line?.match(/([\d.]+)\s+([\d.]+)\s*$/);
  if (!m) throw new Error(`cannot parse openssl speed output:\n${r.stdout}`);
  return { 'sign/s': Number(m[1]), 'verify/s': Number(m[2]) };
}

function opensslCliVersion(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function sm2Tables(opts: BenchOptions): Promise<BenchTable> {
  const d = generatePrivateKey();
  const pub = getPublicKey(d);
  const message = randomBytes(MESSAGE_LENGTH);
  const dHex = toHex(d);
  const pubHex = toHex(pub);
  const v2Point = smc2.precomputePublicKey(pubHex);
  const v2 = smCryptoV2Version();

  // Cold keys: a pool of keys and signatures, each verified without any per-key table.
  const cold = Array.from({ length: 64 }, () => {
    const k = generatePrivateKey();
    const p = getPublicKey(k);
    const sig = sm2Sign(k, message);
    return { pub: p, pubHex: toHex(p), sig, sigHex: toHex(sig) };
  });
  let next = 0;
  const nextCold = () => cold[next++ & 63];

  // Cross-checks before timing anything.
  const native = nativeSm2 !== undefined;
  const sigNative = native ? withBackend('native', () => sm2Sign(d, message)) : undefined;
  const sigPure = withBackend('pure', () => sm2Sign(d, message));
  const sigV2Hex = smc2.doSignature(message, dHex, { hash: true, der: true, publicKey: pubHex });
  const sigV2 = fromHex(sigV2Hex);
  for (const [name, sig] of [['native', sigNative], ['pure', sigPure], ['sm-crypto-v2', sigV2]] as const) {
    if (!sig) continue;
    check(verifyPure(pub, message, sig), `${name} signature rejected by pure verify`);
    if (native) check(withBackend('native', () => sm2Verify(pub, message, sig)), `${name} signature rejected by native verify`);
    check(smc2.doVerifySignature(message, toHex(sig), pubHex, { hash: true, der: true }), `${name} signature rejected by sm-crypto-v2`);
  }
  check(DEFAULT_USER_ID.length === 16, 'default user ID');

  const sigNativeDer = sigNative ?? sigPure;
  const js = (id: string, metric: string, fn: () => unknown, backend?: Sm2BackendName): BenchCase => ({
    id,
    run: (s) => ({ [metric]: backend ? withBackend(backend, () => opsPerSecond(fn, s)) : opsPerSecond(fn, s) }),
  });
  const cases: BenchCase[] = [];
  const haveOpenssl = opensslCliVersion() !== undefined;
  if (haveOpenssl) cases.push({ id: 'openssl', warmup: false, run: (s) => opensslSpeed(s) });
  if (native) {
    cases.push(js('native.sign', 'sign/s', () => sm2Sign(d, message), 'native'));
    cases.push(js('native.verify', 'verify/s', () => sm2Verify(pub, message, sigNativeDer), 'native'));
    const b = nativeSm2!;
    const key = b.privateKey(d);
    const pubKey = b.publicKey(pub);
    cases.push(js('binding.sign', 'sign/s', () => b.sign(key, message, DEFAULT_USER_ID)));
    cases.push(js('binding.verify', 'verify/s', () => b.verify(pubKey, message, sigNativeDer, DEFAULT_USER_ID)));
  }
  cases.push(js('pure.sign', 'sign/s', () => sm2Sign(d, message), 'pure'));
  cases.push(js('pure.verify', 'verify/s', () => sm2Verify(pub, message, sigPure), 'pure'));
  cases.push(js('pure.verify.cold', 'verify/s', () => {
    const c = nextCold();
    return verifyPure(c.pub, message, c.sig);
  }));
  cases.push(js('v2.sign', 'sign/s', () => smc2.doSignature(message, dHex, { hash: true, der: true, publicKey: pubHex })));
  cases.push(js('v2.verify', 'verify/s', () => smc2.doVerifySignature(message, sigV2Hex, v2Point, { hash: true, der: true })));
  cases.push(js('v2.verify.cold', 'verify/s', () => {
    const c = nextCold();
    return smc2.doVerifySignature(message, c.sigHex, c.pubHex, { hash: true, der: true });
  }));

  const res = await measureCases(cases, opts);
  const get = (id: string, metric: string) => res.get(id)?.[metric];
  const o = { sign: get('openssl', 'sign/s')?.median, verify: get('openssl', 'verify/s')?.median };
  const row = (name: string, signId: string | undefined, verifyId: string | undefined): string[] => {
    const s = signId ? get(signId, 'sign/s') : undefined;
    const v = verifyId ? get(verifyId, 'verify/s') : undefined;
    return [name, fmt(s?.median), fmt(v?.median), pct(s?.median, o.sign), pct(v?.median, o.verify), [s, v].filter(Boolean).map(spread).join(' / ')];
  };
  const rows: string[][] = [];
  if (haveOpenssl) rows.push(row('`openssl speed sm2` (CLI, same OpenSSL version)', 'openssl', 'openssl'));
  if (native) {
    rows.push(row('eseal native binding via the facade (sm2Sign / sm2Verify)', 'native.sign', 'native.verify'));
    rows.push(row('eseal native binding called directly', 'binding.sign', 'binding.verify'));
  }
  rows.push(row('eseal pure TS, repeated key (verify with the cached table)', 'pure.sign', 'pure.verify'));
  rows.push(row('eseal pure TS, cold key (verifyPure, new key each call)', undefined, 'pure.verify.cold'));
  rows.push(row(`sm-crypto-v2 ${v2}, repeated key (precomputePublicKey)`, 'v2.sign', 'v2.verify'));
  rows.push(row(`sm-crypto-v2 ${v2}, cold key (hex key each call)`, undefined, 'v2.verify.cold'));
  const notes = [
    `Standard SM2 with Z over the default ID, ${MESSAGE_LENGTH}-byte messages (as \`openssl speed\`), DER signatures; ` +
      `median of ${opts.runs} runs of ${opts.seconds} s after warm-up, one thread, cases measured round-robin. ` +
      '"spread" is the largest deviation of a run from the median (sign / verify).',
  ];
  if (!native) notes.push(`The native binding is not loaded here (${nativeSm2LoadError}).`);
  if (!haveOpenssl) notes.push('No `openssl` CLI on PATH: ratios are not available.');
  else notes.push(`openssl CLI: ${opensslCliVersion()}; node's OpenSSL: ${process.versions.openssl}.`);
  return { title: 'SM2 sign / verify (per second, one core)', columns: ['implementation', 'sign/s', 'verify/s', 'sign vs openssl', 'verify vs openssl', 'spread'], rows, notes };
}

async function sm3Table(opts: BenchOptions): Promise<BenchTable> {
  const MiB = 1 << 20;
  const buf = randomBytes(MiB);
  const expected = toHex(sm3(buf));
  check(toHex(sm3Pure(buf)) === expected, 'pure SM3 differs from node:crypto');
  check(smc3(buf) === expected, 'sm-crypto-v2 SM3 differs from node:crypto');
  const mibps = (id: string, fn: () => unknown): BenchCase => ({ id, run: (s) => ({ 'MiB/s': opsPerSecond(fn, s) }) });
  const res = await measureCases(
    [mibps('node', () => sm3(buf)), mibps('pure', () => sm3Pure(buf)), mibps('v2', () => smc3(buf))],
    opts,
  );
  const base = res.get('node')?.['MiB/s']?.median;
  const row = (name: string, id: string) => {
    const s = res.get(id)?.['MiB/s'];
    return [name, fmt(s?.median), pct(s?.median, base), spread(s)];
  };
  return {
    title: 'SM3 (MiB/s over 1 MiB buffers, one core)',
    columns: ['implementation', 'MiB/s', 'vs node:crypto', 'spread'],
    rows: [row('eseal sm3() → node:crypto (OpenSSL)', 'node'), row('eseal sm3Pure (TypeScript)', 'pure'), row(`sm-crypto-v2 ${smCryptoV2Version()} sm3`, 'v2')],
  };
}

export const smSection: BenchSection = {
  name: 'sm',
  description: 'SM2 sign/verify and SM3 against openssl speed and sm-crypto-v2',
  async run(opts) {
    opts.log('SM2');
    const sm2 = await sm2Tables(opts);
    opts.log('SM3');
    const sm3t = await sm3Table(opts);
    return [sm2, sm3t];
  },
};
