/** `eseal seal make|show|verify|image`, `eseal ses sign|verify`, `eseal tsa init`, `eseal policy show` */
import { extname } from 'node:path';
import { readPrivateKey, sm2Sign, sm3, getPublicKey, randomBytes } from '../../sm/index.js';
import { toHex, fromHex, equalBytes } from '../../util/bytes.js';
import { parseUscc } from '../../util/uscc.js';
import { dnToString } from '../../pki/name.js';
import { parseCertificate } from '../../pki/certificate.js';
import {
  makeSeal, parseSeal, prepareSesSignature, assembleSesSignature, signatureValueForTimeStamp, renderSealSvg, sealAppearanceForType, checkSealPicture,
  SEAL_TYPES, SEAL_TYPE_CODES, SEAL_TYPE_NAMES_ZH, sealTypeOfCode, id_eseal_uscc, type SealType, type ExtDataValue, type SealVersion,
} from '../../ses/index.js';
import { renderSealPng } from '../../ses/appearance/render-png.js';
import { loadSealFont } from '../../storage/assets.js';
import { verifySeal, verifySesSignature, reportToText, DEFAULT_POLICY } from '../../validation/index.js';
import { JSON_OPTION, UsageError, str, strs, type Command } from '../command.js';
import { jsonReplacer, parsePositiveInt, parseTime, printResult, readInput, writeOutput } from '../io.js';
import { loadCertificates } from '../load.js';
import { openCa } from '../ca-dir.js';
import { initTsa, openTsa, timeStamp } from '../tsa-dir.js';
import { TRUST_OPTIONS, contextFromOptions, lang } from '../trust.js';

const DAY = 86400_000;

function sealType(v: unknown): SealType {
  const t = str(v) as SealType;
  if (!SEAL_TYPES.includes(t)) throw new UsageError(`--type must be one of ${SEAL_TYPES.join(', ')}`);
  return t;
}

function uscc(v: unknown): string | undefined {
  return str(v) === undefined ? undefined : parseUscc(str(v)!).code;
}

/** The appearance as PNG or SVG bytes, chosen by the output file's extension or --format. */
function renderAppearance(type: SealType, name: string, code: string | undefined, format: 'png' | 'svg', dpi = 300) {
  const { svg, widthMm, heightMm } = renderSealSvg(sealAppearanceForType(type, name, code), loadSealFont());
  const data = format === 'svg' ? new TextEncoder().encode(svg) : renderSealPng(svg, { dpi });
  return { data, widthMm: Math.round(widthMm), heightMm: Math.round(heightMm), type: format.toUpperCase() };
}

export const sealMake: Command = {
  path: ['seal', 'make'],
  summary: 'make (制章) a GB/T 38540 seal, signed by the seal maker',
  usage: '--maker-key MK.pem --maker-cert MC.pem --signer-cert SC.pem --name NAME --type TYPE [--code USCC] [--valid-days N] -o seal.esl',
  details: `Types: ${SEAL_TYPES.map((t) => `${t} (${SEAL_TYPE_NAMES_ZH[t]}, code ${SEAL_TYPE_CODES[t]})`).join(', ')}.\nThe picture is generated from the name, type and code unless --picture is given; it is checked either way.`,
  options: {
    'maker-key': { type: 'string', value: 'FILE', description: '制章者 seal maker SM2 private key', required: true },
    'maker-cert': { type: 'string', value: 'FILE', description: 'seal maker certificate', required: true },
    'signer-cert': { type: 'string', multiple: true, value: 'FILE', description: 'certificate(s) allowed to stamp with this seal (certList)', required: true },
    name: { type: 'string', value: 'NAME', description: '印章名称 seal name (the organisation or person)', required: true },
    type: { type: 'string', value: 'TYPE', description: SEAL_TYPES.join('|'), required: true },
    code: { type: 'string', value: 'USCC', description: '统一社会信用代码 (checked; drawn on the seal and recorded in an ExtData)' },
    'valid-days': { type: 'string', value: 'N', description: 'validity in days', default: '1825' },
    'valid-from': { type: 'string', value: 'TIME', description: 'start of validity (default now)' },
    'es-id': { type: 'string', value: 'ID', description: '电子印章标识 (default: a random 32-hex id)' },
    vid: { type: 'string', value: 'VID', description: 'making-system id (SES_Header.Vid)', default: 'eseal' },
    picture: { type: 'string', value: 'FILE', description: 'use this picture (PNG/SVG/JPG/GIF/BMP) instead of generating one' },
    'picture-size': { type: 'string', value: 'WxH', description: 'picture size in mm with --picture (e.g. 42x42)' },
    'picture-format': { type: 'string', value: 'png|svg', description: 'format of a generated picture', default: 'png' },
    'cert-list': { type: 'string', value: '1|2', description: 'certListType: 1 = certificates, 2 = SM3 digests', default: '1' },
    version: { type: 'string', value: '4|5', description: 'GB/T 38540 (4) or GM/T 0031-2025 (5)', default: '4' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'seal output (Seal.esl)', required: true },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const type = sealType(values.type);
    const name = str(values.name)!;
    const code = uscc(values.code);
    const makerKey = readPrivateKey(readInput(ctx, str(values['maker-key'])!, 'maker key')).d;
    const makerCert = loadCertificates(ctx, str(values['maker-cert'])!)[0];
    if (makerCert.spki.keyType !== 'sm2' || !equalBytes(makerCert.spki.publicKey, getPublicKey(makerKey))) throw new UsageError('--maker-key does not belong to --maker-cert');
    const signers = strs(values['signer-cert']).map((f) => loadCertificates(ctx, f)[0]);
    let picture: { type: string; data: Uint8Array; widthMm: number; heightMm: number };
    if (str(values.picture)) {
      const data = readInput(ctx, str(values.picture)!, 'picture');
      const size = str(values['picture-size'])?.match(/^(\d+)x(\d+)$/);
      if (!size) throw new UsageError('--picture needs --picture-size WxH in millimetres, e.g. 42x42');
      const ext = extname(str(values.picture)!).slice(1).toUpperCase() || 'PNG';
      picture = { type: ext === 'JPEG' ? 'JPG' : ext, data, widthMm: Number(size[1]), heightMm: Number(size[2]) };
    } else {
      const f = str(values['picture-format']);
      if (f !== 'png' && f !== 'svg') throw new UsageError('--picture-format must be png or svg');
      picture = renderAppearance(type, name, code, f);
    }
    const check = checkSealPicture(picture);
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (errors.length) throw new UsageError(`the seal picture is not acceptable: ${errors.map((p) => p.message).join('; ')}`);
    const from = str(values['valid-from']) ? parseTime(str(values['valid-from'])!, '--valid-from') : ctx.now();
    const version = Number(str(values.version)) as SealVersion;
    if (version !== 4 && version !== 5) throw new UsageError('--version must be 4 or 5');
    const certListType = Number(str(values['cert-list']));
    if (certListType !== 1 && certListType !== 2) throw new UsageError('--cert-list must be 1 or 2');
    const extDatas: ExtDataValue[] = code ? [{ oid: id_eseal_uscc, critical: false, value: new TextEncoder().encode(code) }] : [];
    const esId = str(values['es-id']) ?? toHex(randomBytes(16));
    const seal = await makeSeal(
      {
        version,
        vid: str(values.vid)!,
        esId,
        type: SEAL_TYPE_CODES[type],
        name,
        certListType,
        signerCertificates: signers.map((c) => c.der),
        createDate: ctx.now(),
        validStart: from,
        validEnd: new Date(from.getTime() + parsePositiveInt(str(values['valid-days']), '--valid-days', 1825) * DAY),
        picture,
        extDatas,
        makerCertificate: makerCert.der,
      },
      (tbs) => sm2Sign(makerKey, tbs),
    );
    const path = writeOutput(ctx, str(values.out)!, seal);
    printResult(ctx, !!values.json, { output: path, esId, name, type, typeCode: SEAL_TYPE_CODES[type], picture: { type: picture.type, widthMm: picture.widthMm, heightMm: picture.heightMm, bytes: picture.data.length }, size: seal.length }, `seal "${name}" (${SEAL_TYPE_NAMES_ZH[type]}, esID ${esId}) written to ${path}`);
    return 0;
  },
};

export const sealShow: Command = {
  path: ['seal', 'show'],
  summary: 'print every field of a seal (v1, v4, v5); export its picture on request',
  usage: 'seal.esl [--json] [--picture-out FILE]',
  positionals: [{ name: 'SEAL', required: true, description: 'seal file (SESeal DER), or an SES_Signature: its embedded seal is shown' }],
  options: { json: JSON_OPTION, 'picture-out': { type: 'string', value: 'FILE', description: 'write the seal picture to this file' } },
  async run({ values, positionals }, ctx) {
    const der = readInput(ctx, positionals[0], 'seal file');
    const seal = parseSeal(der);
    const { info } = seal;
    const cert = (d: Uint8Array) => {
      try {
        const c = parseCertificate(d);
        return { subject: dnToString(c.subject), issuer: dnToString(c.issuer), serialNumber: c.serialNumber, notBefore: c.notBefore, notAfter: c.notAfter, fingerprintSm3: c.fingerprintSm3 };
      } catch (e) {
        return { error: (e as Error).message, sm3: toHex(sm3(d)) };
      }
    };
    const data = {
      layout: seal.layout,
      header: info.header,
      esId: info.esId,
      property: {
        type: info.property.type,
        typeName: sealTypeOfCode(info.property.type),
        name: info.property.name,
        certListType: info.property.certListType,
        certs: info.property.certs.map(cert),
        certDigests: info.property.certDigests.map((d) => ({ type: d.type, value: toHex(d.value) })),
        createDate: info.property.createDate,
        validStart: info.property.validStart,
        validEnd: info.property.validEnd,
      },
      picture: { type: info.picture.type, widthMm: info.picture.width, heightMm: info.picture.height, bytes: info.picture.data.length },
      extDatas: info.extDatas.map((e) => ({ oid: e.oid, critical: e.critical, value: toHex(e.value) })),
      maker: cert(seal.makerCert),
      signatureAlgorithm: seal.signatureAlgorithm,
      signature: toHex(seal.signature),
      timeStamp: seal.timeStamp ? { bytes: seal.timeStamp.length } : undefined,
      sm3: toHex(sm3(der)),
    };
    if (str(values['picture-out'])) writeOutput(ctx, str(values['picture-out'])!, info.picture.data);
    const p = data.property;
    const text = [
      `seal (${seal.layout}) ${info.esId}`,
      `  name:       ${p.name}`,
      `  type:       ${p.type}${p.typeName ? ` (${p.typeName})` : ''}`,
      `  header:     ES v${info.header.version}, Vid "${info.header.vid}"`,
      `  validity:   ${p.validStart.toISOString()} … ${p.validEnd.toISOString()} (made ${p.createDate.toISOString()})`,
      `  picture:    ${data.picture.type} ${data.picture.widthMm} x ${data.picture.heightMm} mm, ${data.picture.bytes} bytes`,
      `  maker:      ${'subject' in data.maker ? data.maker.subject : data.maker.error}`,
      `  certList:   ${p.certListType ?? 'v1'}: ${p.certs.map((c) => ('subject' in c ? c.subject : c.error)).join('; ') || p.certDigests.map((d) => `${d.type}:${d.value.slice(0, 16)}…`).join('; ')}`,
      ...data.extDatas.map((e) => `  extData:    ${e.oid}${e.critical ? ' (critical)' : ''} = ${e.value.slice(0, 40)}`),
      data.timeStamp ? `  timeStamp:  ${data.timeStamp.bytes} bytes` : '',
    ].filter(Boolean).join('\n');
    printResult(ctx, !!values.json, data, text);
    return 0;
  },
};

export const sealVerify: Command = {
  path: ['seal', 'verify'],
  summary: 'verify a seal (GB/T 38540 §6.3); exit 0 only on TOTAL_PASSED',
  usage: 'seal.esl [--trust MC.pem] [--at ISO-TIME] [--crl FILE] [--json]',
  positionals: [{ name: 'SEAL', required: true, description: 'seal file (SESeal DER)' }],
  options: { ...TRUST_OPTIONS, json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const { context, policy } = contextFromOptions(values, ctx);
    const report = verifySeal(readInput(ctx, positionals[0], 'seal file'), context, policy);
    if (values.json) ctx.out(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else ctx.out(reportToText(report, lang(values), !!values.verbose));
    return report.indication === 'TOTAL_PASSED' ? 0 : 1;
  },
};

export const sealImage: Command = {
  path: ['seal', 'image'],
  summary: 'draw a seal appearance (印模) alone, as PNG or SVG',
  usage: '--name "NAME" --type TYPE [--code USCC] -o seal.png|seal.svg [--dpi N]',
  options: {
    name: { type: 'string', value: 'NAME', description: 'organisation or person', required: true },
    type: { type: 'string', value: 'TYPE', description: SEAL_TYPES.join('|'), required: true },
    code: { type: 'string', value: 'USCC', description: '统一社会信用代码 / 13-digit code (checked when 18 characters)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: '.png or .svg', required: true },
    dpi: { type: 'string', value: 'N', description: 'PNG resolution', default: '300' },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const out = str(values.out)!;
    const format = extname(out).toLowerCase() === '.svg' ? 'svg' : extname(out).toLowerCase() === '.png' ? 'png' : undefined;
    if (!format) throw new UsageError('-o must end in .png or .svg');
    const code = str(values.code);
    if (code && code.length === 18) parseUscc(code);
    const img = renderAppearance(sealType(values.type), str(values.name)!, code, format, parsePositiveInt(str(values.dpi), '--dpi', 300));
    const path = writeOutput(ctx, out, img.data);
    printResult(ctx, !!values.json, { output: path, widthMm: img.widthMm, heightMm: img.heightMm, bytes: img.data.length }, `${img.widthMm} x ${img.heightMm} mm seal picture written to ${path}`);
    return 0;
  },
};

function dataHashFrom(values: Record<string, unknown>, ctx: Parameters<Command['run']>[1]): { data?: Uint8Array; hash?: Uint8Array } {
  if (str(values.in) && str(values.hash)) throw new UsageError('give -i FILE or --hash HEX, not both');
  if (str(values.in)) return { data: readInput(ctx, str(values.in)!, 'input file') };
  if (str(values.hash)) {
    const h = fromHex(str(values.hash)!);
    if (h.length !== 32) throw new UsageError('--hash must be 64 hex digits (an SM3 hash)');
    return { hash: h };
  }
  return {};
}

export const sesSign: Command = {
  path: ['ses', 'sign'],
  summary: 'make an electronic signature (SES_Signature, GB/T 38540) over a file or a given SM3 hash',
  usage: '--seal seal.esl --key KEY.pem --cert CERT.pem (-i FILE | --hash HEX) -o SignedValue.dat [--property-info TEXT] [--tsa DIR]',
  options: {
    seal: { type: 'string', value: 'FILE', description: 'the seal', required: true },
    key: { type: 'string', value: 'FILE', description: 'signer SM2 private key', required: true },
    cert: { type: 'string', value: 'FILE', description: 'signer certificate (must be in the seal\'s certList)', required: true },
    in: { type: 'string', short: 'i', value: 'FILE', description: 'the original (hashed with SM3)' },
    hash: { type: 'string', value: 'HEX', description: 'or its SM3 hash' },
    'property-info': { type: 'string', value: 'TEXT', description: '原文属性 (default: the input file name)' },
    tsa: { type: 'string', value: 'DIR', description: 'add a time stamp over the signature from this local TSA' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'SES_Signature output', required: true },
    json: JSON_OPTION,
  },
  async run({ values }, ctx) {
    const { data, hash } = dataHashFrom(values, ctx);
    if (!data && !hash) throw new UsageError('give -i FILE or --hash HEX');
    const key = readPrivateKey(readInput(ctx, str(values.key)!, 'signer key')).d;
    const cert = loadCertificates(ctx, str(values.cert)!)[0];
    if (cert.spki.keyType !== 'sm2' || !equalBytes(cert.spki.publicKey, getPublicKey(key))) throw new UsageError('--key does not belong to --cert');
    const seal = readInput(ctx, str(values.seal)!, 'seal file');
    const prepared = prepareSesSignature({ seal, signTime: ctx.now(), dataHash: hash ?? sm3(data!), propertyInfo: str(values['property-info']) ?? str(values.in) ?? 'hash', signerCertificate: cert.der });
    const signature = sm2Sign(key, prepared.toBeSigned);
    const timeStampToken = str(values.tsa) ? timeStamp(ctx, openTsa(ctx, str(values.tsa)!), signatureValueForTimeStamp(signature)) : undefined;
    const out = assembleSesSignature(prepared, signature, timeStampToken ? { timeStamp: timeStampToken } : {});
    const path = writeOutput(ctx, str(values.out)!, out);
    printResult(ctx, !!values.json, { output: path, bytes: out.length, timeStamped: !!timeStampToken }, `SES_Signature written to ${path}${timeStampToken ? ' (time-stamped)' : ''}`);
    return 0;
  },
};

export const sesVerify: Command = {
  path: ['ses', 'verify'],
  summary: 'verify an electronic signature (GB/T 38540 §7.3) over a file or hash; exit 0 only on TOTAL_PASSED',
  usage: 'SignedValue.dat [-i FILE | --hash HEX] [--trust CERT.pem ...] [--at TIME] [--json]',
  positionals: [{ name: 'SIGNATURE', required: true, description: 'SES_Signature file' }],
  options: { in: { type: 'string', short: 'i', value: 'FILE', description: 'the original' }, hash: { type: 'string', value: 'HEX', description: 'or its SM3 hash' }, ...TRUST_OPTIONS, json: JSON_OPTION },
  async run({ values, positionals }, ctx) {
    const { data, hash } = dataHashFrom(values, ctx);
    const { context, policy } = contextFromOptions(values, ctx);
    const report = verifySesSignature(readInput(ctx, positionals[0], 'signature file'), { ...(data ? { data } : {}), ...(hash ? { expectedDataHash: hash } : {}) }, context, policy);
    if (values.json) ctx.out(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else ctx.out(reportToText(report, lang(values), !!values.verbose));
    return report.indication === 'TOTAL_PASSED' ? 0 : 1;
  },
};

export const tsaInit: Command = {
  path: ['tsa', 'init'],
  summary: 'make a local time-stamping authority (RFC 3161, SM2) folder, certified by a CA folder',
  usage: '--ca CADIR -o TSADIR [--subject DN] [--days N]',
  options: {
    ca: { type: 'string', value: 'CADIR', description: 'issuing CA folder', required: true },
    out: { type: 'string', short: 'o', value: 'TSADIR', description: 'folder to create', required: true },
    subject: { type: 'string', value: 'DN', description: 'TSA name', default: 'CN=eseal 时间戳服务,O=eseal,C=CN' },
    days: { type: 'string', value: 'N', description: 'certificate validity', default: '1825' },
  },
  async run({ values }, ctx) {
    const tsa = await initTsa(ctx, str(values.out)!, openCa(ctx, str(values.ca)!), str(values.subject)!, parsePositiveInt(str(values.days), '--days', 1825));
    ctx.out(`TSA "${dnToString(tsa.certificate.subject)}" created in ${tsa.dir} (policy ${tsa.policy})\n`);
    return 0;
  },
};

export const policyShow: Command = {
  path: ['policy', 'show'],
  summary: 'print the default validation policy (JSON: a level FAIL/WARN/INFORM/IGNORE per check)',
  usage: '[> policy.json]',
  options: {},
  async run(_input, ctx) {
    ctx.out(JSON.stringify(DEFAULT_POLICY, null, 2) + '\n');
    return 0;
  },
};
