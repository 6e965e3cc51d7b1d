import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/openssl.js';
import {
  decodePkcs8, decodeSec1, decodeSpki, encodePkcs8, encodeSec1, encodeSpki, generatePrivateKey, getPublicKey, privateKeyToPem, publicKeyToPem,
  readPrivateKey, readPublicKey, sec1ToPem, sm2Sign, sm2Verify,
} from '../../src/sm/index.js';
import { EsealError } from '../../src/util/errors.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { decodePem, encodePem } from '../../src/util/pem.js';

const SAMPLES = join(SHARED, 'samples/keys');

/** Runs the openssl CLI with stdin → stdout (no temporary files). */
function openssl(args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}
const opensslText = (args: string[], input?: Uint8Array | string) => openssl(args, input).toString('utf8');

/** The `priv:` and `pub:` hex blocks of `openssl pkey -text -noout`. */
function opensslKeyText(text: string): { priv?: string; pub?: string; curve?: string } {
  const block = (name: string) => {
    const m = text.match(new RegExp(`^${name}:\\n((?:\\s+[0-9a-f:]+\\n)+)`, 'm'));
    return m ? m[1].replace(/[\s:]/g, '') : undefined;
  };
  // OpenSSL prints the private scalar as a number: with a leading 00 when its top bit is set, without
  // leading zero bytes otherwise — compared as privHex writes ours
  const scalar = (hex: string | undefined) => hex?.replace(/^(00)+/, '');
  return { priv: scalar(block('priv')), pub: block('pub'), curve: text.match(/ASN1 OID: (\S+)/)?.[1] };
}

function errorOf(f: () => unknown): EsealError {
  try {
    f();
  } catch (e) {
    if (e instanceof EsealError) return e;
    throw new Error(`expected an EsealError, got ${String(e)}`);
  }
  throw new Error('expected an EsealError, nothing was thrown');
}

/** OpenSSL prints the private scalar without leading zero bytes. */
const privHex = (d: Uint8Array) => toHex(d).replace(/^(00)+/, '');

describe('SM2 key formats: round trips', () => {
  const keys = [
    generatePrivateKey(),
    generatePrivateKey(),
    fromHex('0000000000000000000000000000000000000000000000000000000000000001'), // smallest scalar
    fromHex('00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'), // leading zero byte
    fromHex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121'), // n-2, the largest
  ];

  it('PKCS#8, SEC1 and SPKI, DER and PEM', () => {
    for (const d of keys) {
      const pub = getPublicKey(d);
      const p8 = decodePkcs8(encodePkcs8(d));
      expect(p8.format).toBe('pkcs8');
      expect(toHex(p8.d)).toBe(toHex(d));
      expect(toHex(p8.publicKey)).toBe(toHex(pub));
      const s1 = decodeSec1(encodeSec1(d));
      expect(s1.format).toBe('sec1');
      expect(toHex(s1.d)).toBe(toHex(d));
      expect(toHex(s1.publicKey)).toBe(toHex(pub));
      expect(toHex(decodeSpki(encodeSpki(pub)))).toBe(toHex(pub));
      // PEM, and DER told apart by structure
      expect(toHex(readPrivateKey(privateKeyToPem(d)).d)).toBe(toHex(d));
      expect(readPrivateKey(privateKeyToPem(d)).format).toBe('pkcs8');
      expect(readPrivateKey(sec1ToPem(d)).format).toBe('sec1');
      expect(toHex(readPrivateKey(sec1ToPem(d)).d)).toBe(toHex(d));
      expect(readPrivateKey(encodePkcs8(d)).format).toBe('pkcs8');
      expect(readPrivateKey(encodeSec1(d)).format).toBe('sec1');
      expect(toHex(readPublicKey(publicKeyToPem(pub)))).toBe(toHex(pub));
      expect(toHex(readPublicKey(encodeSpki(pub)))).toBe(toHex(pub));
      expect(toHex(readPublicKey(pub))).toBe(toHex(pub));
      // PEM given as bytes, with CRLF line ends and text around it
      const crlf = `Key for tests\r\n${privateKeyToPem(d).replace(/\n/g, '\r\n')}trailing words\r\n`;
      expect(toHex(readPrivateKey(utf8(crlf)).d)).toBe(toHex(d));
    }
  });

  it('compressed public keys are read and normalised to 04‖x‖y', () => {
    for (const d of keys) {
      const pub = getPublicKey(d);
      const compressed = getPublicKey(d, undefined, true);
      expect(compressed.length).toBe(33);
      expect(toHex(readPublicKey(compressed))).toBe(toHex(pub));
      expect(toHex(decodeSpki(encodeSpki(compressed)))).toBe(toHex(pub));
    }
  });

  it('encodings are deterministic DER (re-encoding gives the same bytes)', () => {
    const d = keys[0];
    expect(toHex(encodePkcs8(readPrivateKey(encodePkcs8(d)).d))).toBe(toHex(encodePkcs8(d)));
    expect(toHex(encodeSpki(readPublicKey(encodeSpki(getPublicKey(d)))))).toBe(toHex(encodeSpki(getPublicKey(d))));
  });
});

describe('SM2 key formats: interop with openssl', () => {
  it('openssl reads our PKCS#8, SEC1 and SPKI PEMs as SM2 keys with the same values', () => {
    for (let i = 0; i < 3; i++) {
      const d = generatePrivateKey();
      const pub = getPublicKey(d);
      for (const pem of [privateKeyToPem(d), sec1ToPem(d)]) {
        const t = opensslKeyText(opensslText(['pkey', '-text', '-noout'], pem));
        expect(t.curve).toBe('SM2');
        expect(t.priv).toBe(privHex(d));
        expect(t.pub).toBe(toHex(pub));
      }
      const tp = opensslKeyText(opensslText(['pkey', '-pubin', '-text', '-noout'], publicKeyToPem(pub)));
      expect(tp.curve).toBe('SM2');
      expect(tp.pub).toBe(toHex(pub));
      // DER forms too
      expect(opensslKeyText(opensslText(['pkey', '-inform', 'DER', '-text', '-noout'], encodePkcs8(d))).priv).toBe(privHex(d));
      expect(opensslKeyText(opensslText(['ec', '-inform', 'DER', '-text', '-noout'], encodeSec1(d))).priv).toBe(privHex(d));
      expect(opensslKeyText(opensslText(['pkey', '-pubin', '-inform', 'DER', '-text', '-noout'], encodeSpki(pub))).pub).toBe(toHex(pub));
      // openssl re-encodes our keys to exactly our bytes (same structure, same DER).
      // (OpenSSL 3.0 `pkey -outform DER` writes SEC1; `pkcs8 -topk8` writes PKCS#8.)
      expect(toHex(openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], privateKeyToPem(d)))).toBe(toHex(encodePkcs8(d)));
      expect(toHex(openssl(['ec', '-outform', 'DER'], sec1ToPem(d)))).toBe(toHex(encodeSec1(d)));
      expect(opensslText(['pkey', '-pubout'], privateKeyToPem(d))).toBe(publicKeyToPem(pub));
    }
  });

  it('we read the keys openssl writes: PKCS#8, SEC1 (EC and SM2 PRIVATE KEY labels), DER, compressed, no public key', () => {
    const pem = opensslText(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2']);
    const ref = opensslKeyText(opensslText(['pkey', '-text', '-noout'], pem));
    expect(ref.curve).toBe('SM2');
    const check = (label: string, data: Uint8Array | string, format: 'pkcs8' | 'sec1') => {
      const k = readPrivateKey(data);
      expect(k.format, label).toBe(format);
      expect(privHex(k.d), label).toBe(ref.priv);
      expect(toHex(k.publicKey), label).toBe(ref.pub);
    };
    check('genpkey PEM', pem, 'pkcs8');
    check('pkcs8 -topk8 -outform DER', openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], pem), 'pkcs8');
    check('pkey -outform DER (SEC1 in OpenSSL 3.0)', openssl(['pkey', '-outform', 'DER'], pem), 'sec1');
    const ecPem = opensslText(['ec'], pem);
    expect(ecPem).toContain('-----BEGIN SM2 PRIVATE KEY-----'); // OpenSSL 3.0's SEC1 label for SM2 keys
    check('ec PEM', ecPem, 'sec1');
    check('ec -outform DER', openssl(['ec', '-outform', 'DER'], pem), 'sec1');
    check('ec -conv_form compressed', openssl(['ec', '-outform', 'DER', '-conv_form', 'compressed'], pem), 'sec1');
    check('ec -no_public', openssl(['ec', '-outform', 'DER', '-no_public'], pem), 'sec1');

    const pubPem = opensslText(['pkey', '-pubout'], pem);
    expect(toHex(readPublicKey(pubPem))).toBe(ref.pub);
    expect(toHex(readPublicKey(openssl(['pkey', '-pubout', '-outform', 'DER'], pem)))).toBe(ref.pub);
    expect(toHex(readPublicKey(opensslText(['ec', '-pubout', '-conv_form', 'compressed'], pem)))).toBe(ref.pub);
  });

  it('explicit curve parameters (openssl ec -param_enc explicit) are KEY_UNSUPPORTED with a clear message', () => {
    const pem = opensslText(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2']);
    const sec1Pem = opensslText(['ec', '-param_enc', 'explicit'], pem);
    const sec1Der = openssl(['ec', '-param_enc', 'explicit', '-outform', 'DER'], pem);
    const p8 = opensslText(['pkey'], sec1Pem);
    const p8Der = openssl(['pkcs8', '-topk8', '-nocrypt', '-outform', 'DER'], sec1Pem);
    const spki = opensslText(['pkey', '-pubout'], sec1Pem);
    for (const [label, f] of [
      ['SEC1 PEM', () => readPrivateKey(sec1Pem)],
      ['SEC1 DER', () => readPrivateKey(sec1Der)],
      ['PKCS#8 PEM', () => readPrivateKey(p8)],
      ['PKCS#8 DER', () => readPrivateKey(p8Der)],
      ['SPKI PEM', () => readPublicKey(spki)],
    ] as const) {
      const e = errorOf(f);
      expect(e.code, label).toBe('KEY_UNSUPPORTED');
      expect(e.message, label).toMatch(/explicit curve parameters/);
    }
  });

  it('sample sign_key.pem (SEC1) matches the public key in sign_cert.pem, and signs', () => {
    const key = readPrivateKey(readFileSync(`${SAMPLES}/sign_key.pem`, 'utf8'));
    expect(key.format).toBe('sec1');
    const certPub = readPublicKey(opensslText(['x509', '-pubkey', '-noout', '-in', `${SAMPLES}/sign_cert.pem`]));
    expect(toHex(key.publicKey)).toBe(toHex(certPub));
    expect(toHex(certPub)).toBe(
      '0488a463449258a5c3e56c1a5724fb129e7c34c4dbe8573875d5b4f48bab2f6aeb66b9c690f7b5911dc535e013908d141a7dcdad87acdcbce789f888be3652050d',
    );
    const sig = sm2Sign(key.d, utf8('eseal'));
    expect(sm2Verify(certPub, utf8('eseal'), sig)).toBe(true);
  });

  it('PEM armour we write is what openssl writes (64-column base64, one block)', () => {
    const d = generatePrivateKey();
    const ours = privateKeyToPem(d);
    expect(opensslText(['pkey'], ours)).toBe(ours);
    expect(decodePem(ours, ['PRIVATE KEY']).der).toEqual(encodePkcs8(d));
    expect(encodePem('PRIVATE KEY', encodePkcs8(d))).toBe(ours);
  });
});
