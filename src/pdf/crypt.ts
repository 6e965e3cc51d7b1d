/**
 * @module pdf/crypt
 * Reading encrypted PDFs (ISO 32000-1 §7.6.3 standard security handler, R2–R4; ISO 32000-2 §7.6.4
 * R5/R6 with AES-256) when they open without a password — the usual case of "encrypted" documents
 * that only restrict printing or editing. Only decryption: eseal does not stamp encrypted documents.
 * Strings and streams of each indirect object are decrypted with the object's key (RC4 or AES-CBC);
 * cross-reference streams and signature `/Contents` (ISO 32000-2 §7.6.2) are not encrypted.
 * MD5, SHA-2 and AES come from node:crypto through the same facade as SM3; without it (a browser),
 * encrypted documents are read as they are.
 */
import type * as NodeCrypto from 'node:crypto';
import { nodeCryptoWithCipher, nodeCryptoWithHash } from '../sm/_node.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfValue } from './objects.js';

/** ISO 32000-1 §7.6.3.3 Algorithm 2 step a: the padding string. */
const PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe,
  0x64, 0x53, 0x69, 0x7a,
]);

type Method = 'none' | 'rc4' | 'aes128' | 'aes256';

export interface Decryptor {
  /** decrypts the strings and the stream data of indirect object `num gen` */
  object(num: number, gen: number, v: PdfValue): PdfValue;
}

export type DecryptorResult = { ok: true; decryptor: Decryptor; description: string } | { ok: false; reason: string };

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function hash(c: typeof NodeCrypto, alg: string, ...parts: Uint8Array[]): Uint8Array {
  const h = c.createHash(alg);
  for (const p of parts) h.update(p);
  return u8(h.digest());
}

function aesCbc(c: typeof NodeCrypto, decrypt: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array, padding: boolean): Uint8Array {
  const alg = `aes-${key.length * 8}-cbc`;
  const x = decrypt ? c.createDecipheriv(alg, key, iv) : c.createCipheriv(alg, key, iv);
  x.setAutoPadding(padding);
  return u8(Buffer.concat([x.update(data), x.final()]));
}

/** AES-CBC with the IV in the first 16 bytes and PKCS#7 padding; lenient with broken padding. */
function aesDecrypt(c: typeof NodeCrypto, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 32 || data.length % 16) return data.length <= 16 ? new Uint8Array(0) : data;
  try {
    return aesCbc(c, true, key, data.subarray(0, 16), data.subarray(16), true);
  } catch {
    return aesCbc(c, true, key, data.subarray(0, 16), data.subarray(16), false);
  }
}

/** ISO 32000-2 §7.6.4.3.4 Algorithm 2.B (R6 hash). */
function hash2B(c: typeof NodeCrypto, password: Uint8Array, salt: Uint8Array, udata: Uint8Array): Uint8Array {
  let k = hash(c, 'sha256', password, salt, udata);
  for (let i = 0; ; i++) {
    const k1 = concatBytes(password, k, udata);
    const rep = new Uint8Array(k1.length * 64);
    for (let r = 0; r < 64; r++) rep.set(k1, r * k1.length);
    const e = aesCbc(c, false, k.subarray(0, 16), k.subarray(16, 32), rep, false);
    let sum = 0;
    for (let j = 0; j < 16; j++) sum += e[j];
    k = hash(c, ['sha256', 'sha384', 'sha512'][sum % 3], e);
    // the spec counts rounds from 1: stop once at least 64 are done and the last byte of E is at
    // most (rounds done − 32), as qpdf and pdf.js do
    if (i + 1 >= 64 && e[e.length - 1] <= i + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/**
 * A decryptor for the document's /Encrypt dictionary with the empty user password, or why there is
 * none (another security handler, a user password, no crypto available).
 */
export function standardDecryptor(enc: PdfDict, id0: Uint8Array | undefined, resolve: (v: PdfValue | undefined) => PdfValue | undefined): DecryptorResult {
  const c = nodeCryptoWithHash('md5') && nodeCryptoWithCipher('aes-128-cbc');
  if (!c) return { ok: false, reason: 'decryption needs node:crypto (MD5, AES), which is not available here' };
  const name = (k: string) => {
    const v = resolve(enc.get(k));
    return v instanceof PdfName ? v.name : undefined;
  };
  const num = (k: string) => {
    const v = resolve(enc.get(k));
    return typeof v === 'number' ? v : undefined;
  };
  const bytes = (k: string) => {
    const v = resolve(enc.get(k));
    return v instanceof PdfString ? v.bytes : undefined;
  };
  if (name('Filter') !== 'Standard') return { ok: false, reason: `the document uses the security handler /${name('Filter') ?? '?'}, not the standard one` };
  const V = num('V') ?? 0;
  const R = num('R') ?? 0;
  const O = bytes('O');
  const U = bytes('U');
  const P = num('P') ?? 0;
  if (!O || !U) return { ok: false, reason: 'the encryption dictionary lacks /O or /U' };
  const encryptMetadata = resolve(enc.get('EncryptMetadata')) !== false;

  // the methods for strings and streams (V4/V5 crypt filters, §7.6.5)
  let strM: Method = 'rc4';
  let stmM: Method = 'rc4';
  if (V >= 4) {
    const cf = resolve(enc.get('CF'));
    const methodOf = (filter: string | undefined): Method => {
      if (!filter || filter === 'Identity') return 'none';
      const f = cf instanceof PdfDict ? resolve(cf.get(filter)) : undefined;
      const cfm = f instanceof PdfDict ? f.name('CFM') : undefined;
      return cfm === 'AESV2' ? 'aes128' : cfm === 'AESV3' ? 'aes256' : cfm === 'V2' ? 'rc4' : 'none';
    };
    strM = methodOf(name('StrF'));
    stmM = methodOf(name('StmF'));
  }

  let fileKey: Uint8Array;
  if (R >= 5) {
    const UE = bytes('UE');
    if (!UE || U.length < 48) return { ok: false, reason: 'the AES-256 encryption dictionary lacks /UE or a 48-byte /U' };
    const pw = new Uint8Array(0);
    const check = R === 5 ? hash(c, 'sha256', pw, U.subarray(32, 40)) : hash2B(c, pw, U.subarray(32, 40), new Uint8Array(0));
    if (!equalBytes(check, U.subarray(0, 32))) return { ok: false, reason: 'the document is protected by a user password' };
    const ik = R === 5 ? hash(c, 'sha256', pw, U.subarray(40, 48)) : hash2B(c, pw, U.subarray(40, 48), new Uint8Array(0));
    fileKey = aesCbc(c, true, ik, new Uint8Array(16), UE.subarray(0, 32), false);
  } else {
    if (!id0) return { ok: false, reason: 'the trailer has no /ID, which the key derivation needs' };
    const n = R === 2 ? 5 : Math.max(5, Math.min(16, Math.floor((num('Length') ?? 40) / 8)));
    const p = new Uint8Array(4);
    new DataView(p.buffer).setInt32(0, P, true);
    let k = hash(c, 'md5', PAD, O.subarray(0, 32), p, id0, R >= 4 && !encryptMetadata ? Uint8Array.of(255, 255, 255, 255) : new Uint8Array(0)).subarray(0, n);
    if (R >= 3) for (let i = 0; i < 50; i++) k = hash(c, 'md5', k).subarray(0, n);
    // Algorithms 4/5: the empty user password must reproduce /U
    let ok: boolean;
    if (R === 2) ok = equalBytes(rc4(k, PAD), U.subarray(0, 32));
    else {
      let x = hash(c, 'md5', PAD, id0);
      for (let i = 0; i < 20; i++) x = rc4(k.map((b) => b ^ i), x);
      ok = equalBytes(x, U.subarray(0, 16));
    }
    if (!ok) return { ok: false, reason: 'the document is protected by a user password' };
    fileKey = k;
  }

  const keyFor = (num: number, gen: number, m: Method): Uint8Array => {
    if (m === 'aes256') return fileKey;
    const salt = m === 'aes128' ? Uint8Array.of(0x73, 0x41, 0x6c, 0x54) : new Uint8Array(0);
    const h = hash(c, 'md5', fileKey, Uint8Array.of(num & 255, (num >> 8) & 255, (num >> 16) & 255, gen & 255, (gen >> 8) & 255), salt);
    return h.subarray(0, Math.min(fileKey.length + 5, 16));
  };
  const run = (m: Method, key: Uint8Array, data: Uint8Array) => (m === 'none' ? data : m === 'rc4' ? rc4(key, data) : aesDecrypt(c, key, data));

  const walk = (v: PdfValue, key: () => Uint8Array, depth: number, inSig: boolean): PdfValue => {
    if (depth > 64) return v;
    if (v instanceof PdfString) return new PdfString(run(strM, key(), v.bytes), v.hex, v.start, v.end);
    if (Array.isArray(v)) return v.map((x) => walk(x, key, depth + 1, false));
    if (v instanceof PdfDict) {
      const sig = v.has('ByteRange') && (v.name('Type') === 'Sig' || v.name('Type') === 'DocTimeStamp' || v.has('SubFilter'));
      const out = new PdfDict();
      for (const [k, x] of v.map) out.set(k, sig && k === 'Contents' ? x : walk(x, key, depth + 1, sig || inSig));
      return out;
    }
    return v;
  };

  return {
    ok: true,
    description: `standard security handler R${R}, ${stmM === 'none' ? 'no' : stmM.toUpperCase()} stream encryption, empty user password`,
    decryptor: {
      object(num, gen, v) {
        let sk: Uint8Array | undefined;
        let tk: Uint8Array | undefined;
        const strKey = () => (sk ??= keyFor(num, gen, strM));
        if (v instanceof PdfStream) {
          const type = v.dict.name('Type');
          const dict = walk(v.dict, strKey, 0, false) as PdfDict;
          if (type === 'XRef') return new PdfStream(dict, v.raw);
          if (type === 'Metadata' && !encryptMetadata) return new PdfStream(dict, v.raw);
          const f = v.dict.get('Filter');
          const identity = (f instanceof PdfName && f.name === 'Crypt') || (Array.isArray(f) && f[0] instanceof PdfName && f[0].name === 'Crypt');
          if (identity) return new PdfStream(dict, v.raw);
          return new PdfStream(dict, run(stmM, (tk ??= keyFor(num, gen, stmM)), v.raw));
        }
        return walk(v, strKey, 0, false);
      },
    },
  };
}
