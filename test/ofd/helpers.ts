/** Shared setup for the OFD tests: a small SM2 PKI, seals with generated pictures, the independent checker. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { sm2Sign } from '../../src/sm/index.js';
import { PROFILES, type Certificate } from '../../src/pki/index.js';
import { makeSeal, renderSealSvg, sealAppearanceForType, type SealSpec } from '../../src/ses/index.js';
import { renderSealPng } from '../../src/ses/appearance/render-png.js';
import { loadDocumentFont, loadSealFont } from '../../src/storage/assets.js';
import { makePki, newKey, issue, years, type TestKey } from '../pki/fixtures.js';
import { SHARED } from '../helpers/openssl.js';

export const CHECKER = join(SHARED, 'tools/ofd-check');
export const SIGN_TIME = years(0.5);
export const VERIFY_TIME = years(0.6);

export function ofdCheck(file: string): { status: number; out: string } {
  const r = spawnSync('python3', [CHECKER, file], { encoding: 'utf8' });
  return { status: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

export interface Signer {
  key: TestKey;
  cert: Certificate;
  seal: Uint8Array;
  sign: (tbs: Uint8Array) => Uint8Array;
}

export const fonts = () => ({ regular: loadDocumentFont() });

let setup: Promise<{ root: Certificate; ca: Certificate; a: Signer; b: Signer; other: Signer }> | undefined;

async function sealFor(pki: Awaited<ReturnType<typeof makePki>>, makerKey: TestKey, maker: Certificate, name: string, esId: string, type: 'official' | 'contract', signer?: { key: TestKey; cert: Certificate }): Promise<Signer> {
  const key = signer?.key ?? newKey();
  const cert = signer?.cert ?? (await issue(key, pki.caKey, { subject: `CN=${name},O=${name},C=CN`, issuer: pki.ca, notAfter: years(3), ...PROFILES.sealHolder }));
  const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType(type, name, '91440300MA5XXXXX0X'), loadSealFont());
  const spec: SealSpec = {
    vid: 'eseal',
    esId,
    type: type === 'official' ? 1 : 4,
    name,
    signerCertificates: [cert.der],
    createDate: years(0.1),
    validStart: years(0.1),
    validEnd: years(2),
    picture: { type: 'PNG', data: renderSealPng(svg, { dpi: 150 }), widthMm: Math.round(widthMm), heightMm: Math.round(heightMm) },
    makerCertificate: maker.der,
  };
  const seal = await makeSeal(spec, (tbs) => sm2Sign(makerKey.d, tbs));
  return { key, cert, seal, sign: (tbs) => sm2Sign(key.d, tbs) };
}

/** root CA → 制章机构 CA → maker + signers; seal A (公章) and seal B (合同专用章), and a signer listed in no seal. */
export function testPki() {
  setup ??= (async () => {
    const pki = await makePki();
    const makerKey = newKey();
    const maker = await issue(makerKey, pki.caKey, { subject: 'CN=广东省电子印章制作系统,O=广东省政务服务数据管理局,C=CN', issuer: pki.ca, notAfter: years(5) });
    const a = await sealFor(pki, makerKey, maker, '广州市某某科技有限公司', '44010000000001', 'official', { key: pki.leafKey, cert: pki.leaf });
    const b = await sealFor(pki, makerKey, maker, '广州市某某贸易有限公司', '44010000000002', 'contract');
    const otherKey = newKey();
    const otherCert = await issue(otherKey, pki.caKey, { subject: 'CN=无关人员,C=CN', issuer: pki.ca, ...PROFILES.sealHolder });
    const other: Signer = { key: otherKey, cert: otherCert, seal: a.seal, sign: (tbs) => sm2Sign(otherKey.d, tbs) };
    return { root: pki.root, ca: pki.ca, a, b, other };
  })();
  return setup;
}
