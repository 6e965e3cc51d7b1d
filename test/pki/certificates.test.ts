import { afterAll, describe, expect, it } from 'vitest';
import { encodePem } from '../../src/util/pem.js';
import { readCertificates, readCertificate, validateChain, parseCertificate, prepareCertificate, assembleCertificate, randomSerial, PROFILES, dnToString, commonName, isSelfIssued } from '../../src/pki/index.js';
import { privateKeyToPem, publicKeyToPem, sm2Sign, sm2Verify, readPrivateKey } from '../../src/sm/index.js';
import { randomBytes } from '../../src/sm/_node.js';
import { makePki, issue, newKey, T0, years } from './fixtures.js';
import { DISTID, openssl, opensslOk, sample, tempDir } from '../helpers/openssl.js';
import { isEsealError } from '../../src/util/errors.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('SM2 certificates made by eseal', async () => {
  const pki = await makePki();

  it('carry Chinese names as UTF8String and the 统一社会信用代码 as organizationIdentifier', () => {
    expect(dnToString(pki.leaf.subject)).toBe('CN=某某科技有限公司,OI=NTRCN-91440300MA5XXXXX0X,O=某某科技有限公司,C=CN');
    expect(commonName(pki.ca)).toBe('广东省电子印章制作中心');
    const text = opensslOk(['x509', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus'], encodePem('CERTIFICATE', pki.leaf.der)).toString();
    expect(text).toContain('CN=某某科技有限公司');
    expect(text).toContain('Signature Algorithm: SM2-with-SM3');
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toMatch(/organizationIdentifier\s*=\s*NTRCN-91440300MA5XXXXX0X/);
  });

  it('have unique, unpredictable 16-byte positive serial numbers', async () => {
    const k = newKey();
    const serials = new Set<string>();
    for (let i = 0; i < 20; i++) serials.add((await issue(k, pki.caKey, { subject: `CN=s${i},C=CN`, issuer: pki.ca })).serialNumber);
    expect(serials.size).toBe(20);
    for (const s of serials) expect(s).toMatch(/^[4-7][0-9a-f]{31}$/);
  });

  // OpenSSL 3.0's `verify -vfyopt distid:` sets the SM2 ID on the certificate being verified only, not on
  // the CA certificates it loads, so each link of a longer chain is checked on its own (-partial_chain).
  const at = String(Math.floor(years(1).getTime() / 1000));
  it('every link root → intermediate → leaf is accepted by `openssl verify` with the SM2 distid', () => {
    const root = tmp.write('root.pem', encodePem('CERTIFICATE', pki.root.der));
    const ca = tmp.write('ca.pem', encodePem('CERTIFICATE', pki.ca.der));
    const leaf = tmp.write('leaf.pem', encodePem('CERTIFICATE', pki.leaf.der));
    for (const [anchor, cert] of [[root, root], [root, ca], [ca, leaf]]) {
      const r = openssl(['verify', '-vfyopt', DISTID, '-attime', at, '-partial_chain', '-CAfile', anchor, cert]);
      expect(r.stderr + r.stdout).toContain(': OK');
      expect(r.status).toBe(0);
    }
  });

  it('openssl rejects the leaf when a byte of its signature is changed (the check can fail)', () => {
    const der = pki.leaf.der.slice();
    der[der.length - 5] ^= 1;
    const leaf = tmp.write('leaf-bad.pem', encodePem('CERTIFICATE', der));
    const r = openssl(['verify', '-vfyopt', DISTID, '-attime', at, '-partial_chain', '-CAfile', tmp.path('ca.pem'), leaf]);
    expect(r.status).not.toBe(0);
    const ours = validateChain({ certificate: parseCertificate(der), intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1) });
    expect(ours.valid).toBe(false);
    expect(ours.problems[0].code).toBe('SIGNATURE_INVALID');
  });

  it('validateChain accepts the chain and reports revocation as not checked without CRLs', () => {
    const r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1) });
    expect(r.valid).toBe(true);
    expect(r.trusted).toBe(true);
    expect(r.chain.map(commonName)).toEqual(['某某科技有限公司', '广东省电子印章制作中心', 'eseal 测试根 CA']);
    expect(r.revocation).toBe('not-checked');
    expect(r.problems.map((p) => p.code)).toEqual(['REVOCATION_NOT_CHECKED', 'REVOCATION_NOT_CHECKED']);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('a certificate that is itself a trust anchor (e.g. a seal maker certificate) is trusted directly', () => {
    const r = validateChain({ certificate: pki.leaf, trustAnchors: [pki.leaf], time: years(1) });
    expect(r.valid).toBe(true);
    expect(r.chain).toHaveLength(1);
  });

  it('explains every failure: unknown issuer, expiry, not yet valid, wrong anchor', () => {
    let r = validateChain({ certificate: pki.leaf, trustAnchors: [pki.root], time: years(1) });
    expect(r.valid).toBe(false);
    expect(r.problems[0].code).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.problems[0].message).toContain('广东省电子印章制作中心');

    r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(3) });
    expect(r.valid).toBe(false);
    expect(r.problems.find((p) => p.code === 'EXPIRED')?.message).toMatch(/某某科技有限公司.*expired/);

    r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: new Date('2025-06-01T00:00:00Z') });
    expect(r.problems.filter((p) => p.code === 'NOT_YET_VALID')).toHaveLength(3);
  });

  it('detects a forged issuer: same name, different key', async () => {
    const forgerKey = newKey();
    const fakeCa = await issue(forgerKey, forgerKey, { subject: dnToString(pki.ca.subject), ...PROFILES.rootCa });
    const r = validateChain({ certificate: pki.leaf, trustAnchors: [fakeCa], time: years(1) });
    expect(r.valid).toBe(false);
    expect(r.problems[0].code).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.problems[0].message).toContain('different key');
  });

  it('enforces basicConstraints, keyUsage and path length', async () => {
    // a leaf that pretends to be a CA
    const eeKey = newKey();
    const ee = await issue(eeKey, pki.caKey, { subject: 'CN=not a ca,C=CN', issuer: pki.ca });
    const victimKey = newKey();
    // build "by hand" as if ee were a CA: prepareCertificate refuses a non-CA issuer, so patch the check
    const prepared = prepareCertificate({ subject: 'CN=victim,C=CN', publicKey: victimKey.pub, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: years(5), issuer: { ...ee, extensions: { ...ee.extensions, basicConstraints: { ca: true, critical: true } } } });
    const victim = assembleCertificate(prepared, sm2Sign(eeKey.d, prepared.tbs));
    let r = validateChain({ certificate: victim, intermediates: [ee, pki.ca], trustAnchors: [pki.root], time: years(1) });
    expect(r.problems.map((p) => p.code)).toContain('NOT_A_CA');
    expect(r.problems.map((p) => p.code)).toContain('KEY_USAGE_MISSING');

    // pathLength 0 on the intermediate: a second CA below it is refused
    const subKey = newKey();
    const sub = await issue(subKey, pki.caKey, { subject: 'CN=sub ca,C=CN', issuer: pki.ca, ...PROFILES.intermediateCa });
    const deepKey = newKey();
    const deep = await issue(deepKey, subKey, { subject: 'CN=deep,C=CN', issuer: sub });
    r = validateChain({ certificate: deep, intermediates: [sub, pki.ca], trustAnchors: [pki.root], time: years(1) });
    expect(r.problems.map((p) => p.code)).toContain('PATH_LENGTH_EXCEEDED');

    r = validateChain({ certificate: pki.ca, trustAnchors: [pki.root], time: years(1), requiredKeyUsage: ['nonRepudiation'] });
    expect(r.problems.map((p) => p.code)).toContain('KEY_USAGE_MISSING');
  });

  it('round-trips through DER and PEM; readCertificates reads a PEM bundle', () => {
    const bundle = [pki.leaf, pki.ca, pki.root].map((c) => encodePem('CERTIFICATE', c.der)).join('');
    const certs = readCertificates(bundle);
    expect(certs.map((c) => c.fingerprintSm3)).toEqual([pki.leaf, pki.ca, pki.root].map((c) => c.fingerprintSm3));
    expect(isSelfIssued(pki.root)).toBe(true);
    expect(isSelfIssued(pki.leaf)).toBe(false);
  });
});

describe('certificates made elsewhere', () => {
  it('accepts a chain that `openssl req/x509 -sm3 -sigopt distid:...` makes', () => {
    const t = tempDir();
    try {
      opensslOk(['genpkey', '-algorithm', 'SM2', '-out', t.path('ca.key')]);
      opensslOk(['req', '-new', '-x509', '-key', t.path('ca.key'), '-sm3', '-sigopt', DISTID, '-subj', '/C=CN/O=OpenSSL 测试/CN=OpenSSL Root', '-days', '3650', '-utf8', '-out', t.path('ca.pem'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
      opensslOk(['genpkey', '-algorithm', 'SM2', '-out', t.path('ee.key')]);
      opensslOk(['req', '-new', '-key', t.path('ee.key'), '-sm3', '-sigopt', DISTID, '-subj', '/C=CN/CN=签章人', '-utf8', '-out', t.path('ee.csr')]);
      t.write('ext.cnf', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
      opensslOk(['x509', '-req', '-in', t.path('ee.csr'), '-CA', t.path('ca.pem'), '-CAkey', t.path('ca.key'), '-CAcreateserial', '-sm3', '-sigopt', DISTID, '-vfyopt', DISTID, '-days', '365', '-extfile', t.path('ext.cnf'), '-out', t.path('ee.pem')]);
      const ca = readCertificate(t.read('ca.pem'));
      const ee = readCertificate(t.read('ee.pem'));
      expect(commonName(ee)).toBe('签章人');
      const r = validateChain({ certificate: ee, trustAnchors: [ca], time: new Date(ee.notBefore.getTime() + 86400_000) });
      expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(r.valid).toBe(true);
      // and the key openssl made signs what its certificate verifies
      const key = readPrivateKey(t.read('ee.key'));
      expect(sm2Verify(ee.spki.publicKey, new Uint8Array([1, 2, 3]), sm2Sign(key.d, new Uint8Array([1, 2, 3])))).toBe(true);
    } finally {
      t.cleanup();
    }
  });

  it('parses the sample certificates, with NULL or absent algorithm parameters', () => {
    const c = readCertificate(sample('keys/sign_cert.pem'));
    expect(c.signatureAlgorithm).toBe('1.2.156.10197.1.501');
    expect(c.spki.keyType).toBe('sm2');
    const pub = opensslOk(['x509', '-pubkey', '-noout'], sample('keys/sign_cert.pem')).toString();
    expect(publicKeyToPem(c.spki.publicKey)).toBe(pub);
    expect(['null', 'absent']).toContain(c.signatureAlgorithmParameters);
  });

  it('parses certificates with the tax bureau NULL parameters (from a sample seal)', async () => {
    // invoice_gomain_zj_1's seal carries tax-bureau certificates whose signatureAlgorithm has NULL params.
    const { extractedSealCertificates } = await import('./sample-certs.js');
    const certs = extractedSealCertificates();
    expect(certs.length).toBeGreaterThan(0);
    expect(certs.some((c) => c.signatureAlgorithmParameters === 'null')).toBe(true);
    for (const c of certs) expect(c.spki.keyType).toBe('sm2');
  });
});

describe('bad certificates', () => {
  it('give CERT_MALFORMED naming the problem, never a crash', async () => {
    const { leaf } = await makePki();
    for (let n = 0; n < leaf.der.length; n += 7) {
      try {
        parseCertificate(leaf.der.subarray(0, n));
        throw new Error(`truncated at ${n} parsed`);
      } catch (e) {
        expect(isEsealError(e, 'CERT_MALFORMED'), `truncated at ${n}: ${(e as Error).message}`).toBe(true);
      }
    }
    const trailing = new Uint8Array([...leaf.der, 0]);
    expect(() => parseCertificate(trailing)).toThrow(/trailing/);
    expect(() => readCertificates('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toThrow(/no CERTIFICATE/);
    const huge = new Uint8Array([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00]);
    expect(() => parseCertificate(huge)).toThrow(/truncated|claims/);
    // corrupt every byte in turn: parse or a clean error, never anything else
    for (let i = 0; i < leaf.der.length; i++) {
      const b = leaf.der.slice();
      b[i] ^= 0xff;
      try {
        parseCertificate(b);
      } catch (e) {
        expect(isEsealError(e), `byte ${i}: ${(e as Error).stack}`).toBe(true);
      }
    }
  });

  it('keys: private key PEM round trip still signs for the certificate', async () => {
    const { leaf, leafKey } = await makePki();
    const back = readPrivateKey(privateKeyToPem(leafKey.d));
    expect(sm2Verify(leaf.spki.publicKey, new Uint8Array([9]), sm2Sign(back.d, new Uint8Array([9])))).toBe(true);
  });
});
