/**
 * `eseal start` (what `npm start` runs). Until the platform server lands it shows the commands and runs
 * a short demo in ./.eseal-demo: a root CA, a seal-making authority under it, a seal holder key and
 * certificate, a signature and the chain check — all with SM2/SM3.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { dnToString, validateChain } from '../../pki/index.js';
import { generatePrivateKey, getPublicKey, privateKeyToPem, sm2Sign, sm2Verify, sm2Backend } from '../../sm/index.js';
import { encodePem } from '../../util/pem.js';
import { utf8, toHex } from '../../util/bytes.js';
import type { Command } from '../command.js';
import { writeOutput } from '../io.js';
import { initCa, issueFromCa } from '../ca-dir.js';
import { COMMANDS } from './index.js';

export const start: Command = {
  path: ['start'],
  summary: 'run the platform (for now: the command list and an SM2 PKI demo in ./.eseal-demo)',
  options: { dir: { type: 'string', value: 'DIR', description: 'demo folder', default: '.eseal-demo' } },
  async run({ values }, ctx) {
    const dir = join(ctx.cwd, String(values.dir));
    rmSync(dir, { recursive: true, force: true });
    ctx.out(`eseal commands:\n${COMMANDS.map((c) => `  eseal ${c.path.join(' ')}`).join('\n')}\n\n`);
    ctx.out(`demo (SM2 backend: ${sm2Backend()}), files in ${dir}\n`);
    const root = await initCa(ctx, join(dir, 'root-ca'), 'CN=eseal 演示根 CA,O=eseal,C=CN', 3650);
    ctx.out(`  1. root CA:        ${dnToString(root.certificate.subject)}\n`);
    const authority = await initCa(ctx, join(dir, 'authority'), 'CN=广东省电子印章制作中心,O=广东省政务服务数据管理局,C=CN', 1825, root);
    ctx.out(`  2. seal authority: ${dnToString(authority.certificate.subject)}\n`);
    const key = generatePrivateKey();
    writeOutput(ctx, join(dir, 'holder.key.pem'), privateKeyToPem(key), { secret: true });
    const cert = await issueFromCa(ctx, authority, 'CN=广州市某某科技有限公司,OI=NTRCN-91440101MA59XXXX1X,O=广州市某某科技有限公司,C=CN', getPublicKey(key), 730, 'holder');
    writeOutput(ctx, join(dir, 'holder.cert.pem'), [cert, ...authority.chain].map((c) => encodePem('CERTIFICATE', c.der)).join(''));
    ctx.out(`  3. holder cert:    ${dnToString(cert.subject)} (serial ${cert.serialNumber})\n`);
    const message = utf8('无房证明 — 示例文档');
    const sig = sm2Sign(key, message);
    ctx.out(`  4. SM2 signature:  ${toHex(sig).slice(0, 48)}… valid=${sm2Verify(cert.spki.publicKey, message, sig)}\n`);
    const chain = validateChain({ certificate: cert, intermediates: [authority.certificate], trustAnchors: [root.certificate], time: ctx.now() });
    ctx.out(`  5. chain check:    ${chain.valid ? 'valid' : 'INVALID'} (${chain.chain.length} certificates; revocation ${chain.revocation})\n`);
    ctx.out(`\ntry: npx eseal cert verify ${join(dir, 'holder.cert.pem')} --trust ${join(dir, 'root-ca', 'ca.cert.pem')}\n`);
    return chain.valid ? 0 : 1;
  },
};
