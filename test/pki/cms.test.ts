/**
 * CMS SignedData: the real GB/T 35275 samples verify, our own SignedData round-trips in both SM2 OID
 * flavours and with RSA-2048 / P-256, openssl judges what it can (RSA/ECDSA `cms -verify`; SM2
 * signature over the signed attributes with `pkeyutl` + distid), tampering gives the right failing
 * fact, and broken input gives CMS_MALFORMED without crashing or hanging.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assembleSignedData, id_aa_signingCertificateV2, id_data, id_gm_data, id_gm_signedData, id_signedData, parseSignedData, prepareSignedData,
  verifySignedData, issueCertificate, PROFILES, type CmsAttribute, type PrepareSignedDataParams,
} from '../../src/pki/index.js';
import { publicKeyToPem, sm2Sign, sm3 } from '../../src/sm/index.js';
import { derUtf8String, parseDer } from '../../src/util/der.js';
import { toHex } from '../../src/util/bytes.js';
import { isEsealError } from '../../src/util/errors.js';
import { DISTID, openssl, SAMPLES, sample, tempDir } from '../helpers/openssl.js';
import { makePki, newKey, T0, years } from './fixtures.js';
import { certPem, issueFor, newAnyKey, signPrepared, type AnyKey } from '../fixtures/cms/keys.js';

const tmp = tempDir('eseal-cms-');
afterAll(() => tmp.cleanup());

const unzipMember = (ofd: string, member: string): Uint8Array => new Uint8Array(execFileSync('unzip', ['-p', join(SAMPLES, 'ofd', ofd), member]));
const u8 = (b: Buffer) => new Uint8Array(b);

describe('real GB/T 35275 SignedData samples', () => {
  it('gomain_testPathClip Sign_0: detached, signed attributes, messageDigest = SM3(Signature.xml)', () => {
    const der = u8(sample('extracted/gomain_testPathClip_Sign_0.SignedValue.dat'));
    const xml = u8(sample('extracted/gomain_testPathClip_Sign_0.Signature.xml'));
    const p = parseSignedData(der);
    expect(p.flavour).toBe('gbt35275');
    expect(p.contentInfoType).toBe(id_gm_signedData);
    expect(p.eContentType).toBe(id_data); // this vendor labels the inner type with the PKCS#7 OID
    expect(p.encapsulatedContent).toBeUndefined();
    expect(p.certificates).toHaveLength(1);
    const si = p.signers[0];
    expect(si.sid.type).toBe('issuerAndSerialNumber');
    expect(si.contentType).toBe(id_gm_data);
    expect(toHex(si.messageDigest!)).toBe('f9562a72bf3cc81454602208d7b70441cec0818eb4e28391dfea53001e467065');
    expect(si.signingTime?.toISOString()).toBe('2022-11-16T11:20:58.000Z');
    expect(si.signatureAlgorithm.oid).toBe('1.2.156.10197.1.301.1');
    expect(si.sm2SignatureEncoding).toBe('der');
    expect(si.signedAttributes!.raw[0]).toBe(0xa0);
    expect(si.signedAttributes!.toBeVerified[0]).toBe(0x31);
    expect(si.signedAttributes!.toBeVerified.subarray(1)).toEqual(si.signedAttributes!.raw.subarray(1));

    const [f] = verifySignedData(p, { detachedContent: xml });
    expect(f.errors).toEqual([]);
    // The YNCA signer certificate carries a vendor extension 1.2.5.29.1 whose value is text, not DER:
    // unknown extensions are not decoded, so the certificate is read as openssl reads it.
    expect(f.warnings).toEqual([]);
    expect(f.certificate).toBeDefined();
    expect(f.certificateDer).toEqual(p.certificates[0]);
    expect(f).toMatchObject({ certificateFound: true, contentTypeMatches: true, messageDigestMatches: true, signatureValid: true, valid: true, signatureCovers: 'signed-attributes' });
    expect(verifySignedData(p, { contentDigest: sm3(xml) })[0].valid).toBe(true);

    const noContent = verifySignedData(p)[0];
    expect(noContent.signatureValid).toBe(true);
    expect(noContent.messageDigestMatches).toBeUndefined();
    expect(noContent.valid).toBe(false);
    expect(noContent.errors.join()).toContain('message digest was not checked');

    const other = verifySignedData(p, { detachedContent: xml.subarray(1) })[0];
    expect(other.messageDigestMatches).toBe(false);
    expect(other.signatureValid).toBe(true);
    expect(other.valid).toBe(false);
  });

  it('gomain_sign35275_testImageNotFound.ofd: both Type="Sign" signatures verify over their Signature.xml', () => {
    for (const n of [0, 1]) {
      const p = parseSignedData(unzipMember('gomain_sign35275_testImageNotFound.ofd', `Doc_0/Signs/Sign_${n}/SignedValue.dat`));
      const xml = unzipMember('gomain_sign35275_testImageNotFound.ofd', `Doc_0/Signs/Sign_${n}/Signature.xml`);
      const [f] = verifySignedData(p, { detachedContent: xml });
      expect(f.errors).toEqual([]);
      expect(f.valid).toBe(true);
      expect(f.certificateDer).toBeDefined();
    }
  });

  it('tongzhi_keyword.ofd Sign_3: attached SM3 hash, no attributes, raw r‖s — the signature covers the encapsulated content', () => {
    const p = parseSignedData(unzipMember('tongzhi_keyword.ofd', 'Doc_0/Signs/Sign_3/SignedValue.dat'));
    const xml = unzipMember('tongzhi_keyword.ofd', 'Doc_0/Signs/Sign_3/Signature.xml');
    expect(p.flavour).toBe('gbt35275');
    expect(p.eContentType).toBe(id_gm_data);
    expect(p.encapsulatedContent).toEqual(sm3(xml)); // GM/T 0099 variant b: the content is SM3(Signature.xml)
    const si = p.signers[0];
    expect(si.signedAttributes).toBeUndefined();
    expect(si.sm2SignatureEncoding).toBe('raw');
    expect(si.signature).toHaveLength(64);
    const [f] = verifySignedData(p);
    expect(f.errors).toEqual([]);
    expect(f).toMatchObject({ signatureCovers: 'content', signatureValid: true, valid: true, certificateFound: true });
    expect(f.messageDigestMatches).toBeUndefined();
  });

  it('a bare DER SM2 signature (ofdrw DigitalSign) is not CMS: CMS_BARE_SIGNATURE', () => {
    const bare = unzipMember('ofdrw_DigitalSign.ofd', 'Doc_0/Signs/Sign_0/SignedValue.dat');
    expect(() => parseSignedData(bare)).toThrow(expect.objectContaining({ code: 'CMS_BARE_SIGNATURE' }));
    const raw = sm2Sign(newKey().d, new Uint8Array(3)).subarray(0); // DER, 70-72 bytes
    expect(() => parseSignedData(raw)).toThrow(expect.objectContaining({ code: 'CMS_BARE_SIGNATURE' }));
    const rs = new Uint8Array(64).fill(0x5a);
    expect(() => parseSignedData(rs)).toThrow(expect.objectContaining({ code: 'CMS_BARE_SIGNATURE' }));
  });
});

// ------------------------------------------------------------------------------------------------ our own

interface Signer {
  name: string;
  key: AnyKey;
  cert: Uint8Array;
  chain: Uint8Array[];
  flavour: 'gbt35275' | 'rfc5652';
}

async function makeSigners(): Promise<Signer[]> {
  const pki = await makePki();
  const sm2: AnyKey = { kind: 'sm2', sm2: pki.leafKey };
  const rsa = newAnyKey('rsa');
  const p256 = newAnyKey('p256');
  const rsaCert = await issueFor(rsa, rsa, { subject: 'CN=RSA signer,O=eseal test,C=CN', ...PROFILES.sealHolder });
  const ecCert = await issueFor(p256, p256, { subject: 'CN=P-256 signer,O=eseal test,C=CN', ...PROFILES.sealHolder });
  return [
    { name: 'SM2 GB/T 35275', key: sm2, cert: pki.leaf.der, chain: [pki.ca.der], flavour: 'gbt35275' },
    { name: 'SM2 RFC 5652 + SM OIDs', key: sm2, cert: pki.leaf.der, chain: [pki.ca.der], flavour: 'rfc5652' },
    { name: 'RSA-2048', key: rsa, cert: rsaCert.der, chain: [], flavour: 'rfc5652' },
    { name: 'P-256', key: p256, cert: ecCert.der, chain: [], flavour: 'rfc5652' },
  ];
}

function build(s: Signer, content: Uint8Array, extra: Partial<PrepareSignedDataParams> = {}): Uint8Array {
  const state = prepareSignedData({ flavour: s.flavour, content, signerCertificate: s.cert, certificates: s.chain, ...extra });
  return assembleSignedData(state, signPrepared(s.key, state));
}

describe('SignedData made by eseal', async () => {
  const signers = await makeSigners();
  const content = new TextEncoder().encode('<ofd:Signature>签章 测试</ofd:Signature>\n');
  const data = tmp.write('content.bin', content);

  for (const s of signers) {
    for (const encapsulate of [false, true]) {
      for (const attrs of [true, false]) {
        it(`${s.name}: ${encapsulate ? 'attached' : 'detached'}, ${attrs ? 'with' : 'without'} signed attributes round-trips`, () => {
          const der = build(s, content, {
            encapsulate,
            signedAttributes: attrs ? { signingTime: new Date('2026-03-01T08:00:00Z'), signingCertificateV2: s.key.kind !== 'sm2' || { hash: 'sm3' } } : false,
          });
          const p = parseSignedData(der);
          expect(p.contentInfoType).toBe(s.flavour === 'gbt35275' ? id_gm_signedData : id_signedData);
          expect(p.eContentType).toBe(s.flavour === 'gbt35275' ? id_gm_data : id_data);
          expect(p.encapsulatedContent).toEqual(encapsulate ? content : undefined);
          expect(p.certificates).toHaveLength(1 + s.chain.length);
          const [f] = verifySignedData(p, encapsulate ? {} : { detachedContent: content });
          expect(f.errors).toEqual([]);
          expect(f.valid).toBe(true);
          expect(f.signatureCovers).toBe(attrs ? 'signed-attributes' : 'content');
          if (attrs) {
            expect(f.signingTime?.toISOString()).toBe('2026-03-01T08:00:00.000Z');
            expect(f.signingCertificateMatches).toBe(true);
          }
        });
      }
    }
  }

  it('GB/T 35275 flavour: asn1parse shows the GM OIDs; openssl pkeyutl (SM3, distid) accepts the signature over the signed attributes', () => {
    const s = signers[0];
    const der = build(s, content, { signedAttributes: { signingTime: T0 } });
    const text = openssl(['asn1parse', '-inform', 'DER'], der).stdout;
    expect(text).toContain(':1.2.156.10197.6.1.4.2.2');
    expect(text).toContain(':1.2.156.10197.6.1.4.2.1');
    expect(text).toContain(':1.2.156.10197.1.301.1');
    expect(text).toContain(':sm3');
    expect(text).toContain(':signingTime');
    const si = parseSignedData(der).signers[0];
    const pub = tmp.write('sm2.pub.pem', publicKeyToPem(s.key.sm2!.pub));
    const tbs = tmp.write('sm2.tbs', si.signedAttributes!.toBeVerified);
    const sig = tmp.write('sm2.sig', si.signature);
    const ok = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pub, '-in', tbs, '-sigfile', sig, '-pkeyopt', DISTID]);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    const bad = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pub, '-in', tmp.write('sm2.raw', si.signedAttributes!.raw), '-sigfile', sig, '-pkeyopt', DISTID]);
    expect(bad.status).not.toBe(0); // the [0]-tagged bytes are NOT what was signed
  });

  it('RFC 5652 flavour with SM2: pkcs7-signedData, sm3 and SM2-with-SM3 OIDs, openssl pkeyutl accepts the signature', () => {
    const s = signers[1];
    const der = build(s, content);
    const text = openssl(['asn1parse', '-inform', 'DER'], der).stdout;
    expect(text).toContain(':pkcs7-signedData');
    expect(text).toContain(':pkcs7-data');
    expect(text).toContain(':SM2-with-SM3');
    expect(text).not.toContain('1.2.156.10197.6.1.4.2');
    const si = parseSignedData(der).signers[0];
    const r = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', tmp.write('sm2b.pub.pem', publicKeyToPem(s.key.sm2!.pub)), '-in', tmp.write('sm2b.tbs', si.signedAttributes!.toBeVerified), '-sigfile', tmp.write('sm2b.sig', si.signature), '-pkeyopt', DISTID]);
    expect(r.stdout).toContain('Signature Verified Successfully');
  });

  for (const idx of [2, 3]) {
    it(`openssl cms -verify accepts ${['', '', 'RSA-2048', 'P-256'][idx]} SignedData (detached and attached, with and without attributes) and rejects tampered content`, () => {
      const s = signers[idx];
      const ca = tmp.write(`ca${idx}.pem`, certPem(s.cert));
      for (const attrs of [true, false]) {
        const det = tmp.write(`det${idx}${attrs}.der`, build(s, content, { signedAttributes: attrs ? { signingTime: T0, signingCertificateV2: true } : false }));
        const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', det, '-content', data, '-noverify', '-out', tmp.path('out.bin')]);
        expect(r.stderr).toContain('Verification successful');
        // full verification against the self-signed certificate as anchor, too
        const full = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', det, '-content', data, '-CAfile', ca, '-purpose', 'any', '-attime', String(Math.floor(years(1).getTime() / 1000)), '-out', tmp.path('out.bin')]);
        expect(full.stderr).toContain('Verification successful');
        const att = tmp.write(`att${idx}${attrs}.der`, build(s, content, { encapsulate: true, signedAttributes: attrs ? {} : false }));
        const r2 = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', att, '-noverify']);
        expect(r2.stderr).toContain('Verification successful');
        expect(r2.stdout).toBe(new TextDecoder().decode(content));
        const bad = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', det, '-content', tmp.write('bad.bin', content.subarray(1)), '-noverify', '-out', tmp.path('out.bin')]);
        expect(bad.status).not.toBe(0);
      }
    });
  }

  it('openssl-made RSA and P-256 SignedData verify with ours', () => {
    for (const idx of [2, 3]) {
      const s = signers[idx];
      const key = tmp.write(`k${idx}.pem`, s.key.node!.export({ type: 'pkcs8', format: 'pem' }).toString());
      const cert = tmp.write(`c${idx}.pem`, certPem(s.cert));
      for (const extra of [[], ['-nosmimecap', '-noattr'], ['-nodetach']]) {
        const out = tmp.path(`o${idx}.der`);
        const r = openssl(['cms', '-sign', '-binary', '-in', data, '-signer', cert, '-inkey', key, '-md', 'sha256', '-outform', 'DER', '-out', out, ...extra]);
        expect(r.status, r.stderr).toBe(0);
        const p = parseSignedData(u8(tmp.read(`o${idx}.der`)));
        const [f] = verifySignedData(p, p.encapsulatedContent ? {} : { detachedContent: content });
        expect(f.errors).toEqual([]);
        expect(f.valid).toBe(true);
        expect(f.signedAttributesPresent).toBe(!extra.includes('-noattr'));
      }
    }
  });

  it('rsaEncryption as digestEncryptionAlgorithm, subjectKeyIdentifier sid and extra signed attributes are honoured', () => {
    const s = signers[2];
    const approval: CmsAttribute = { oid: '1.2.156.112600.9.9', values: [derUtf8String('同意用印')] };
    const der = build(s, content, { rsaSignatureOid: 'rsaEncryption', signerIdentifier: 'subjectKeyIdentifier', signedAttributes: { extra: [approval] } });
    const p = parseSignedData(der);
    expect(p.version).toBe(3);
    expect(p.signers[0].version).toBe(3);
    expect(p.signers[0].sid.type).toBe('subjectKeyIdentifier');
    expect(p.signers[0].signatureAlgorithm.oid).toBe('1.2.840.113549.1.1.1');
    expect(p.signers[0].signedAttributes!.attributes.find((a) => a.oid === approval.oid)?.values[0]).toEqual(approval.values[0]);
    expect(verifySignedData(p, { detachedContent: content })[0].valid).toBe(true);
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', tmp.write('ski.der', der), '-content', data, '-noverify', '-out', tmp.path('out.bin')]);
    expect(r.stderr).toContain('Verification successful');
  });

  it('P-384 with SHA-384 and RSA with SHA-512 are accepted by openssl cms -verify and by ours', async () => {
    const p384 = newAnyKey('p384');
    const c384 = await issueFor(p384, p384, { subject: 'CN=P-384 signer,C=CN', ...PROFILES.sealHolder });
    const cases: [Signer, 'sha384' | 'sha512'][] = [
      [{ name: 'P-384', key: p384, cert: c384.der, chain: [], flavour: 'rfc5652' }, 'sha384'],
      [signers[2], 'sha512'],
    ];
    for (const [s, digestAlgorithm] of cases) {
      const der = build(s, content, { digestAlgorithm, signedAttributes: { signingCertificateV2: { hash: digestAlgorithm } } });
      const p = parseSignedData(der);
      expect(p.signers[0].digestAlgorithm.oid).toBe(digestAlgorithm === 'sha384' ? '2.16.840.1.101.3.4.2.2' : '2.16.840.1.101.3.4.2.3');
      expect(verifySignedData(p, { detachedContent: content })[0].valid).toBe(true);
      const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', tmp.write(`${digestAlgorithm}.der`, der), '-content', data, '-noverify', '-out', tmp.path('out.bin')]);
      expect(r.stderr).toContain('Verification successful');
    }
  });

  it('a SignedData without its ContentInfo wrapper is read too (some GM/T 0010 producers)', () => {
    const der = build(signers[0], content, { encapsulate: true });
    const inner = parseDer(der).children()[1].children()[0].raw;
    const p = parseSignedData(inner);
    expect(p.contentInfoType).toBeUndefined();
    expect(p.flavour).toBe('gbt35275');
    expect(verifySignedData(p)[0].valid).toBe(true);
  });

  it('a precomputed digest signs a detached document; unsigned attributes are carried unsigned', () => {
    const s = signers[0];
    const state = prepareSignedData({ flavour: 'gbt35275', contentDigest: sm3(content), signerCertificate: s.cert });
    const seal: CmsAttribute = { oid: '1.2.156.10197.6.1.4.2.9', values: [derUtf8String('seal')] };
    const der = assembleSignedData(state, signPrepared(s.key, state), { unsignedAttributes: [seal] });
    const p = parseSignedData(der);
    expect(p.signers[0].unsignedAttributes?.attributes[0].oid).toBe(seal.oid);
    expect(verifySignedData(p, { detachedContent: content })[0].valid).toBe(true);
  });

  it('assemble refuses a signature from another key (wrong HSM slot) and bad parameters', () => {
    const s = signers[0];
    const state = prepareSignedData({ content, signerCertificate: s.cert });
    expect(() => assembleSignedData(state, sm2Sign(newKey().d, state.toBeSigned))).toThrow(expect.objectContaining({ code: 'CMS_SIGNATURE_INVALID' }));
    expect(() => prepareSignedData({ content, signerCertificate: signers[2].cert, flavour: 'gbt35275' })).toThrow(/SM2/);
    expect(() => prepareSignedData({ content, signerCertificate: s.cert, digestAlgorithm: 'sha256' })).toThrow(/SM3/);
    expect(() => prepareSignedData({ contentDigest: sm3(content), signerCertificate: s.cert, signedAttributes: false })).toThrow(/content/);
    expect(() => prepareSignedData({ contentDigest: new Uint8Array(5), signerCertificate: s.cert })).toThrow(/bytes/);
  });
});

describe('tampering gives the right failing fact', async () => {
  const pki = await makePki();
  const key: AnyKey = { kind: 'sm2', sm2: pki.leafKey };
  const content = new TextEncoder().encode('the document');
  const state = prepareSignedData({ content, signerCertificate: pki.leaf.der, signedAttributes: { signingTime: new Date('2026-03-04T05:06:07Z'), signingCertificateV2: { hash: 'sm3' } } });
  const der = assembleSignedData(state, signPrepared(key, state));
  const good = parseSignedData(der);

  it('changed content → messageDigestMatches false, signature still valid', () => {
    const [f] = verifySignedData(good, { detachedContent: new TextEncoder().encode('the documenT') });
    expect(f).toMatchObject({ messageDigestMatches: false, signatureValid: true, valid: false });
    expect(f.errors[0]).toMatch(/message-digest attribute does not match/);
  });

  it('changed signed attribute (signing time) → signature invalid', () => {
    const bad = der.slice();
    const at = indexOf(bad, new TextEncoder().encode('260304050607Z'));
    bad[at + 1] ^= 0x01; // '6' → '7': 2026 → 2027, still a valid UTCTime
    const [f] = verifySignedData(parseSignedData(bad), { detachedContent: content });
    expect(f).toMatchObject({ messageDigestMatches: true, signatureValid: false, valid: false });
    expect(f.signingTime?.getUTCFullYear()).toBe(2027);
  });

  it('changed signature value → signature invalid', () => {
    const bad = der.slice();
    const sig = good.signers[0].signature;
    const at = indexOf(bad, sig);
    bad[at + sig.length - 3] ^= 0x40;
    const [f] = verifySignedData(parseSignedData(bad), { detachedContent: content });
    expect(f.signatureValid).toBe(false);
    expect(f.valid).toBe(false);
    expect(f.errors.join()).toMatch(/signature/);
  });

  it('signer certificate swapped for another one → certificate not found', async () => {
    const other = newKey();
    const impostor = await issueCertificate({ subject: 'CN=someone else,C=CN', publicKey: other.pub, serialNumber: Uint8Array.of(0x42), notBefore: T0, notAfter: years(1), issuer: pki.ca }, (t) => sm2Sign(pki.caKey.d, t));
    const [f] = verifySignedData({ ...good, certificates: [impostor.der] }, { detachedContent: content });
    expect(f).toMatchObject({ certificateFound: false, signatureValid: false, valid: false });
    expect(f.errors[0]).toMatch(/no certificate matches the signer identifier/);
  });

  it('certificate with the same issuer and serial but another key → signature invalid and ESS mismatch', async () => {
    const other = newKey();
    const twin = await issueCertificate(
      { subject: 'CN=twin,C=CN', publicKey: other.pub, serialNumber: Uint8Array.from(Buffer.from(pki.leaf.serialNumber, 'hex')), notBefore: T0, notAfter: years(1), issuer: pki.ca },
      (t) => sm2Sign(pki.caKey.d, t),
    );
    const [f] = verifySignedData({ ...good, certificates: [twin.der] }, { detachedContent: content });
    expect(f).toMatchObject({ certificateFound: true, signatureValid: false, signingCertificateMatches: false, valid: false });
    expect(f.errors.join()).toMatch(/ESS sm3 certificate hash does not match/);
  });

  it('the ESS attribute is what pins the certificate', () => {
    const si = good.signers[0];
    expect(si.signedAttributes!.attributes.some((a) => a.oid === id_aa_signingCertificateV2)).toBe(true);
  });

  it('truncated input at every length gives CMS_MALFORMED', () => {
    for (let n = 0; n < der.length; n++) {
      let code = '';
      try {
        parseSignedData(der.subarray(0, n));
      } catch (e) {
        code = isEsealError(e) ? e.code : `not EsealError: ${String(e)}`;
      }
      expect(code, `prefix of ${n} bytes`).toBe('CMS_MALFORMED');
    }
    // trailing bytes are refused unless asked for (PDF /Contents padding)
    const padded = new Uint8Array(der.length + 100);
    padded.set(der);
    expect(() => parseSignedData(padded)).toThrow(expect.objectContaining({ code: 'CMS_MALFORMED' }));
    expect(parseSignedData(padded, { allowTrailing: true }).der).toEqual(der);
  });

  it('garbage, bit flips, deep nesting and huge length claims never crash or hang', () => {
    const started = performance.now();
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const allowed = new Set(['CMS_MALFORMED', 'CMS_BARE_SIGNATURE', 'CMS_NOT_SIGNED_DATA', 'DER_MALFORMED', 'LIMIT_EXCEEDED']);
    const tryOne = (b: Uint8Array) => {
      try {
        const p = parseSignedData(b);
        for (const f of verifySignedData(p, { detachedContent: content })) expect(typeof f.valid).toBe('boolean');
      } catch (e) {
        if (!isEsealError(e) || !allowed.has(e.code)) throw e;
      }
    };
    for (let i = 0; i < 300; i++) tryOne(Uint8Array.from({ length: 1 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)));
    for (let i = 0; i < 1500; i++) {
      const b = der.slice();
      b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
      tryOne(b);
    }
    const deep = new Uint8Array(20000);
    for (let i = 0; i < 10000; i++) deep.set([0x30, 0x80], i * 2);
    expect(() => parseSignedData(deep)).toThrow(expect.objectContaining({ code: 'CMS_MALFORMED' }));
    let nested: Uint8Array = Uint8Array.of(0x05, 0x00);
    for (let i = 0; i < 200; i++) nested = Uint8Array.from([0x30, ...lengthOctets(nested.length), ...nested]);
    expect(() => parseSignedData(nested)).toThrow(expect.objectContaining({ code: 'CMS_MALFORMED' }));
    expect(() => parseSignedData(Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00))).toThrow(expect.objectContaining({ code: 'CMS_MALFORMED' }));
    // another CMS content type
    const enveloped = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0xa0, 0x00);
    expect(() => parseSignedData(enveloped)).toThrow(expect.objectContaining({ code: 'CMS_NOT_SIGNED_DATA' }));
    expect(performance.now() - started).toBeLessThan(15000);
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

function lengthOctets(n: number): number[] {
  if (n < 128) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}
