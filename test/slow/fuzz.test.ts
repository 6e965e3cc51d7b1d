/**
 * Fuzzing the readers with mutated real files (`npm run test:slow`): vendors' seals and signatures,
 * vendors' OFD documents, PDFs from other producers and documents eseal stamped. Every mutant must
 * give a report or a clear EsealError — never another exception (a crash in our code), and never take
 * more than a few seconds (a hang). Mutations come from a seeded generator, so a failure names a seed
 * that reproduces it. ESEAL_FUZZ_ITERATIONS scales the run (default 1,500 mutants per file, a tenth
 * of that per file inside an OFD package).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { EsealError } from '../../src/util/errors.js';
import { parseSeal, parseSesSignature } from '../../src/ses/parse.js';
import { verifySeal, verifySesSignature, type ValidationContext } from '../../src/validation/index.js';
import { verifyOfd } from '../../src/validation/ofd-document.js';
import { verifyPdf } from '../../src/validation/pdf-document.js';
import { ofdFacts } from '../../src/ofd/facts.js';
import { readPdfSignatures } from '../../src/pdf/extract.js';
import { SAMPLES } from '../helpers/openssl.js';

const ITERATIONS = Number(process.env.ESEAL_FUZZ_ITERATIONS ?? 1500);
/** mutants per file inside an OFD package (there are many files) */
const INNER_ITERATIONS = Math.max(1, Math.round(ITERATIONS / 10));
const SLOW_MS = 5_000;
const ctx: ValidationContext = { time: new Date('2026-06-01T00:00:00Z'), trustAnchors: [] };

/** xorshift32: small, seedable, good enough to pick mutations */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % Math.max(1, n);
  };
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x30, 0x31, 0x04, 0x03, 0x02, 0x0a, 0x3c, 0x3e, 0x2f, 0x20];

function mutate(input: Uint8Array, seed: number): Uint8Array {
  const r = rng(seed);
  let b = input.slice();
  const rounds = 1 + r(4);
  for (let k = 0; k < rounds; k++) {
    const at = r(b.length);
    switch (r(7)) {
      case 0: // flip a bit
        b[at] ^= 1 << r(8);
        break;
      case 1: // an interesting byte (ASN.1 tags and lengths, XML and PDF delimiters)
        b[at] = INTERESTING[r(INTERESTING.length)];
        break;
      case 2: // truncate
        b = b.slice(0, at);
        break;
      case 3: { // delete a run
        const n = 1 + r(64);
        b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + n)]);
        break;
      }
      case 4: { // duplicate a run
        const n = 1 + r(256);
        b = new Uint8Array([...b.subarray(0, at + n), ...b.subarray(at, at + n), ...b.subarray(at + n)]);
        break;
      }
      case 5: // a random byte
        b[at] = r(256);
        break;
      default: { // a length-like field made huge
        b[at] = 0x84;
        if (at + 4 < b.length) b.set([0x7f, 0xff, 0xff, 0xff], at + 1);
      }
    }
    if (b.length === 0) break;
  }
  return b;
}

/**
 * The verifiers never throw: they turn a reader's error into a FORMAT_FAILURE report, which would
 * hide a crash. So each target first calls the reader itself (it may only throw EsealError), then
 * the verifier (it may not throw at all).
 */
function readerThenVerifier(read: (b: Uint8Array) => unknown, verify: (b: Uint8Array) => unknown) {
  return (b: Uint8Array) => {
    let readable = true;
    try {
      read(b);
    } catch (e) {
      if (!(e instanceof EsealError)) throw e;
      readable = false;
    }
    try {
      verify(b);
    } catch (e) {
      throw new Error(`the verifier threw (the reader ${readable ? 'did not' : 'did'}): ${(e as Error)?.stack ?? e}`);
    }
  };
}

function survive(name: string, input: Uint8Array, run: (b: Uint8Array) => unknown, iterations = ITERATIONS) {
  const baseSeed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  for (let i = 0; i < iterations; i++) {
    const seed = (baseSeed + i * 2654435761) >>> 0;
    const mutant = mutate(input, seed);
    const t0 = performance.now();
    try {
      run(mutant);
    } catch (e) {
      if (!(e instanceof EsealError)) throw new Error(`${name}, seed ${seed}: ${(e as Error)?.stack ?? e}`);
    }
    const ms = performance.now() - t0;
    if (ms > SLOW_MS) throw new Error(`${name}, seed ${seed}: took ${Math.round(ms)} ms`);
  }
}

const files = (dir: string, ext: RegExp) => readdirSync(dir).filter((f) => ext.test(f)).map((f) => join(dir, f));

describe('fuzz: mutated real files give a report or a clear error', () => {
  it('seals and SES_Signatures (vendor samples): parse and verify', () => {
    const all = files(join(SAMPLES, 'seals'), /\.(esl|dat|DER)$/);
    expect(all.length).toBeGreaterThan(5);
    for (const f of all) {
      const bytes = new Uint8Array(readFileSync(f));
      survive(f, bytes, readerThenVerifier(parseSeal, (b) => verifySeal(b, ctx)));
      survive(`${f} as SES_Signature`, bytes, readerThenVerifier(parseSesSignature, (b) => verifySesSignature(b, { expectedDataHash: new Uint8Array(32) }, ctx)));
    }
  });

  it('OFD documents (vendor samples): verify the mutated package', () => {
    const all = files(join(SAMPLES, 'ofd'), /\.ofd$/);
    expect(all.length).toBeGreaterThan(5);
    for (const f of all) survive(f, new Uint8Array(readFileSync(f)), readerThenVerifier((b) => ofdFacts(b), (b) => verifyOfd(b, ctx)));
  });

  it('OFD documents (vendor samples): a mutated file inside a well-formed package (XML, Signature.xml, SignedValue.dat, Seal.esl)', () => {
    for (const f of files(join(SAMPLES, 'ofd'), /\.ofd$/)) {
      const entries = unzipSync(new Uint8Array(readFileSync(f)));
      const names = Object.keys(entries).filter((n) => !/\.(ttf|otf|png|jpe?g|gif|bmp|jb2)$/i.test(n));
      for (const name of names) {
        const repack = (b: Uint8Array) => zipSync({ ...entries, [name]: b }, { level: 0 });
        survive(`${f}!${name}`, entries[name], (b) => readerThenVerifier((z) => ofdFacts(z), (z) => verifyOfd(z, ctx))(repack(b)), INNER_ITERATIONS);
      }
    }
  });

  it('PDF documents (other producers): verify', () => {
    const dir = new URL('../fixtures/pdf/', import.meta.url).pathname;
    const all = files(dir, /\.pdf$/);
    expect(all.length).toBeGreaterThan(1);
    for (const f of all) survive(f, new Uint8Array(readFileSync(f)), readerThenVerifier((b) => readPdfSignatures(b), (b) => verifyPdf(b, ctx)));
  });
});
