/**
 * @module cli/tsa-dir
 * A local time-stamping authority (TSA) kept in a folder, for `--tsa DIR`:
 *   tsa.key.pem  SM2 key (0600)   tsa.cert.pem  certificate (critical EKU timeStamping) + chain
 *   tsa.json     { policy, serial } — the serial counter makes every token's serial unique
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePrivateKey, getPublicKey, privateKeyToPem, readPrivateKey, sm2Sign, sm3, randomBytes } from '../sm/index.js';
import { readCertificates, randomSerial, type Certificate } from '../pki/index.js';
import { issueTimeStamp, makeTsaCertificate } from '../ses/timestamp/index.js';
import { id_eseal_tsa_policy } from '../ses/oids.js';
import { encodePem } from '../util/pem.js';
import { UsageError, type CommandContext } from './command.js';
import { writeOutput } from './io.js';
import type { CaDir } from './ca-dir.js';

/** eseal's TSA policy OID (under the eseal UUID arc). */
export const ESEAL_TSA_POLICY = id_eseal_tsa_policy;

export interface TsaDir {
  dir: string;
  key: Uint8Array;
  certificate: Certificate;
  chain: Certificate[];
  policy: string;
  serial: number;
}

export function openTsa(ctx: CommandContext, dir: string): TsaDir {
  const d = resolve(ctx.cwd, dir);
  if (!existsSync(join(d, 'tsa.key.pem'))) throw new UsageError(`${dir} is not a TSA folder (make one with \`eseal tsa init\`)`);
  const chain = readCertificates(readFileSync(join(d, 'tsa.cert.pem')));
  const state = JSON.parse(readFileSync(join(d, 'tsa.json'), 'utf8')) as { policy: string; serial: number };
  return { dir: d, key: readPrivateKey(readFileSync(join(d, 'tsa.key.pem'))).d, certificate: chain[0], chain, policy: state.policy, serial: state.serial };
}

export async function initTsa(ctx: CommandContext, dir: string, ca: CaDir, subject: string, days: number): Promise<TsaDir> {
  const d = resolve(ctx.cwd, dir);
  if (existsSync(join(d, 'tsa.key.pem'))) throw new UsageError(`${dir} already holds a TSA; refusing to overwrite it`);
  const key = generatePrivateKey();
  const now = ctx.now();
  const notAfter = new Date(Math.min(now.getTime() + days * 86400_000, ca.certificate.notAfter.getTime()));
  const certificate = await makeTsaCertificate({
    subject,
    publicKey: getPublicKey(key),
    serialNumber: randomSerial(randomBytes),
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter,
    issuer: ca.certificate,
    sign: (tbs: Uint8Array) => sm2Sign(ca.key, tbs),
  });
  const chain = [certificate, ...ca.chain];
  writeOutput(ctx, join(d, 'tsa.key.pem'), privateKeyToPem(key), { secret: true });
  writeOutput(ctx, join(d, 'tsa.cert.pem'), chain.map((c) => encodePem('CERTIFICATE', c.der)).join(''));
  writeOutput(ctx, join(d, 'tsa.json'), JSON.stringify({ policy: ESEAL_TSA_POLICY, serial: 1 }, null, 2) + '\n');
  return { dir: d, key, certificate, chain, policy: ESEAL_TSA_POLICY, serial: 1 };
}

/** A TimeStampToken over `data` (SM3 imprint), advancing the folder's serial counter. */
export function timeStamp(ctx: CommandContext, tsa: TsaDir, data: Uint8Array): Uint8Array {
  const serial = new Uint8Array(12);
  new DataView(serial.buffer).setUint32(8, tsa.serial >>> 0);
  serial.set(randomBytes(8), 0); // counter + randomness: unique across folders copied by mistake
  serial[0] &= 0x7f;
  const token = issueTimeStamp({
    key: tsa.key,
    certificate: tsa.certificate.der,
    chain: tsa.chain.slice(1).map((c) => c.der),
    hashAlgorithm: 'sm3',
    hashedMessage: sm3(data),
    policy: tsa.policy,
    serialNumber: serial,
    genTime: ctx.now(),
  });
  tsa.serial++;
  writeOutput(ctx, join(tsa.dir, 'tsa.json'), JSON.stringify({ policy: tsa.policy, serial: tsa.serial }, null, 2) + '\n');
  return token;
}
