/**
 * @module pki/pkcs12/ber
 * BER → DER-shaped re-encoding for PKCS#12 files, which are often BER: Java/BouncyCastle and many
 * Chinese CA tools write indefinite lengths everywhere and split OCTET STRINGs into 1000-byte
 * constructed segments (RFC 7292 allows BER). `parseDer` refuses both, so each layer of a PFX is
 * passed through `berToDer` first:
 * - indefinite lengths become definite lengths;
 * - a constructed OCTET STRING (0x24) becomes one primitive OCTET STRING of its joined segments.
 * Nothing else changes (other constructed strings are left for the schema walk to refuse).
 *
 * Re-encoding is safe here: what PKCS#12 authenticates is the *content* of OCTET STRINGs (the MAC
 * covers the authSafe content octets), never an encoding; certificates are returned as the exact
 * octets their bag holds. The reader is bounded like `parseDer`: every length is checked against
 * the bytes present, the nesting depth is limited, and input already in definite form is returned
 * unchanged.
 */
import { fail } from '../../util/errors.js';
import { concatBytes } from '../../util/bytes.js';
import { DEFAULT_MAX_DEPTH } from '../../util/der.js';

interface BerNode {
  /** Identifier octets, as in the source. */
  id: Uint8Array;
  /** Contents of a primitive node (after joining, for constructed OCTET STRINGs). */
  content?: Uint8Array;
  children?: BerNode[];
  /** Length of the re-encoded contents. */
  length: number;
}

const OCTET_STRING = 0x04;
const CONSTRUCTED_OCTET_STRING = 0x24;

class Reader {
  changed = false;
  constructor(
    readonly src: Uint8Array,
    readonly maxDepth: number,
  ) {}

  /** Reads one TLV at `off` within `limit`; returns the node and the offset after it. */
  read(off: number, limit: number, depth: number): { node: BerNode; end: number } {
    const src = this.src;
    const start = off;
    if (depth > this.maxDepth) fail('DER_TOO_DEEP', `BER nesting deeper than ${this.maxDepth} levels`);
    if (off >= limit) fail('DER_MALFORMED', `truncated BER: expected a tag at offset ${off}`);
    const first = src[off++];
    if (first === 0) fail('DER_MALFORMED', `unexpected end-of-contents or tag 0 at offset ${start}`);
    if ((first & 0x1f) === 0x1f) {
      let count = 0;
      for (;;) {
        if (off >= limit) fail('DER_MALFORMED', `truncated BER: high tag number at offset ${start}`);
        const b = src[off++];
        if (++count > 4) fail('DER_MALFORMED', `tag number too large at offset ${start}`);
        if ((b & 0x80) === 0) break;
      }
    }
    const id = src.subarray(start, off);
    const constructed = (first & 0x20) !== 0;
    if (off >= limit) fail('DER_MALFORMED', `truncated BER: expected a length at offset ${off}`);
    let length = src[off++];
    let indefinite = false;
    if (length === 0x80) {
      if (!constructed) fail('DER_MALFORMED', `indefinite length on a primitive value at offset ${start}`);
      indefinite = true;
      this.changed = true;
    } else if (length > 0x80) {
      const n = length & 0x7f;
      if (n > 4) fail('DER_MALFORMED', `length of ${n} octets at offset ${start} is too large`);
      if (off + n > limit) fail('DER_MALFORMED', `truncated BER: length octets at offset ${start}`);
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + src[off++];
    }
    if (!indefinite && off + length > limit) {
      fail('DER_MALFORMED', `truncated BER: value at offset ${start} claims ${length} bytes, only ${limit - off} remain`);
    }
    if (!constructed) {
      const content = src.subarray(off, off + length);
      return { node: { id, content, length: content.length }, end: off + length };
    }
    const children: BerNode[] = [];
    let end: number;
    if (indefinite) {
      for (;;) {
        if (off + 2 > limit) fail('DER_MALFORMED', `truncated BER: no end-of-contents for the value at offset ${start}`);
        if (src[off] === 0 && src[off + 1] === 0) {
          end = off + 2;
          break;
        }
        const r = this.read(off, limit, depth + 1);
        children.push(r.node);
        off = r.end;
      }
    } else {
      end = off + length;
      while (off < end) {
        const r = this.read(off, end, depth + 1);
        children.push(r.node);
        off = r.end;
      }
    }
    if (first === CONSTRUCTED_OCTET_STRING) {
      // Join the segments into one primitive OCTET STRING.
      this.changed = true;
      const parts: Uint8Array[] = [];
      for (const c of children) {
        if (c.content === undefined || (c.id[0] !== OCTET_STRING && c.id[0] !== CONSTRUCTED_OCTET_STRING)) {
          fail('DER_MALFORMED', `constructed OCTET STRING at offset ${start} holds something other than OCTET STRING segments`);
        }
        parts.push(c.content);
      }
      const content = concatBytes(...parts);
      return { node: { id: Uint8Array.of(OCTET_STRING), content, length: content.length }, end };
    }
    let total = 0;
    for (const c of children) total += encodedLength(c);
    return { node: { id, children, length: total }, end };
  }
}

function lengthOfLength(n: number): number {
  if (n < 0x80) return 1;
  let k = 0;
  for (let v = n; v > 0; v = Math.floor(v / 256)) k++;
  return 1 + k;
}

function encodedLength(n: BerNode): number {
  return n.id.length + lengthOfLength(n.length) + n.length;
}

function write(n: BerNode, out: Uint8Array, off: number): number {
  out.set(n.id, off);
  off += n.id.length;
  if (n.length < 0x80) out[off++] = n.length;
  else {
    const k = lengthOfLength(n.length) - 1;
    out[off++] = 0x80 | k;
    for (let i = k - 1; i >= 0; i--) out[off++] = Math.floor(n.length / 256 ** i) & 0xff;
  }
  if (n.content) {
    out.set(n.content, off);
    return off + n.content.length;
  }
  for (const c of n.children ?? []) off = write(c, out, off);
  return off;
}

/**
 * One BER value (the whole input, no trailing bytes) in definite-length form with joined OCTET
 * STRINGs. Returns `src` itself when it is already in that form. Throws DER_MALFORMED /
 * DER_TOO_DEEP / DER_TRAILING_DATA like `parseDer`.
 */
export function berToDer(src: Uint8Array, what?: string, maxDepth = DEFAULT_MAX_DEPTH): Uint8Array {
  const prefix = what ? `${what}: ` : '';
  try {
    if (src.length === 0) fail('DER_MALFORMED', 'empty input');
    const reader = new Reader(src, maxDepth);
    const { node, end } = reader.read(0, src.length, 0);
    if (end !== src.length) fail('DER_TRAILING_DATA', `${src.length - end} bytes of trailing data after the BER value`);
    if (!reader.changed) return src;
    const out = new Uint8Array(encodedLength(node));
    write(node, out, 0);
    return out;
  } catch (e) {
    if (prefix && e instanceof Error && !e.message.startsWith(prefix)) e.message = prefix + e.message;
    throw e;
  }
}
