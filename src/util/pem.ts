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

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every PEM block in the text, in order. Headers such as `Proc-Type:` (legacy encrypted PEM) are refused. */
export function decodePemAll(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const [, begin, body, end] = m;
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
