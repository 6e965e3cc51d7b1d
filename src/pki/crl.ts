/**
 * @module pki/crl
 * Certificate revocation lists (RFC 5280 §5): make them (two phases, like certificates) and read
 * them, from eseal's CAs or others'. The raw tbsCertList is kept for signature verification.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, CertificateList, CRLNumber, CRLReason, Extension, Name, RevokedCertificate, TBSCertList, Time, Version,
} from '@peculiar/asn1-x509';
import { EsealError, fail } from '../util/errors.js';
import { fromUtf8, fromHex, toHex } from '../util/bytes.js';
import { parseDer, readBitStringBytes, readInteger, readOid, readTime, TAG, type DerNode } from '../util/der.js';
import { decodePem, looksLikePem } from '../util/pem.js';
import { id_sm2_with_sm3 } from '../sm/oids.js';
import { nameToDn, type Dn } from './name.js';
import { readExtensions, authorityKeyIdExtension, type ParsedExtensions } from './extensions.js';
import { id_ce_cRLNumber, id_ce_cRLReasons } from './oids.js';
import { keyIdentifier } from './certificate-builder.js';
import type { Certificate } from './certificate.js';

export const REVOCATION_REASONS = [
  'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '(7)', 'removeFromCRL',
  'privilegeWithdrawn', 'aACompromise',
] as const;
export type RevocationReason = Exclude<(typeof REVOCATION_REASONS)[number], '(7)'>;

/** CRLs above this size are refused. */
export const MAX_CRL_SIZE = 16 * 1024 * 1024;

export interface RevokedEntry {
  /** lower-case hex of the serial number content octets (as Certificate.serialNumber) */
  serialNumber: string;
  revocationDate: Date;
  reason?: RevocationReason;
}

export interface Crl {
  der: Uint8Array;
  tbs: Uint8Array;
  signatureAlgorithm: string;
  signatureValue: Uint8Array;
  issuer: Dn;
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: RevokedEntry[];
  crlNumber?: bigint;
  extensions: ParsedExtensions;
}

function readEntry(node: DerNode): RevokedEntry {
  const f = node.children();
  if (f.length < 2) fail('CRL_MALFORMED', 'revoked entry needs a serial number and a date');
  readInteger(f[0], 'userCertificate');
  const entry: RevokedEntry = { serialNumber: toHex(f[0].value), revocationDate: readTime(f[1], 'revocationDate') };
  if (f[2]) {
    for (const ext of f[2].children()) {
      const parts = ext.children();
      if (readOid(parts[0]) === id_ce_cRLReasons) {
        const v = parseDer(parts[parts.length - 1].value);
        const code = Number(readIntegerLike(v));
        const name = REVOCATION_REASONS[code];
        if (!name || name === '(7)') fail('CRL_MALFORMED', `unknown revocation reason ${code}`);
        entry.reason = name;
      }
    }
  }
  return entry;
}

/** ENUMERATED (tag 0x0a) read like an INTEGER. */
function readIntegerLike(node: DerNode): bigint {
  if (node.tag !== 0x0a && node.tag !== TAG.INTEGER) fail('CRL_MALFORMED', 'reasonCode is not ENUMERATED');
  let n = 0n;
  for (const b of node.value) n = (n << 8n) | BigInt(b);
  return n;
}

export function parseCrl(data: Uint8Array | string): Crl {
  let der = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (der.length > MAX_CRL_SIZE) fail('LIMIT_EXCEEDED', `CRL of ${der.length} bytes exceeds the ${MAX_CRL_SIZE}-byte limit`);
  if (looksLikePem(der)) der = decodePem(fromUtf8(der), ['X509 CRL']).der;
  try {
    const root = parseDer(der, { what: 'CRL' });
    const top = root.children();
    if (top.length !== 3) fail('CRL_MALFORMED', 'CRL must be SEQUENCE { tbsCertList, signatureAlgorithm, signature }');
    const [tbsNode, algNode, sigNode] = top;
    const signatureAlgorithm = readOid(algNode.children()[0], 'signatureAlgorithm');
    const f = tbsNode.children();
    let i = 0;
    if (f[0]?.tag === TAG.INTEGER) i++;
    i++; // signature AlgorithmIdentifier
    const issuerNode = f[i++];
    if (!issuerNode) fail('CRL_MALFORMED', 'tbsCertList has no issuer');
    const thisUpdate = readTime(f[i++], 'thisUpdate');
    let nextUpdate: Date | undefined;
    if (f[i] && (f[i].tag === TAG.UTC_TIME || f[i].tag === TAG.GENERALIZED_TIME)) nextUpdate = readTime(f[i++], 'nextUpdate');
    const revoked: RevokedEntry[] = [];
    if (f[i]?.tag === TAG.SEQUENCE) for (const e of f[i++].children()) revoked.push(readEntry(e));
    let extensions: ParsedExtensions = { all: [] };
    let crlNumber: bigint | undefined;
    if (f[i]?.contextNumber === 0) {
      const extSeq = f[i].children()[0];
      extensions = readExtensions(extSeq, 'CRL');
      const num = extensions.all.find((e) => e.oid === id_ce_cRLNumber);
      if (num) crlNumber = readInteger(parseDer(num.value), 'cRLNumber');
    }
    return {
      der,
      tbs: tbsNode.raw,
      signatureAlgorithm,
      signatureValue: readBitStringBytes(sigNode, 'signature'),
      issuer: nameToDn(AsnConvert.parse(issuerNode.raw, Name)),
      issuerDer: issuerNode.raw,
      thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
      revoked,
      ...(crlNumber !== undefined ? { crlNumber } : {}),
      extensions,
    };
  } catch (e) {
    if (e instanceof EsealError && (e.code === 'CRL_MALFORMED' || e.code === 'LIMIT_EXCEEDED')) throw e;
    throw new EsealError('CRL_MALFORMED', `CRL is malformed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export interface CrlTemplate {
  issuer: Certificate;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  revoked: Array<{ serialNumber: string; revocationDate: Date; reason?: RevocationReason }>;
  signatureAlgorithm?: string;
}

export function prepareCrl(t: CrlTemplate): { tbs: Uint8Array; signatureAlgorithm: string } {
  if (t.nextUpdate <= t.thisUpdate) fail('INVALID_ARGUMENT', 'nextUpdate must be later than thisUpdate');
  const signatureAlgorithm = t.signatureAlgorithm ?? id_sm2_with_sm3;
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: new AlgorithmIdentifier({ algorithm: signatureAlgorithm }),
    issuer: AsnConvert.parse(t.issuer.subjectDer, Name),
    thisUpdate: new Time(t.thisUpdate),
    nextUpdate: new Time(t.nextUpdate),
    ...(t.revoked.length
      ? {
          revokedCertificates: t.revoked.map(
            (r) =>
              new RevokedCertificate({
                userCertificate: fromHex(r.serialNumber).slice().buffer,
                revocationDate: new Time(r.revocationDate),
                ...(r.reason && r.reason !== 'unspecified'
                  ? { crlEntryExtensions: [new Extension({ extnID: id_ce_cRLReasons, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLReason(REVOCATION_REASONS.indexOf(r.reason)))) })] }
                  : {}),
              }),
          ),
        }
      : {}),
    crlExtensions: [
      authorityKeyIdExtension(t.issuer.extensions.subjectKeyId ?? keyIdentifier(t.issuer.spki.der)),
      new Extension({ extnID: id_ce_cRLNumber, critical: false, extnValue: new OctetString(AsnConvert.serialize(new CRLNumber(t.crlNumber))) }),
    ],
  });
  return { tbs: new Uint8Array(AsnConvert.serialize(tbs)), signatureAlgorithm };
}

export function assembleCrl(prepared: { tbs: Uint8Array; signatureAlgorithm: string }, signature: Uint8Array): Crl {
  const list = new CertificateList({
    tbsCertList: AsnConvert.parse(prepared.tbs, TBSCertList),
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: prepared.signatureAlgorithm }),
    signature: signature.slice().buffer,
  });
  const crl = parseCrl(new Uint8Array(AsnConvert.serialize(list)));
  if (toHex(crl.tbs) !== toHex(prepared.tbs)) fail('INVALID_ARGUMENT', 'assembled CRL does not carry the prepared tbsCertList');
  return crl;
}
