/**
 * @module cli/ca-dir
 * A certificate authority kept in a folder, for the command line:
 *   ca.key.pem   the CA's SM2 private key (mode 0600)
 *   ca.cert.pem  the CA certificate (with its chain below it for an intermediate CA)
 *   ca.json      state: next CRL number and the revocation list
 * The platform service keeps its CAs in its database instead; both use the same pki functions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePrivateKey, getPublicKey, privateKeyToPem, readPrivateKey, sm2Sign, randomBytes } from '../sm/index.js';
import { issueCertificate, prepareCrl, assembleCrl, randomSerial, readCertificates, PROFILES, type Certificate, type CertificateTemplate, type Crl, type RevocationReason } from '../pki/index.js';
import { encodePem } from '../util/pem.js';
import { UsageError, type CommandContext } from './command.js';
import { writeOutput } from './io.js';

export interface CaState {
  crlNumber: number;
  revoked: { serialNumber: string; revocationDate: string; reason?: RevocationReason; subject?: string }[];
}

export interface CaDir {
  dir: string;
  key: Uint8Array;
  certificate: Certificate;
  /** the CA certificate followed by its issuers (for an intermediate CA) */
  chain: Certificate[];
  state: CaState;
}

const DAY = 86400_000;
/** notBefore is set this far back so that relying parties with a slightly slow clock accept new certificates. */
const CLOCK_SKEW = 5 * 60_000;

export function openCa(ctx: CommandContext, dir: string): CaDir {
  const d = resolve(ctx.cwd, dir);
  const keyPath = join(d, 'ca.key.pem');
  const certPath = join(d, 'ca.cert.pem');
  if (!existsSync(keyPath) || !existsSync(certPath)) throw new UsageError(`${dir} is not a CA folder (expected ca.key.pem and ca.cert.pem; make one with \`eseal ca init\`)`);
  const chain = readCertificates(readFileSync(certPath));
  const statePath = join(d, 'ca.json');
  const state: CaState = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { crlNumber: 1, revoked: [] };
  const key = readPrivateKey(readFileSync(keyPath)).d;
  const certificate = chain[0];
  const pub = getPublicKey(key);
  if (pub.length !== certificate.spki.publicKey.length || pub.some((b, i) => b !== certificate.spki.publicKey[i])) {
    throw new UsageError(`${dir}: ca.key.pem does not belong to ca.cert.pem`);
  }
  return { dir: d, key, certificate, chain, state };
}

export function saveCaState(ctx: CommandContext, ca: CaDir): void {
  writeOutput(ctx, join(ca.dir, 'ca.json'), JSON.stringify(ca.state, null, 2) + '\n');
}

/** Makes a CA: self-signed root, or an intermediate under `parent`. */
export async function initCa(ctx: CommandContext, dir: string, subject: string, days: number, parent?: CaDir, pathLength?: number): Promise<CaDir> {
  const d = resolve(ctx.cwd, dir);
  if (existsSync(join(d, 'ca.key.pem'))) throw new UsageError(`${dir} already holds a CA (ca.key.pem exists); refusing to overwrite it`);
  const key = generatePrivateKey();
  const now = ctx.now();
  const notAfter = new Date(now.getTime() + days * DAY);
  const notBefore = new Date(now.getTime() - CLOCK_SKEW);
  if (parent && notAfter > parent.certificate.notAfter) throw new UsageError(`--days ${days} would outlive the parent CA (valid until ${parent.certificate.notAfter.toISOString()})`);
  const template: CertificateTemplate = {
    subject,
    publicKey: getPublicKey(key),
    serialNumber: randomSerial(randomBytes),
    notBefore,
    notAfter,
    ...(parent ? { ...PROFILES.intermediateCa, issuer: parent.certificate, ca: { pathLength: pathLength ?? 0 } } : { ...PROFILES.rootCa, ...(pathLength !== undefined ? { ca: { pathLength } } : {}) }),
  };
  const certificate = await issueCertificate(template, (tbs) => sm2Sign(parent ? parent.key : key, tbs));
  const chain = [certificate, ...(parent?.chain ?? [])];
  writeOutput(ctx, join(d, 'ca.key.pem'), privateKeyToPem(key), { secret: true });
  writeOutput(ctx, join(d, 'ca.cert.pem'), chain.map((c) => encodePem('CERTIFICATE', c.der)).join(''));
  const ca: CaDir = { dir: d, key, certificate, chain, state: { crlNumber: 1, revoked: [] } };
  saveCaState(ctx, ca);
  return ca;
}

export type IssueProfile = 'holder' | 'maker' | 'tsa' | 'ca';

export async function issueFromCa(ctx: CommandContext, ca: CaDir, subject: string, publicKey: Uint8Array, days: number, profile: IssueProfile): Promise<Certificate> {
  const now = ctx.now();
  let notAfter = new Date(now.getTime() + days * DAY);
  if (notAfter > ca.certificate.notAfter) notAfter = ca.certificate.notAfter; // never outlive the issuer
  const preset = profile === 'tsa' ? PROFILES.tsa : profile === 'maker' ? PROFILES.sealMaker : profile === 'ca' ? PROFILES.intermediateCa : PROFILES.sealHolder;
  return issueCertificate(
    { subject, publicKey, serialNumber: randomSerial(randomBytes), notBefore: new Date(now.getTime() - CLOCK_SKEW), notAfter, issuer: ca.certificate, ...preset },
    (tbs) => sm2Sign(ca.key, tbs),
  );
}

export function issueCrl(ctx: CommandContext, ca: CaDir, nextUpdateDays: number): Crl {
  const now = ctx.now();
  const prepared = prepareCrl({
    issuer: ca.certificate,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + nextUpdateDays * DAY),
    crlNumber: ca.state.crlNumber,
    revoked: ca.state.revoked.map((r) => ({ serialNumber: r.serialNumber, revocationDate: new Date(r.revocationDate), ...(r.reason ? { reason: r.reason } : {}) })),
  });
  const crl = assembleCrl(prepared, sm2Sign(ca.key, prepared.tbs));
  ca.state.crlNumber++;
  return crl;
}
