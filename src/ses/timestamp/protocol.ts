/**
 * @module ses/timestamp/protocol
 * The RFC 3161 §2.4 request/response messages (`application/timestamp-query` →
 * `application/timestamp-reply`) and a transport-free responder: a future HTTP endpoint passes the
 * request body, the current time and a fresh serial number, and sends back the bytes returned.
 */
import { AsnConvert, BitString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { parseDer, readBoolean, readInteger, readOctetString, readOid, readString, TAG, type DerNode } from '../../util/der.js';
import { EsealError, fail } from '../../util/errors.js';
import { DIGEST_LENGTHS, DIGEST_OIDS, digestNameOf, isDigestName, readExtensions, type AnyDigestName, type RawExtension } from '../../pki/index.js';
import { MessageImprint, PKIFreeText, PKIStatusInfo, TimeStampReq, TimeStampResp } from './asn1/index.js';
import { toArrayBuffer, unsignedIntegerContent } from './integers.js';
import { PKI_FAILURE_INFO, PKI_STATUS, type PkiFailureInfoName, type PkiStatusName } from './oids.js';
import { assembleTimeStampToken, prepareTimeStampToken, type PreparedTimeStampToken, type TimeStampAccuracy, type TimeStampHash } from './token.js';

/** Requests larger than this are refused (a real one is about 60 bytes). */
export const MAX_TIME_STAMP_REQUEST = 16 * 1024;

export interface ParsedTimeStampReq {
  der: Uint8Array;
  version: number;
  hashAlgorithm: string;
  hashAlgorithmName?: AnyDigestName;
  hashedMessage: Uint8Array;
  reqPolicy?: string;
  /** nonce INTEGER content octets */
  nonce?: Uint8Array;
  certReq: boolean;
  extensions: RawExtension[];
}

/** Parses a DER TimeStampReq. Throws TIMESTAMP_REQUEST_MALFORMED naming the problem. */
export function parseTimeStampReq(der: Uint8Array): ParsedTimeStampReq {
  if (!(der instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'time-stamp request must be bytes');
  if (der.length > MAX_TIME_STAMP_REQUEST) fail('TIMESTAMP_REQUEST_MALFORMED', `time-stamp request of ${der.length} bytes exceeds ${MAX_TIME_STAMP_REQUEST}`);
  try {
    const root = parseDer(der, { maxDepth: 12 });
    if (root.tag !== TAG.SEQUENCE) fail('TIMESTAMP_REQUEST_MALFORMED', 'TimeStampReq is not a SEQUENCE');
    const f = root.children();
    let i = 0;
    const v = readInteger(f[i++] ?? fail('TIMESTAMP_REQUEST_MALFORMED', 'version is missing'), 'version');
    const mi = f[i++];
    if (!mi || mi.tag !== TAG.SEQUENCE) fail('TIMESTAMP_REQUEST_MALFORMED', 'messageImprint is not a SEQUENCE');
    const [alg, hashed] = mi.children();
    if (!alg || alg.tag !== TAG.SEQUENCE || !hashed) fail('TIMESTAMP_REQUEST_MALFORMED', 'messageImprint must be SEQUENCE { AlgorithmIdentifier, OCTET STRING }');
    const hashAlgorithm = readOid(alg.children()[0], 'hashAlgorithm');
    const hashedMessage = readOctetString(hashed, 'hashedMessage');
    let reqPolicy: string | undefined;
    let nonce: Uint8Array | undefined;
    let certReq = false;
    let extensions: RawExtension[] = [];
    if (f[i]?.tag === TAG.OID) reqPolicy = readOid(f[i++], 'reqPolicy');
    if (f[i]?.tag === TAG.INTEGER) {
      readInteger(f[i], 'nonce');
      nonce = f[i++].value;
    }
    if (f[i]?.tag === TAG.BOOLEAN) certReq = readBoolean(f[i++], 'certReq');
    if (f[i]?.tag === 0xa0) extensions = readExtensions(f[i++], 'TimeStampReq').all;
    if (i !== f.length) fail('TIMESTAMP_REQUEST_MALFORMED', `TimeStampReq has ${f.length - i} unexpected element(s)`);
    const name = digestNameOf(hashAlgorithm);
    return {
      der: root.raw,
      version: v > 1000n || v < 0n ? -1 : Number(v),
      hashAlgorithm,
      ...(name ? { hashAlgorithmName: name } : {}),
      hashedMessage,
      ...(reqPolicy ? { reqPolicy } : {}),
      ...(nonce ? { nonce } : {}),
      certReq,
      extensions,
    };
  } catch (e) {
    if (e instanceof EsealError && e.code === 'TIMESTAMP_REQUEST_MALFORMED') throw e;
    throw new EsealError('TIMESTAMP_REQUEST_MALFORMED', `time-stamp request is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** DER TimeStampReq (a client; and tests). */
export function encodeTimeStampReq(p: { hashAlgorithm: TimeStampHash | 'sha1'; hashedMessage: Uint8Array; reqPolicy?: string; nonce?: Uint8Array; certReq?: boolean }): Uint8Array {
  const req = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({ hashAlgorithm: new AlgorithmIdentifier({ algorithm: DIGEST_OIDS[p.hashAlgorithm], parameters: null }), hashedMessage: toArrayBuffer(p.hashedMessage) }),
    ...(p.reqPolicy ? { reqPolicy: p.reqPolicy } : {}),
    ...(p.nonce ? { nonce: toArrayBuffer(unsignedIntegerContent(p.nonce, 'nonce', 64)) } : {}),
    certReq: p.certReq ?? false,
  });
  return new Uint8Array(AsnConvert.serialize(req));
}

export interface TimeStampRespContent {
  status: PkiStatusName;
  statusString?: string[];
  failInfo?: PkiFailureInfoName[];
  /** DER TimeStampToken (granted / grantedWithMods only) */
  token?: Uint8Array;
}

/** DER TimeStampResp. */
export function encodeTimeStampResp(r: TimeStampRespContent): Uint8Array {
  const granted = r.status === 'granted' || r.status === 'grantedWithMods';
  if (granted !== !!r.token) fail('INVALID_ARGUMENT', granted ? 'a granted response needs the token' : `a ${r.status} response carries no token`);
  let bits = 0;
  for (const n of r.failInfo ?? []) bits |= 2 ** PKI_FAILURE_INFO[n];
  const resp = new TimeStampResp({
    status: new PKIStatusInfo({
      status: PKI_STATUS[r.status],
      ...(r.statusString?.length ? { statusString: new PKIFreeText(r.statusString) } : {}),
      ...(bits ? { failInfo: new BitString(bits) } : {}),
    }),
    ...(r.token ? { timeStampToken: toArrayBuffer(r.token) } : {}),
  });
  return new Uint8Array(AsnConvert.serialize(resp));
}

export interface ParsedTimeStampResp extends Omit<TimeStampRespContent, 'status'> {
  status: PkiStatusName | number;
}

function readFailInfo(node: DerNode): PkiFailureInfoName[] {
  const v = node.value;
  if (v.length === 0) fail('TIMESTAMP_RESPONSE_MALFORMED', 'failInfo is an empty BIT STRING');
  const bytes = v.subarray(1);
  const out: PkiFailureInfoName[] = [];
  for (const [name, bit] of Object.entries(PKI_FAILURE_INFO) as [PkiFailureInfoName, number][]) {
    if (bit >> 3 < bytes.length && bytes[bit >> 3] & (0x80 >> (bit & 7))) out.push(name);
  }
  return out;
}

/** Parses a DER TimeStampResp (the token is returned as its original bytes). */
export function parseTimeStampResp(der: Uint8Array): ParsedTimeStampResp {
  try {
    const root = parseDer(der);
    const [si, token, extra] = root.children();
    if (root.tag !== TAG.SEQUENCE || !si || si.tag !== TAG.SEQUENCE || extra) fail('TIMESTAMP_RESPONSE_MALFORMED', 'TimeStampResp must be SEQUENCE { PKIStatusInfo, token OPTIONAL }');
    const [st, ...rest] = si.children();
    const code = Number(readInteger(st, 'status'));
    const status = (Object.entries(PKI_STATUS).find(([, n]) => n === code)?.[0] as PkiStatusName | undefined) ?? code;
    let statusString: string[] | undefined;
    let failInfo: PkiFailureInfoName[] | undefined;
    for (const n of rest) {
      if (n.tag === TAG.SEQUENCE) statusString = n.children().map(readString);
      else if (n.tag === TAG.BIT_STRING) failInfo = readFailInfo(n);
      else fail('TIMESTAMP_RESPONSE_MALFORMED', `unexpected tag 0x${n.tag.toString(16)} in PKIStatusInfo`);
    }
    return { status, ...(statusString ? { statusString } : {}), ...(failInfo ? { failInfo } : {}), ...(token ? { token: token.raw } : {}) };
  } catch (e) {
    if (e instanceof EsealError && e.code === 'TIMESTAMP_RESPONSE_MALFORMED') throw e;
    throw new EsealError('TIMESTAMP_RESPONSE_MALFORMED', `time-stamp response is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** A TSA as the responder sees it; `sign` may be a UKey/HSM call. */
export interface TimeStampResponder {
  tsaCertificate: Uint8Array;
  /** the TSA's chain, sent when the requester asks for certificates */
  certificates?: Uint8Array[];
  /** policy used when the request names none */
  policy: string;
  /** further policies a request may name (the default is always accepted) */
  acceptedPolicies?: string[];
  /** imprint hashes accepted (default sm3, sha256, sha384, sha512) */
  hashAlgorithms?: TimeStampHash[];
  accuracy?: TimeStampAccuracy;
  includeTsaName?: boolean;
  /** signs `state.toBeSigned` (SM2: sm2Sign; RSA/ECDSA: with `state.digestAlgorithm`) */
  sign: (toBeSigned: Uint8Array, state: PreparedTimeStampToken) => Uint8Array | Promise<Uint8Array>;
}

const reject = (failInfo: PkiFailureInfoName, text: string): Uint8Array => encodeTimeStampResp({ status: 'rejection', failInfo: [failInfo], statusString: [text] });

/**
 * Answers a DER TimeStampReq with a DER TimeStampResp: granted with a token, or a rejection whose
 * failInfo says why (RFC 3161 §2.4.2). Time and serial number are parameters (no clock here).
 */
export async function respondToTimeStampRequest(request: Uint8Array, tsa: TimeStampResponder, at: { genTime: Date; serialNumber: Uint8Array }): Promise<Uint8Array> {
  let req: ParsedTimeStampReq;
  try {
    req = parseTimeStampReq(request);
  } catch (e) {
    return reject('badDataFormat', (e as Error).message);
  }
  if (req.version !== 1) return reject('badRequest', `unsupported request version ${req.version}`);
  const accepted = tsa.hashAlgorithms ?? ['sm3', 'sha256', 'sha384', 'sha512'];
  const hash = req.hashAlgorithmName;
  if (!hash || !isDigestName(hash) || !accepted.includes(hash)) return reject('badAlg', `hash algorithm ${req.hashAlgorithm} is not accepted (accepted: ${accepted.join(', ')})`);
  if (req.hashedMessage.length !== DIGEST_LENGTHS[hash]) return reject('badDataFormat', `hashedMessage has ${req.hashedMessage.length} bytes, ${hash} gives ${DIGEST_LENGTHS[hash]}`);
  if (req.reqPolicy && req.reqPolicy !== tsa.policy && !(tsa.acceptedPolicies ?? []).includes(req.reqPolicy)) return reject('unacceptedPolicy', `policy ${req.reqPolicy} is not offered`);
  if (req.extensions.length) return reject('unacceptedExtension', `request extensions are not supported (${req.extensions.map((x) => x.oid).join(', ')})`);
  try {
    const state = prepareTimeStampToken({
      hashAlgorithm: hash,
      hashedMessage: req.hashedMessage,
      policy: req.reqPolicy ?? tsa.policy,
      serialNumber: at.serialNumber,
      genTime: at.genTime,
      ...(tsa.accuracy ? { accuracy: tsa.accuracy } : {}),
      ...(req.nonce ? { nonce: req.nonce } : {}),
      includeTsaName: tsa.includeTsaName,
      tsaCertificate: tsa.tsaCertificate,
      certificates: tsa.certificates,
      // RFC 3161 §2.4.1: certificates only when certReq is TRUE
      includeCertificates: req.certReq,
    });
    const token = assembleTimeStampToken(state, await tsa.sign(state.toBeSigned, state));
    return encodeTimeStampResp({ status: 'granted', token });
  } catch (e) {
    return reject('systemFailure', `the TSA could not issue the token: ${(e as Error).message}`);
  }
}
