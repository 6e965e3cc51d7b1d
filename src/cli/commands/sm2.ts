/** `eseal sm2 sign`, `eseal sm2 verify`, `eseal sm3` */
import { DEFAULT_USER_ID, sm2Sign, sm2Verify, sm3, signatureToRaw } from '../../sm/index.js';
import { toHex, utf8 } from '../../util/bytes.js';
import { isEsealError } from '../../util/errors.js';
import { JSON_OPTION, str, type Command } from '../command.js';
import { printResult, readInput, writeOutput } from '../io.js';
import { loadPrivateKey, loadPublicKeyOrCertificate } from '../load.js';

const userIdOption = { type: 'string' as const, value: 'ID', description: 'SM2 signer ID for Z (default 1234567812345678)' };
const userId = (v: unknown) => (str(v) !== undefined ? utf8(str(v)!) : DEFAULT_USER_ID);

export const sm2SignCmd: Command = {
  path: ['sm2', 'sign'],
  summary: 'sign a file with SM2-with-SM3 (DER signature)',
  usage: '--key key.pem -i FILE -o sig.der [--id ID] [--raw]',
  options: {
    key: { type: 'string', value: 'FILE', description: 'SM2 private key', required: true },
    in: { type: 'string', short: 'i', value: 'FILE', description: 'file to sign', required: true },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'signature output', required: true },
    id: userIdOption,
    raw: { type: 'boolean', description: 'write raw 64-byte r‖s instead of DER' },
  },
  async run({ values }, ctx) {
    const key = loadPrivateKey(ctx, str(values.key)!);
    const sig = sm2Sign(key.d, readInput(ctx, str(values.in)!), { userId: userId(values.id) });
    writeOutput(ctx, str(values.out)!, values.raw ? signatureToRaw(sig) : sig);
    return 0;
  },
};

export const sm2VerifyCmd: Command = {
  path: ['sm2', 'verify'],
  summary: 'verify an SM2 signature (DER or raw r‖s); exit 0 only if valid',
  usage: '--pub pub.pem|cert.pem -i FILE --sig sig.der [--id ID]',
  options: {
    pub: { type: 'string', value: 'FILE', description: 'public key (SPKI) or certificate', required: true },
    in: { type: 'string', short: 'i', value: 'FILE', description: 'signed file', required: true },
    sig: { type: 'string', value: 'FILE', description: 'signature', required: true },
    id: userIdOption,
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const { publicKey } = loadPublicKeyOrCertificate(ctx, str(values.pub)!);
    let valid = false;
    let reason = 'signature does not match the data and key';
    try {
      valid = sm2Verify(publicKey, readInput(ctx, str(values.in)!), readInput(ctx, str(values.sig)!), { userId: userId(values.id) });
    } catch (e) {
      if (!isEsealError(e, 'SIGNATURE_MALFORMED')) throw e;
      reason = e.message;
    }
    printResult(ctx, !!values.json, { valid, ...(valid ? {} : { reason }) }, valid ? 'signature valid' : `signature INVALID: ${reason}`);
    return valid ? 0 : 1;
  },
};

export const sm3Cmd: Command = {
  path: ['sm3'],
  summary: 'SM3 hash of a file (hex)',
  usage: 'FILE',
  positionals: [{ name: 'FILE', required: true, description: 'file to hash' }],
  options: { json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const h = toHex(sm3(readInput(ctx, positionals[0])));
    printResult(ctx, !!values.json, { sm3: h }, `${h}  ${positionals[0]}`);
    return 0;
  },
};
