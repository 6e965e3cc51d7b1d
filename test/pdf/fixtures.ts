/**
 * Test fixtures for PDF stamping: an SM2 PKI with a seal maker and two seal holders, an RSA and a
 * P-256 PKI for the international profile, seals with vector (SVG) and raster (PNG) pictures, PDFs
 * made with pdf-lib, and the independent judges (pdf-check = pdfsig + qpdf, pdftoppm).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from '../helpers/openssl.js';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import { sm2Sign } from '../../src/sm/index.js';
import { PROFILES, type Certificate } from '../../src/pki/index.js';
import { makeSeal } from '../../src/ses/build.js';
import { renderSealSvg, sealAppearanceForType, type SealType } from '../../src/ses/appearance/index.js';
import { renderSealPng } from '../../src/ses/appearance/render-png.js';
import { loadSealFont } from '../../src/storage/assets.js';
import { encodePem } from '../../src/util/pem.js';
import { issue, makePki, newKey, T0, years, type TestKey } from '../pki/fixtures.js';
import { issueFor, newAnyKey, type AnyKey } from '../fixtures/cms/keys.js';

export const SHARED_TOOLS = join(SHARED, 'tools');
export const FIXTURES = join(__dirname, '../fixtures/pdf');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** A signing time inside every certificate's and seal's validity. */
export const SIGN_TIME = years(0.5);
export const VERIFY_TIME = years(0.6);

export interface Holder {
  key: TestKey;
  cert: Certificate;
}

export interface ForeignSigner {
  key: AnyKey;
  cert: Certificate;
  root: Certificate;
}

export async function pdfPki() {
  const pki = await makePki();
  const makerKey = newKey();
  const maker = await issue(makerKey, pki.caKey, { subject: 'CN=广东省电子印章制作系统,O=广东省政务服务数据管理局,C=CN', issuer: pki.ca, ...PROFILES.sealMaker });
  const holder2Key = newKey();
  const holder2 = await issue(holder2Key, pki.caKey, { subject: 'CN=张三,O=某某贸易有限公司,C=CN', issuer: pki.ca, notAfter: years(2), ...PROFILES.sealHolder });
  const holder3Key = newKey();
  const holder3 = await issue(holder3Key, pki.caKey, { subject: 'CN=李四,O=某某律师事务所,C=CN', issuer: pki.ca, notAfter: years(2), ...PROFILES.sealHolder });

  const rsaRootKey = newAnyKey('rsa');
  const rsaRoot = await issueFor(rsaRootKey, rsaRootKey, { subject: 'CN=eseal Test RSA Root,O=eseal,C=CN', ...PROFILES.rootCa });
  const rsaKey = newAnyKey('rsa');
  const rsaCert = await issueFor(rsaKey, rsaRootKey, { subject: 'CN=Acme Signer RSA,O=Acme Ltd,C=CN', issuer: rsaRoot, ...PROFILES.sealHolder });
  const rsaKey2 = newAnyKey('rsa');
  const rsaCert2 = await issueFor(rsaKey2, rsaRootKey, { subject: 'CN=Second Signer RSA,O=Beta Ltd,C=CN', issuer: rsaRoot, ...PROFILES.sealHolder });
  const ecRootKey = newAnyKey('p256');
  const ecRoot = await issueFor(ecRootKey, ecRootKey, { subject: 'CN=eseal Test P-256 Root,O=eseal,C=CN', ...PROFILES.rootCa });
  const ecKey = newAnyKey('p256');
  const ecCert = await issueFor(ecKey, ecRootKey, { subject: 'CN=Acme Signer P-256,O=Acme Ltd,C=CN', issuer: ecRoot, ...PROFILES.sealHolder });

  return {
    ...pki,
    makerKey,
    maker,
    holders: [
      { key: pki.leafKey, cert: pki.leaf },
      { key: holder2Key, cert: holder2 },
      { key: holder3Key, cert: holder3 },
    ] as Holder[],
    rsa: { key: rsaKey, cert: rsaCert, root: rsaRoot } as ForeignSigner,
    rsa2: { key: rsaKey2, cert: rsaCert2, root: rsaRoot } as ForeignSigner,
    ec: { key: ecKey, cert: ecCert, root: ecRoot } as ForeignSigner,
  };
}

export type PdfPki = Awaited<ReturnType<typeof pdfPki>>;

/** A GB/T 38540 seal for `signers`, with a generated SVG or PNG picture. */
export async function testSeal(pki: PdfPki, opts: { signers: Uint8Array[]; type?: SealType; name?: string; picture?: 'svg' | 'png'; esId?: string; code?: string }): Promise<Uint8Array> {
  const type = opts.type ?? 'official';
  const name = opts.name ?? '广州市某某科技有限公司';
  const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType(type, name, opts.code), loadSealFont());
  const fmt = opts.picture ?? 'svg';
  const data = fmt === 'svg' ? new TextEncoder().encode(svg) : renderSealPng(svg, { dpi: 300 });
  return makeSeal(
    {
      vid: 'eseal',
      esId: opts.esId ?? '44010000000001',
      type: 1,
      name,
      signerCertificates: opts.signers,
      createDate: T0,
      validStart: T0,
      validEnd: years(3),
      picture: { type: fmt.toUpperCase(), data, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) },
      makerCertificate: pki.maker.der,
    },
    (tbs) => sm2Sign(pki.makerKey.d, tbs),
  );
}

/** A text PDF made with pdf-lib 1.17 (object streams and a cross-reference stream by default). */
export async function pdfLibDocument(pages: number, opts: { objectStreams?: boolean; rotate?: number; size?: [number, number] } = {}): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const p = d.addPage(opts.size ?? [595.28, 841.89]);
    if (opts.rotate) p.setRotation(degrees(opts.rotate));
    p.drawText(`Contract page ${i + 1} of ${pages}`, { x: 72, y: 770, size: 18, font });
    for (let j = 0; j < 30; j++) p.drawText(`Clause ${j + 1}. The parties agree to the terms set out in this line of the agreement.`, { x: 72, y: 730 - j * 20, size: 10, font });
    p.drawText('Party A (seal): SEAL-HERE', { x: 320, y: 120, size: 12, font });
  }
  return d.save({ useObjectStreams: opts.objectStreams ?? true });
}

export interface ToolResult {
  status: number;
  out: string;
}

export function run(cmd: string, args: string[], opts: { timeout?: number } = {}): ToolResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeout ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export const hasTool = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;

/** ../shared/tools/pdf-check: qpdf --check + pdfsig "Signature is Valid." for every signature. */
export function pdfCheck(file: string, trust: string[] = []): ToolResult {
  return run(join(SHARED_TOOLS, 'pdf-check'), [...trust.flatMap((t) => ['--trust', t]), file]);
}

export function qpdfCheck(file: string): ToolResult {
  const r = run('qpdf', ['--check', file]);
  // qpdf exit codes: 0 ok, 3 warnings, 2 errors
  return r;
}

export const pem = (der: Uint8Array): string => encodePem('CERTIFICATE', der);

export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

export { existsSync };
