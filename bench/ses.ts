/**
 * Seals and electronic signatures (GB/T 38540): seals made per second (prepare, SM2 sign, assemble),
 * SES_Signature made and verified per second, per core. Reference in the same run: a bare SM2
 * signature and verification through the same backend, so the table shows what the structure costs
 * on top of the cryptography. The seal carries a generated 38 mm PNG picture (as real seals do).
 */
import { generatePrivateKey, getPublicKey, sm2Sign, sm2Verify, sm3, randomBytes } from '../src/sm/index.js';
import { issueCertificate, randomSerial, PROFILES, type Certificate } from '../src/pki/index.js';
import { prepareSeal, assembleSeal, prepareSesSignature, assembleSesSignature, parseSesSignature, sesSignatureFacts, renderSealSvg, sealAppearanceForType, type SealSpec } from '../src/ses/index.js';
import { renderSealPng } from '../src/ses/appearance/render-png.js';
import { loadSealFont } from '../src/storage/assets.js';
import { verifySesSignature } from '../src/validation/index.js';
import { fmt, measureCases, opsPerSecond, pct, spread, type BenchOptions, type BenchSection, type BenchTable } from './harness.js';

async function cert(d: Uint8Array, issuerKey: Uint8Array, subject: string, issuer?: Certificate, ca = false): Promise<Certificate> {
  const now = new Date('2026-01-01T00:00:00Z');
  return issueCertificate(
    { subject, publicKey: getPublicKey(d), serialNumber: randomSerial(randomBytes), notBefore: now, notAfter: new Date('2036-01-01T00:00:00Z'), ...(issuer ? { issuer } : {}), ...(ca ? PROFILES.rootCa : PROFILES.sealHolder) },
    (tbs) => sm2Sign(issuerKey, tbs),
  );
}

export const sesSection: BenchSection = {
  name: 'ses',
  description: 'GB/T 38540 seals and SES_Signatures made and verified per second (one core)',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    const rootKey = generatePrivateKey();
    const root = await cert(rootKey, rootKey, 'CN=Bench Root,C=CN', undefined, true);
    const makerKey = generatePrivateKey();
    const maker = await cert(makerKey, rootKey, 'CN=制章者,C=CN', root);
    const signerKey = generatePrivateKey();
    const signer = await cert(signerKey, rootKey, 'CN=签章人,C=CN', root);
    const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType('contract', '广州市某某科技有限公司', '4401060012345'), loadSealFont());
    const png = renderSealPng(svg, { dpi: 300 });
    const spec: SealSpec = {
      vid: 'eseal', esId: '44010600000001', type: 4, name: '广州市某某科技有限公司', signerCertificates: [signer.der],
      createDate: new Date('2026-02-01T00:00:00Z'), validStart: new Date('2026-02-01T00:00:00Z'), validEnd: new Date('2030-02-01T00:00:00Z'),
      picture: { type: 'PNG', data: png, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) }, makerCertificate: maker.der,
    };
    const makeSealOnce = () => {
      const p = prepareSeal(spec);
      return assembleSeal(p, sm2Sign(makerKey, p.toBeSigned));
    };
    const seal = makeSealOnce();
    const data = randomBytes(2048);
    const signOnce = () => {
      const p = prepareSesSignature({ seal, signTime: new Date('2026-03-01T00:00:00Z'), dataHash: sm3(data), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: signer.der });
      return assembleSesSignature(p, sm2Sign(signerKey, p.toBeSigned));
    };
    const ses = signOnce();
    const ctx = { time: new Date('2026-06-01T00:00:00Z'), trustAnchors: [root] };
    const report = verifySesSignature(ses, { data }, ctx);
    if (report.indication !== 'TOTAL_PASSED') throw new Error(`benchmark self-check failed: ${report.signatures[0].summary.en}`);
    const msg = randomBytes(32);
    const sig = sm2Sign(signerKey, msg);
    const signerPub = getPublicKey(signerKey);

    const results = await measureCases(
      [
        { id: 'sm2-sign', run: (s) => ({ 'ops/s': opsPerSecond(() => sm2Sign(signerKey, msg), s) }) },
        { id: 'sm2-verify', run: (s) => ({ 'ops/s': opsPerSecond(() => sm2Verify(signerPub, msg, sig), s) }) },
        { id: 'seal-make', run: (s) => ({ 'ops/s': opsPerSecond(makeSealOnce, s) }) },
        { id: 'ses-sign', run: (s) => ({ 'ops/s': opsPerSecond(signOnce, s) }) },
        { id: 'ses-verify-crypto', run: (s) => ({ 'ops/s': opsPerSecond(() => sesSignatureFacts(parseSesSignature(ses), { data }), s) }) },
        { id: 'ses-verify-report', run: (s) => ({ 'ops/s': opsPerSecond(() => verifySesSignature(ses, { data }, ctx), s) }) },
      ],
      opts,
    );
    const m = (id: string) => results.get(id)?.['ops/s'];
    const signRef = m('sm2-sign')?.median;
    const verifyRef = m('sm2-verify')?.median;
    const row = (label: string, id: string, ref: number | undefined, refName: string) => [label, fmt(m(id)?.median), spread(m(id)), ref ? `${pct(m(id)?.median, ref)} of ${refName}` : ''];
    return [
      {
        title: 'Seals and electronic signatures (GB/T 38540), per second, one core',
        columns: ['operation', 'per second', 'spread', 'vs bare SM2'],
        rows: [
          row('bare SM2 sign (reference)', 'sm2-sign', undefined, ''),
          row('bare SM2 verify (reference)', 'sm2-verify', undefined, ''),
          row(`seal made (SES_SealInfo + maker signature; ${Math.round(png.length / 1024)} KiB PNG picture)`, 'seal-make', signRef, 'sign'),
          row('SES_Signature made (TBS_Sign with the seal + signer signature)', 'ses-sign', signRef, 'sign'),
          row('SES_Signature verified: parse + signer and maker signatures + dataHash', 'ses-verify-crypto', verifyRef && verifyRef / 2, 'two verifies'),
          row('SES_Signature verified: full report (chains, policy, picture check)', 'ses-verify-report', verifyRef && verifyRef / 2, 'two verifies'),
        ],
        notes: ['A verification checks two SM2 signatures (signer and maker) plus the certificate chains (two more per chain link in the full report).'],
      },
    ];
  },
};
