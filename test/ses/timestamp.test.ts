/**
 * RFC 3161 / GB/T 20520 time stamps: our SM2 TSA round-trips over SM3 and SHA-256 imprints, every
 * failure is reported as a fact, and openssl is the independent judge: `ts -query` → our responder →
 * `ts -reply -text`; `ts -verify` accepts our RSA and P-256 tokens; openssl's RSA tokens verify with ours;
 * SM2 token signatures check out with `pkeyutl` + distid. The dummy token of UserV5_ts.esl is reported
 * as "not a TimeStampToken".
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readCertificate, parseCertificate, issueCertificate, PROFILES, randomSerial, type Certificate } from '../../src/pki/index.js';
import {
  assembleTimeStampToken, encodeTimeStampReq, issueTimeStamp, localTsaResponder, makeTsaCertificate, parseTimeStampReq, parseTimeStampResp,
  parseTimeStampToken, prepareTimeStampToken, respondToTimeStampRequest, verifyTimeStampToken, type TimeStampResponder,
} from '../../src/ses/timestamp/index.js';
import { publicKeyToPem, sm2Sign, sm3 } from '../../src/sm/index.js';
import { randomBytes } from '../../src/sm/_node.js';
import { parseDer, readBitStringBytes } from '../../src/util/der.js';
import { toHex } from '../../src/util/bytes.js';
import { DISTID, openssl, opensslOk, sample, tempDir } from '../helpers/openssl.js';
import { makePki, newKey, T0, years } from '../pki/fixtures.js';
import { nodeKeyFromPem, signPrepared, type AnyKey } from '../fixtures/cms/keys.js';
import { createHash } from 'node:crypto';

const tmp = tempDir('eseal-ts-');
afterAll(() => tmp.cleanup());

const POLICY = '1.2.156.112600.1.1';
const GEN = new Date('2026-06-01T12:00:00.500Z');
const data = new TextEncoder().encode('签章值 signature value to be time-stamped');
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

describe('SM2 time stamps made by eseal', async () => {
  const pki = await makePki();
  const tsaKey = newKey();
  const tsaCert = await makeTsaCertificate({
    subject: 'CN=eseal 时间戳服务,O=eseal,C=CN', tsaKey: tsaKey.d, issuer: pki.ca, issuerKey: pki.caKey.d, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: years(5),
  });
  const tsa = { key: tsaKey.d, certificate: tsaCert.der, chain: [pki.ca.der] };
  const serialNumber = Uint8Array.of(0x01, 0x23, 0x45, 0x67, 0x89, 0xab);
  const trust = { trust: [pki.root] };

  it('the TSA certificate has critical extendedKeyUsage timeStamping only', () => {
    expect(tsaCert.extensions.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    expect(tsaCert.extensions.all.find((e) => e.oid === '2.5.29.37')?.critical).toBe(true);
  });

  for (const hashAlgorithm of ['sm3', 'sha256'] as const) {
    it(`round trip over a ${hashAlgorithm} imprint: every fact holds`, () => {
      const hashedMessage = hashAlgorithm === 'sm3' ? sm3(data) : sha256(data);
      const token = issueTimeStamp({ ...tsa, hashAlgorithm, hashedMessage, genTime: GEN, serialNumber, policy: POLICY, accuracy: { seconds: 1, millis: 5 }, nonce: Uint8Array.of(0x9f, 1, 2), includeTsaName: true });
      const f = verifyTimeStampToken(token, { data, ...trust, nonce: Uint8Array.of(0x9f, 1, 2) });
      expect(f.errors).toEqual([]);
      expect(f).toMatchObject({
        format: { ok: true }, policy: POLICY, serialNumber: '0123456789ab', messageImprintMatches: true, nonceMatches: true, tsaCertificateFound: true,
        timeStampingEku: true, tsaCertificateValidAtGenTime: true, tsaNameMatches: true, signatureValid: true, messageDigestMatches: true, signingCertificateMatches: true, valid: true,
        accuracy: { seconds: 1, millis: 5, micros: 0 }, nonce: '009f0102',
      });
      expect(f.genTime?.toISOString()).toBe('2026-06-01T12:00:00.500Z');
      expect(f.parsed?.tstInfo.genTimeText).toBe('20260601120000.5Z');
      expect(f.messageImprint?.algorithmName).toBe(hashAlgorithm);
      expect(f.tsaCertificate?.subject).toBe('CN=eseal 时间戳服务,O=eseal,C=CN');
      expect(f.chain?.valid).toBe(true);
      expect(verifyTimeStampToken(token, { hashedMessage, ...trust }).valid).toBe(true);
    });
  }

  it('the token is RFC 5652 with SM OIDs; openssl pkeyutl (SM3, distid) accepts the TSA signature over the signed attributes', () => {
    const token = issueTimeStamp({ ...tsa, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY });
    const text = openssl(['asn1parse', '-inform', 'DER'], token).stdout;
    for (const s of [':pkcs7-signedData', ':id-smime-ct-TSTInfo', ':sm3', ':SM2-with-SM3', ':id-smime-aa-signingCertificateV2']) expect(text).toContain(s);
    const si = parseTimeStampToken(token).signedData.signers[0];
    const args = ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', tmp.write('tsa.pub.pem', publicKeyToPem(tsaKey.pub)), '-sigfile', tmp.write('tsa.sig', si.signature), '-pkeyopt', DISTID];
    expect(openssl([...args, '-in', tmp.write('tsa.tbs', si.signedAttributes!.toBeVerified)]).stdout).toContain('Signature Verified Successfully');
    const bad = si.signedAttributes!.toBeVerified.slice();
    bad[bad.length - 1] ^= 1;
    expect(openssl([...args, '-in', tmp.write('tsa.bad', bad)]).status).not.toBe(0);
  });

  it('a different message, a tampered TSTInfo and a tampered signature each fail the right fact', () => {
    const token = issueTimeStamp({ ...tsa, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY });
    const other = verifyTimeStampToken(token, { data: new TextEncoder().encode('another signature'), ...trust });
    expect(other).toMatchObject({ messageImprintMatches: false, signatureValid: true, messageDigestMatches: true, valid: false });
    expect(other.errors[0]).toMatch(/message imprint \(sm3\) does not match the data/);

    const tst = parseTimeStampToken(token).tstInfo.raw;
    const at = indexOf(token, tst) + indexOf(tst, new TextEncoder().encode('20260601'));
    const t1 = token.slice();
    t1[at + 3] ^= 0x01; // genTime 2026 → 2027 inside the encapsulated TSTInfo
    const f1 = verifyTimeStampToken(t1, { data, ...trust });
    expect(f1.genTime?.getUTCFullYear()).toBe(2027);
    expect(f1).toMatchObject({ messageDigestMatches: false, signatureValid: true, valid: false });

    const sig = parseTimeStampToken(token).signedData.signers[0].signature;
    const t2 = token.slice();
    t2[indexOf(token, sig) + sig.length - 2] ^= 0x10;
    const f2 = verifyTimeStampToken(t2, { data, ...trust });
    expect(f2).toMatchObject({ messageDigestMatches: true, signatureValid: false, valid: false });
  });

  it('a TSA certificate without timeStamping, or with a non-critical one, is reported', async () => {
    const token = issueTimeStamp({ key: pki.leafKey.d, certificate: pki.leaf.der, chain: [pki.ca.der], hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY });
    const f = verifyTimeStampToken(token, { data, ...trust });
    expect(f).toMatchObject({ timeStampingEku: false, signatureValid: true, valid: false });
    expect(f.errors.join()).toMatch(/no extendedKeyUsage/);
    expect(f.chain?.problems.map((p) => p.code)).toContain('EXT_KEY_USAGE_MISSING');

    const k = newKey();
    const soft = await issueCertificate(
      { subject: 'CN=soft TSA,C=CN', publicKey: k.pub, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: years(2), issuer: pki.ca, ...PROFILES.tsa, extKeyUsageCritical: false },
      (t) => sm2Sign(pki.caKey.d, t),
    );
    const f2 = verifyTimeStampToken(issueTimeStamp({ key: k.d, certificate: soft.der, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY }), { data });
    expect(f2.timeStampingEku).toBe(false);
    expect(f2.errors.join()).toMatch(/not critical/);
  });

  it('genTime outside the TSA certificate validity and an untrusted TSA are reported', () => {
    const late = issueTimeStamp({ ...tsa, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: years(6), serialNumber, policy: POLICY });
    const f = verifyTimeStampToken(late, { data });
    expect(f.tsaCertificateValidAtGenTime).toBe(false);
    expect(f.valid).toBe(false);
    const token = issueTimeStamp({ ...tsa, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY });
    const untrusted = verifyTimeStampToken(token, { data, trust: [pki.leaf] });
    expect(untrusted.chain?.trusted).toBe(false);
    expect(untrusted.valid).toBe(false);
    expect(verifyTimeStampToken(token, { data }).warnings.join()).toMatch(/not validated/);
  });

  it('the dummy timeStamp of UserV5_ts.esl (BIT STRING 01 02 03 in [0]) is not a TimeStampToken', () => {
    const seal = parseDer(new Uint8Array(sample('seals/UserV5_ts.esl')));
    const tagged = seal.children()[4];
    expect(tagged.tag).toBe(0xa0);
    const ts = readBitStringBytes(tagged.children()[0]);
    expect(Array.from(ts)).toEqual([1, 2, 3]);
    const f = verifyTimeStampToken(ts, { data });
    expect(f.format.ok).toBe(false);
    expect(f.format.reason).toMatch(/^not a TimeStampToken: /);
    expect(f.valid).toBe(false);
    expect(() => parseTimeStampToken(ts)).toThrow(expect.objectContaining({ code: 'TIMESTAMP_MALFORMED' }));
  });

  it('other CMS content, a bare signature and garbage are format failures, never exceptions', () => {
    const notTst = verifyTimeStampToken(new Uint8Array(sample('extracted/gomain_testPathClip_Sign_0.SignedValue.dat')));
    expect(notTst.format.reason).toMatch(/^not a TimeStampToken: eContentType is 1.2.840.113549.1.7.1/);
    expect(verifyTimeStampToken(sm2Sign(tsaKey.d, data)).format.reason).toMatch(/bare signature/);
    const token = issueTimeStamp({ ...tsa, hashAlgorithm: 'sm3', hashedMessage: sm3(data), genTime: GEN, serialNumber, policy: POLICY });
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 800; i++) {
      const b = token.slice();
      b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
      const f = verifyTimeStampToken(b, { data });
      expect(typeof f.valid).toBe('boolean');
    }
    for (let n = 0; n < token.length; n += 7) expect(verifyTimeStampToken(token.subarray(0, n)).format.ok).toBe(false);
  });

  it('RFC 3161 protocol: openssl ts -query → our responder → openssl ts -reply -text shows our genTime, serial and policy', async () => {
    const file = tmp.write('data.bin', data);
    const responder = localTsaResponder(tsa, { policy: POLICY, accuracy: { seconds: 1 }, includeTsaName: true });
    for (const [flag, hash] of [['-sha256', 'sha256'], ['-sm3', 'sm3']] as const) {
      opensslOk(['ts', '-query', '-data', file, flag, '-cert', '-out', tmp.path('req.tsq')]);
      const reqDer = new Uint8Array(tmp.read('req.tsq'));
      const req = parseTimeStampReq(reqDer);
      expect(req.hashAlgorithmName).toBe(hash);
      expect(req.certReq).toBe(true);
      expect(req.nonce).toBeDefined();
      const resp = await respondToTimeStampRequest(reqDer, responder, { genTime: GEN, serialNumber });
      tmp.write('resp.tsr', resp);
      const text = opensslOk(['ts', '-reply', '-in', tmp.path('resp.tsr'), '-text']).toString();
      expect(text).toContain('Status: Granted.');
      expect(text).toContain('Time stamp: Jun  1 12:00:00.5 2026 GMT');
      expect(text).toMatch(/Serial number: 0x0123456789AB/i);
      expect(text).toContain(`Policy OID: ${POLICY}`);
      expect(text).toContain(`Hash Algorithm: ${hash}`);
      expect(text).toMatch(new RegExp(`Nonce: 0x0*${toHex(req.nonce!).replace(/^0+/, '')}`, 'i'));
      expect(text).toContain('TSA: DirName:');
      const parsed = parseTimeStampResp(resp);
      expect(parsed.status).toBe('granted');
      const f = verifyTimeStampToken(parsed.token!, { data, nonce: req.nonce, ...trust });
      expect(f.errors).toEqual([]);
      expect(f.valid).toBe(true);
    }
  });

  it('the responder rejects what it must, with failInfo openssl understands', async () => {
    const responder = localTsaResponder(tsa, { policy: POLICY, hashAlgorithms: ['sm3', 'sha256'] });
    const cases: [Uint8Array, string][] = [
      [encodeTimeStampReq({ hashAlgorithm: 'sha1', hashedMessage: new Uint8Array(20) }), 'badAlg'],
      [encodeTimeStampReq({ hashAlgorithm: 'sm3', hashedMessage: new Uint8Array(31) }), 'badDataFormat'],
      [encodeTimeStampReq({ hashAlgorithm: 'sm3', hashedMessage: sm3(data), reqPolicy: '1.2.3.4' }), 'unacceptedPolicy'],
      [Uint8Array.of(0x30, 0x03, 0x02, 0x01), 'badDataFormat'],
    ];
    for (const [req, why] of cases) {
      const resp = await respondToTimeStampRequest(req, responder, { genTime: GEN, serialNumber });
      const p = parseTimeStampResp(resp);
      expect(p.status).toBe('rejection');
      expect(p.failInfo).toEqual([why]);
      expect(p.token).toBeUndefined();
      const text = openssl(['ts', '-reply', '-in', tmp.write('rej.tsr', resp), '-text']).stdout;
      expect(text).toContain('Status: Rejected.');
    }
    const text = openssl(['ts', '-reply', '-in', tmp.path('rej.tsr'), '-text']).stdout;
    expect(text).toContain('Failure info: the data submitted has the wrong format');
    // certReq FALSE: no certificates in the token; the verifier then needs them from elsewhere
    const resp = await respondToTimeStampRequest(encodeTimeStampReq({ hashAlgorithm: 'sm3', hashedMessage: sm3(data) }), responder, { genTime: GEN, serialNumber });
    const token = parseTimeStampResp(resp).token!;
    expect(parseTimeStampToken(token).signedData.certificates).toHaveLength(0);
    expect(verifyTimeStampToken(token, { data }).tsaCertificateFound).toBe(false);
    expect(verifyTimeStampToken(token, { data, certificates: [tsaCert.der] }).valid).toBe(true);
  });
});

// ------------------------------------------------------------------------------ RSA / P-256 interop

interface OpensslTsa {
  ca: Certificate;
  caPem: string;
  tsaPem: string;
  keyPem: string;
  key: AnyKey;
  cert: Certificate;
}

function makeOpensslTsa(kind: 'rsa' | 'p256'): OpensslTsa {
  const d = tmp.path(`tsa-${kind}`);
  opensslOk(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${d}-ca.key`, '-out', `${d}-ca.pem`, '-subj', '/C=CN/O=eseal test/CN=TSA Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  opensslOk(['req', '-new', ...keyArgs, '-nodes', '-keyout', `${d}.key`, '-out', `${d}.csr`, '-subj', `/C=CN/O=eseal test/CN=${kind} TSA`]);
  tmp.write(`tsa-${kind}.ext`, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n');
  opensslOk(['x509', '-req', '-in', `${d}.csr`, '-CA', `${d}-ca.pem`, '-CAkey', `${d}-ca.key`, '-CAcreateserial', '-out', `${d}.pem`, '-days', '30', '-sha256', '-extfile', tmp.path(`tsa-${kind}.ext`)]);
  const keyPem = tmp.read(`tsa-${kind}.key`).toString();
  return {
    ca: readCertificate(tmp.read(`tsa-${kind}-ca.pem`).toString()),
    caPem: `${d}-ca.pem`,
    tsaPem: `${d}.pem`,
    keyPem: `${d}.key`,
    key: nodeKeyFromPem(keyPem, kind),
    cert: readCertificate(tmp.read(`tsa-${kind}.pem`).toString()),
  };
}

describe('RSA and P-256 time stamps against openssl', () => {
  const file = tmp.write('interop.bin', data);

  for (const kind of ['rsa', 'p256'] as const) {
    it(`${kind}: openssl ts -verify accepts our token; openssl's own token verifies with ours`, async () => {
      const t = makeOpensslTsa(kind);
      const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000); // not before the certificates' notBefore
      const responder: TimeStampResponder = { tsaCertificate: t.cert.der, policy: POLICY, sign: (_tbs, state) => signPrepared(t.key, state) };
      opensslOk(['ts', '-query', '-data', file, '-sha256', '-cert', '-out', tmp.path('q.tsq')]);
      const resp = await respondToTimeStampRequest(new Uint8Array(tmp.read('q.tsq')), responder, { genTime: now, serialNumber: randomBytes(8) });
      expect(parseTimeStampResp(resp).status).toBe('granted');
      tmp.write('r.tsr', resp);
      const v = openssl(['ts', '-verify', '-data', file, '-in', tmp.path('r.tsr'), '-CAfile', t.caPem]);
      expect(v.stdout + v.stderr).toContain('Verification: OK');
      // the same against a different file is refused by openssl too
      const wrong = openssl(['ts', '-verify', '-data', tmp.write('other.bin', 'x'), '-in', tmp.path('r.tsr'), '-CAfile', t.caPem]);
      expect(wrong.stdout + wrong.stderr).not.toContain('Verification: OK');
      // ours agrees
      const ours = verifyTimeStampToken(parseTimeStampResp(resp).token!, { data, trust: [t.ca], time: now });
      expect(ours.errors).toEqual([]);
      expect(ours.valid).toBe(true);

      // openssl as the TSA
      tmp.write('serial', '01\n'); // openssl increments it before use: the token gets 02
      const conf = tmp.write(
        'tsa.cnf',
        [
          '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]', `serial = ${tmp.path('serial')}`, `signer_cert = ${t.tsaPem}`, `signer_key = ${t.keyPem}`, `certs = ${t.caPem}`,
          'signer_digest = sha256', `default_policy = ${POLICY}`, 'digests = sha256, sha384, sha512', 'accuracy = secs:1, millisecs:500', 'ordering = yes', 'tsa_name = yes',
          'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
        ].join('\n'),
      );
      opensslOk(['ts', '-reply', '-config', conf, '-queryfile', tmp.path('q.tsq'), '-out', tmp.path('o.tsr')]);
      const theirs = parseTimeStampResp(new Uint8Array(tmp.read('o.tsr')));
      expect(theirs.status).toBe('granted');
      const f = verifyTimeStampToken(theirs.token!, { data, trust: [t.ca], time: new Date(Date.now()) });
      expect(f.errors).toEqual([]);
      expect(f).toMatchObject({ valid: true, policy: POLICY, serialNumber: '02', ordering: true, accuracy: { seconds: 1, millis: 500, micros: 0 }, timeStampingEku: true, tsaNameMatches: true });
      expect(verifyTimeStampToken(theirs.token!, { data: new Uint8Array(3), trust: [t.ca] }).messageImprintMatches).toBe(false);
      // a hand-made two-phase token with this key (the path a remote signer takes)
      const state = prepareTimeStampToken({ hashAlgorithm: 'sha256', hashedMessage: sha256(data), policy: POLICY, serialNumber: Uint8Array.of(9), genTime: now, tsaCertificate: t.cert.der });
      expect(state.digestAlgorithm).toBe('sha256');
      const token = assembleTimeStampToken(state, signPrepared(t.key, state));
      expect(verifyTimeStampToken(token, { data, trust: [t.ca], time: now }).valid).toBe(true);
      expect(parseCertificate(t.cert.der).extensions.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
    });
  }
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}
