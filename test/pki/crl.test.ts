import { afterAll, describe, expect, it } from 'vitest';
import { encodePem } from '../../src/util/pem.js';
import { prepareCrl, assembleCrl, parseCrl, validateChain } from '../../src/pki/index.js';
import { sm2Sign, publicKeyToPem } from '../../src/sm/index.js';
import { isEsealError } from '../../src/util/errors.js';
import { makePki, T0, years, newKey, issue } from './fixtures.js';
import { openssl, opensslOk, tempDir, DISTID } from '../helpers/openssl.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('CRLs', async () => {
  const pki = await makePki();
  const revokedAt = years(1);
  const prepared = prepareCrl({
    issuer: pki.ca,
    thisUpdate: years(1.1),
    nextUpdate: years(1.2),
    crlNumber: 7,
    revoked: [{ serialNumber: pki.leaf.serialNumber, revocationDate: revokedAt, reason: 'keyCompromise' }],
  });
  const crl = assembleCrl(prepared, sm2Sign(pki.caKey.d, prepared.tbs));

  it('are made and parsed back with their entries, number and reason', () => {
    const back = parseCrl(encodePem('X509 CRL', crl.der));
    expect(back.crlNumber).toBe(7n);
    expect(back.revoked).toEqual([{ serialNumber: pki.leaf.serialNumber, revocationDate: revokedAt, reason: 'keyCompromise' }]);
    expect(back.nextUpdate?.toISOString()).toBe(years(1.2).toISOString());
  });

  it('are readable by openssl, which lists the revoked serial and reason', () => {
    const f = tmp.write('crl.pem', encodePem('X509 CRL', crl.der));
    const text = opensslOk(['crl', '-in', f, '-noout', '-text']).toString();
    expect(text).toContain('Signature Algorithm: SM2-with-SM3');
    expect(text.replace(/:/g, '').toLowerCase()).toContain(pki.leaf.serialNumber);
    expect(text).toContain('Key Compromise');
    expect(text).toContain('X509v3 CRL Number');
  });

  it('mark a certificate revoked from its revocation date on, with reason', () => {
    const after = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1.15), crls: [crl] });
    expect(after.valid).toBe(false);
    expect(after.revoked?.reason).toBe('keyCompromise');
    expect(after.problems.find((p) => p.code === 'REVOKED')?.message).toContain('keyCompromise');
    const before = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(0.5), crls: [crl] });
    expect(before.problems.find((p) => p.code === 'REVOKED')).toBeUndefined();
  });

  it('say when revocation could not be checked, as an error only when required', () => {
    const otherKey = newKey();
    const r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1.15), crls: [], requireRevocation: true });
    expect(r.valid).toBe(false);
    expect(r.problems.filter((p) => p.code === 'REVOCATION_NOT_CHECKED' && p.severity === 'error')).toHaveLength(2);
    void otherKey;
  });

  it('with a bad signature are reported and not used', async () => {
    const forged = assembleCrl(prepared, sm2Sign(pki.rootKey.d, prepared.tbs));
    const r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1.15), crls: [forged] });
    expect(r.problems.map((p) => p.code)).toContain('CRL_INVALID');
    expect(r.problems.map((p) => p.code)).not.toContain('REVOKED');
  });

  it('past nextUpdate are used but flagged as stale', () => {
    const r = validateChain({ certificate: pki.leaf, intermediates: [pki.ca], trustAnchors: [pki.root], time: years(1.5), crls: [crl] });
    expect(r.problems.find((p) => p.code === 'CRL_STALE')?.severity).toBe('warning');
    expect(r.problems.map((p) => p.code)).toContain('REVOKED');
  });

  it('carry an SM2 signature that openssl verifies over the tbsCertList bytes', () => {
    // OpenSSL 3.0 `verify -crl_check` and `crl -verify` check SM2 CRL signatures with an empty ID
    // (no -vfyopt reaches them), so the signature is judged with pkeyutl and the standard distid.
    const pub = tmp.write('ca.pub.pem', publicKeyToPem(pki.ca.spki.publicKey));
    const tbs = tmp.write('crl.tbs', crl.tbs);
    const sig = tmp.write('crl.sig', crl.signatureValue);
    const ok = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pub, '-in', tbs, '-sigfile', sig, '-pkeyopt', DISTID]);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    const bad = crl.tbs.slice();
    bad[bad.length - 1] ^= 1;
    const r = openssl(['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pub, '-in', tmp.write('bad.tbs', bad), '-sigfile', sig, '-pkeyopt', DISTID]);
    expect(r.status).not.toBe(0);
  });

  it('malformed CRLs give CRL_MALFORMED, never a crash', () => {
    for (let n = 0; n < crl.der.length; n += 5) {
      try {
        parseCrl(crl.der.subarray(0, n));
        throw new Error(`truncated at ${n} parsed`);
      } catch (e) {
        expect(isEsealError(e, 'CRL_MALFORMED'), (e as Error).message).toBe(true);
      }
    }
    void T0;
  });
});
