/**
 * @module ses/parse
 * Read seals (SESeal) and electronic signatures (SES_Signature) made by any vendor, GB/T 38540 (v4),
 * GM/T 0031-2025 (v5) and GM/T 0031-2014 (v1). The layout is detected from the structure
 * (2-element SESeal = v1; 4 or 5 elements = v4/v5, told apart by the header version), never from
 * the version number alone (STANDARDS.md §1.5). Every signed part is kept as its original bytes.
 * Malformed input throws EsealError SEAL_MALFORMED / SIGNATURE_STRUCTURE_MALFORMED naming the field.
 */
import { EsealError, fail } from '../util/errors.js';
import { fromUtf8 } from '../util/bytes.js';
import {
  DerNode, TAG, derSequence, parseDer, readBitStringBytes, readBoolean, readInteger, readOctetString, readOid, readString, readTime,
} from '../util/der.js';
import type { ExtDataValue, Seal, SealInfo, SealLayout, SesSignature } from './model.js';

/** Seals and signatures above this size are refused (real ones are 5–200 KiB, the picture dominating). */
export const MAX_SEAL_SIZE = 8 * 1024 * 1024;
const MAX_DEPTH = 24;

class Ctx {
  constructor(readonly code: 'SEAL_MALFORMED' | 'SIGNATURE_STRUCTURE_MALFORMED', readonly what: string) {}
  fail(path: string, message: string): never {
    throw new EsealError(this.code, `${this.what}: ${path}: ${message}`, { field: path });
  }
  /** Runs a DER read, turning its errors into this context's code with the field path. */
  read<T>(path: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof EsealError && (e.code === 'SEAL_MALFORMED' || e.code === 'SIGNATURE_STRUCTURE_MALFORMED')) throw e;
      this.fail(path, (e as Error).message);
    }
  }
  seq(node: DerNode, path: string, min: number, max = min): DerNode[] {
    if (node.tag !== TAG.SEQUENCE) this.fail(path, `expected a SEQUENCE, found tag 0x${node.tag.toString(16)}`);
    const kids = this.read(path, () => node.children());
    if (kids.length < min || kids.length > max) this.fail(path, `has ${kids.length} elements, expected ${min === max ? min : `${min} to ${max}`}`);
    return kids;
  }
  int(node: DerNode, path: string): number {
    const v = this.read(path, () => readInteger(node, path));
    if (v < -(2n ** 31n) || v > 2n ** 31n) this.fail(path, 'integer out of range');
    return Number(v);
  }
  str(node: DerNode, path: string, tags: number[] = [TAG.IA5_STRING, TAG.UTF8_STRING, TAG.PRINTABLE_STRING]): string {
    if (!tags.includes(node.tag)) this.fail(path, `expected a string, found tag 0x${node.tag.toString(16)}`);
    return readString(node);
  }
}

function readExtDatas(ctx: Ctx, node: DerNode, path: string): ExtDataValue[] {
  return readExtDataList(ctx, ctx.seq(node, path, 0, 1024), path);
}

function readExtDataList(ctx: Ctx, list: DerNode[], path: string): ExtDataValue[] {
  return list.map((ext, i) => {
    const p = `${path}[${i}]`;
    const f = ctx.seq(ext, p, 2, 3);
    const oid = ctx.read(`${p}.extnID`, () => readOid(f[0]));
    let critical = false;
    let valueNode = f[1];
    if (f.length === 3) {
      critical = ctx.read(`${p}.critical`, () => readBoolean(f[1]));
      valueNode = f[2];
    }
    return { oid, critical, value: ctx.read(`${p}.extnValue`, () => readOctetString(valueNode)) };
  });
}

function readSealInfo(ctx: Ctx, node: DerNode, v1: boolean): SealInfo {
  const f = ctx.seq(node, 'SES_SealInfo', 4, 5);
  const h = ctx.seq(f[0], 'SES_SealInfo.header', 3);
  const header = { id: ctx.str(h[0], 'header.ID'), version: ctx.int(h[1], 'header.version'), vid: ctx.str(h[2], 'header.Vid') };
  if (header.id !== 'ES') ctx.fail('header.ID', `is "${header.id}", expected "ES"`);
  const esId = ctx.str(f[1], 'esID');

  const p = ctx.seq(f[2], 'SES_ESPropertyInfo', v1 ? 6 : 7);
  const certs: Uint8Array[] = [];
  const certDigests: { type: string; value: Uint8Array }[] = [];
  let certListType: number | undefined;
  let certListNode: DerNode;
  let dates: DerNode[];
  if (v1) {
    certListNode = p[2];
    dates = p.slice(3, 6);
  } else {
    certListType = ctx.int(p[2], 'property.certListType');
    certListNode = p[3];
    dates = p.slice(4, 7);
  }
  const entries = ctx.seq(certListNode, 'property.certList', 0, 4096);
  entries.forEach((e, i) => {
    const path = `property.certList[${i}]`;
    if (certListType === 2) {
      const d = ctx.seq(e, path, 2);
      certDigests.push({ type: ctx.str(d[0], `${path}.type`), value: ctx.read(`${path}.value`, () => readOctetString(d[1])) });
    } else if (e.tag === TAG.OCTET_STRING) {
      certs.push(e.value);
    } else if (v1 && (e.tag === TAG.IA5_STRING || e.tag === TAG.UTF8_STRING)) {
      // dms360 wrote the ambiguous `certID ::= IA5String` of the 2014 text: an identifier, not a certificate.
    } else ctx.fail(path, `expected an OCTET STRING certificate, found tag 0x${e.tag.toString(16)}`);
  });
  if (certListType !== undefined && certListType !== 1 && certListType !== 2) ctx.fail('property.certListType', `is ${certListType}, expected 1 or 2`);
  const timeOf = (n: DerNode, name: string) => ctx.read(`property.${name}`, () => readTime(n, name));
  const property = {
    type: ctx.int(p[0], 'property.type'),
    name: ctx.str(p[1], 'property.name', [TAG.UTF8_STRING, TAG.IA5_STRING, TAG.PRINTABLE_STRING, TAG.BMP_STRING]),
    ...(certListType !== undefined ? { certListType } : {}),
    certs,
    certDigests,
    createDate: timeOf(dates[0], 'createDate'),
    validStart: timeOf(dates[1], 'validStart'),
    validEnd: timeOf(dates[2], 'validEnd'),
  };

  const pic = ctx.seq(f[3], 'SES_ESPictrueInfo', 4);
  const picture = {
    type: ctx.str(pic[0], 'picture.type'),
    data: ctx.read('picture.data', () => readOctetString(pic[1])),
    width: ctx.int(pic[2], 'picture.width'),
    height: ctx.int(pic[3], 'picture.height'),
  };
  const extDatas = f[4] ? readExtDatas(ctx, f[4], 'SES_SealInfo.extDatas') : [];
  return { header, esId, property, picture, extDatas };
}

function readSealNode(ctx: Ctx, root: DerNode): Seal {
  const top = ctx.seq(root, 'SESeal', 2, 5);
  if (top.length === 3) ctx.fail('SESeal', 'has 3 elements: neither GM/T 0031-2014 (2) nor GB/T 38540 (4, or 5 with a time stamp)');
  if (top.length === 2) {
    // GM/T 0031-2014: SESeal { SES_SealInfo, SES_SignInfo { cert, signatureAlgorithm, signData } }
    const info = readSealInfo(ctx, top[0], true);
    const signInfo = ctx.seq(top[1], 'SES_SignInfo', 3);
    const makerCert = ctx.read('signInfo.cert', () => readOctetString(signInfo[0]));
    const signatureAlgorithm = ctx.read('signInfo.signatureAlgorithm', () => readOid(signInfo[1]));
    const signature = ctx.read('signInfo.signData', () => readBitStringBytes(signInfo[2]));
    return {
      layout: 'v1',
      der: root.raw,
      info,
      infoDer: top[0].raw,
      makerCert,
      signatureAlgorithm,
      signature,
      // The v1 maker signs a SEQUENCE that does not exist in the file: built from the original TLVs.
      signedBytes: derSequence(top[0].raw, signInfo[0].raw, signInfo[1].raw),
    };
  }
  const info = readSealInfo(ctx, top[0], false);
  const makerCert = ctx.read('SESeal.cert', () => readOctetString(top[1]));
  const signatureAlgorithm = ctx.read('SESeal.signAlgID', () => readOid(top[2]));
  const signature = ctx.read('SESeal.signedValue', () => readBitStringBytes(top[3]));
  let timeStamp: Uint8Array | undefined;
  if (top[4]) {
    if (top[4].contextNumber !== 0) ctx.fail('SESeal.timeStamp', `expected [0], found tag 0x${top[4].tag.toString(16)}`);
    timeStamp = ctx.read('SESeal.timeStamp', () => unwrapTimeStamp(top[4]));
  }
  const layout: SealLayout = info.header.version >= 5 || timeStamp ? 'v5' : 'v4';
  return { layout, der: root.raw, info, infoDer: top[0].raw, makerCert, signatureAlgorithm, signature, signedBytes: top[0].raw, ...(timeStamp ? { timeStamp } : {}) };
}

/** `[0] BIT STRING` written EXPLICIT (A0 len 03 ...) in every sample; IMPLICIT (80/A0 with bit content) tolerated. */
function unwrapTimeStamp(node: DerNode): Uint8Array {
  if (node.constructed) {
    const inner = node.children();
    if (inner.length !== 1) throw new Error('[0] must wrap one BIT STRING');
    return readBitStringBytes(inner[0]);
  }
  const v = node.value;
  if (v.length === 0 || v[0] !== 0) throw new Error('implicit [0] BIT STRING has unused bits');
  return v.subarray(1);
}

function parseRoot(der: Uint8Array, ctx: Ctx): DerNode {
  if (!(der instanceof Uint8Array)) fail('INVALID_ARGUMENT', `${ctx.what} must be bytes`);
  if (der.length > MAX_SEAL_SIZE) fail('LIMIT_EXCEEDED', `${ctx.what} of ${der.length} bytes exceeds the ${MAX_SEAL_SIZE}-byte limit`);
  return ctx.read('DER', () => parseDer(der, { maxDepth: MAX_DEPTH, what: ctx.what }));
}

/** Parses an SESeal (Seal.esl). */
export function parseSeal(der: Uint8Array): Seal {
  const ctx = new Ctx('SEAL_MALFORMED', 'seal');
  return readSealNode(ctx, parseRoot(der, ctx));
}

/** Parses an SES_Signature (OFD SignedValue.dat), v1 or v4/v5. */
export function parseSesSignature(der: Uint8Array): SesSignature {
  const ctx = new Ctx('SIGNATURE_STRUCTURE_MALFORMED', 'SES_Signature');
  const root = parseRoot(der, ctx);
  const top = ctx.seq(root, 'SES_Signature', 2, 5);
  const sealCtx = new Ctx('SIGNATURE_STRUCTURE_MALFORMED', 'SES_Signature embedded seal');
  if (top.length === 2) {
    // GM/T 0031-2014: { TBS_Sign { version, eseal, timeInfo BIT STRING, dataHash, propertyInfo, cert, alg }, signature }
    const t = ctx.seq(top[0], 'TBS_Sign', 7);
    const seal = readSealNode(sealCtx, t[1]);
    const timeText = fromUtf8(ctx.read('TBS_Sign.timeInfo', () => readBitStringBytes(t[2])));
    const parsedTime = parseLooseTime(timeText);
    return {
      layout: 'v1',
      der: root.raw,
      tbsDer: top[0].raw,
      version: ctx.int(t[0], 'TBS_Sign.version'),
      sealDer: t[1].raw,
      seal,
      ...(parsedTime ? { timeInfo: parsedTime } : {}),
      timeInfoText: timeText,
      dataHash: ctx.read('TBS_Sign.dataHash', () => readBitStringBytes(t[3])),
      propertyInfo: ctx.str(t[4], 'TBS_Sign.propertyInfo'),
      extDatas: [],
      signerCert: ctx.read('TBS_Sign.cert', () => readOctetString(t[5])),
      signatureAlgorithm: ctx.read('TBS_Sign.signatureAlgorithm', () => readOid(t[6])),
      signature: ctx.read('signature', () => readBitStringBytes(top[1])),
    };
  }
  if (top.length === 3) ctx.fail('SES_Signature', 'has 3 elements: neither GM/T 0031-2014 (2) nor GB/T 38540 (4 or 5)');
  const t = ctx.seq(top[0], 'TBS_Sign', 5, 6);
  const version = ctx.int(t[0], 'TBS_Sign.version');
  const seal = readSealNode(sealCtx, t[1]);
  let extDatas: ExtDataValue[] = [];
  if (t[5]) {
    if (t[5].contextNumber !== 0) ctx.fail('TBS_Sign.extDatas', `expected [0], found tag 0x${t[5].tag.toString(16)}`);
    // EXPLICIT on the wire (A0 len 30 len 30 ...): [0] wraps the SEQUENCE OF. IMPLICIT (A0 len 30 len 06 ...)
    // would hold the ExtData elements directly; tolerated.
    const inner = ctx.read('TBS_Sign.extDatas', () => t[5].children());
    const explicit = inner.length === 1 && inner[0].tag === TAG.SEQUENCE && ctx.read('TBS_Sign.extDatas', () => inner[0].children()[0]?.tag !== TAG.OID);
    extDatas = explicit ? readExtDatas(ctx, inner[0], 'TBS_Sign.extDatas') : readExtDataList(ctx, inner, 'TBS_Sign.extDatas');
  }
  let timeStamp: Uint8Array | undefined;
  if (top[4]) {
    if (top[4].contextNumber !== 0) ctx.fail('SES_Signature.timeStamp', `expected [0], found tag 0x${top[4].tag.toString(16)}`);
    timeStamp = ctx.read('SES_Signature.timeStamp', () => unwrapTimeStamp(top[4]));
  }
  return {
    layout: version >= 5 ? 'v5' : 'v4',
    der: root.raw,
    tbsDer: top[0].raw,
    version,
    sealDer: t[1].raw,
    seal,
    timeInfo: ctx.read('TBS_Sign.timeInfo', () => readTime(t[2], 'timeInfo')),
    dataHash: ctx.read('TBS_Sign.dataHash', () => readBitStringBytes(t[3])),
    propertyInfo: ctx.str(t[4], 'TBS_Sign.propertyInfo'),
    extDatas,
    signerCert: ctx.read('SES_Signature.cert', () => readOctetString(top[1])),
    signatureAlgorithm: ctx.read('SES_Signature.signatureAlgID', () => readOid(top[2])),
    signature: ctx.read('SES_Signature.signature', () => readBitStringBytes(top[3])),
    ...(timeStamp ? { timeStamp } : {}),
  };
}

/** v1 timeInfo text as found in files: "yyyy-MM-dd HH:mm:ss" (local time, taken as UTC+8) or ISO 8601. */
export function parseLooseTime(text: string): Date | undefined {
  const t = text.trim();
  const m = t.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/);
  if (!m) return undefined;
  const zone = m[8] ?? '+08:00'; // China Standard Time when the writer gave none
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone.length === 5 && zone !== 'Z' ? zone.slice(0, 3) + ':' + zone.slice(3) : zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
