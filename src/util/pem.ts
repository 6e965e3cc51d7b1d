/**
 * @module util/pem
 * PEM armour (RFC 7468): `-----BEGIN LABEL-----` base64 `-----END LABEL-----`.
 */
import { fromBase64, toBase64 } from './base64.js';
import { fail } from './errors.js';
import { fromUtf8 } from './bytes.js';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
const LABEL = /^[A-Z0-9 ]+$/;

/**
 * Every PEM block in the text, in order. Headers such as `Proc-Type:` (legacy encrypted PEM) are refused.
 * Text outside the blocks is ignored (RFC 7468 §5.2). Scans with indexOf, in time linear in the text
 * (a regular expression with a lazy body took quadratic time on many BEGIN lines without an END).
 */
export function decodePemAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const b = text.indexOf(BEGIN, pos);
    if (b < 0) break;
    const labelEnd = text.indexOf(DASHES, b + BEGIN.length);
    if (labelEnd < 0) break;
    const begin = text.slice(b + BEGIN.length, labelEnd);
    if (!LABEL.test(begin)) {
      // Not an encapsulation boundary (e.g. lower case); look for the next one.
      pos = b + 1;
      continue;
    }
    const bodyStart = labelEnd + DASHES.length;
    const e = text.indexOf(END, bodyStart);
    if (e < 0) break; // no END line anywhere after this: no complete block from here on
    const endLabelEnd = text.indexOf(DASHES, e + END.length);
    const end = endLabelEnd < 0 ? '' : text.slice(e + END.length, endLabelEnd);
    if (!LABEL.test(end)) fail('PEM_MALFORMED', `PEM block ${begin} has a malformed END line`);
    const body = text.slice(bodyStart, e);
    pos = endLabelEnd + DASHES.length;
    if (begin !== end) fail('PEM_MALFORMED', `PEM block BEGIN ${begin} is closed by END ${end}`);
    if (/:/.test(body)) fail('PEM_MALFORMED', `PEM block ${begin} has headers (legacy encrypted PEM is not supported; use PKCS#8)`);
    let der: Uint8Array;
    try {
      der = fromBase64(body);
    } catch {
      fail('PEM_MALFORMED', `PEM block ${begin} has an invalid base64 body`);
    }
    if (der.length === 0) fail('PEM_MALFORMED', `PEM block ${begin} is empty`);
    out.push({ label: begin, der });
  }
  return out;
}

/** The single block with one of the given labels; fails naming what was found instead. */
export function decodePem(text: string, labels: string[]): PemBlock {
  const blocks = decodePemAll(text);
  if (blocks.length === 0) fail('PEM_MALFORMED', `no PEM block found (expected ${labels.join(' or ')})`);
  const hit = blocks.find((b) => labels.includes(b.label));
  if (!hit) fail('PEM_MALFORMED', `expected PEM ${labels.join(' or ')}, found ${blocks.map((b) => b.label).join(', ')}`);
  return hit;
}

export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the bytes look like PEM text rather than DER (DER always starts with a tag byte like 0x30). */
export function looksLikePem(data: Uint8Array): boolean {
  const head = fromUtf8(data.subarray(0, Math.min(data.length, 4096)));
  return head.includes('-----BEGIN ');
}
