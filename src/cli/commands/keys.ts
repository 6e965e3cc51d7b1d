/** `eseal keygen`, `eseal key pub`, `eseal key show` */
import { generatePrivateKey, getPublicKey, privateKeyToPem, publicKeyToPem, sec1ToPem, encodeSpki } from '../../sm/index.js';
import { toHex } from '../../util/bytes.js';
import { JSON_OPTION, UsageError, str, type Command } from '../command.js';
import { printResult, writeOutput } from '../io.js';
import { loadPrivateKey } from '../load.js';

export const keygen: Command = {
  path: ['keygen'],
  summary: 'make a new SM2 private key (PKCS#8 PEM)',
  usage: '-o key.pem [--pub pub.pem] [--format pkcs8|sec1]',
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the private key', required: true },
    pub: { type: 'string', value: 'FILE', description: 'also write the public key (SPKI PEM)' },
    format: { type: 'string', value: 'pkcs8|sec1', description: 'private key format', default: 'pkcs8' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const format = str(values.format);
    if (format !== 'pkcs8' && format !== 'sec1') throw new UsageError('--format must be pkcs8 or sec1');
    const d = generatePrivateKey();
    const pub = getPublicKey(d);
    const keyPath = writeOutput(ctx, str(values.out)!, format === 'pkcs8' ? privateKeyToPem(d) : sec1ToPem(d), { secret: true });
    const pubPath = str(values.pub) ? writeOutput(ctx, str(values.pub)!, publicKeyToPem(pub)) : undefined;
    printResult(ctx, !!values.json, { privateKey: keyPath, publicKeyFile: pubPath, publicKey: toHex(pub), format }, `SM2 private key written to ${keyPath}${pubPath ? `\npublic key written to ${pubPath}` : ''}\npublic key: ${toHex(pub)}`);
    return 0;
  },
};

export const keyPub: Command = {
  path: ['key', 'pub'],
  summary: 'write the SM2 public key (SPKI PEM) of a private key',
  usage: 'key.pem -o pub.pem',
  positionals: [{ name: 'KEY', required: true, description: 'private key (PKCS#8 or SEC1, PEM or DER)' }],
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'output file (default: print PEM)' },
    der: { type: 'boolean', description: 'write DER instead of PEM' },
  },
  async run({ values, positionals }, ctx) {
    const key = loadPrivateKey(ctx, positionals[0]);
    const out = values.der ? encodeSpki(key.publicKey) : publicKeyToPem(key.publicKey);
    if (str(values.out)) writeOutput(ctx, str(values.out)!, out);
    else if (typeof out === 'string') ctx.out(out);
    else throw new UsageError('--der needs -o FILE');
    return 0;
  },
};

export const keyShow: Command = {
  path: ['key', 'show'],
  summary: 'describe an SM2 private key (format, public key); never prints the secret',
  usage: 'key.pem [--json]',
  positionals: [{ name: 'KEY', required: true, description: 'private key file' }],
  options: { json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const key = loadPrivateKey(ctx, positionals[0]);
    const pub = toHex(key.publicKey);
    printResult(ctx, !!values.json, { algorithm: 'SM2', curve: 'sm2p256v1', format: key.format, publicKey: pub }, `SM2 private key (${key.format}), curve sm2p256v1\npublic key: ${pub}`);
    return 0;
  },
};
