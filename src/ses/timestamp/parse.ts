/**
 * @module ses/timestamp/parse
 * Reads a TimeStampToken (RFC 3161 §2.4.2) from untrusted bytes: the CMS SignedData through
 * `parseSignedData` (bounded, checked DER), then the encapsulated TSTInfo with the DER reader, keeping
 * the original bytes. Throws EsealError TIMESTAMP_MALFORMED whose message starts "not a
 * TimeStampToken: " when the bytes are not a token at all.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { fromUtf8, toHex } from '../../util/bytes.js';
import { parseDer, readBoolean, readInteger, readOctetString, readOid, readTime, TAG, type DerNode } from '../../util/der.js';
import { EsealError, fail } from '../../util/errors.js';
import { digestNameOf, dnToString, nameToDn, parseSignedData, readExtensions, type AnyDigestName, type ParsedSignedData, type RawExtension } from '../../pki/index.js';
import { id_ct_TSTInfo } from './oids.js';

export interface ParsedTstInfo {
  /** the TSTInfo DER as encapsulated (what message-digest covers) */
  raw: Uint8Array;
  version: number;
  policy: string;
  messageImprint: { hashAlgorithm: string; hashAlgorithmName?: AnyDigestName; hashedMessage: Uint8Array };
  /** hex of the INTEGER content octets */
  serialNumber: string;
  genTime: Date;
  /** genTime as written (RFC 3161 requires "Z" and no trailing zeros in fractions) */
  genTimeText: string;
  accuracy?: { seconds: number; millis: number; micros: number };
  ordering: boolean;
  /** hex of the nonce INTEGER content octets */
  nonce?: string;
  /** the `tsa` GeneralName: raw, and the directory name as text when it is one */
  tsa?: { raw: Uint8Array; directoryName?: string; directoryNameDer?: Uint8Array };
  extensions: RawExtension[];
}

export interface ParsedTimeStampToken {
  der: Uint8Array;
  signedData: ParsedSignedData;
  tstInfo: ParsedTstInfo;
}

const notToken = (why: string): never => fail('TIMESTAMP_MALFORMED', `not a TimeStampToken: ${why}`);

function smallInteger(node: DerNode | undefined, what: string, max: number): number {
  if (!node) fail('TIMESTAMP_MALFORMED', `TSTInfo: ${what} is missing`);
  const v = readInteger(node, what);
  if (v < 0n || v > BigInt(max)) fail('TIMESTAMP_MALFORMED', `TSTInfo: ${what} ${v} is out of range`);
  return Number(v);
}

function readAccuracy(node: DerNode): ParsedTstInfo['accuracy'] {
  const acc = { seconds: 0, millis: 0, micros: 0 };
  for (const f of node.children()) {
    if (f.tag === TAG.INTEGER) acc.seconds = smallInteger(f, 'accuracy seconds', 2 ** 31 - 1);
    else if (f.tag === 0x80 || f.tag === 0x81) {
      // [0]/[1] IMPLICIT INTEGER (1..999): read the content as an INTEGER
      const v = f.value.reduce((n, b) => n * 256 + b, 0);
      if (f.length === 0 || f.length > 2 || v < 1 || v > 999) fail('TIMESTAMP_MALFORMED', `TSTInfo: accuracy ${f.tag === 0x80 ? 'millis' : 'micros'} must be 1..999`);
      if (f.tag === 0x80) acc.millis = v;
      else acc.micros = v;
    } else fail('TIMESTAMP_MALFORMED', `TSTInfo: unexpected tag 0x${f.tag.toString(16)} in accuracy`);
  }
  return acc;
}

function readTsaName(node: DerNode): ParsedTstInfo['tsa'] {
  const [gn] = node.children();
  if (!gn) fail('TIMESTAMP_MALFORMED', 'TSTInfo: tsa [0] is empty');
  if (gn.tag !== 0xa4) return { raw: gn.raw };
  const nameDer = gn.children()[0]?.raw;
  if (!nameDer) fail('TIMESTAMP_MALFORMED', 'TSTInfo: tsa directoryName is empty');
  let text: string | undefined;
  try {
    text = dnToString(nameToDn(AsnConvert.parse(nameDer, Name)));
  } catch {
    // an unreadable name is reported by the comparison with the certificate, not here
  }
  return { raw: gn.raw, directoryNameDer: nameDer, ...(text !== undefined ? { directoryName: text } : {}) };
}

/** Reads a DER TSTInfo (RFC 3161 §2.4.2). */
export function parseTstInfo(raw: Uint8Array): ParsedTstInfo {
  try {
    const root = parseDer(raw, { what: 'TSTInfo' });
    if (root.tag !== TAG.SEQUENCE) fail('TIMESTAMP_MALFORMED', 'TSTInfo is not a SEQUENCE');
    const f = root.children();
    let i = 0;
    const version = smallInteger(f[i++], 'version', 1000);
    if (version !== 1) fail('TIMESTAMP_MALFORMED', `TSTInfo version ${version}, expected 1`);
    const policy = readOid(f[i++], 'policy');
    const mi = f[i++];
    if (!mi || mi.tag !== TAG.SEQUENCE) fail('TIMESTAMP_MALFORMED', 'TSTInfo: messageImprint is not a SEQUENCE');
    const [alg, hashed] = mi.children();
    if (!alg || alg.tag !== TAG.SEQUENCE || !hashed) fail('TIMESTAMP_MALFORMED', 'TSTInfo: messageImprint must be SEQUENCE { AlgorithmIdentifier, OCTET STRING }');
    const hashAlgorithm = readOid(alg.children()[0], 'messageImprint hashAlgorithm');
    const hashedMessage = readOctetString(hashed, 'hashedMessage');
    const serial = f[i++];
    readInteger(serial, 'serialNumber');
    const timeNode = f[i++];
    if (!timeNode || timeNode.tag !== TAG.GENERALIZED_TIME) fail('TIMESTAMP_MALFORMED', 'TSTInfo: genTime is not a GeneralizedTime');
    const genTime = readTime(timeNode, 'genTime');
    let accuracy: ParsedTstInfo['accuracy'];
    let ordering = false;
    let nonce: string | undefined;
    let tsa: ParsedTstInfo['tsa'];
    let extensions: RawExtension[] = [];
    if (f[i]?.tag === TAG.SEQUENCE) accuracy = readAccuracy(f[i++]);
    if (f[i]?.tag === TAG.BOOLEAN) ordering = readBoolean(f[i++], 'ordering');
    if (f[i]?.tag === TAG.INTEGER) {
      readInteger(f[i], 'nonce');
      nonce = toHex(f[i++].value);
    }
    if (f[i]?.tag === 0xa0) tsa = readTsaName(f[i++]);
    if (f[i]?.tag === 0xa1) {
      // [1] IMPLICIT Extensions: the node itself is the SEQUENCE OF Extension
      extensions = readExtensions(f[i++], 'TSTInfo').all;
    }
    if (i !== f.length) fail('TIMESTAMP_MALFORMED', `TSTInfo has ${f.length - i} unexpected element(s) after field ${i}`);
    const name = digestNameOf(hashAlgorithm);
    return {
      raw,
      version,
      policy,
      messageImprint: { hashAlgorithm, ...(name ? { hashAlgorithmName: name } : {}), hashedMessage },
      serialNumber: toHex(serial.value),
      genTime,
      genTimeText: fromUtf8(timeNode.value),
      ...(accuracy ? { accuracy } : {}),
      ordering,
      ...(nonce !== undefined ? { nonce } : {}),
      ...(tsa ? { tsa } : {}),
      extensions,
    };
  } catch (e) {
    if (e instanceof EsealError && e.code === 'TIMESTAMP_MALFORMED') throw e;
    throw new EsealError('TIMESTAMP_MALFORMED', `TSTInfo is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Parses a DER TimeStampToken: a SignedData with one signer and an encapsulated TSTInfo. */
export function parseTimeStampToken(der: Uint8Array): ParsedTimeStampToken {
  let signedData: ParsedSignedData;
  try {
    signedData = parseSignedData(der);
  } catch (e) {
    return notToken((e as Error).message);
  }
  if (signedData.eContentType !== id_ct_TSTInfo) notToken(`eContentType is ${signedData.eContentType}, expected id-ct-TSTInfo (${id_ct_TSTInfo})`);
  if (!signedData.encapsulatedContent) notToken('the SignedData does not encapsulate a TSTInfo');
  if (signedData.signers.length !== 1) notToken(`a token has exactly one signer, the TSA (RFC 3161 §2.4.2); this one has ${signedData.signers.length}`);
  return { der: signedData.der, signedData, tstInfo: parseTstInfo(signedData.encapsulatedContent!) };
}
