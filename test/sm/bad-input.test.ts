/**
 * Malformed and hostile input to the SM2 key formats, signatures, ciphertexts, and the DER and PEM
 * readers under them. Every case must end in an EsealError with the expected code and a message
 * naming the problem: never a crash, a TypeError from inside a library, or a hang.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  decodePkcs8, decodeSec1, decodeSignature, decodeSpki, decrypt, encodePkcs8, encodeSec1, encodeSpki, encrypt, generatePrivateKey, getPublicKey,
  id_ecPublicKey, id_sm2, privateKeyToPem, publicKeyToPem, readPrivateKey, readPublicKey, sec1ToPem, signPure, sm2Sign, sm2Verify, SM2_CURVE,
  verifyPure,
} from '../../src/sm/index.js';
import { EsealError, type ErrorCode } from '../../src/util/errors.js';
import { bigintToBytes, bytesToBigint, concatBytes, fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import {
  derBitString, derContext, derInteger, derNull, derOctetString, derOid, derSequence, derTlv, parseDer, TAG,
} from '../../src/util/der.js';
import { decodePem, decodePemAll, encodePem } from '../../src/util/pem.js';

const { n, p, a, b } = SM2_CURVE;
const D = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8'); // GB/T 32918.5 example key
const PUB = getPublicKey(D);
const MSG = utf8('message digest');

function openssl(args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs f, which must throw an EsealError with `code` (and a message matching `message`), within `ms`. */
function expectError(f: () => unknown, code: ErrorCode, message?: RegExp, ms = 2000): EsealError {
  const t0 = performance.now();
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  const elapsed = performance.now() - t0;
  if (err === undefined) throw new Error(`expected EsealError ${code}, nothing was thrown`);
  if (!(err instanceof EsealError)) throw new Error(`expected EsealError ${code}, got ${String(err)}`);
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  expect(err.message.length).toBeGreaterThan(10);
  expect(elapsed, `${code} took ${elapsed.toFixed(0)} ms`).toBeLessThan(ms);
  return err;
}

/** Like expectError but any of `codes` is acceptable. */
function expectOneOf(f: () => unknown, codes: ErrorCode[], label: string): ErrorCode {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EsealError)) throw new Error(`${label}: expected EsealError ${codes.join('|')}, got ${String(e)}`);
    expect(codes, `${label}: ${e.message}`).toContain(e.code);
    return e.code;
  }
  throw new Error(`${label}: expected EsealError ${codes.join('|')}, nothing was thrown`);
}

/** `depth` nested definite-length SEQUENCEs (the innermost empty), built without quadratic copying. */
function nestedSequences(depth: number): Uint8Array {
  const headerLength = (l: number) => (l < 0x80 ? 2 : l < 0x100 ? 3 : l < 0x10000 ? 4 : 5);
  const lens = [0];
  for (let i = 0; i < depth; i++) lens.push(lens[i] + headerLength(lens[i]));
  const out = new Uint8Array(lens[depth]);
  let off = 0;
  for (let i = depth - 1; i >= 0; i--) {
    const l = lens[i];
    out[off++] = 0x30;
    if (l < 0x80) out[off++] = l;
    else {
      const bytes = l < 0x100 ? [l] : l < 0x10000 ? [l >> 8, l & 0xff] : [l >> 16, (l >> 8) & 0xff, l & 0xff];
      out[off++] = 0x80 | bytes.length;
      for (const x of bytes) out[off++] = x;
    }
  }
  return out;
}

const modPow = (base: bigint, e: bigint, m: bigint): bigint => {
  let r = 1n;
  let x = base % m;
  for (; e > 0n; e >>= 1n, x = (x * x) % m) if (e & 1n) r = (r * x) % m;
  return r;
};
/** Smallest x >= start for which x³ + ax + b has no square root mod p: no curve point has this x. */
function xNotOnCurve(start = 1n): bigint {
  for (let x = start; ; x++) {
    const rhs = (((x * x * x + a * x + b) % p) + p) % p;
    if (rhs !== 0n && modPow(rhs, (p - 1n) / 2n, p) === p - 1n) return x;
  }
}

const sec1Raw = (dBytes: Uint8Array, ...rest: Uint8Array[]) => derSequence(derInteger(1), derOctetString(dBytes), ...rest);
const sm2Params = () => derContext(0, derOid(id_sm2));
const ecAlg = () => derSequence(derOid(id_ecPublicKey), derOid(id_sm2));
const pkcs8Of = (inner: Uint8Array, version = 0) => derSequence(derInteger(version), ecAlg(), derOctetString(inner));
const spkiOf = (point: Uint8Array) => derSequence(ecAlg(), derBitString(point));

// ================================================================================================ DER

describe('DER reader (parseDer)', () => {
  const good = encodePkcs8(D);

  it('empty input and non-bytes', () => {
    expectError(() => parseDer(new Uint8Array(0)), 'DER_MALFORMED', /empty input/);
    expectError(() => parseDer('3000' as unknown as Uint8Array), 'INVALID_ARGUMENT', /must be bytes/);
  });

  it('truncated at every length', () => {
    for (let len = 1; len < good.length; len++) expectError(() => parseDer(good.subarray(0, len)), 'DER_MALFORMED', /truncated DER/);
    expectError(() => parseDer(fromHex('3082 01')), 'DER_MALFORMED', /length octets/);
    expectError(() => parseDer(fromHex('30')), 'DER_MALFORMED', /expected a length/);
  });

  it('trailing bytes', () => {
    for (const extra of ['00', '0000', '3000', 'ff'.repeat(100)]) {
      const e = expectError(() => parseDer(concatBytes(good, fromHex(extra))), 'DER_TRAILING_DATA', /trailing data/);
      expect(e.details?.trailing).toBe(extra.length / 2);
    }
    expect(parseDer(concatBytes(good, fromHex('0000')), { allowTrailing: true }).end).toBe(good.length);
  });

  it('wrong lengths: a child longer than its parent, a parent longer than its children', () => {
    expectError(() => parseDer(fromHex('3003 0405 000000')), 'DER_MALFORMED', /truncated DER/);
    expectError(() => parseDer(fromHex('3004 020101 00')), 'DER_MALFORMED', /truncated DER/); // 1 byte left: a tag with no length
    expectError(() => parseDer(fromHex('3002 020101')), 'DER_MALFORMED', /claims 1 bytes, only 0 remain/);
    expectError(() => parseDer(fromHex('3003 020101 00')), 'DER_TRAILING_DATA');
  });

  it('huge lengths (length octets claiming 2^31 bytes and more) fail at once without allocating', () => {
    expectError(() => parseDer(fromHex('3084 80000000 00')), 'DER_MALFORMED', /claims 2147483648 bytes/, 50);
    expectError(() => parseDer(fromHex('3084 ffffffff 00')), 'DER_MALFORMED', /claims 4294967295 bytes/, 50);
    expectError(() => parseDer(fromHex('3085 0100000000 00')), 'DER_MALFORMED', /length of 5 octets/, 50);
    expectError(() => parseDer(fromHex('30ff')), 'DER_MALFORMED', /length of 127 octets/, 50);
    expectError(() => parseDer(fromHex('3006 0484 7fffffff')), 'DER_MALFORMED', /claims 2147483647 bytes/, 50);
  });

  it('indefinite lengths (BER) are refused, at the top and inside', () => {
    expectError(() => parseDer(fromHex('3080 020101 0000')), 'DER_MALFORMED', /indefinite length/);
    expectError(() => parseDer(fromHex('3006 3080 02010100')), 'DER_MALFORMED', /indefinite length/);
    const deepIndefinite = new Uint8Array(200_000);
    for (let i = 0; i < deepIndefinite.length; i += 2) deepIndefinite.set([0x30, 0x80], i);
    expectError(() => parseDer(deepIndefinite), 'DER_MALFORMED', /indefinite length/, 200);
  });

  it('100,000 nested SEQUENCEs give DER_TOO_DEEP quickly, not a stack overflow', () => {
    const deep = nestedSequences(100_000);
    expect(deep.length).toBeGreaterThan(400_000);
    expectError(() => parseDer(deep), 'DER_TOO_DEEP', /deeper than 48 levels/, 500);
    expectError(() => parseDer(nestedSequences(50)), 'DER_TOO_DEEP');
    expect(parseDer(nestedSequences(48)).tag).toBe(TAG.SEQUENCE);
    expectError(() => parseDer(nestedSequences(6), { maxDepth: 4 }), 'DER_TOO_DEEP', /deeper than 4 levels/);
  });

  it('oversized tag numbers and misuse of primitive nodes', () => {
    expectError(() => parseDer(fromHex('1f8181818101 00')), 'DER_MALFORMED', /tag number too large/);
    expectError(() => parseDer(fromHex('1f81')), 'DER_MALFORMED', /high tag number/);
    expectError(() => parseDer(fromHex('020101')).children(), 'DER_UNEXPECTED', /primitive/);
  });
});

// ================================================================================================ PEM

describe('PEM', () => {
  const pem = privateKeyToPem(D);

  it('wrong labels', () => {
    expectError(() => readPrivateKey(publicKeyToPem(PUB)), 'PEM_MALFORMED', /expected PEM PRIVATE KEY or EC PRIVATE KEY or SM2 PRIVATE KEY, found PUBLIC KEY/);
    expectError(() => readPublicKey(pem), 'PEM_MALFORMED', /expected PEM PUBLIC KEY, found PRIVATE KEY/);
    expectError(() => readPrivateKey(encodePem('CERTIFICATE', encodePkcs8(D))), 'PEM_MALFORMED', /found CERTIFICATE/);
    // A lower-case label is not a PEM boundary at all.
    expectError(() => readPrivateKey(pem.replace(/PRIVATE KEY/g, 'private key')), 'PEM_MALFORMED', /no PEM block found/);
  });

  it('mismatched BEGIN/END, missing or malformed END', () => {
    expectError(() => readPrivateKey(pem.replace('END PRIVATE KEY', 'END PUBLIC KEY')), 'PEM_MALFORMED', /BEGIN PRIVATE KEY is closed by END PUBLIC KEY/);
    expectError(() => readPrivateKey(pem.replace('-----END PRIVATE KEY-----', '')), 'PEM_MALFORMED', /no PEM block found/);
    expectError(() => readPrivateKey(pem.replace('-----END PRIVATE KEY-----', '-----END PRIVATE KEY')), 'PEM_MALFORMED', /malformed END line/);
    expectError(() => decodePemAll(`${pem}${pem.replace('END PRIVATE KEY', 'END EC PRIVATE KEY')}`), 'PEM_MALFORMED', /closed by END EC PRIVATE KEY/);
  });

  it('bad base64, empty body, headers', () => {
    const body = (s: string) => `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----\n`;
    expectError(() => readPrivateKey(body('MIGHAgEAMBMG*yqGSM49AgEGCCqBHM9V')), 'PEM_MALFORMED', /invalid base64 body/);
    expectError(() => readPrivateKey(body('MIGHA')), 'PEM_MALFORMED', /invalid base64 body/); // impossible length
    expectError(() => readPrivateKey(body('MIGH===')), 'PEM_MALFORMED', /invalid base64 body/);
    expectError(() => readPrivateKey(body('MI=GH')), 'PEM_MALFORMED', /invalid base64 body/);
    expectError(() => readPrivateKey(body('中文')), 'PEM_MALFORMED', /invalid base64 body/);
    expectError(() => readPrivateKey(body('')), 'PEM_MALFORMED', /PRIVATE KEY is empty/);
    expectError(() => readPrivateKey(body('  \n\n  ')), 'PEM_MALFORMED', /PRIVATE KEY is empty/);
    expectError(() => readPrivateKey(body('Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIGH')), 'PEM_MALFORMED', /headers/);
    // valid base64 that is not a key
    expectError(() => readPrivateKey(body('aGVsbG8gd29ybGQ=')), 'KEY_MALFORMED', /PKCS#8 private key/);
  });

  it('truncated PEM text at every length', () => {
    const end = pem.trimEnd().length;
    for (let len = 0; len < end; len++) {
      const code = len < '-----BEGIN '.length ? 'KEY_MALFORMED' : 'PEM_MALFORMED';
      expectError(() => readPrivateKey(pem.slice(0, len)), code);
    }
  });

  it('many BEGIN lines without END (1 MB) are scanned in linear time', () => {
    const hostile = '-----BEGIN PRIVATE KEY-----\n'.repeat(40_000);
    expectError(() => readPrivateKey(hostile), 'PEM_MALFORMED', /no PEM block found/, 1000);
    // lower-case (invalid) labels are skipped one by one, and the valid block after them is found
    const hostile2 = `${'-----BEGIN x-----'.repeat(60_000)}-----BEGIN A-----\nAAAA\n-----END A-----\n`;
    const t0 = performance.now();
    expect(decodePemAll(hostile2)).toEqual([{ label: 'A', der: fromHex('000000') }]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('keys that are not SM2 keys, named by their PEM label, and encrypted PKCS#8', () => {
    const rsa = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']).toString();
    const rsaTraditional = openssl(['rsa', '-traditional'], rsa).toString();
    expect(rsaTraditional).toContain('BEGIN RSA PRIVATE KEY');
    expectError(() => readPrivateKey(rsaTraditional), 'KEY_UNSUPPORTED', /RSA \(PKCS#1\) private key; only SM2 keys/);
    const rsaPub1 = openssl(['rsa', '-RSAPublicKey_out'], rsa).toString();
    expectError(() => readPublicKey(rsaPub1), 'KEY_UNSUPPORTED', /RSA \(PKCS#1\) public key/);
    const encrypted = openssl(['pkcs8', '-topk8', '-v2', 'aes-128-cbc', '-passout', 'pass:secret'], privateKeyToPem(D)).toString();
    expectError(() => readPrivateKey(encrypted), 'KEY_UNSUPPORTED', /encrypted PKCS#8/);
  });
});

// ================================================================================================ keys

describe('SM2 private and public keys', () => {
  it('truncated PKCS#8, SEC1 and SPKI DER at every length', () => {
    for (const [label, der, read] of [
      ['PKCS#8', encodePkcs8(D), readPrivateKey],
      ['SEC1', encodeSec1(D), readPrivateKey],
      ['SPKI', encodeSpki(PUB), readPublicKey],
    ] as const) {
      for (let len = 0; len < der.length; len++) {
        const e = expectError(() => read(der.subarray(0, len)), 'KEY_MALFORMED', undefined, 200);
        expect(e.message, `${label} ${len}`).toMatch(/key|SubjectPublicKeyInfo/);
      }
    }
    expectError(() => decodePkcs8(encodePkcs8(D).subarray(0, 60)), 'KEY_MALFORMED', /^PKCS#8 private key: truncated DER/);
    expectError(() => decodeSec1(encodeSec1(D).subarray(0, 60)), 'KEY_MALFORMED', /^SEC1 private key: truncated DER/);
    expectError(() => decodeSpki(encodeSpki(PUB).subarray(0, 60)), 'KEY_MALFORMED', /truncated DER/);
  });

  it('trailing bytes, deep nesting and huge lengths: KEY_MALFORMED with the DER problem as cause', () => {
    const trailing = expectError(() => readPrivateKey(concatBytes(encodePkcs8(D), Uint8Array.of(0))), 'KEY_MALFORMED', /^private key: 1 bytes of trailing data/);
    expect((trailing.cause as EsealError).code).toBe('DER_TRAILING_DATA');
    expect(trailing.details?.cause).toBe('DER_TRAILING_DATA');
    expectError(() => readPublicKey(concatBytes(encodeSpki(PUB), Uint8Array.of(5))), 'KEY_MALFORMED', /trailing data/);
    const deep = nestedSequences(100_000);
    for (const f of [() => readPrivateKey(deep), () => readPublicKey(deep), () => decodePkcs8(deep), () => decodeSec1(deep)]) {
      const e = expectError(f, 'KEY_MALFORMED', /DER nesting deeper than 48 levels/, 500);
      expect((e.cause as EsealError).code).toBe('DER_TOO_DEEP');
    }
    expectError(() => readPrivateKey(fromHex('3084 80000000 020100')), 'KEY_MALFORMED', /claims 2147483648 bytes/, 50);
    expectError(() => readPrivateKey(fromHex('3080 020100 0000')), 'KEY_MALFORMED', /indefinite length/);
    // 1 MB of zeros
    expectError(() => readPrivateKey(new Uint8Array(1 << 20)), 'KEY_MALFORMED', undefined, 200);
  });

  it('wrong curve: a P-256 key made by openssl', () => {
    const p256 = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']).toString();
    expectError(() => readPrivateKey(p256), 'KEY_UNSUPPORTED', /curve prime256v1 \(P-256\) is not SM2/);
    expectError(() => readPrivateKey(openssl(['ec', '-outform', 'DER'], p256)), 'KEY_UNSUPPORTED', /prime256v1 \(P-256\) is not SM2/);
    expectError(() => readPrivateKey(openssl(['ec'], p256)), 'KEY_UNSUPPORTED', /P-256/);
    const spki = openssl(['pkey', '-pubout'], p256).toString();
    const e = expectError(() => readPublicKey(spki), 'KEY_UNSUPPORTED', /curve prime256v1 \(P-256\) is not SM2/);
    expect(e.details?.curve).toBe('1.2.840.10045.3.1.7');
    // The bare P-256 point is not on the SM2 curve.
    const p256Point = decodePem(spki, ['PUBLIC KEY']).der.subarray(-65);
    expect(p256Point[0]).toBe(4);
    expectError(() => readPublicKey(p256Point), 'POINT_NOT_ON_CURVE', /not a point on the SM2 curve/);
    expectError(() => sm2Verify(p256Point, MSG, new Uint8Array(64).fill(1)), 'POINT_NOT_ON_CURVE');
  });

  it('RSA and Ed25519 keys', () => {
    const rsa = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']).toString();
    expectError(() => readPrivateKey(rsa), 'KEY_UNSUPPORTED', /algorithm 1\.2\.840\.113549\.1\.1\.1 is not an elliptic-curve key/);
    expectError(() => readPublicKey(openssl(['pkey', '-pubout'], rsa).toString()), 'KEY_UNSUPPORTED', /1\.2\.840\.113549\.1\.1\.1/);
    expectError(() => readPrivateKey(openssl(['rsa', '-traditional', '-outform', 'DER'], rsa)), 'KEY_UNSUPPORTED', /RSA \(PKCS#1\)/);
    const ed = openssl(['genpkey', '-algorithm', 'ed25519']).toString();
    expectError(() => readPrivateKey(ed), 'KEY_UNSUPPORTED', /algorithm 1\.3\.101\.112 is not an elliptic-curve key/);
  });

  it('public point not on the curve, compressed and odd encodings', () => {
    const x = PUB.subarray(1, 33);
    const y = bytesToBigint(PUB.subarray(33));
    const offCurve = concatBytes(Uint8Array.of(4), x, bigintToBytes((y + 1n) % p, 32));
    expectError(() => readPublicKey(offCurve), 'POINT_NOT_ON_CURVE', /not a point on the SM2 curve/);
    expectError(() => readPublicKey(spkiOf(offCurve)), 'POINT_NOT_ON_CURVE');
    expectError(() => encodeSpki(offCurve), 'POINT_NOT_ON_CURVE');
    expectError(() => sm2Verify(offCurve, MSG, new Uint8Array(64).fill(1)), 'POINT_NOT_ON_CURVE');
    expectError(() => encrypt(offCurve, MSG), 'POINT_NOT_ON_CURVE');
    // coordinates >= p
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(4), bigintToBytes(p, 32), PUB.subarray(33))), 'POINT_NOT_ON_CURVE');
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(2), new Uint8Array(32).fill(0xff))), 'POINT_NOT_ON_CURVE');
    // compressed: an x with no point on the curve
    const bad = bigintToBytes(xNotOnCurve(), 32);
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(2), bad)), 'POINT_NOT_ON_CURVE');
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(3), bad)), 'POINT_NOT_ON_CURVE');
    // the point at infinity, as 00 and as 04‖0‖0
    expectError(() => readPublicKey(Uint8Array.of(0)), 'KEY_MALFORMED', /got 1 bytes starting 0x0/);
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(4), new Uint8Array(64))), 'POINT_NOT_ON_CURVE');
    // hybrid (06/07), missing prefix, wrong lengths
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(6), PUB.subarray(1))), 'KEY_MALFORMED', /starting 0x6/);
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(7), PUB.subarray(1))), 'KEY_MALFORMED', /starting 0x7/);
    expectError(() => readPublicKey(PUB.subarray(1)), 'KEY_MALFORMED', /got 64 bytes/);
    expectError(() => readPublicKey(PUB.subarray(0, 64)), 'KEY_MALFORMED', /got 64 bytes/);
    expectError(() => readPublicKey(concatBytes(PUB, Uint8Array.of(0))), 'KEY_MALFORMED', /got 66 bytes/);
    expectError(() => readPublicKey(concatBytes(Uint8Array.of(4), x)), 'KEY_MALFORMED', /got 33 bytes starting 0x4/);
    expectError(() => readPublicKey(new Uint8Array(0)), 'KEY_MALFORMED', /got 0 bytes/);
  });

  it('SPKI structure errors', () => {
    expectError(() => readPublicKey(derSequence(ecAlg(), derBitString(PUB), derNull())), 'KEY_MALFORMED', /3 elements, expected 2/);
    expectError(() => readPublicKey(derSequence(ecAlg())), 'KEY_MALFORMED', /1 elements, expected 2/);
    expectError(() => readPublicKey(derSequence(ecAlg(), derTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(1), PUB)))), 'KEY_MALFORMED', /unused bits/);
    expectError(() => readPublicKey(derSequence(ecAlg(), derOctetString(PUB))), 'KEY_MALFORMED', /expected tag 0x3/);
    expectError(() => readPublicKey(derSequence(derSequence(), derBitString(PUB))), 'KEY_MALFORMED', /empty AlgorithmIdentifier/);
    expectError(() => readPublicKey(derSequence(derOid(id_ecPublicKey), derBitString(PUB))), 'KEY_MALFORMED', /primitive/);
    expectError(() => readPublicKey(derSequence(derSequence(derOid(id_ecPublicKey)), derBitString(PUB))), 'KEY_UNSUPPORTED', /without a named curve/);
    expectError(() => readPublicKey(derSequence(derSequence(derOid(id_ecPublicKey), derNull()), derBitString(PUB))), 'KEY_UNSUPPORTED', /explicit curve parameters|named curve/);
    // The SM2 OID as the algorithm itself (some Chinese toolkits) is accepted.
    expect(toHex(readPublicKey(derSequence(derSequence(derOid(id_sm2)), derBitString(PUB))))).toBe(toHex(PUB));
  });

  it('private scalar 0, n-1, n, > n: SCALAR_OUT_OF_RANGE in every container', () => {
    for (const d of [0n, n - 1n, n, n + 1n, (1n << 256n) - 1n]) {
      const dBytes = bigintToBytes(d, 32);
      const sec1 = sec1Raw(dBytes, sm2Params());
      expectError(() => readPrivateKey(sec1), 'SCALAR_OUT_OF_RANGE', /out of range \[1, n-2\]/);
      expectError(() => readPrivateKey(encodePem('EC PRIVATE KEY', sec1)), 'SCALAR_OUT_OF_RANGE');
      expectError(() => readPrivateKey(pkcs8Of(sec1Raw(dBytes))), 'SCALAR_OUT_OF_RANGE');
      expectError(() => getPublicKey(dBytes), 'SCALAR_OUT_OF_RANGE');
      expectError(() => sm2Sign(dBytes, MSG), 'SCALAR_OUT_OF_RANGE');
      expectError(() => encodePkcs8(dBytes), 'SCALAR_OUT_OF_RANGE');
    }
    // n-2 is the largest valid scalar; 1 the smallest.
    expect(readPrivateKey(sec1Raw(bigintToBytes(n - 2n, 32), sm2Params())).d).toEqual(bigintToBytes(n - 2n, 32));
    expect(readPrivateKey(sec1Raw(bigintToBytes(1n, 32), sm2Params())).d).toEqual(bigintToBytes(1n, 32));
  });

  it('private key octet string lengths', () => {
    // some writers drop leading zeros, or add one: both accepted
    const short = D.subarray(1);
    const dShort = concatBytes(Uint8Array.of(0), short);
    expect(readPrivateKey(sec1Raw(short, sm2Params())).d).toEqual(dShort);
    expect(readPrivateKey(sec1Raw(concatBytes(Uint8Array.of(0), D), sm2Params())).d).toEqual(D);
    expectError(() => readPrivateKey(sec1Raw(new Uint8Array(0), sm2Params())), 'KEY_MALFORMED', /private key is 0 bytes, expected 32/);
    expectError(() => readPrivateKey(sec1Raw(new Uint8Array(34).fill(1), sm2Params())), 'KEY_MALFORMED', /34 bytes, expected 32/);
    expectError(() => readPrivateKey(sec1Raw(concatBytes(Uint8Array.of(1), D), sm2Params())), 'KEY_MALFORMED', /does not fit in 32 bytes/);
    expectError(() => getPublicKey(D.subarray(1)), 'KEY_MALFORMED', /must be 32 bytes, got 31/);
  });

  it('SEC1 structure errors', () => {
    expectError(() => decodeSec1(derSequence(derInteger(1))), 'KEY_MALFORMED', /1 elements, expected at least 2/);
    expectError(() => decodeSec1(derSequence(derInteger(2), derOctetString(D), sm2Params())), 'KEY_MALFORMED', /version must be 1/);
    expectError(() => decodeSec1(derSequence(derInteger(1), derInteger(5), sm2Params())), 'KEY_MALFORMED', /expected tag 0x4/);
    expectError(() => decodeSec1(derOctetString(D)), 'KEY_MALFORMED', /not a SEQUENCE/);
    expectError(() => decodeSec1(sec1Raw(D)), 'KEY_UNSUPPORTED', /no curve named/);
    expectError(() => decodeSec1(sec1Raw(D, derContext(0, derOid('1.2.840.10045.3.1.7')))), 'KEY_UNSUPPORTED', /P-256/);
    // [0] and [1] that are empty, primitive or hold two elements
    expectError(() => decodeSec1(sec1Raw(D, derContext(0, new Uint8Array(0)))), 'KEY_MALFORMED', /parameters \[0\] holds 0 elements, expected 1/);
    expectError(() => decodeSec1(sec1Raw(D, derContext(0, derOid(id_sm2).subarray(2), false))), 'KEY_MALFORMED', /parameters \[0\] must be a constructed/);
    expectError(() => decodeSec1(sec1Raw(D, derContext(0, concatBytes(derOid(id_sm2), derOid(id_sm2))))), 'KEY_MALFORMED', /holds 2 elements/);
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, new Uint8Array(0)))), 'KEY_MALFORMED', /publicKey \[1\] holds 0 elements/);
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, PUB, false))), 'KEY_MALFORMED', /publicKey \[1\] must be a constructed/);
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derOctetString(PUB)))), 'KEY_MALFORMED', /expected tag 0x3/);
  });

  it('SEC1 embedded public key: not on the curve, another key, or the other compressed parity', () => {
    const x = PUB.subarray(1, 33);
    const offCurve = concatBytes(Uint8Array.of(4), x, bigintToBytes(bytesToBigint(PUB.subarray(33)) ^ 1n, 32));
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derBitString(offCurve)))), 'POINT_NOT_ON_CURVE');
    const other = getPublicKey(generatePrivateKey());
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derBitString(other)))), 'KEY_MALFORMED', /embedded public key does not match/);
    // Compressed embedded keys are compared as points, not by their first x byte.
    const compressed = getPublicKey(D, undefined, true);
    expect(decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derBitString(compressed)))).publicKey).toEqual(PUB);
    const otherParity = concatBytes(Uint8Array.of(compressed[0] ^ 1), compressed.subarray(1));
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derBitString(otherParity)))), 'KEY_MALFORMED', /does not match/);
    let sameFirstByte: Uint8Array;
    do sameFirstByte = getPublicKey(generatePrivateKey(), undefined, true);
    while (sameFirstByte[1] !== compressed[1]);
    expectError(() => decodeSec1(sec1Raw(D, sm2Params(), derContext(1, derBitString(sameFirstByte)))), 'KEY_MALFORMED', /does not match/);
  });

  it('PKCS#8 structure errors', () => {
    const inner = encodeSec1(D, false);
    expectError(() => decodePkcs8(pkcs8Of(inner, 2)), 'KEY_MALFORMED', /version 2 is not 0 or 1/);
    expect(decodePkcs8(pkcs8Of(inner, 1)).d).toEqual(D); // OneAsymmetricKey v2 (RFC 5958) is fine
    expectError(() => decodePkcs8(derSequence(derInteger(0), ecAlg())), 'KEY_MALFORMED', /2 elements, expected at least 3/);
    expectError(() => decodePkcs8(pkcs8Of(utf8('not a key'))), 'KEY_MALFORMED', /PKCS#8 inner ECPrivateKey/);
    expectError(() => decodePkcs8(pkcs8Of(concatBytes(inner, Uint8Array.of(0)))), 'KEY_MALFORMED', /trailing data/);
    expectError(() => decodePkcs8(derSequence(derInteger(0), ecAlg(), derBitString(inner))), 'KEY_MALFORMED', /expected tag 0x4/);
    expectError(() => decodePkcs8(pkcs8Of(sec1Raw(D, derContext(0, derOid('1.3.132.0.10'))))), 'KEY_UNSUPPORTED', /secp256k1/);
    expectError(() => decodePkcs8(derSequence(derInteger(0), derSequence(derOid('1.2.840.113549.1.1.1'), derNull()), derOctetString(inner))), 'KEY_UNSUPPORTED', /not an elliptic-curve key/);
    // SM2 OID as the algorithm (some toolkits) is accepted
    expect(decodePkcs8(derSequence(derInteger(0), derSequence(derOid(id_sm2)), derOctetString(inner))).d).toEqual(D);
  });

  it('arguments that are not bytes', () => {
    expectError(() => readPrivateKey(undefined as unknown as Uint8Array), 'INVALID_ARGUMENT', /private key must be bytes or PEM text/);
    expectError(() => readPublicKey(42 as unknown as Uint8Array), 'INVALID_ARGUMENT', /public key must be bytes or PEM text/);
    expectError(() => getPublicKey([1, 2, 3] as unknown as Uint8Array), 'INVALID_ARGUMENT');
  });

  it('round trip sanity for the keys used above', () => {
    expect(readPrivateKey(sec1ToPem(D)).publicKey).toEqual(PUB);
  });
});

// ================================================================================================ signatures

describe('SM2 signatures', () => {
  // deterministic: the standard's k (GB/T 32918.5 Annex A), so r = F5A0…, s = B1B6…
  const sig = signPure(D, MSG, { random: () => fromHex('59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21') });
  const raw = (r: bigint, s: bigint) => concatBytes(bigintToBytes(r, 32), bigintToBytes(s, 32));
  const der = (r: bigint, s: bigint) => derSequence(derInteger(r), derInteger(s));
  const { r: r0, s: s0 } = decodeSignature(sig);

  /** decodeSignature, the facade and the pure verifier all refuse with SIGNATURE_MALFORMED. */
  function refused(bad: Uint8Array, message?: RegExp) {
    expectError(() => decodeSignature(bad), 'SIGNATURE_MALFORMED', message);
    expectError(() => sm2Verify(PUB, MSG, bad), 'SIGNATURE_MALFORMED', message);
    expectError(() => verifyPure(PUB, MSG, bad), 'SIGNATURE_MALFORMED', message);
  }

  it('the good signature verifies, in DER and raw; a wrong message returns false', () => {
    expect(sm2Verify(PUB, MSG, sig)).toBe(true);
    expect(sm2Verify(PUB, MSG, raw(r0, s0))).toBe(true);
    expect(sm2Verify(PUB, utf8('message digesT'), sig)).toBe(false);
    expect(sm2Verify(PUB, MSG, der(r0, (s0 + 1n) % n))).toBe(false);
  });

  it('r or s = 0, = n, > n, negative', () => {
    for (const [label, r, s] of [
      ['r = 0', 0n, s0], ['s = 0', r0, 0n], ['r = n', n, s0], ['s = n', r0, n], ['r = n+1', n + 1n, s0], ['s = 2^256-1', r0, (1n << 256n) - 1n],
    ] as const) {
      refused(der(r, s), label.startsWith('r') ? /r is out of range \[1, n-1\]/ : /s is out of range \[1, n-1\]/);
      refused(raw(r, s), label.startsWith('r') ? /r is out of range/ : /s is out of range/);
    }
    refused(der(-r0, s0), /r is out of range/);
    refused(der(r0, -1n), /s is out of range/);
    refused(der(r0, n << 64n), /s is out of range/);
  });

  it('garbage, empty, wrong lengths (63- and 65-byte raw)', () => {
    refused(new Uint8Array(0), /neither DER SEQUENCE\{r,s\} nor raw 64-byte r‖s/);
    refused(utf8('hello'), /neither DER/);
    refused(fromHex('30'), /neither DER/);
    refused(raw(r0, s0).subarray(0, 63), /neither DER.*nor raw 64-byte/);
    refused(concatBytes(raw(r0, s0), Uint8Array.of(0)), /neither DER.*nor raw 64-byte/);
    refused(new Uint8Array(1000).fill(0x30), /neither DER/);
    refused(nestedSequences(100_000), /DER nesting deeper than 2 levels/);
    refused(fromHex('3080 020101 020101 0000'), /indefinite length/);
  });

  it('DER with extra or missing elements, wrong types, trailing bytes', () => {
    refused(derSequence(derInteger(r0), derInteger(s0), derInteger(1)), /3 elements, expected 2 \(r, s\)/);
    refused(derSequence(derInteger(r0)), /1 elements, expected 2/);
    refused(derSequence(), /0 elements, expected 2/);
    refused(derTlv(TAG.SET, concatBytes(derInteger(r0), derInteger(s0))), /not a SEQUENCE/);
    refused(derSequence(derOctetString(bigintToBytes(r0, 32)), derInteger(s0)), /r: expected tag 0x2/);
    refused(derSequence(derTlv(TAG.INTEGER, new Uint8Array(0)), derInteger(s0)), /r: empty INTEGER/);
    refused(concatBytes(sig, Uint8Array.of(0)), /trailing data/);
    refused(sig.subarray(0, sig.length - 1), /truncated DER/);
  });

  it('a raw 64-byte signature whose r begins 30 3E is still read as raw', () => {
    const r = bytesToBigint(fromHex('303e' + '11'.repeat(30)));
    expect(r < n).toBe(true);
    expect(decodeSignature(raw(r, s0))).toEqual({ r, s: s0 });
    expect(sm2Verify(PUB, MSG, raw(r, s0))).toBe(false); // well-formed, just not valid
  });

  it('malformed public keys given to verify', () => {
    expectError(() => sm2Verify(PUB.subarray(0, 64), MSG, sig), 'KEY_MALFORMED');
    expectError(() => sm2Verify(encodeSpki(PUB), MSG, sig), 'KEY_MALFORMED', /must be 04‖x‖y/);
  });
});

// ================================================================================================ ciphertexts

describe('SM2 ciphertext tampering', () => {
  const plaintext = utf8('a secret of some length');
  const ct = encrypt(PUB, plaintext);
  const rawCt = encrypt(PUB, plaintext, { format: 'raw' });

  it('decrypts untouched', () => {
    expect(decrypt(D, ct)).toEqual(plaintext);
    expect(decrypt(D, rawCt)).toEqual(plaintext);
  });

  it('every single-bit flip of the ASN.1 form is CIPHERTEXT_MALFORMED or DECRYPTION_FAILED; in C3/C2 always DECRYPTION_FAILED', () => {
    const kids = parseDer(ct).children();
    const c3c2Start = kids[2].start + kids[2].headerLength;
    const c3End = kids[2].end;
    const c2Start = kids[3].start + kids[3].headerLength;
    for (let i = 0; i < ct.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const t = new Uint8Array(ct);
        t[i] ^= 1 << bit;
        const code = expectOneOf(() => decrypt(D, t), ['CIPHERTEXT_MALFORMED', 'DECRYPTION_FAILED'], `byte ${i} bit ${bit}`);
        if ((i >= c3c2Start && i < c3End) || i >= c2Start) expect(code, `byte ${i} bit ${bit}`).toBe('DECRYPTION_FAILED');
      }
    }
  });

  it('every byte of the raw C1‖C3‖C2 form, changed', () => {
    for (let i = 0; i < rawCt.length; i++) {
      const t = new Uint8Array(rawCt);
      t[i] ^= 0x40;
      const code = expectOneOf(() => decrypt(D, t), ['CIPHERTEXT_MALFORMED', 'DECRYPTION_FAILED'], `byte ${i}`);
      if (i >= 1 && i < 65) expect(code, `C1 byte ${i}`).toBe('CIPHERTEXT_MALFORMED'); // C1 no longer on the curve
      if (i >= 65) expect(code, `byte ${i}`).toBe('DECRYPTION_FAILED');
    }
  });

  it('truncated at every length', () => {
    for (let len = 0; len < ct.length; len++) expectError(() => decrypt(D, ct.subarray(0, len)), 'CIPHERTEXT_MALFORMED', /SM2 ciphertext/);
    for (let len = 0; len < rawCt.length; len++) {
      // Up to C1‖C3 nothing is left to decrypt; after that the C3 hash no longer matches.
      expectError(() => decrypt(D, rawCt.subarray(0, len)), len <= 97 ? 'CIPHERTEXT_MALFORMED' : 'DECRYPTION_FAILED');
    }
  });

  it('structural errors: C1 at infinity or off the curve, C3 length, empty C2, extra elements', () => {
    const kids = parseDer(ct).children();
    const [xN, yN, c3N, c2N] = kids;
    const build = (...parts: Uint8Array[]) => derSequence(...parts);
    expectError(() => decrypt(D, build(derInteger(0), derInteger(0), c3N.raw, c2N.raw)), 'CIPHERTEXT_MALFORMED', /C1 is not a point on the curve/);
    expectError(() => decrypt(D, concatBytes(Uint8Array.of(4), new Uint8Array(96), Uint8Array.of(1))), 'CIPHERTEXT_MALFORMED', /C1 is not a point/);
    expectError(() => decrypt(D, build(derInteger(xNotOnCurve()), yN.raw, c3N.raw, c2N.raw)), 'CIPHERTEXT_MALFORMED', /C1 is not a point/);
    expectError(() => decrypt(D, build(derInteger(-1n), yN.raw, c3N.raw, c2N.raw)), 'CIPHERTEXT_MALFORMED', /C1 is not a point/);
    expectError(() => decrypt(D, build(derInteger(p + 1n), yN.raw, c3N.raw, c2N.raw)), 'CIPHERTEXT_MALFORMED', /C1 is not a point/);
    expectError(() => decrypt(D, build(xN.raw, yN.raw, derOctetString(c3N.value.subarray(1)), c2N.raw)), 'CIPHERTEXT_MALFORMED', /C3 is not 32 bytes/);
    expectError(() => decrypt(D, build(xN.raw, yN.raw, c3N.raw, derOctetString(new Uint8Array(0)))), 'CIPHERTEXT_MALFORMED', /no C2/);
    expectError(() => decrypt(D, build(xN.raw, yN.raw, c3N.raw, c2N.raw, derNull())), 'CIPHERTEXT_MALFORMED', /5 elements, expected 4/);
    expectError(() => decrypt(D, build(xN.raw, yN.raw, c3N.raw)), 'CIPHERTEXT_MALFORMED', /3 elements, expected 4/);
    expectError(() => decrypt(D, build(xN.raw, yN.raw, c2N.raw, c3N.raw)), 'CIPHERTEXT_MALFORMED', /C3 is not 32 bytes/); // C1C2C3 order
    expectError(() => decrypt(D, concatBytes(ct, Uint8Array.of(0))), 'CIPHERTEXT_MALFORMED', /trailing data/);
    expectError(() => decrypt(D, nestedSequences(100_000)), 'CIPHERTEXT_MALFORMED', /nesting/, 500);
    expectError(() => decrypt(D, utf8('garbage')), 'CIPHERTEXT_MALFORMED');
    // another valid C1 (the generator): well-formed, but the hash does not match
    const G = getPublicKey(bigintToBytes(1n, 32));
    expectError(() => decrypt(D, build(derInteger(bytesToBigint(G.subarray(1, 33))), derInteger(bytesToBigint(G.subarray(33))), c3N.raw, c2N.raw)), 'DECRYPTION_FAILED', /C3 hash mismatch/);
  });

  it('wrong private key', () => {
    expectError(() => decrypt(generatePrivateKey(), ct), 'DECRYPTION_FAILED', /wrong key or corrupted ciphertext/);
    expectError(() => decrypt(bigintToBytes(0n, 32), ct), 'SCALAR_OUT_OF_RANGE');
    expectError(() => decrypt(D.subarray(1), ct), 'KEY_MALFORMED');
  });
});

// ================================================================================================ mutation sweep

describe('random mutations (seeded): only EsealErrors with the expected codes, never a TypeError', () => {
  const ITERATIONS = Number(globalThis.process?.env?.ESEAL_FUZZ_ITERATIONS ?? 1500);
  let seed = 0x9e3779b9;
  const rnd = (m: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  function mutate(src: Uint8Array): Uint8Array {
    let out: Uint8Array = new Uint8Array(src);
    const edits = 1 + rnd(3);
    for (let i = 0; i < edits; i++) {
      const op = rnd(5);
      const at = rnd(out.length + 1);
      if (op === 0 && out.length) out[at % out.length] ^= 1 << rnd(8);
      else if (op === 1 && out.length) out[at % out.length] = rnd(256);
      else if (op === 2) out = out.slice(0, at);
      else if (op === 3) out = concatBytes(out.subarray(0, at), Uint8Array.of(rnd(256)), out.subarray(at));
      else out = concatBytes(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + rnd(4))));
    }
    return out;
  }
  function sweep(label: string, input: Uint8Array, f: (b: Uint8Array) => unknown, codes: ErrorCode[]) {
    for (let i = 0; i < ITERATIONS; i++) {
      const m = mutate(input);
      try {
        f(m);
      } catch (e) {
        if (!(e instanceof EsealError)) throw new Error(`${label} ${toHex(m)}: ${String(e)}`);
        expect(codes, `${label} ${toHex(m)}: ${e.message}`).toContain(e.code);
        expect(e.cause instanceof EsealError || e.cause === undefined, `${label} ${toHex(m)}: cause ${String(e.cause)}`).toBe(true);
      }
    }
  }
  const keyCodes: ErrorCode[] = ['KEY_MALFORMED', 'KEY_UNSUPPORTED', 'SCALAR_OUT_OF_RANGE', 'POINT_NOT_ON_CURVE'];

  it('PKCS#8, SEC1 and SPKI DER', () => {
    sweep('pkcs8', encodePkcs8(D), readPrivateKey, keyCodes);
    sweep('sec1', encodeSec1(D), readPrivateKey, keyCodes);
    sweep('spki', encodeSpki(PUB), readPublicKey, keyCodes);
  });

  it('PEM text', () => {
    sweep('pem', utf8(privateKeyToPem(D)), readPrivateKey, [...keyCodes, 'PEM_MALFORMED']);
  });

  it('signatures', () => {
    const sig = signPure(D, MSG);
    sweep('sig', sig, (b) => sm2Verify(PUB, MSG, b), ['SIGNATURE_MALFORMED']);
  });

  it('ciphertexts', () => {
    sweep('ct', encrypt(PUB, MSG), (b) => decrypt(D, b), ['CIPHERTEXT_MALFORMED', 'DECRYPTION_FAILED']);
  });
});
