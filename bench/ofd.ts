/**
 * OFD stamping and verification (GB/T 33190 + GB/T 38540), per second on one core: a Type="Seal"
 * stamp (prepare: read the package, hash every file into References, build Signature.xml and
 * TBS_Sign; SM2 sign; embed: SES_Signature and the new ZIP with unchanged entries copied raw) of a
 * 1-page and a 100-page document made by `createOfd`, and the verification of each (every reference
 * digest, SES_Signature and seal signatures, the full report). The seal carries a generated PNG
 * picture (~40 KiB), as real seals do; it is parsed once, as a signing server keeps it.
 * Reference in the same run: the bare SES_Signature made over a hash (no document).
 */
import { generatePrivateKey, getPublicKey, sm2Sign, sm3, randomBytes } from '../src/sm/index.js';
import { issueCertificate, randomSerial, PROFILES, type Certificate } from '../src/pki/index.js';
import { prepareSeal, assembleSeal, parseSeal, prepareSesSignature, assembleSesSignature, renderSealSvg, sealAppearanceForType, type SealSpec } from '../src/ses/index.js';
import { renderSealPng } from '../src/ses/appearance/render-png.js';
import { loadDocumentFont, loadSealFont } from '../src/storage/assets.js';
import { createOfd, embedOfdStamp, ofdFacts, prepareOfdStamp, type OfdPageSpec } from '../src/ofd/index.js';
import { verifyOfd } from '../src/validation/ofd-document.js';
import { fmt, measureCases, opsPerSecond, pct, spread, type BenchOptions, type BenchSection, type BenchTable } from './harness.js';

async function cert(d: Uint8Array, issuerKey: Uint8Array, subject: string, issuer?: Certificate, ca = false): Promise<Certificate> {
  return issueCertificate(
    { subject, publicKey: getPublicKey(d), serialNumber: randomSerial(randomBytes), notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z'), ...(issuer ? { issuer } : {}), ...(ca ? PROFILES.rootCa : PROFILES.sealHolder) },
    (tbs) => sm2Sign(issuerKey, tbs),
  );
}

const PARAGRAPH = '甲乙双方本着平等互利的原则，经友好协商，就下列事项达成一致并签订本合同，以资共同遵守。本合同一式两份，双方各执一份，具有同等法律效力。';

function document(pages: number): Uint8Array {
  const specs: OfdPageSpec[] = Array.from({ length: pages }, (_, i) => ({
    items: [
      { type: 'text', x: 105, y: 20, text: '采购合同', size: 7, bold: true, align: 'center' },
      { type: 'paragraph', x: 25, y: 40, width: 160, text: PARAGRAPH.repeat(4), size: 4.2, indent: 2 },
      { type: 'rect', x: 25, y: 120, w: 160, h: 60 },
      { type: 'text', x: 140, y: 240, text: '甲方（盖章）', size: 4.2 },
      { type: 'text', x: 105, y: 280, text: `第 ${i + 1} 页 共 ${pages} 页`, size: 3.2, align: 'center' },
    ],
  }));
  return createOfd({ pages: specs, fonts: { regular: loadDocumentFont() }, info: { title: '采购合同', creationDate: new Date('2026-03-01T00:00:00Z') } });
}

export const ofdSection: BenchSection = {
  name: 'ofd',
  description: 'OFD stamps (Type="Seal") and verifications per second for 1- and 100-page documents (one core)',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    const rootKey = generatePrivateKey();
    const root = await cert(rootKey, rootKey, 'CN=Bench Root,C=CN', undefined, true);
    const makerKey = generatePrivateKey();
    const maker = await cert(makerKey, rootKey, 'CN=制章者,C=CN', root);
    const signerKey = generatePrivateKey();
    const signer = await cert(signerKey, rootKey, 'CN=签章人,C=CN', root);
    const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType('official', '广州市某某科技有限公司', '91440101MA5XXXXX0X'), loadSealFont());
    const png = renderSealPng(svg, { dpi: 300 });
    const spec: SealSpec = {
      vid: 'eseal', esId: '44010600000001', type: 1, name: '广州市某某科技有限公司', signerCertificates: [signer.der],
      createDate: new Date('2026-02-01T00:00:00Z'), validStart: new Date('2026-02-01T00:00:00Z'), validEnd: new Date('2030-02-01T00:00:00Z'),
      picture: { type: 'PNG', data: png, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) }, makerCertificate: maker.der,
    };
    const p = prepareSeal(spec);
    const sealDer = assembleSeal(p, sm2Sign(makerKey, p.toBeSigned));
    const seal = parseSeal(sealDer);
    const signTime = new Date('2026-03-01T00:00:00Z');
    const doc1 = document(1);
    const doc100 = document(100);
    const stamp = (doc: Uint8Array, check = true) => {
      const prepared = prepareOfdStamp(doc, { seal, signerCertificate: signer.der, signTime, placement: { kind: 'position', page: 1, x: 150, y: 240 } });
      return embedOfdStamp(prepared, sm2Sign(signerKey, prepared.toBeSigned), { checkSignature: check });
    };
    const stamped1 = stamp(doc1);
    const stamped100 = stamp(doc100);
    const ctx = { time: new Date('2026-06-01T00:00:00Z'), trustAnchors: [root] };
    for (const d of [stamped1, stamped100]) {
      const r = verifyOfd(d, ctx);
      if (r.indication !== 'TOTAL_PASSED') throw new Error(`benchmark self-check failed: ${r.signatures[0]?.summary.en}`);
    }
    const data = randomBytes(2048);
    const sesOnly = () => {
      const s = prepareSesSignature({ seal, signTime, dataHash: sm3(data), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', signerCertificate: signer.der });
      return assembleSesSignature(s, sm2Sign(signerKey, s.toBeSigned));
    };
    const results = await measureCases(
      [
        { id: 'ses', run: (s) => ({ 'ops/s': opsPerSecond(sesOnly, s) }) },
        { id: 'stamp-1', run: (s) => ({ 'ops/s': opsPerSecond(() => stamp(doc1), s) }) },
        { id: 'stamp-100', run: (s) => ({ 'ops/s': opsPerSecond(() => stamp(doc100), s) }) },
        { id: 'stamp-1-nocheck', run: (s) => ({ 'ops/s': opsPerSecond(() => stamp(doc1, false), s) }) },
        { id: 'stamp-100-nocheck', run: (s) => ({ 'ops/s': opsPerSecond(() => stamp(doc100, false), s) }) },
        { id: 'facts-1', run: (s) => ({ 'ops/s': opsPerSecond(() => ofdFacts(stamped1), s) }) },
        { id: 'verify-1', run: (s) => ({ 'ops/s': opsPerSecond(() => verifyOfd(stamped1, ctx, undefined, { pictures: false }), s) }) },
        { id: 'verify-100', run: (s) => ({ 'ops/s': opsPerSecond(() => verifyOfd(stamped100, ctx, undefined, { pictures: false }), s) }) },
        { id: 'verify-1-pic', run: (s) => ({ 'ops/s': opsPerSecond(() => verifyOfd(stamped1, ctx), s) }) },
      ],
      opts,
    );
    const m = (id: string) => results.get(id)?.['ops/s'];
    const row = (label: string, id: string, ref?: string, refName = '') => [label, fmt(m(id)?.median), spread(m(id)), ref ? `${pct(m(id)?.median, m(ref)?.median)} of ${refName}` : ''];
    const kib = (b: Uint8Array) => `${Math.round(b.length / 1024)} KiB`;
    return [
      {
        title: 'OFD stamps and verifications (GB/T 33190 + GB/T 38540), per second, one core',
        columns: ['operation', 'per second', 'spread', 'compared'],
        rows: [
          row('SES_Signature alone over a hash (reference)', 'ses'),
          row(`stamp, 1-page document (${kib(doc1)} → ${kib(stamped1)}; signature checked before embedding)`, 'stamp-1', 'ses', 'SES alone'),
          row(`stamp, 100-page document (${kib(doc100)}, ${readEntries(doc100)} entries)`, 'stamp-100', 'stamp-1', '1 page'),
          row('stamp, 1 page, without the pre-embedding check', 'stamp-1-nocheck', 'ses', 'SES alone'),
          row('stamp, 100 pages, without the pre-embedding check', 'stamp-100-nocheck', 'stamp-1-nocheck', '1 page'),
          row('verification facts, 1 page (references, parse; no SM2)', 'facts-1'),
          row('verify, 1 page: full report (references, signer + maker signatures, chains)', 'verify-1'),
          row('verify, 100 pages: full report', 'verify-100', 'verify-1', '1 page'),
          row('verify, 1 page: full report with the seal picture as a data URL', 'verify-1-pic', 'verify-1', 'without'),
        ],
        notes: [
          'A stamp is prepareOfdStamp (read the ZIP, SM3 of every file for the References, Signature.xml, TBS_Sign) + one SM2 signature + embedOfdStamp (SES_Signature, new ZIP copying unchanged entries raw). The pre-embedding check is one SM2 verification that catches a wrong key or HSM slot (on by default).',
          'ofdrw 2.4.0 on this kind of machine (BASELINES.md): 58.6-75 stamps/s (1 page), 11.6/s (100 pages); 60.7 verifications/s (1 page), 6.7/s (100 pages).',
        ],
      },
    ];
  },
};

function readEntries(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(b.length - 22 + 10, true);
}
