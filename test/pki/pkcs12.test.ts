import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createCipheriv, pbkdf2Sync, randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED } from '../helpers/openssl.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import {
  readPkcs12, pairKeysWithCertificates, findCertificateForKey, certificateSm2PublicKey, PKCS12_LIMITS, type Pkcs12Contents,
} from '../../src/pki/pkcs12/index.js';
import { berToDer } from '../../src/pki/pkcs12/ber.js';
import { bmpPassword, pkcs12Kdf } from '../../src/pki/pkcs12/kdf.js';
import { SHA1, SM3, pbkdf2 } from '../../src/pki/pkcs12/hashes.js';
import { encodePkcs8, readPrivateKey, sm2Sign, sm2Verify } from '../../src/sm/index.js';
import { sm3Pure } from '../../src/sm/sm3-pure.js';
import { decodePemAll } from '../../src/util/pem.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { derContext, derInteger, derNull, derOctetString, derOid, derSequence, derSet, derTlv } from '../../src/util/der.js';
import { EsealError } from '../../src/util/errors.js';

const SAMPLES = join(SHARED, 'samples/keys');
const sample = (name: string) => new Uint8Array(readFileSync(join(SAMPLES, name)));

const SAMPLE_FILES: [string, string, boolean][] = [
  ['ROOT.p12', '123456', true],
  ['USER.p12', '777777', true],
  ['SealBuilder.p12', '777777', true],
  ['sm2_test.pfx', '123456', false],
];

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();

function errorOf(f: () => unknown): EsealError {
  try {
    f();
  } catch (e) {
    // by name too: a test that re-imports the modules gets a second copy of the class
    if (e instanceof EsealError || (e instanceof Error && e.name === 'EsealError')) return e as EsealError;
    throw new Error(`expected an EsealError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an error, got none');
}

function expectPaired(c: Pkcs12Contents): void {
  const pairs = pairKeysWithCertificates(c);
  expect(pairs.length).toBeGreaterThan(0);
  for (const { key, certificate } of pairs) {
    expect(certificate, 'a certificate pairs with the key').toBeDefined();
    expect(toHex(certificateSm2PublicKey(certificate!.der)!)).toBe(toHex(key.publicKey));
  }
}

// ------------------------------------------------------------------------------------ test PFX builders

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSM3: '1.2.156.10197.1.401.2',
  sm4cbc: '1.2.156.10197.1.104.2',
  sha1: '1.3.14.3.2.26',
  pbe3des: '1.2.840.113549.1.12.1.3',
};

const bmp = (s: string) => derTlv(0x1e, bmpPassword(s).subarray(0, s.length * 2));
function attrs(a: { localKeyId?: Uint8Array; friendlyName?: string }): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (a.friendlyName !== undefined) out.push(derSequence(derOid(OID.friendlyName), derSet(bmp(a.friendlyName))));
  if (a.localKeyId) out.push(derSequence(derOid(OID.localKeyId), derSet(derOctetString(a.localKeyId))));
  return out.length ? [derSet(...out)] : [];
}
const safeBag = (id: string, value: Uint8Array, a: { localKeyId?: Uint8Array; friendlyName?: string } = {}) =>
  derSequence(derOid(id), derContext(0, value), ...attrs(a));
const certBag = (der: Uint8Array, a = {}) => safeBag(OID.certBag, derSequence(derOid(OID.x509Certificate), derContext(0, derOctetString(der))), a);
const dataInfo = (content: Uint8Array) => derSequence(derOid(OID.data), derContext(0, derOctetString(content)));
/** A PFX from SafeContents (each a list of bags), without MAC unless `macData` is given. */
function buildPfx(contents: Uint8Array[][], macData?: Uint8Array, authSafeParts?: Uint8Array[]): Uint8Array {
  const parts = authSafeParts ?? contents.map((bags) => dataInfo(derSequence(...bags)));
  return derSequence(derInteger(3), dataInfo(derSequence(...parts)), ...(macData ? [macData] : []));
}
/** pbeWithSHAAnd3-KeyTripleDES-CBC AlgorithmIdentifier (only the parameters matter for limit tests). */
const legacyAlg = (iterations: number) => derSequence(derOid(OID.pbe3des), derSequence(derOctetString(new Uint8Array(8)), derInteger(iterations)));

// ------------------------------------------------------------------------------------------------- tests

describe('readPkcs12: the sample files', () => {
  it.each(SAMPLE_FILES)('%s opens with its password, MAC verified, key pairs with certificate', (name, password) => {
    const c = readPkcs12(sample(name), password);
    expect(c.macVerified).toBe(true);
    expect(c.keys).toHaveLength(1);
    expect(c.otherKeys).toHaveLength(0);
    expect(c.certificates.length).toBeGreaterThanOrEqual(1);
    expect(c.keys[0].d).toHaveLength(32);
    expect(c.keys[0].publicKey).toHaveLength(65);
    expect(c.keys[0].localKeyId?.length).toBeGreaterThan(0);
    expectPaired(c);
  });

  it('reports the MAC parameters', () => {
    expect(readPkcs12(sample('USER.p12'), '777777').mac).toEqual({ digest: 'sha1', iterations: 102400 });
    expect(readPkcs12(sample('sm2_test.pfx'), '123456').mac).toEqual({ digest: 'sha256', iterations: 2048 });
    expect(readPkcs12(sample('ROOT.p12'), '123456').keys[0].friendlyName).toBe('private');
  });

  it.each(SAMPLE_FILES)('%s with a wrong password: PASSWORD_INCORRECT', (name) => {
    for (const pw of ['wrong', '', '7777777']) {
      const e = errorOf(() => readPkcs12(sample(name), pw));
      expect(e.code).toBe('PASSWORD_INCORRECT');
      expect(e.message).toMatch(/MAC verification failed/);
    }
  });

  it("USER.p12's key signs, and the signature verifies with its certificate's public key", () => {
    const c = readPkcs12(sample('USER.p12'), '777777');
    const [{ key, certificate }] = pairKeysWithCertificates(c);
    const message = utf8('电子印章 PKCS#12 import');
    const sig = sm2Sign(key.d, message);
    const certKey = certificateSm2PublicKey(certificate!.der)!;
    expect(sm2Verify(certKey, message, sig)).toBe(true);
    expect(sm2Verify(certKey, utf8('another message'), sig)).toBe(false);
  });

  it.skipIf(!OPENSSL).each(SAMPLE_FILES)('%s: keys and certificates equal what `openssl pkcs12 -nodes` prints', (name, password, legacy) => {
    const args = ['pkcs12', ...(legacy ? ['-legacy'] : []), '-nodes', '-passin', `pass:${password}`, '-in', join(SAMPLES, name)];
    const pem = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const expected = readPrivateKey(pem);
    const c = readPkcs12(sample(name), password);
    expect(toHex(c.keys[0].d)).toBe(toHex(expected.d));
    expect(toHex(c.keys[0].publicKey)).toBe(toHex(expected.publicKey));
    const certs = decodePemAll(pem).filter((b) => b.label === 'CERTIFICATE').map((b) => toHex(b.der));
    expect(c.certificates.map((x) => toHex(x.der)).sort()).toEqual(certs.sort());
  });
});

describe.skipIf(!OPENSSL)('readPkcs12: files made by the OpenSSL CLI', () => {
  let dir = '';
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
  const exportP12 = (out: string, password: string, ...extra: string[]) => {
    run('pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-passout', `pass:${password}`, '-out', out, ...extra);
    return file(out);
  };
  let sm2Key: ReturnType<typeof readPrivateKey>;
  let sm2Cert: Uint8Array;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eseal-pkcs12-'));
    run('req', '-x509', '-newkey', 'sm2', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=eseal PKCS12 test', '-days', '30', '-sm3', '-sigopt', 'distid:1234567812345678');
    sm2Key = readPrivateKey(readFileSync(join(dir, 'key.pem'), 'utf8'));
    sm2Cert = decodePemAll(readFileSync(join(dir, 'cert.pem'), 'utf8'))[0].der;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const expectOurKey = (c: Pkcs12Contents) => {
    expect(c.keys).toHaveLength(1);
    expect(toHex(c.keys[0].d)).toBe(toHex(sm2Key.d));
    expect(c.certificates).toHaveLength(1);
    expect(toHex(c.certificates[0].der)).toBe(toHex(sm2Cert));
    expectPaired(c);
  };

  it('(a) -legacy: 3DES key bag, RC2-40 certificates, SHA-1 MAC', () => {
    const c = readPkcs12(exportP12('legacy.p12', 'pa55', '-legacy'), 'pa55');
    expect(c.mac?.digest).toBe('sha1');
    expectOurKey(c);
  });

  it('(b) default: PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC, SHA-256 MAC', () => {
    const c = readPkcs12(exportP12('modern.p12', 'pa55'), 'pa55');
    expect(c.mac).toEqual({ digest: 'sha256', iterations: 2048 });
    expectOurKey(c);
    expect(errorOf(() => readPkcs12(file('modern.p12'), 'pa56')).code).toBe('PASSWORD_INCORRECT');
  });

  it('(c) -keypbe NONE -certpbe NONE: plain keyBag and certificate bag', () => {
    expectOurKey(readPkcs12(exportP12('none.p12', 'pa55', '-keypbe', 'NONE', '-certpbe', 'NONE'), 'pa55'));
  });

  it('SM4-CBC under PBES2 with an SM3 MAC', () => {
    const c = readPkcs12(exportP12('sm4.p12', 'pa55', '-keypbe', 'SM4-CBC', '-certpbe', 'SM4-CBC', '-macalg', 'SM3'), 'pa55');
    expect(c.mac?.digest).toBe('sm3');
    expectOurKey(c);
  });

  it('RC2-128 and 2-key 3DES legacy PBE; AES-128 and DES-EDE3 under PBES2; SHA-512 MAC', () => {
    expectOurKey(readPkcs12(exportP12('rc2.p12', 'pa55', '-legacy', '-keypbe', 'PBE-SHA1-RC2-128', '-certpbe', 'PBE-SHA1-2DES'), 'pa55'));
    const c = readPkcs12(exportP12('mix.p12', 'pa55', '-keypbe', 'AES-128-CBC', '-certpbe', 'DES-EDE3-CBC', '-macalg', 'sha512'), 'pa55');
    expect(c.mac?.digest).toBe('sha512');
    expectOurKey(c);
  });

  it('without a MAC: opens (macVerified false); a wrong password is found by decryption', () => {
    for (const extra of [['-legacy'], []]) {
      const data = exportP12('nomac.p12', 'pa55', '-nomac', ...extra);
      const c = readPkcs12(data, 'pa55');
      expect(c.macVerified).toBe(false);
      expect(c.mac).toBeUndefined();
      expectOurKey(c);
      const e = errorOf(() => readPkcs12(data, 'wrong'));
      expect(e.code).toBe('PASSWORD_INCORRECT');
      expect(e.message).toMatch(/no MAC/);
    }
  });

  it('an empty password and a non-ASCII password and friendly name', () => {
    expectOurKey(readPkcs12(exportP12('empty.p12', ''), ''));
    expectOurKey(readPkcs12(exportP12('empty-legacy.p12', '', '-legacy'), ''));
    const c = readPkcs12(exportP12('cn.p12', '印章密码', '-name', '测试印章'), '印章密码');
    expect(c.keys[0].friendlyName).toBe('测试印章');
    expect(c.certificates[0].friendlyName).toBe('测试印章');
    expect(errorOf(() => readPkcs12(file('cn.p12'), '印章')).code).toBe('PASSWORD_INCORRECT');
    const legacy = readPkcs12(exportP12('cn-legacy.p12', '印章密码', '-legacy'), '印章密码');
    expect(toHex(legacy.keys[0].d)).toBe(toHex(sm2Key.d));
  });

  it('a certificate chain: the key pairs with its own certificate, not the CA', () => {
    run('req', '-x509', '-newkey', 'sm2', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-subj', '/CN=eseal test CA', '-days', '30', '-sm3', '-sigopt', 'distid:1234567812345678');
    const c = readPkcs12(exportP12('chain.p12', 'pa55', '-certfile', 'ca.pem'), 'pa55');
    expect(c.certificates).toHaveLength(2);
    const [{ certificate }] = pairKeysWithCertificates(c);
    expect(toHex(certificate!.der)).toBe(toHex(sm2Cert));
  });

  it('RSA and P-256 keys come back as otherKeys (PKCS#8), paired by localKeyId', () => {
    run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'rsa.pem');
    run('req', '-x509', '-key', 'rsa.pem', '-out', 'rsa-cert.pem', '-subj', '/CN=rsa', '-days', '2');
    run('pkcs12', '-export', '-inkey', 'rsa.pem', '-in', 'rsa-cert.pem', '-passout', 'pass:pa55', '-out', 'rsa.p12');
    const rsa = readPkcs12(file('rsa.p12'), 'pa55');
    expect(rsa.keys).toHaveLength(0);
    expect(rsa.otherKeys).toHaveLength(1);
    expect(rsa.otherKeys[0].algorithm).toBe('rsa');
    const rsaPem = readFileSync(join(dir, 'rsa.pem'), 'utf8');
    expect(toHex(rsa.otherKeys[0].pkcs8)).toBe(toHex(decodePemAll(rsaPem)[0].der));
    expect(findCertificateForKey(rsa.otherKeys[0], rsa.certificates)).toBe(rsa.certificates[0]);

    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'p256.pem', '-out', 'p256-cert.pem', '-subj', '/CN=p256', '-days', '2');
    run('pkcs12', '-export', '-legacy', '-inkey', 'p256.pem', '-in', 'p256-cert.pem', '-passout', 'pass:pa55', '-out', 'p256.p12');
    const ec = readPkcs12(file('p256.p12'), 'pa55');
    expect(ec.otherKeys.map((k) => [k.algorithm, k.curve])).toEqual([['ec', '1.2.840.10045.3.1.7']]);
    expect(pairKeysWithCertificates(ec)).toEqual([]);
  });

  it('PBES2 with PBKDF2-HMAC-SM3 and SM4-CBC (encrypted by OpenSSL, wrapped by the test)', () => {
    const pkcs8 = encodePkcs8(sm2Key.d);
    const salt = new Uint8Array(nodeRandomBytes(16));
    const iv = new Uint8Array(nodeRandomBytes(16));
    const k = pbkdf2Sync(utf8('口令 pa55'), salt, 1000, 16, 'sm3');
    const cipher = createCipheriv('sm4-cbc', k, iv);
    const ct = new Uint8Array(Buffer.concat([cipher.update(pkcs8), cipher.final()]));
    const alg = derSequence(
      derOid(OID.pbes2),
      derSequence(
        derSequence(derOid(OID.pbkdf2), derSequence(derOctetString(salt), derInteger(1000), derInteger(16), derSequence(derOid(OID.hmacWithSM3), derNull()))),
        derSequence(derOid(OID.sm4cbc), derOctetString(iv)),
      ),
    );
    const id = fromHex('01020304');
    const pfx = buildPfx([[safeBag(OID.shroudedKeyBag, derSequence(alg, derOctetString(ct)), { localKeyId: id }), certBag(sm2Cert, { localKeyId: id })]]);
    const c = readPkcs12(pfx, '口令 pa55');
    expect(c.macVerified).toBe(false);
    expectOurKey(c);
    expect(toHex(c.keys[0].localKeyId!)).toBe('01020304');
    expect(errorOf(() => readPkcs12(pfx, 'pa55')).code).toBe('PASSWORD_INCORRECT');
  });

  it('without node:crypto (as in a browser): SM4/SM3/RC2 still work, 3DES and AES are ALGORITHM_UNSUPPORTED', async () => {
    const sm4 = exportP12('b-sm4.p12', 'pa55', '-keypbe', 'SM4-CBC', '-certpbe', 'SM4-CBC', '-macalg', 'SM3');
    const aes = exportP12('b-aes.p12', 'pa55');
    const rc2Only = exportP12('b-rc2.p12', 'pa55', '-legacy', '-keypbe', 'PBE-SHA1-RC2-128', '-certpbe', 'PBE-SHA1-RC2-40');
    vi.resetModules();
    vi.doMock('../../src/sm/_node.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../src/sm/_node.js')>()),
      nodeCryptoWithCipher: () => undefined,
      nodeCryptoWithHash: () => undefined,
    }));
    try {
      const browser = await import('../../src/pki/pkcs12/index.js');
      const c = browser.readPkcs12(sm4, 'pa55');
      expect(c.mac?.digest).toBe('sm3');
      expectOurKey(c);
      expectOurKey(browser.readPkcs12(rc2Only, 'pa55'));
      let e = errorOf(() => browser.readPkcs12(aes, 'pa55'));
      expect([e.code, e.message]).toEqual(['ALGORITHM_UNSUPPORTED', expect.stringMatching(/AES-256-CBC needs node:crypto/)]);
      e = errorOf(() => browser.readPkcs12(sample('USER.p12'), '777777'));
      expect([e.code, e.message]).toEqual(['ALGORITHM_UNSUPPORTED', expect.stringMatching(/DES-EDE3-CBC needs node:crypto/)]);
    } finally {
      vi.doUnmock('../../src/sm/_node.js');
      vi.resetModules();
    }
  });

  it('truncated or corrupted files at every position: PKCS12_MALFORMED or PASSWORD_INCORRECT (or a named algorithm/limit), never a crash', () => {
    const files = [
      exportP12('f-legacy.p12', 'pa55', '-legacy', '-iter', '3'),
      exportP12('f-modern.p12', 'pa55', '-iter', '3'),
      exportP12('f-none.p12', 'pa55', '-keypbe', 'NONE', '-certpbe', 'NONE', '-iter', '3'),
      exportP12('f-nomac.p12', 'pa55', '-legacy', '-nomac', '-iter', '3'),
    ];
    const seen: Record<string, number> = {};
    const allowed = new Set(['PKCS12_MALFORMED', 'PASSWORD_INCORRECT', 'ALGORITHM_UNSUPPORTED', 'LIMIT_EXCEEDED']);
    const check = (data: Uint8Array, where: string): string => {
      let code = 'ok';
      try {
        readPkcs12(data, 'pa55', { limits: { maxIterations: 5000 } });
      } catch (e) {
        if (!(e instanceof EsealError)) throw new Error(`${where}: not an EsealError: ${String(e)}`, { cause: e });
        if (!allowed.has(e.code)) throw new Error(`${where}: unexpected code ${e.code}: ${e.message}`, { cause: e });
        expect(e.message.length).toBeGreaterThan(10);
        code = e.code;
      }
      seen[code] = (seen[code] ?? 0) + 1;
      return code;
    };
    for (const [n, f] of files.entries()) {
      for (let len = 0; len < f.length; len++) {
        const t = f.slice(0, len);
        let code = '';
        try {
          readPkcs12(t, 'pa55');
        } catch (e) {
          code = (e as EsealError).code;
        }
        expect(code, `file ${n} truncated to ${len}`).toBe('PKCS12_MALFORMED');
      }
      for (let i = 0; i < f.length; i++) {
        for (const x of [0x01, 0x80, 0xff]) {
          const g = f.slice();
          g[i] ^= x;
          const code = check(g, `file ${n} byte ${i} ^ ${x}`);
          // with a MAC every byte counts; without one (file 3) a damaged certificate may still parse
          if (n < 3) expect(code, `file ${n} byte ${i} ^ ${x} was accepted`).not.toBe('ok');
        }
      }
    }
    expect(seen.PKCS12_MALFORMED).toBeGreaterThan(100);
    expect(seen.PASSWORD_INCORRECT).toBeGreaterThan(100);
  }, 120_000);
});

describe('readPkcs12: limits and malformed input', () => {
  const root = readPkcs12(sample('ROOT.p12'), '123456');
  const rootCert = root.certificates[0].der;

  it('refuses files larger than 1 MiB', () => {
    expect(PKCS12_LIMITS.maxBytes).toBe(1024 * 1024);
    const e = errorOf(() => readPkcs12(new Uint8Array(1024 * 1024 + 1), 'x'));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/1048577 bytes/);
  });

  it('refuses more than 64 bags (64 are fine)', () => {
    const bags = (n: number) => Array.from({ length: n }, () => certBag(rootCert));
    expect(readPkcs12(buildPfx([bags(64)]), '').certificates).toHaveLength(64);
    const e = errorOf(() => readPkcs12(buildPfx([bags(40), bags(25)]), ''));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/more than 64 bags/);
    expect(errorOf(() => readPkcs12(buildPfx([bags(3)]), '', { limits: { maxBags: 2 } })).code).toBe('LIMIT_EXCEEDED');
  });

  it('refuses iteration counts above 10,000,000 (MAC, legacy PBE, PBKDF2) before computing anything', () => {
    const macData = (iter: number) => derSequence(derSequence(derSequence(derOid(OID.sha1), derNull()), derOctetString(new Uint8Array(20))), derOctetString(new Uint8Array(8)), derInteger(iter));
    let e = errorOf(() => readPkcs12(buildPfx([[certBag(rootCert)]], macData(10_000_001)), 'x'));
    expect([e.code, e.message]).toEqual(['LIMIT_EXCEEDED', 'PFX MAC: iteration count 10000001 exceeds the limit of 10000000']);
    e = errorOf(() => readPkcs12(buildPfx([[safeBag(OID.shroudedKeyBag, derSequence(legacyAlg(2 ** 40), derOctetString(new Uint8Array(16))))]]), 'x'));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    const pbes2 = derSequence(
      derOid(OID.pbes2),
      derSequence(derSequence(derOid(OID.pbkdf2), derSequence(derOctetString(new Uint8Array(8)), derInteger(10_000_001))), derSequence(derOid(OID.sm4cbc), derOctetString(new Uint8Array(16)))),
    );
    e = errorOf(() => readPkcs12(buildPfx([[safeBag(OID.shroudedKeyBag, derSequence(pbes2, derOctetString(new Uint8Array(16))))]]), 'x'));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/PBKDF2: iteration count 10000001/);
    // a lower limit applies to real files too
    expect(errorOf(() => readPkcs12(sample('sm2_test.pfx'), '123456', { limits: { maxIterations: 2000 } })).code).toBe('LIMIT_EXCEEDED');
    // and so does the budget for the whole file (MAC + certificates + key: 3 x 2048)
    e = errorOf(() => readPkcs12(sample('sm2_test.pfx'), '123456', { limits: { maxTotalIterations: 5000 } }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(/add up to more than 5000/);
    expect(readPkcs12(sample('sm2_test.pfx'), '123456', { limits: { maxTotalIterations: 3 * 2048 } }).keys).toHaveLength(1);
    // zero iterations is malformed
    e = errorOf(() => readPkcs12(buildPfx([[certBag(rootCert)]], macData(0)), 'x'));
    expect(e.code).toBe('PKCS12_MALFORMED');
  });

  it('names what is wrong in malformed input', () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [utf8('not a pfx at all'), /PFX/],
      [rootCert, /PFX version|PFX/],
      [derSequence(derInteger(2), dataInfo(derSequence())), /PFX version 2 is not 3/],
      [buildPfx([], undefined, [derSequence(derOid('1.2.3.4'), derContext(0, derNull()))]), /content type 1\.2\.3\.4/],
      [buildPfx([[derSequence(derOid(OID.certBag), derOctetString(new Uint8Array(2)))]]), /bag 1 bagValue: expected \[0\] EXPLICIT/],
      [buildPfx([[certBag(utf8('garbage'))]]), /certBag\) certificate/],
      [buildPfx([[safeBag(OID.keyBag, derSequence(derInteger(0), derSequence(derOid('1.2.840.10045.2.1'), derOid('1.2.156.10197.1.301')), derOctetString(new Uint8Array(3))))]]), /keyBag/],
    ];
    for (const [data, re] of cases) {
      const e = errorOf(() => readPkcs12(data, ''));
      expect(e.code, e.message).toBe('PKCS12_MALFORMED');
      expect(e.message).toMatch(re);
    }
    expect(errorOf(() => readPkcs12('nope' as unknown as Uint8Array, '')).code).toBe('INVALID_ARGUMENT');
  });

  it('unsupported schemes are named: envelopedData, RC4, unknown PBES2 cipher', () => {
    let e = errorOf(() => readPkcs12(buildPfx([], undefined, [derSequence(derOid(OID.envelopedData), derContext(0, derSequence()))]), ''));
    expect([e.code, e.message]).toEqual(['ALGORITHM_UNSUPPORTED', 'AuthenticatedSafe part 1 is envelopedData (public-key privacy mode), which is not supported']);
    const rc4 = derSequence(derOid('1.2.840.113549.1.12.1.1'), derSequence(derOctetString(new Uint8Array(8)), derInteger(1)));
    e = errorOf(() => readPkcs12(buildPfx([[safeBag(OID.shroudedKeyBag, derSequence(rc4, derOctetString(new Uint8Array(16))))]]), ''));
    expect(e.code).toBe('ALGORITHM_UNSUPPORTED');
    expect(e.message).toMatch(/RC4/);
    const camellia = derSequence(derOid(OID.pbes2), derSequence(derSequence(derOid(OID.pbkdf2), derSequence(derOctetString(new Uint8Array(8)), derInteger(1))), derSequence(derOid('1.2.392.200011.61.1.1.1.2'), derOctetString(new Uint8Array(16)))));
    e = errorOf(() => readPkcs12(buildPfx([[safeBag(OID.shroudedKeyBag, derSequence(camellia, derOctetString(new Uint8Array(16))))]]), ''));
    expect(e.code).toBe('ALGORITHM_UNSUPPORTED');
    expect(e.message).toMatch(/1\.2\.392\.200011\.61\.1\.1\.1\.2/);
  });

  it('truncations of the (BER) sample files are PKCS12_MALFORMED', () => {
    for (const [name] of SAMPLE_FILES) {
      const f = sample(name);
      for (let len = 0; len < f.length; len++) {
        const e = errorOf(() => readPkcs12(f.subarray(0, len), 'x'));
        expect(e.code, `${name} truncated to ${len}`).toBe('PKCS12_MALFORMED');
      }
    }
  });

  it('corrupting the BER sample USER.p12 gives PKCS12_MALFORMED or PASSWORD_INCORRECT', () => {
    const f = sample('USER.p12');
    // structure bytes before the content, inside the content (caught by the MAC) and in macData
    const positions = [0, 1, 2, 3, 4, 5, 6, 8, 18, 19, 20, 21, 22, 23, 24, 25, 300, 1026, 1027, 1094, 1095, 1100, 1101, 1104, 1106, 1115, 1116, 1137, 1138, 1159, 1164, 1165];
    for (const i of positions) {
      const g = f.slice();
      g[i] ^= 0x41;
      const e = errorOf(() => readPkcs12(g, '777777', { limits: { maxIterations: 200_000 } }));
      expect(['PKCS12_MALFORMED', 'PASSWORD_INCORRECT', 'LIMIT_EXCEEDED'], `byte ${i}: ${e.message}`).toContain(e.code);
    }
  }, 60_000);
});

describe('pairing', () => {
  const user = readPkcs12(sample('USER.p12'), '777777');
  const root = readPkcs12(sample('ROOT.p12'), '123456');
  const userCert = user.certificates[0];
  const rootCert = root.certificates[0];
  const key = user.keys[0];

  it('without localKeyId, by the certificate public key', () => {
    const found = findCertificateForKey({ publicKey: key.publicKey }, [{ der: rootCert.der }, { der: userCert.der }]);
    expect(found?.der).toBe(userCert.der);
  });

  it('a localKeyId pointing at a certificate with another public key is not trusted', () => {
    const certs = [{ der: rootCert.der, localKeyId: key.localKeyId }, { der: userCert.der }];
    expect(findCertificateForKey(key, certs)?.der).toBe(userCert.der);
    expect(findCertificateForKey(key, [certs[0]])).toBeUndefined();
  });

  it('keyBag without attributes plus a chain, built by the test', () => {
    const pkcs8 = encodePkcs8(key.d);
    const c = readPkcs12(buildPfx([[certBag(rootCert.der), safeBag(OID.keyBag, pkcs8), certBag(userCert.der)]]), '');
    expect(c.macVerified).toBe(false);
    expect(c.keys[0].localKeyId).toBeUndefined();
    expect(pairKeysWithCertificates(c)[0].certificate?.der).toEqual(userCert.der);
  });
});

describe('building blocks', () => {
  it('BMP password encoding (RFC 7292 B.1)', () => {
    expect(toHex(bmpPassword(''))).toBe('0000');
    expect(toHex(bmpPassword('Beavis'))).toBe('0042006500610076006900730000');
    expect(toHex(bmpPassword('印'))).toBe('53700000');
  });

  it('PKCS#12 KDF (RFC 7292 B.2) against the published PKCS#12 test vectors (S. Henson)', () => {
    const pw = bmpPassword('smeg');
    const salt = fromHex('0a58cf64530d823f');
    const k24 = pkcs12Kdf(SHA1, 1, pw, salt, 1, 24);
    const k40 = pkcs12Kdf(SHA1, 1, pw, salt, 1, 40);
    expect(toHex(k40).startsWith(toHex(k24))).toBe(true);
    expect(toHex(pkcs12Kdf(SHA1, 2, pw, salt, 1, 8))).not.toBe(toHex(k24.subarray(0, 8)));
    expect(toHex(k24)).toBe('8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3');
    expect(toHex(pkcs12Kdf(SHA1, 2, pw, salt, 1, 8))).toBe('79993dfe048d3b76');
    expect(toHex(pkcs12Kdf(SHA1, 1, pw, fromHex('642b99ab44fb4b1f'), 1, 24))).toBe('f3a95fec48d7711e985cfe67908c5ab79fa3d7c5caa5d966');
    expect(toHex(pkcs12Kdf(SHA1, 3, pw, fromHex('3d83c0e4546ac140'), 1, 20))).toBe('8d967d88f6caa9d714800ab3d48051d63f73a312');
    expect(toHex(pkcs12Kdf(SHA1, 1, bmpPassword('queeg'), fromHex('05dec959acff72f7'), 1000, 24))).toBe('ed2034e36328830ff09df1e1a07dd357185dac0d4f9eb3d4');
  });

  it('PBKDF2 through OpenSSL equals the pure path (HMAC-SM3)', () => {
    const salt = utf8('salt');
    expect(toHex(pbkdf2(SM3, utf8('password'), salt, 77, 40))).toBe(toHex(noblePbkdf2(sm3Pure, utf8('password'), salt, { c: 77, dkLen: 40 })));
  });

  it('berToDer: indefinite lengths and constructed OCTET STRINGs; DER comes back unchanged', () => {
    const der = derSequence(derInteger(3), derOctetString(utf8('hello world')));
    expect(berToDer(der)).toBe(der);
    const ber = fromHex('3080' + '020103' + '2480' + '0405' + toHex(utf8('hello')) + '0406' + toHex(utf8(' world')) + '0000' + '0000');
    expect(toHex(berToDer(ber))).toBe(toHex(der));
    expect(() => berToDer(fromHex('3080020103'))).toThrow(/no end-of-contents/);
    expect(() => berToDer(fromHex('0480'))).toThrow(/indefinite length on a primitive/);
    expect(() => berToDer(fromHex('30030201030000'))).toThrow(/trailing/);
    expect(() => berToDer(fromHex('2480020103' + '0000'))).toThrow(/OCTET STRING segments/);
    expect(() => berToDer(fromHex('3080'.repeat(100) + '0000'.repeat(100)))).toThrow(/deeper than/);
    expect(() => berToDer(fromHex('3003000000'))).toThrow(/end-of-contents/);
  });
});
