/**
 * PDF stamping: stamps per second on a 1-page and a 100-page PDF (made by pdf-lib 1.17, text on every
 * page), one core. Every stamp is a complete one: read the document, draw the seal picture, add the
 * signature as an incremental update, hash the ByteRange, sign, embed the CMS.
 *
 * - eseal national: SM2 (native binding), GB/T 35275 SignedData with the seal carried;
 * - eseal international: PAdES B-B, RSA-2048 (node:crypto), the same seal drawn and carried;
 * - peer: pdf-lib 1.17.1 load → embedPng + drawImage → @signpdf/placeholder-pdf-lib → save →
 *   @signpdf/signpdf 3.3.0 with P12Signer (RSA-2048), a new signer per stamp (it signs once).
 *
 * All three draw the same 42 mm seal PNG. Every output of the first stamp of each case is checked
 * (eseal: its own verifier; peer: the signature dictionary is there) before timing.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { generatePrivateKey, getPublicKey, sm2Sign, randomBytes } from '../src/sm/index.js';
import { encodePem } from '../src/util/pem.js';
import { issueCertificate, randomSerial, PROFILES, id_sha256WithRSAEncryption, type Certificate } from '../src/pki/index.js';
import { makeSeal, renderSealSvg, sealAppearanceForType } from '../src/ses/index.js';
import { renderSealPng } from '../src/ses/appearance/render-png.js';
import { loadSealFont } from '../src/storage/assets.js';
import { completePdfStamp, preparePdfStamp, sealAppearance, type PdfProfile } from '../src/pdf/index.js';
import { verifyPdf } from '../src/validation/pdf-document.js';
import { fmt, measureCases, spread, type BenchOptions, type BenchSection, type BenchTable } from './harness.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T_SIGN = new Date('2026-03-01T00:00:00Z');

async function asyncOpsPerSecond(fn: () => Promise<unknown>, seconds: number): Promise<number> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let ops = 0;
  let now: number;
  do {
    await fn();
    ops++;
    now = performance.now();
  } while (now < end);
  return (ops * 1000) / (now - start);
}

async function textPdf(pages: number): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = d.addPage([595.28, 841.89]);
    p.drawText(`Contract page ${i + 1} of ${pages}`, { x: 72, y: 770, size: 18, font });
    for (let j = 0; j < 40; j++) p.drawText(`Clause ${j + 1}. The parties agree to the terms set out in this line of the agreement.`, { x: 72, y: 740 - j * 16, size: 10, font });
  }
  return d.save();
}

export const pdfSection: BenchSection = {
  name: 'pdf',
  description: 'PDF stamps per second, 1 and 100 pages: eseal national (SM2) and international (RSA PAdES) vs pdf-lib + @signpdf P12Signer',
  async run(opts: BenchOptions): Promise<BenchTable[]> {
    // ---- keys and certificates
    const rootKey = generatePrivateKey();
    const root = await issueCertificate({ subject: 'CN=Bench Root,C=CN', publicKey: getPublicKey(rootKey), serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: new Date('2036-01-01T00:00:00Z'), ...PROFILES.rootCa }, (tbs) => sm2Sign(rootKey, tbs));
    const sm2Key = generatePrivateKey();
    const sm2Cert = await issueCertificate({ subject: 'CN=签章人,C=CN', issuer: root, publicKey: getPublicKey(sm2Key), serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: new Date('2030-01-01T00:00:00Z'), ...PROFILES.sealHolder }, (tbs) => sm2Sign(rootKey, tbs));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaCert: Certificate = await issueCertificate(
      { subject: 'CN=Bench RSA Signer,C=CN', publicKey: { spki: new Uint8Array(rsa.publicKey.export({ type: 'spki', format: 'der' })) }, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: new Date('2030-01-01T00:00:00Z'), signatureAlgorithm: id_sha256WithRSAEncryption, ...PROFILES.sealHolder },
      (tbs) => new Uint8Array(nodeSign('sha256', tbs, rsa.privateKey)),
    );
    const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType('official', '广州市某某科技有限公司', '4401060012345'), loadSealFont());
    const png = renderSealPng(svg, { dpi: 300 });
    const seal = await makeSeal(
      { vid: 'eseal', esId: '44010600000001', type: 1, name: '广州市某某科技有限公司', signerCertificates: [sm2Cert.der, rsaCert.der], createDate: T0, validStart: T0, validEnd: new Date('2030-01-01T00:00:00Z'), picture: { type: 'PNG', data: png, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) }, makerCertificate: root.der },
      (tbs) => sm2Sign(rootKey, tbs),
    );
    // the peer's PKCS#12 (RSA-2048, same key and certificate), made by the openssl CLI
    const dir = mkdtempSync(join(tmpdir(), 'eseal-bench-pdf-'));
    let p12: Buffer;
    try {
      writeFileSync(join(dir, 'k.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'c.pem'), encodePem('CERTIFICATE', rsaCert.der));
      execFileSync('openssl', ['pkcs12', '-export', '-inkey', join(dir, 'k.pem'), '-in', join(dir, 'c.pem'), '-out', join(dir, 'p.p12'), '-passout', 'pass:bench', '-certpbe', 'AES-256-CBC', '-keypbe', 'AES-256-CBC', '-macalg', 'sha256']);
      p12 = readFileSync(join(dir, 'p.p12'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const docs = { 1: await textPdf(1), 100: await textPdf(100) } as Record<number, Uint8Array>;
    const sealPt = (widthMm * 72) / 25.4;

    const picture = { type: 'PNG', data: png, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) };
    const eseal = async (profile: PdfProfile, pdf: Uint8Array, cold = false): Promise<Uint8Array> => {
      const p = await preparePdfStamp(pdf, {
        profile,
        certificates: [profile === 'national' ? sm2Cert.der : rsaCert.der],
        seal,
        // cold: the PNG decoded and compressed again for this stamp, as for a seal never seen before
        ...(cold ? { appearance: sealAppearance(picture, { cache: false }) } : {}),
        placement: { kind: 'position', page: 1, x: 150, y: 240 },
        signingTime: T_SIGN,
      });
      const sig = profile === 'national' ? sm2Sign(sm2Key, p.toBeSigned) : new Uint8Array(nodeSign('sha256', p.toBeSigned, rsa.privateKey));
      return completePdfStamp(p, sig); // with the default check of the signature against the certificate
    };
    const peer = async (pdf: Uint8Array): Promise<Uint8Array> => {
      const d = await PDFDocument.load(pdf);
      const img = await d.embedPng(png);
      d.getPage(0).drawImage(img, { x: 350, y: 120, width: sealPt, height: sealPt });
      pdflibAddPlaceholder({ pdfDoc: d, reason: 'bench', contactInfo: 'bench@example.com', name: 'Bench RSA Signer', location: 'Guangzhou' });
      const withPlaceholder = Buffer.from(await d.save({ useObjectStreams: false }));
      return new SignPdf().sign(withPlaceholder, new P12Signer(p12, { passphrase: 'bench' }));
    };

    // self-checks
    for (const n of [1, 100]) {
      for (const profile of ['national', 'international'] as const) {
        const out = await eseal(profile, docs[n]);
        const r = verifyPdf(out, { time: new Date('2026-06-01T00:00:00Z'), trustAnchors: [root] });
        if (r.signatures[0]?.checks.some((c) => c.level === 'FAIL' && c.status === 'FAILED' && c.id !== 'SIGNER_TRUSTED')) throw new Error(`benchmark self-check failed (${profile}, ${n} pages): ${r.signatures[0].summary.en}`);
      }
      const o = await peer(docs[n]);
      if (!Buffer.from(o).includes('/ByteRange')) throw new Error('peer produced no signature');
    }

    const cases = [1, 100].flatMap((n) => [
      { id: `eseal-national-${n}`, run: async (s: number) => ({ 'stamps/s': await asyncOpsPerSecond(() => eseal('national', docs[n]), s) }) },
      { id: `eseal-national-cold-${n}`, run: async (s: number) => ({ 'stamps/s': await asyncOpsPerSecond(() => eseal('national', docs[n], true), s) }) },
      { id: `eseal-international-${n}`, run: async (s: number) => ({ 'stamps/s': await asyncOpsPerSecond(() => eseal('international', docs[n]), s) }) },
      { id: `peer-${n}`, run: async (s: number) => ({ 'stamps/s': await asyncOpsPerSecond(() => peer(docs[n]), s) }) },
    ]);
    const res = await measureCases(cases, opts);
    const get = (id: string) => res.get(id)?.['stamps/s'];
    const ratio = (a?: { median: number }, b?: { median: number }) => (a && b ? `${(a.median / b.median).toFixed(1)}x` : '–');
    const rows = [
      ['eseal national (SM2, GB/T 35275, seal carried)', 'national'],
      ['eseal national, seal picture not cached', 'national-cold'],
      ['eseal international (PAdES B-B, RSA-2048)', 'international'],
      ['pdf-lib 1.17.1 + @signpdf 3.3.0 P12Signer (RSA-2048)', 'peer'],
    ].map(([label, key]) => {
      const id = (n: number) => (key === 'peer' ? `peer-${n}` : `eseal-${key}-${n}`);
      const one = get(id(1));
      const hundred = get(id(100));
      return [label, fmt(one?.median), fmt(hundred?.median), one && hundred ? `${(one.median / hundred.median).toFixed(2)}` : '–', key === 'peer' ? '1.0x / 1.0x' : `${ratio(one, get('peer-1'))} / ${ratio(hundred, get('peer-100'))}`, `${spread(one)} / ${spread(hundred)}`];
    });
    return [
      {
        title: 'PDF stamps per second (one core)',
        columns: ['implementation', '1 page', '100 pages', '1 ÷ 100 pages', 'vs peer (1 / 100 pages)', 'spread (1 / 100)'],
        rows,
        notes: [
          `Documents: pdf-lib 1.17 text PDFs, ${docs[1].length.toLocaleString('en-US')} bytes (1 page) and ${docs[100].length.toLocaleString('en-US')} bytes (100 pages), object streams and a cross-reference stream. ` +
            'Each stamp draws the same 42 mm seal PNG (300 dpi) on page 1 and signs the whole file; eseal appends an incremental update, pdf-lib rewrites the file.',
          'eseal keeps the decoded seal picture of recent seals (keyed by its SM3 hash), as a stamping service stamping with the same seal does; the peer decodes the PNG on every stamp (embedPng), as it must. ' +
            'The "not cached" row decodes and compresses the PNG again for every stamp (a seal never seen before).',
          '"1 ÷ 100 pages": how much slower the 100-page stamp is (target: at most 2). "vs peer": the ratio to the peer in the same run (target: at least 10x on 1 page).',
        ],
      },
    ];
  },
};
