/** A small SM2 PKI for tests: root CA → intermediate (制章机构) → leaves, built with eseal itself. */
import { generatePrivateKey, getPublicKey, sm2Sign } from '../../src/sm/index.js';
import { issueCertificate, randomSerial, PROFILES, type Certificate, type CertificateTemplate } from '../../src/pki/index.js';
import { randomBytes } from '../../src/sm/_node.js';

export interface TestKey {
  d: Uint8Array;
  pub: Uint8Array;
}
export const newKey = (): TestKey => {
  const d = generatePrivateKey();
  return { d, pub: getPublicKey(d) };
};

export const T0 = new Date('2026-01-01T00:00:00Z');
export const years = (n: number, from = T0) => new Date(from.getTime() + n * 365 * 86400_000);

export async function issue(key: TestKey, signer: TestKey, t: Omit<CertificateTemplate, 'publicKey' | 'serialNumber' | 'notBefore' | 'notAfter'> & Partial<CertificateTemplate>): Promise<Certificate> {
  return issueCertificate(
    { publicKey: key.pub, serialNumber: randomSerial(randomBytes), notBefore: T0, notAfter: years(10), ...t },
    (tbs) => sm2Sign(signer.d, tbs),
  );
}

export async function makePki() {
  const rootKey = newKey();
  const root = await issue(rootKey, rootKey, { subject: 'CN=eseal 测试根 CA,O=eseal,C=CN', ...PROFILES.rootCa });
  const caKey = newKey();
  const ca = await issue(caKey, rootKey, { subject: 'CN=广东省电子印章制作中心,O=广东省政务服务数据管理局,C=CN', issuer: root, ...PROFILES.intermediateCa });
  const leafKey = newKey();
  const leaf = await issue(leafKey, caKey, {
    subject: 'CN=某某科技有限公司,OI=NTRCN-91440300MA5XXXXX0X,O=某某科技有限公司,C=CN',
    issuer: ca,
    notAfter: years(2),
    ...PROFILES.sealHolder,
  });
  return { rootKey, root, caKey, ca, leafKey, leaf };
}
