/**
 * `eseal stamp` and `eseal verify` for documents: the format (OFD or PDF) is chosen by the file's
 * content. Each format lives in ../formats/.
 */
import { readPrivateKey } from '../../sm/key-formats.js';
import { readPkcs12 } from '../../pki/pkcs12/index.js';
import { reportToText } from '../../validation/report.js';
import { JSON_OPTION, UsageError, str, type Command } from '../command.js';
import { printResult, readInput, writeOutput, jsonReplacer } from '../io.js';
import { loadCertificates } from '../load.js';
import { formatOf, FORMATS } from '../formats/index.js';
import type { StampPlacement, StampRequest } from '../formats/types.js';
import { TRUST_OPTIONS, contextFromOptions, lang } from '../trust.js';

function num(v: unknown, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${what} must be a number, got "${v}"`);
  return n;
}

function detect(bytes: Uint8Array, path: string) {
  const f = formatOf(bytes);
  if (!f) throw new UsageError(`${path} is neither an OFD (zip with OFD.xml) nor a PDF (known formats: ${FORMATS.map((x) => x.name).join(', ') || 'none'})`);
  return f;
}

export const stamp: Command = {
  path: ['stamp'],
  summary: 'stamp (签章) an OFD or PDF document with a seal',
  usage: 'IN -o OUT --seal seal.esl --key KEY.pem --cert CERT.pem (--page N --x X --y Y | --keyword TEXT | --cross-page) [--lock] [--profile national|international]',
  details:
    'The format is chosen by content. Positions are the seal centre from the top-left corner of the page, in millimetres (--unit pt for PDF points).\n' +
    'International PDF profile (PAdES, RSA or P-256): --key/--cert of such a key, or --p12 FILE --password PW.',
  positionals: [{ name: 'IN', required: true, description: 'document to stamp (.ofd or .pdf)' }],
  options: {
    out: { type: 'string', short: 'o', value: 'FILE', description: 'stamped output', required: true },
    seal: { type: 'string', value: 'FILE', description: 'the seal (Seal.esl, SESeal DER)' },
    key: { type: 'string', value: 'FILE', description: 'signer private key (SM2 PEM; RSA/P-256 PKCS#8 PEM for --profile international)' },
    cert: { type: 'string', value: 'FILE', description: 'signer certificate (PEM, may carry its chain)' },
    p12: { type: 'string', value: 'FILE', description: 'PKCS#12 with the signer key and certificate' },
    password: { type: 'string', value: 'PW', description: 'PKCS#12 password' },
    page: { type: 'string', value: 'N', description: 'page number (from 1)' },
    x: { type: 'string', value: 'X', description: 'seal centre x from the left edge' },
    y: { type: 'string', value: 'Y', description: 'seal centre y from the top edge' },
    unit: { type: 'string', value: 'mm|pt', description: 'unit of --x/--y', default: 'mm' },
    keyword: { type: 'string', value: 'TEXT', description: 'centre the seal on this text (e.g. "（盖章）")' },
    occurrence: { type: 'string', value: 'N|all', description: 'which occurrence of --keyword', default: '1' },
    'cross-page': { type: 'boolean', description: '骑缝章 cross-page seal along the right edge of every page' },
    pages: { type: 'string', value: 'A-B', description: 'page range for --cross-page' },
    lock: { type: 'boolean', description: 'lock the document: no further seals may be added' },
    type: { type: 'string', value: 'Seal|Sign', description: 'OFD signature type: Seal (安全签章, default) or Sign (GB/T 35275 digital signature)', default: 'Seal' },
    profile: { type: 'string', value: 'national|international', description: 'PDF signature profile', default: 'national' },
    tsa: { type: 'string', value: 'DIR', description: 'add a time stamp from this local TSA folder' },
    reason: { type: 'string', value: 'TEXT', description: 'PDF /Reason' },
    location: { type: 'string', value: 'TEXT', description: 'PDF /Location' },
    json: JSON_OPTION,
  },
  async run({ values, positionals }, ctx) {
    const document = readInput(ctx, positionals[0], 'document');
    const format = detect(document, positionals[0]);
    const profile = str(values.profile) as StampRequest['profile'];
    if (profile !== 'national' && profile !== 'international') throw new UsageError('--profile must be national or international');
    const unit = str(values.unit);
    if (unit !== 'mm' && unit !== 'pt') throw new UsageError('--unit must be mm or pt');
    const ofdType = str(values.type);
    if (ofdType !== 'Seal' && ofdType !== 'Sign') throw new UsageError('--type must be Seal or Sign');
    const occ = str(values.occurrence);
    const placement: StampPlacement = {
      unit,
      ...(values.page !== undefined ? { page: num(values.page, '--page') } : {}),
      ...(values.x !== undefined ? { x: num(values.x, '--x') } : {}),
      ...(values.y !== undefined ? { y: num(values.y, '--y') } : {}),
      ...(str(values.keyword) ? { keyword: str(values.keyword)!, occurrence: occ === 'all' ? 'all' : (num(occ, '--occurrence') ?? 1) } : {}),
      ...(values['cross-page'] ? { crossPage: true } : {}),
    };
    if (str(values.pages)) {
      const m = str(values.pages)!.match(/^(\d+)-(\d+)$/);
      if (!m) throw new UsageError('--pages must look like 1-5');
      placement.pages = [Number(m[1]), Number(m[2])];
    }
    const modes = [placement.page !== undefined || placement.x !== undefined || placement.y !== undefined, !!placement.keyword, !!placement.crossPage].filter(Boolean).length;
    if (modes !== 1) throw new UsageError('choose one placement: --page/--x/--y, --keyword, or --cross-page');
    if ((placement.page !== undefined || placement.x !== undefined) && (placement.x === undefined || placement.y === undefined)) throw new UsageError('--page needs --x and --y');

    let sm2Key: Uint8Array | undefined;
    let foreignKeyPkcs8: Uint8Array | undefined;
    let certificates: Uint8Array[] = [];
    if (str(values.p12)) {
      if (!str(values.password)) throw new UsageError('--p12 needs --password');
      const p12 = readPkcs12(readInput(ctx, str(values.p12)!, 'PKCS#12 file'), str(values.password)!);
      if (p12.keys[0]) sm2Key = p12.keys[0].d;
      else if (p12.otherKeys[0]) foreignKeyPkcs8 = p12.otherKeys[0].pkcs8;
      else throw new UsageError('the PKCS#12 file holds no private key');
      certificates = p12.certificates.map((c) => c.der);
    } else {
      if (!str(values.key) || !str(values.cert)) throw new UsageError('give --key and --cert (or --p12 and --password)');
      const keyBytes = readInput(ctx, str(values.key)!, 'private key file');
      try {
        sm2Key = readPrivateKey(keyBytes).d;
      } catch (e) {
        if (profile !== 'international') throw e;
        foreignKeyPkcs8 = keyBytes; // PEM or DER PKCS#8; the PDF format reads it with node:crypto
      }
      certificates = loadCertificates(ctx, str(values.cert)!).map((c) => c.der);
    }
    const req: StampRequest = {
      document,
      ...(str(values.seal) ? { seal: readInput(ctx, str(values.seal)!, 'seal file') } : {}),
      ...(sm2Key ? { sm2Key } : {}),
      ...(foreignKeyPkcs8 ? { foreignKeyPkcs8 } : {}),
      certificates,
      placement,
      lock: !!values.lock,
      ofdType,
      profile,
      ...(str(values.tsa) ? { tsaDir: str(values.tsa)! } : {}),
      ...(str(values.reason) ? { reason: str(values.reason)! } : {}),
      ...(str(values.location) ? { location: str(values.location)! } : {}),
      signTime: ctx.now(),
    };
    const result = await format.stamp(req, ctx);
    const path = writeOutput(ctx, str(values.out)!, result.output);
    printResult(ctx, !!values.json, { output: path, format: format.name, ...result.details }, `${result.summary}\nwritten to ${path}`);
    return 0;
  },
};

export const verify: Command = {
  path: ['verify'],
  summary: 'verify (验章) every seal and signature in an OFD or PDF document; exit 0 only if all are TOTAL_PASSED',
  usage: 'FILE [--trust CERT.pem ...] [--crl FILE] [--at TIME] [--json]',
  positionals: [{ name: 'FILE', required: true, description: '.ofd or .pdf document' }],
  options: { ...TRUST_OPTIONS, json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const document = readInput(ctx, positionals[0], 'document');
    const format = detect(document, positionals[0]);
    const { context, policy } = contextFromOptions(values, ctx);
    const report = await format.verify({ document, trustAnchors: context.trustAnchors, intermediates: context.intermediates ?? [], ...(context.crls ? { crls: context.crls } : {}), time: context.time, policy }, ctx);
    if (values.json) ctx.out(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else ctx.out(reportToText(report, lang(values), !!values.verbose));
    return report.indication === 'TOTAL_PASSED' ? 0 : 1;
  },
};


