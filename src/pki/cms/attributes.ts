/**
 * @module pki/cms/attributes
 * CMS attributes (RFC 5652 §5.3): `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF
 * AttributeValue }`, their DER SET OF encoding, and the three attributes every signer writes:
 * content-type (§11.1), message-digest (§11.2) and signing-time (§11.3).
 */
import { parseDer, derOctetString, derOid, derSequence, derSet, derGeneralizedTime, derUtcTime, readOctetString, readOid, readTime, TAG, type DerNode } from '../../util/der.js';
import { fail } from '../../util/errors.js';
import { id_contentType, id_messageDigest, id_signingTime } from './oids.js';

/** One attribute: its type and the DER encoding of each value, exactly as in the input when parsed. */
export interface CmsAttribute {
  oid: string;
  values: Uint8Array[];
}

export function encodeAttribute(a: CmsAttribute): Uint8Array {
  if (a.values.length === 0) fail('INVALID_ARGUMENT', `attribute ${a.oid} needs at least one value (SET SIZE (1..MAX))`);
  return derSequence(derOid(a.oid), derSet(...a.values));
}

/** DER `SET OF Attribute` (tag 0x31, elements sorted as DER requires) — what a signer signs (§5.4). */
export function encodeAttributes(attrs: CmsAttribute[]): Uint8Array {
  return derSet(...attrs.map(encodeAttribute));
}

/** Attributes of a `[0]`/`[1] IMPLICIT SET OF Attribute` node, values kept as raw slices. */
export function readAttributes(node: DerNode, what: string): CmsAttribute[] {
  const out: CmsAttribute[] = [];
  for (const attr of node.children()) {
    if (attr.tag !== TAG.SEQUENCE) fail('CMS_MALFORMED', `${what}: an attribute is not a SEQUENCE`);
    const parts = attr.children();
    if (parts.length !== 2 || parts[1].tag !== TAG.SET) fail('CMS_MALFORMED', `${what}: an attribute must be SEQUENCE { type, SET OF value }`);
    const oid = readOid(parts[0], `${what} attribute type`);
    const values = parts[1].children().map((v) => v.raw);
    if (values.length === 0) fail('CMS_MALFORMED', `${what}: attribute ${oid} has no value`);
    out.push({ oid, values });
  }
  return out;
}

export const contentTypeAttribute = (eContentType: string): CmsAttribute => ({ oid: id_contentType, values: [derOid(eContentType)] });
export const messageDigestAttribute = (d: Uint8Array): CmsAttribute => ({ oid: id_messageDigest, values: [derOctetString(d)] });

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime outside that range. */
export function signingTimeAttribute(t: Date): CmsAttribute {
  if (!(t instanceof Date) || Number.isNaN(t.getTime())) fail('INVALID_ARGUMENT', 'signingTime must be a valid Date');
  const y = t.getUTCFullYear();
  return { oid: id_signingTime, values: [y >= 1950 && y <= 2049 ? derUtcTime(t) : derGeneralizedTime(t)] };
}

/**
 * The single value of an attribute that must occur at most once with one value (content-type,
 * message-digest, signing-time: RFC 5652 §11.1–11.3). Two instances would let a verifier and a
 * signer disagree on which one counts, so they are a malformed structure, not a failed check.
 */
export function singleValue(attrs: CmsAttribute[], oid: string, name: string): Uint8Array | undefined {
  const found = attrs.filter((a) => a.oid === oid);
  if (found.length === 0) return undefined;
  if (found.length > 1) fail('CMS_MALFORMED', `signed attributes contain ${found.length} ${name} attributes, at most one is allowed`);
  if (found[0].values.length !== 1) fail('CMS_MALFORMED', `the ${name} attribute has ${found[0].values.length} values, exactly one is allowed`);
  return found[0].values[0];
}

/** content-type, message-digest and signing-time values of parsed signed attributes. */
export function readStandardAttributes(attrs: CmsAttribute[]): {
  contentType?: string;
  messageDigest?: Uint8Array;
  signingTime?: Date;
} {
  const ct = singleValue(attrs, id_contentType, 'content-type');
  const md = singleValue(attrs, id_messageDigest, 'message-digest');
  const st = singleValue(attrs, id_signingTime, 'signing-time');
  const parse = (b: Uint8Array, what: string) => parseDer(b, { what });
  return {
    ...(ct ? { contentType: readOid(parse(ct, 'content-type attribute'), 'content-type attribute') } : {}),
    ...(md ? { messageDigest: readOctetString(parse(md, 'message-digest attribute'), 'message-digest attribute') } : {}),
    ...(st ? { signingTime: readTime(parse(st, 'signing-time attribute'), 'signing-time attribute') } : {}),
  };
}
