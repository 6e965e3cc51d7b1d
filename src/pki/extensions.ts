/**
 * @module pki/extensions
 * The X.509 v3 extensions eseal reads and writes (RFC 5280 §4.2), as plain values.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, BasicConstraints, CRLDistributionPoints, DistributionPoint, DistributionPointName, ExtendedKeyUsage, Extension,
  GeneralName, KeyIdentifier, KeyUsage, SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { OctetString } from '@peculiar/asn1-schema';
import { fail } from '../util/errors.js';
import { parseDer, readBoolean, readOctetString, readOid, TAG, type DerNode } from '../util/der.js';
import {
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_cRLDistributionPoints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectKeyIdentifier,
} from './oids.js';

export const KEY_USAGE_NAMES = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

const KNOWN = new Set([id_ce_basicConstraints, id_ce_keyUsage, id_ce_extKeyUsage, id_ce_subjectKeyIdentifier, id_ce_authorityKeyIdentifier, id_ce_cRLDistributionPoints]);

export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface ParsedExtensions {
  all: RawExtension[];
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  crlDistributionPoints?: string[];
}

/** Reads `Extensions ::= SEQUENCE OF Extension` from its DER node. */
export function readExtensions(seq: DerNode, what: string): ParsedExtensions {
  const out: ParsedExtensions = { all: [] };
  const seen = new Set<string>();
  for (const ext of seq.children()) {
    const parts = ext.children();
    const oid = readOid(parts[0], `${what} extension id`);
    let critical = false;
    let valueNode = parts[1];
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = readBoolean(parts[1]);
      valueNode = parts[2];
    }
    if (!valueNode) fail('CERT_MALFORMED', `${what}: extension ${oid} has no value`);
    const value = readOctetString(valueNode, `${what} extension ${oid}`);
    if (seen.has(oid)) fail('CERT_MALFORMED', `${what}: extension ${oid} appears twice`);
    seen.add(oid);
    out.all.push({ oid, critical, value });
    // Only the extensions we understand are decoded: vendor extensions may hold anything (a YNCA
    // certificate carries plain text in 1.2.5.29.1), and openssl accepts such certificates too.
    if (!KNOWN.has(oid)) continue;
    try {
      parseDer(value, { what: `extension ${oid}` });
      switch (oid) {
        case id_ce_basicConstraints: {
          const bc = AsnConvert.parse(value, BasicConstraints);
          out.basicConstraints = { ca: bc.cA, critical, ...(bc.pathLenConstraint !== undefined ? { pathLength: bc.pathLenConstraint } : {}) };
          break;
        }
        case id_ce_keyUsage:
          out.keyUsage = readKeyUsageBits(parseDer(value));
          break;
        case id_ce_extKeyUsage:
          out.extKeyUsage = Array.from(AsnConvert.parse(value, ExtendedKeyUsage), String);
          break;
        case id_ce_subjectKeyIdentifier:
          out.subjectKeyId = new Uint8Array(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
          break;
        case id_ce_authorityKeyIdentifier: {
          const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
          if (aki.keyIdentifier) out.authorityKeyId = new Uint8Array(aki.keyIdentifier.buffer);
          break;
        }
        case id_ce_cRLDistributionPoints:
          out.crlDistributionPoints = Array.from(AsnConvert.parse(value, CRLDistributionPoints)).flatMap((dp) =>
            (dp.distributionPoint?.fullName ?? []).flatMap((g) => (g.uniformResourceIdentifier ? [g.uniformResourceIdentifier] : [])),
          );
          break;
      }
    } catch (e) {
      fail('CERT_MALFORMED', `${what}: extension ${oid} is malformed: ${(e as Error).message}`);
    }
  }
  return out;
}

function readKeyUsageBits(node: DerNode): KeyUsageName[] {
  if (node.tag !== TAG.BIT_STRING || node.length < 1) fail('CERT_MALFORMED', 'keyUsage is not a BIT STRING');
  const v = node.value;
  const names: KeyUsageName[] = [];
  for (let i = 0; i < KEY_USAGE_NAMES.length; i++) {
    const byte = 1 + (i >> 3);
    if (byte < v.length && v[byte] & (0x80 >> (i & 7))) names.push(KEY_USAGE_NAMES[i]);
  }
  return names;
}

// ------------------------------------------------------------------------------------------ builders

function ext(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

export function basicConstraintsExtension(ca: boolean, pathLength?: number): Extension {
  return ext(id_ce_basicConstraints, true, new BasicConstraints({ cA: ca, ...(ca && pathLength !== undefined ? { pathLenConstraint: pathLength } : {}) }));
}

export function keyUsageExtension(usages: KeyUsageName[]): Extension {
  let flags = 0;
  for (const u of usages) flags |= 1 << KEY_USAGE_NAMES.indexOf(u);
  return ext(id_ce_keyUsage, true, new KeyUsage(flags));
}

export function extKeyUsageExtension(oids: string[], critical = false): Extension {
  return ext(id_ce_extKeyUsage, critical, new ExtendedKeyUsage(oids));
}

export function subjectKeyIdExtension(id: Uint8Array): Extension {
  return ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(id));
}

export function authorityKeyIdExtension(id: Uint8Array): Extension {
  return ext(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(id) }));
}

export function crlDistributionPointsExtension(urls: string[]): Extension {
  return ext(
    id_ce_cRLDistributionPoints,
    false,
    new CRLDistributionPoints(urls.map((u) => new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: u })] }) }))),
  );
}
