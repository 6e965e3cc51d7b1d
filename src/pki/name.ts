/**
 * @module pki/name
 * Distinguished names: parse "CN=张三,O=某单位,C=CN" (RFC 4514, most specific first) or OpenSSL's
 * "/C=CN/O=某单位/CN=张三", encode as an @peculiar/asn1-x509 `Name`, and print names back.
 * Chinese text is written as UTF8String; C and serialNumber as PrintableString; e-mail as IA5String.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { fail } from '../util/errors.js';
import { DN_ATTRIBUTES, DN_NAMES } from './oids.js';

export interface DnAttribute {
  /** Short name (CN, O, ...) or dotted OID for attributes we have no name for. */
  type: string;
  oid: string;
  value: string;
}

/** An RDN sequence in encoding order (most significant first: C, O, ..., CN). */
export type Dn = DnAttribute[][];

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function attrOid(type: string): { type: string; oid: string } {
  const t = type.trim();
  if (/^\d+(\.\d+)+$/.test(t)) return { type: DN_NAMES[t] ?? t, oid: t };
  const upper = t.toUpperCase();
  const alias: Record<string, string> = { EMAILADDRESS: 'E', ORGANIZATIONIDENTIFIER: 'OI', SURNAME: 'SN', GIVENNAME: 'GN', TITLE: 'T', S: 'ST' };
  const key = alias[upper] ?? upper;
  const oid = DN_ATTRIBUTES[key];
  if (!oid) fail('NAME_MALFORMED', `unknown distinguished-name attribute "${t}" (use CN, O, OU, C, ST, L, SERIALNUMBER, OI, E, ... or a dotted OID)`);
  return { type: key, oid };
}

/** Splits on an unescaped separator character. */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) fail('NAME_MALFORMED', 'unterminated quote in distinguished name');
  out.push(cur);
  return out;
}

function unescapeValue(v: string): string {
  let s = v.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  return s.replace(/\\([0-9a-fA-F]{2})|\\(.)/g, (_, hex, ch) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch));
}

/** Parses a DN string. RFC 4514 form is reversed into encoding order; "/A=../B=.." is kept as written. */
export function parseDn(text: string): Dn {
  if (typeof text !== 'string' || text.trim() === '') fail('NAME_MALFORMED', 'empty distinguished name');
  const slashForm = text.trim().startsWith('/');
  const rdnTexts = slashForm ? splitUnescaped(text.trim().slice(1), '/') : splitUnescaped(text, ',');
  const rdns: Dn = rdnTexts.map((rdn) => {
    if (rdn.trim() === '') fail('NAME_MALFORMED', `empty component in distinguished name "${text}"`);
    return splitUnescaped(rdn, '+').map((atv) => {
      const eq = atv.indexOf('=');
      if (eq <= 0) fail('NAME_MALFORMED', `"${atv.trim()}" is not TYPE=value in distinguished name "${text}"`);
      const { type, oid } = attrOid(atv.slice(0, eq));
      const value = unescapeValue(atv.slice(eq + 1));
      if (value === '') fail('NAME_MALFORMED', `${type} has an empty value`);
      if (type === 'C' && !/^[A-Z]{2}$/.test(value)) fail('NAME_MALFORMED', `country C must be two capital letters, got "${value}"`);
      return { type, oid, value };
    });
  });
  return slashForm ? rdns : rdns.reverse();
}

function attributeValue(a: DnAttribute): AttributeValue {
  if (a.type === 'C' || (a.type === 'SERIALNUMBER' && PRINTABLE.test(a.value))) return new AttributeValue({ printableString: a.value });
  if (a.type === 'E' || a.type === 'DC') return new AttributeValue({ ia5String: a.value });
  return new AttributeValue({ utf8String: a.value });
}

export function dnToName(dn: Dn | string): Name {
  const d = typeof dn === 'string' ? parseDn(dn) : dn;
  return new Name(d.map((rdn) => new RelativeDistinguishedName(rdn.map((a) => new AttributeTypeAndValue({ type: a.oid, value: attributeValue(a) })))));
}

export function nameToDer(name: Name): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(name));
}

function valueText(v: AttributeValue): string {
  if (v.anyValue) return '#' + Array.from(new Uint8Array(v.anyValue), (b) => b.toString(16).padStart(2, '0')).join('');
  return v.toString();
}

export function nameToDn(name: Name): Dn {
  return Array.from(name, (rdn) => Array.from(rdn, (atv) => ({ type: DN_NAMES[atv.type] ?? atv.type, oid: atv.type, value: valueText(atv.value) })));
}

function escapeValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** RFC 4514 string, most specific first: "CN=张三,O=某单位,C=CN". */
export function dnToString(dn: Dn): string {
  return [...dn]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.type}=${escapeValue(a.value)}`).join('+'))
    .join(',');
}

export function nameToString(name: Name): string {
  return dnToString(nameToDn(name));
}

/** First value of an attribute (e.g. 'CN'), or undefined. */
export function dnGet(dn: Dn, type: string): string | undefined {
  for (const rdn of dn) for (const a of rdn) if (a.type === type) return a.value;
  return undefined;
}

/**
 * Name comparison for path building (RFC 5280 §7.1, simplified): same attributes in the same order,
 * values equal after trimming, collapsing spaces and ignoring case.
 */
export function dnEquals(a: Dn, b: Dn): boolean {
  if (a.length !== b.length) return false;
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return a.every((rdn, i) => rdn.length === b[i].length && rdn.every((x, j) => x.oid === b[i][j].oid && norm(x.value) === norm(b[i][j].value)));
}
