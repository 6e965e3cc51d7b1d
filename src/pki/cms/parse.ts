/**
 * @module pki/cms/parse
 * Reads CMS SignedData (RFC 5652 §5) and GB/T 35275 SignedData from untrusted bytes, keeping slices of
 * the ORIGINAL input for everything a verifier hashes or checks: the encapsulated content, each
 * certificate, the signed attributes exactly as they sit in the SignerInfo. The only transformation is
 * the one RFC 5652 §5.4 prescribes: the `[0] IMPLICIT` signed attributes are verified with the SET OF
 * tag 0x31 in place of 0xA0.
 *
 * Accepted because real signers write it (STANDARDS.md §2.5): both OID families, DER or raw 64-byte r‖s
 * SM2 signature values, signed attributes present or absent, detached or attached content, and a
 * SignedData without the ContentInfo wrapper. A bare DER SM2 signature (SEQUENCE { r, s }, ofdrw's
 * DigitalSignContainer) is NOT CMS: it fails with code CMS_BARE_SIGNATURE so the caller can try it as
 * a plain signature.
 */
import { toHex } from '../../util/bytes.js';
import { parseDer, readInteger, readOctetString, readOid, TAG, type DerNode } from '../../util/der.js';
import { EsealError, fail } from '../../util/errors.js';
import { id_sm2, id_sm2_1_sign, id_sm2_with_sm3 } from '../../sm/oids.js';
import { readAttributes, readStandardAttributes, type CmsAttribute } from './attributes.js';
import { id_gm_signedData, id_signedData } from './oids.js';
import type { CmsFlavour } from './algorithms.js';

/** Bounds for untrusted input (real SignedData: one signer, a handful of certificates). */
export const CMS_LIMITS = { maxSigners: 64, maxCertificates: 256 };

export interface AlgorithmId {
  oid: string;
  /** raw DER of the parameters, when present (NULL = 05 00) */
  parameters?: Uint8Array;
}

export type SignerIdentifier =
  | { type: 'issuerAndSerialNumber'; /** DER Name */ issuer: Uint8Array; /** hex of the INTEGER content octets */ serialNumber: string }
  | { type: 'subjectKeyIdentifier'; keyIdentifier: Uint8Array };

export interface ParsedSignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithm: AlgorithmId;
  /** signed attributes: the raw `[0]` TLV, the bytes the signature covers (tag 0x31), and the attributes */
  signedAttributes?: { raw: Uint8Array; toBeVerified: Uint8Array; attributes: CmsAttribute[] };
  contentType?: string;
  messageDigest?: Uint8Array;
  signingTime?: Date;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  /** for SM2 signature algorithms: how the value is encoded (GB/T 35276 DER, or raw r‖s as some vendors write) */
  sm2SignatureEncoding?: 'der' | 'raw';
  unsignedAttributes?: { raw: Uint8Array; attributes: CmsAttribute[] };
  /** the SignerInfo TLV as in the input */
  raw: Uint8Array;
}

export interface ParsedSignedData {
  /** the ContentInfo (or bare SignedData) bytes, a slice of the input */
  der: Uint8Array;
  /** ContentInfo contentType; undefined when the input is a SignedData without ContentInfo */
  contentInfoType?: string;
  flavour: CmsFlavour;
  version: number;
  digestAlgorithms: AlgorithmId[];
  eContentType: string;
  /** eContent OCTET STRING contents when the content is encapsulated (attached) */
  encapsulatedContent?: Uint8Array;
  /** DER certificates (CertificateChoices other than Certificate are skipped) */
  certificates: Uint8Array[];
  /** DER revocation info choices, as present */
  crls: Uint8Array[];
  signers: ParsedSignerInfo[];
}

export interface ParseSignedDataOptions {
  /** accept bytes after the DER value (PDF /Contents is zero-padded); default false */
  allowTrailing?: boolean;
}

const SM2_SIGNATURE_OIDS = new Set([id_sm2_with_sm3, id_sm2_1_sign, id_sm2]);

function algorithm(node: DerNode | undefined, what: string): AlgorithmId {
  if (!node || node.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', `${what} is not an AlgorithmIdentifier SEQUENCE`);
  const parts = node.children();
  if (parts.length < 1 || parts.length > 2) fail('CMS_MALFORMED', `${what} AlgorithmIdentifier has ${parts.length} elements`);
  return { oid: readOid(parts[0], what), ...(parts[1] ? { parameters: parts[1].raw } : {}) };
}

function smallInt(node: DerNode | undefined, what: string): number {
  if (!node) fail('CMS_MALFORMED', `${what} is missing`);
  const v = readInteger(node, what);
  if (v < 0n || v > 1000n) fail('CMS_MALFORMED', `${what} ${v} is out of range`);
  return Number(v);
}

function isBareSignature(root: DerNode): boolean {
  if (root.tag !== TAG.SEQUENCE) return false;
  const kids = root.children();
  return kids.length === 2 && kids[0].tag === TAG.INTEGER && kids[1].tag === TAG.INTEGER;
}

function readSid(node: DerNode | undefined): SignerIdentifier {
  if (node?.tag === TAG.SEQUENCE) {
    const [issuer, serial] = node.children();
    if (!issuer || issuer.tag !== TAG.SEQUENCE || !serial || serial.tag !== TAG.INTEGER) fail('CMS_MALFORMED', 'issuerAndSerialNumber must be SEQUENCE { Name, INTEGER }');
    return { type: 'issuerAndSerialNumber', issuer: issuer.raw, serialNumber: toHex(serial.value) };
  }
  if (node?.tag === 0x80) return { type: 'subjectKeyIdentifier', keyIdentifier: node.value };
  fail('CMS_MALFORMED', `SignerIdentifier has tag 0x${node?.tag.toString(16) ?? '??'}, expected issuerAndSerialNumber or [0] subjectKeyIdentifier`);
}

function readSignerInfo(node: DerNode, index: number): ParsedSignerInfo {
  const what = `SignerInfo ${index}`;
  if (node.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', `${what} is not a SEQUENCE`);
  const f = node.children();
  let i = 0;
  const version = smallInt(f[i++], `${what} version`);
  const sid = readSid(f[i++]);
  const digestAlgorithm = algorithm(f[i++], `${what} digestAlgorithm`);
  let signedAttributes: ParsedSignerInfo['signedAttributes'];
  if (f[i]?.tag === 0xa0) {
    const raw = f[i++].raw;
    // RFC 5652 §5.4: "the DER encoding of the SignedAttributes value" — same bytes, EXPLICIT SET OF tag.
    const toBeVerified = raw.slice();
    toBeVerified[0] = TAG.SET;
    const attributes = readAttributes(f[i - 1], `${what} signed attributes`);
    if (attributes.length === 0) fail('CMS_MALFORMED', `${what}: signed attributes are present but empty (SIZE (1..MAX))`);
    signedAttributes = { raw, toBeVerified, attributes };
  }
  const signatureAlgorithm = algorithm(f[i++], `${what} signatureAlgorithm`);
  const sigNode = f[i++];
  if (!sigNode) fail('CMS_MALFORMED', `${what} has no signature value`);
  const signature = readOctetString(sigNode, `${what} signature`);
  let unsignedAttributes: ParsedSignerInfo['unsignedAttributes'];
  if (f[i]?.tag === 0xa1) {
    unsignedAttributes = { raw: f[i].raw, attributes: readAttributes(f[i], `${what} unsigned attributes`) };
    i++;
  }
  if (i !== f.length) fail('CMS_MALFORMED', `${what} has ${f.length - i} unexpected trailing element(s)`);
  const std = signedAttributes ? readStandardAttributes(signedAttributes.attributes) : {};
  const sm2 = SM2_SIGNATURE_OIDS.has(signatureAlgorithm.oid);
  return {
    version,
    sid,
    digestAlgorithm,
    ...(signedAttributes ? { signedAttributes } : {}),
    ...std,
    signatureAlgorithm,
    signature,
    ...(sm2 ? { sm2SignatureEncoding: signature.length === 64 && signature[0] !== TAG.SEQUENCE ? ('raw' as const) : ('der' as const) } : {}),
    ...(unsignedAttributes ? { unsignedAttributes } : {}),
    raw: node.raw,
  };
}

function readSignedData(sd: DerNode): Omit<ParsedSignedData, 'der' | 'contentInfoType' | 'flavour'> {
  if (sd.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', 'SignedData is not a SEQUENCE');
  const f = sd.children();
  let i = 0;
  const version = smallInt(f[i++], 'SignedData version');
  const algs = f[i++];
  if (!algs || algs.tag !== TAG.SET) fail('CMS_MALFORMED', 'SignedData digestAlgorithms is not a SET');
  const digestAlgorithms = algs.children().map((a, k) => algorithm(a, `digestAlgorithms[${k}]`));
  const eci = f[i++];
  if (!eci || eci.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', 'encapContentInfo is not a SEQUENCE');
  const ec = eci.children();
  if (ec.length < 1 || ec.length > 2) fail('CMS_MALFORMED', `encapContentInfo has ${ec.length} elements`);
  const eContentType = readOid(ec[0], 'eContentType');
  let encapsulatedContent: Uint8Array | undefined;
  if (ec[1]) {
    if (ec[1].tag !== 0xa0) fail('CMS_MALFORMED', `eContent has tag 0x${ec[1].tag.toString(16)}, expected [0]`);
    const inner = ec[1].children();
    if (inner.length !== 1) fail('CMS_MALFORMED', 'eContent [0] must hold exactly one OCTET STRING');
    if (inner[0].tag === 0x24) fail('CMS_MALFORMED', 'eContent is a constructed (BER) OCTET STRING; DER is required');
    encapsulatedContent = readOctetString(inner[0], 'eContent');
  }
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  if (f[i]?.tag === 0xa0) {
    for (const c of f[i++].children()) if (c.tag === TAG.SEQUENCE) certificates.push(c.raw);
    if (certificates.length > CMS_LIMITS.maxCertificates) fail('LIMIT_EXCEEDED', `SignedData carries more than ${CMS_LIMITS.maxCertificates} certificates`);
  }
  if (f[i]?.tag === 0xa1) for (const c of f[i++].children()) crls.push(c.raw);
  const sis = f[i++];
  if (!sis || sis.tag !== TAG.SET) fail('CMS_MALFORMED', 'SignedData signerInfos is not a SET');
  if (i !== f.length) fail('CMS_MALFORMED', `SignedData has ${f.length - i} unexpected trailing element(s)`);
  const signerNodes = sis.children();
  if (signerNodes.length > CMS_LIMITS.maxSigners) fail('LIMIT_EXCEEDED', `SignedData has more than ${CMS_LIMITS.maxSigners} signers`);
  const signers = signerNodes.map(readSignerInfo);
  return { version, digestAlgorithms, eContentType, ...(encapsulatedContent ? { encapsulatedContent } : {}), certificates, crls, signers };
}

/**
 * Parses a DER ContentInfo carrying SignedData (either OID family), or a bare SignedData.
 * Throws EsealError: CMS_MALFORMED (naming the problem), CMS_BARE_SIGNATURE (a plain SM2 signature, not
 * CMS), CMS_NOT_SIGNED_DATA (another CMS content type), LIMIT_EXCEEDED.
 */
export function parseSignedData(der: Uint8Array, opts: ParseSignedDataOptions = {}): ParsedSignedData {
  if (!(der instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'CMS input must be bytes');
  let root: DerNode;
  try {
    root = parseDer(der, { allowTrailing: opts.allowTrailing });
  } catch (e) {
    // 64 bytes that are not DER and do not even start like a SEQUENCE: a raw r‖s signature value.
    if (der.length === 64 && der[0] !== TAG.SEQUENCE) fail('CMS_BARE_SIGNATURE', 'CMS: 64 bytes that are not DER: a raw r‖s SM2 signature, not a CMS structure');
    throw new EsealError('CMS_MALFORMED', `CMS SignedData is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (isBareSignature(root)) fail('CMS_BARE_SIGNATURE', 'CMS: the input is a bare signature SEQUENCE { r INTEGER, s INTEGER }, not a CMS structure');
  try {
    if (root.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', `expected a ContentInfo SEQUENCE, found tag 0x${root.tag.toString(16)}`);
    const top = root.children();
    if (top[0]?.tag === TAG.INTEGER) {
      // SignedData without its ContentInfo wrapper (some GM/T 0010 producers)
      const body = readSignedData(root);
      return { der: root.raw, flavour: body.eContentType.startsWith('1.2.156.10197.6.1.4.2') ? 'gbt35275' : 'rfc5652', ...body };
    }
    if (top.length < 1 || top.length > 2) fail('CMS_MALFORMED', `ContentInfo has ${top.length} elements, expected contentType and [0] content`);
    const contentInfoType = readOid(top[0], 'ContentInfo contentType');
    if (contentInfoType !== id_signedData && contentInfoType !== id_gm_signedData) {
      fail('CMS_NOT_SIGNED_DATA', `CMS: content type ${contentInfoType} is not SignedData (${id_signedData} or ${id_gm_signedData})`);
    }
    if (!top[1] || top[1].tag !== 0xa0) fail('CMS_MALFORMED', 'ContentInfo has no [0] EXPLICIT content');
    const inner = top[1].children();
    if (inner.length !== 1) fail('CMS_MALFORMED', 'ContentInfo [0] must hold exactly one SignedData');
    const body = readSignedData(inner[0]);
    return { der: root.raw, contentInfoType, flavour: contentInfoType === id_gm_signedData ? 'gbt35275' : 'rfc5652', ...body };
  } catch (e) {
    if (e instanceof EsealError && (e.code === 'CMS_NOT_SIGNED_DATA' || e.code === 'LIMIT_EXCEEDED')) throw e;
    throw new EsealError('CMS_MALFORMED', `CMS SignedData is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}
