/** `eseal keygen`, `eseal key pub`, `eseal key show` */
import { generatePrivateKey, getPublicKey, privateKeyToPem, publicKeyToPem, sec1ToPem, encodeSpki } from '../../sm/index.js';
import { toHex } from '../../util/bytes.js';
import { JSON_OPTION, UsageError, str, type Command } from '../command.js';
import { printResult, readInput, writeOutput } from '../io.js';
import { readPkcs12, findCertificateForKey } from '../../pki/pkcs12/index.js';
import { encodePem } from '../../util/pem.js';
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

export const keyImport: Command = {
  path: ['key', 'import'],
  summary: 'import an SM2 key and its certificate from a PKCS#12 (.p12/.pfx) file',
  usage: '--p12 FILE --password PW -o key.pem [--cert-out cert.pem] [--json]',
  details: 'Reads legacy (3DES, RC2-40) and modern (PBES2: AES, SM4; PBKDF2 with SHA-2 or SM3) files. Writes the first SM2 key as PKCS#8 PEM and its certificate (with the other certificates after it).',
  options: {
    p12: { type: 'string', value: 'FILE', description: 'PKCS#12 file', required: true },
    password: { type: 'string', value: 'PW', description: 'its password', required: true },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'private key output (PKCS#8 PEM, mode 0600)', required: true },
    'cert-out': { type: 'string', value: 'FILE', description: 'certificate output (PEM)' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const p12 = readPkcs12(readInput(ctx, str(values.p12)!, 'PKCS#12 file'), str(values.password)!);
    if (p12.keys.length === 0) throw new UsageError(`no SM2 private key in ${str(values.p12)}${p12.otherKeys.length ? ` (it holds ${p12.otherKeys.map((k) => k.algorithm).join(', ')} keys)` : ''}`);
    const key = p12.keys[0];
    const cert = findCertificateForKey(key, p12.certificates);
    const keyPath = writeOutput(ctx, str(values.out)!, privateKeyToPem(key.d), { secret: true });
    let certPath: string | undefined;
    if (str(values['cert-out'])) {
      const ordered = cert ? [cert, ...p12.certificates.filter((c) => c !== cert)] : p12.certificates;
      certPath = writeOutput(ctx, str(values['cert-out'])!, ordered.map((c) => encodePem('CERTIFICATE', c.der)).join(''));
    }
    printResult(ctx, !!values.json, { privateKey: keyPath, certificates: certPath, publicKey: toHex(key.publicKey), certificateFound: !!cert, macVerified: p12.macVerified }, `SM2 key written to ${keyPath}${certPath ? `\ncertificates written to ${certPath}` : ''}${cert ? '' : '\n(no certificate matches the key)'}`);
    return 0;
  },
};
