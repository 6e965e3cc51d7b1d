/**
 * @module pki/pkcs12/parse
 * Reads a PFX (RFC 7292): checks the password MAC, decrypts encryptedData contents and shrouded
 * keys, and returns SM2 keys, other keys (as PKCS#8) and certificates with their bag attributes.
 *
 * Every layer of untrusted bytes (the PFX, the AuthenticatedSafe, each SafeContents, each decrypted
 * key) goes through `berToDer` (PFX files are often BER, see ber.ts) and `parseDer` (bounded depth,
 * checked lengths) and is then walked with the DerNode readers, so a damaged file fails with
 * PKCS12_MALFORMED naming the element. Certificates must be DER and are returned as stored. The OIDs come from
 * @peculiar/asn1-pfx / asn1-cms; their schema classes are not used for decoding because the MAC is
 * computed over exact content octets and the errors here name the bag that is wrong.
 *
 * Errors: PKCS12_MALFORMED (structure), PASSWORD_INCORRECT (MAC mismatch; or, in a file without a
 * MAC, decryption that yields no valid plaintext), ALGORITHM_UNSUPPORTED, LIMIT_EXCEEDED.
 */
import { concatBytes, copyBytes, utf8 } from '../../util/bytes.js';
import { EsealError, fail } from '../../util/errors.js';
import { TAG, type DerNode, parseDer, readInteger, readOctetString, readOid, readString } from '../../util/der.js';
import { decodePkcs8 } from '../../sm/key-formats.js';
import { id_ecPublicKey, id_sm2 } from '../../sm/oids.js';
import { berToDer } from './ber.js';
import { verifyMac } from './mac.js';
import { bmpPassword } from './kdf.js';
import { pbeDecrypt, type PbeLimits, type Pkcs12Password } from './pbe.js';
import {
  id_certBag, id_data, id_encryptedData, id_envelopedData, id_friendlyName, id_keyBag, id_localKeyId, id_pkcs8ShroudedKeyBag, id_SafeContents,
  id_signedData, id_x509Certificate, KEY_ALGORITHM_NAMES,
} from './oids.js';
import { PKCS12_LIMITS, type BagAttributes, type Pkcs12Contents, type Pkcs12Limits } from './types.js';

export interface ReadPkcs12Options {
  /** Override limits (defaults: PKCS12_LIMITS). */
  limits?: Partial<Pkcs12Limits>;
}

interface Ctx {
  password: Pkcs12Password;
  limits: Pkcs12Limits;
  /** Iteration limits for MAC and PBE, with the file's running budget. */
  pbe: PbeLimits;
  macVerified: boolean;
  bags: number;
  out: Pkcs12Contents;
}

const DER_CODES = new Set(['DER_MALFORMED', 'DER_UNEXPECTED', 'DER_TOO_DEEP', 'DER_TRAILING_DATA']);

/** A DER_* error from the reader, re-coded: in a PFX it means the file is damaged. */
function malformed(e: EsealError): EsealError {
  return new EsealError('PKCS12_MALFORMED', e.message, e.details, { cause: e });
}

/** OCTET STRING contents (constructed BER segments were already joined by berToDer). */
function octets(node: DerNode, what: string): Uint8Array {
  if (node.tag !== TAG.OCTET_STRING) fail('PKCS12_MALFORMED', `${what}: expected an OCTET STRING, found tag 0x${node.tag.toString(16)}`);
  return node.value;
}

const STRING_TAGS = new Set<number>([TAG.BMP_STRING, TAG.UTF8_STRING, TAG.PRINTABLE_STRING, TAG.IA5_STRING]);

/** [n] EXPLICIT wrapper with exactly one inner value. */
function explicit(node: DerNode | undefined, n: number, what: string): DerNode {
  if (!node || node.contextNumber !== n || !node.constructed) fail('PKCS12_MALFORMED', `${what}: expected [${n}] EXPLICIT`);
  const inner = node.children();
  if (inner.length !== 1) fail('PKCS12_MALFORMED', `${what}: [${n}] EXPLICIT holds ${inner.length} values, expected 1`);
  return inner[0];
}

function seq(node: DerNode, what: string, min: number, max: number): DerNode[] {
  if (node.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', `${what} is not a SEQUENCE (tag 0x${node.tag.toString(16)})`);
  const k = node.children();
  if (k.length < min || k.length > max) fail('PKCS12_MALFORMED', `${what} has ${k.length} elements, expected ${min === max ? min : `${min} to ${max}`}`);
  return k;
}

/** ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY } */
function contentInfo(node: DerNode, what: string): { type: string; content: DerNode } {
  const [t, c] = seq(node, what, 2, 2);
  return { type: readOid(t, `${what} contentType`), content: explicit(c, 0, `${what} content`) };
}

function attributes(set: DerNode | undefined, what: string): BagAttributes {
  const out: BagAttributes = {};
  if (!set) return out;
  if (set.tag !== TAG.SET) fail('PKCS12_MALFORMED', `${what}: bagAttributes is not a SET`);
  for (const attr of set.children()) {
    const [idNode, valuesNode] = seq(attr, `${what} attribute`, 2, 2);
    const id = readOid(idNode, `${what} attribute type`);
    if (valuesNode.tag !== TAG.SET) fail('PKCS12_MALFORMED', `${what}: attribute ${id} values are not a SET`);
    const values = valuesNode.children();
    if (values.length === 0) continue;
    if (id === id_localKeyId && out.localKeyId === undefined) {
      out.localKeyId = copyBytes(readOctetString(values[0], `${what} localKeyId`));
    } else if (id === id_friendlyName && out.friendlyName === undefined) {
      const v = values[0];
      if (!STRING_TAGS.has(v.tag)) {
        fail('PKCS12_MALFORMED', `${what}: friendlyName is not a string (tag 0x${v.tag.toString(16)})`);
      }
      if (v.tag === TAG.BMP_STRING && v.length % 2 !== 0) fail('PKCS12_MALFORMED', `${what}: friendlyName BMPString has an odd length`);
      out.friendlyName = readString(v);
    }
  }
  return out;
}

/**
 * Runs `use` on data that came out of a decryption. When no MAC vouched for the password, a
 * decryption that fails or yields garbage is reported as a wrong password.
 */
function afterDecryption<T>(ctx: Ctx, what: string, decrypt: () => Uint8Array, use: (plain: Uint8Array) => T): T {
  let plain: Uint8Array | undefined;
  try {
    plain = decrypt();
    return use(plain);
  } catch (e) {
    if (!(e instanceof EsealError)) throw e;
    const garbage = e.code === 'DECRYPTION_FAILED' || (plain !== undefined && (e.code === 'PKCS12_MALFORMED' || DER_CODES.has(e.code)));
    if (!garbage) throw e;
    if (!ctx.macVerified) {
      throw new EsealError('PASSWORD_INCORRECT', `${what}: decryption gave no valid data: the password is wrong (the file has no MAC to check it first) or the data is damaged`, undefined, { cause: e });
    }
    throw e.code === 'DECRYPTION_FAILED'
      ? new EsealError('PKCS12_MALFORMED', `${e.message}, although the MAC verified: the encrypted data is damaged or under another password`, undefined, { cause: e })
      : e;
  } finally {
    plain?.fill(0);
  }
}

/** BER or DER bytes → a checked DerNode tree (BER is re-encoded first, see ber.ts); `strict`: DER only. */
function der(bytes: Uint8Array, what: string, strict = false): DerNode {
  try {
    return parseDer(strict ? bytes : berToDer(bytes, what), { what });
  } catch (e) {
    if (e instanceof EsealError && DER_CODES.has(e.code)) throw malformed(e);
    throw e;
  }
}

/** A PrivateKeyInfo (decrypted or from a keyBag): SM2 into `keys`, anything else into `otherKeys`. */
function addPrivateKey(ctx: Ctx, info: Uint8Array, attrs: BagAttributes, what: string): void {
  const root = der(info, `${what} PrivateKeyInfo`);
  const pkcs8 = root.raw; // DER form
  const k = seq(root, `${what} PrivateKeyInfo`, 3, 5);
  const version = readInteger(k[0], `${what} PrivateKeyInfo version`);
  if (version !== 0n && version !== 1n) fail('PKCS12_MALFORMED', `${what}: PrivateKeyInfo version ${version} is not 0 or 1`);
  const alg = seq(k[1], `${what} privateKeyAlgorithm`, 1, 2);
  const oid = readOid(alg[0], `${what} privateKeyAlgorithm`);
  const curve = alg[1]?.tag === TAG.OID ? readOid(alg[1], `${what} curve`) : undefined;
  if (k[2].tag !== TAG.OCTET_STRING) fail('PKCS12_MALFORMED', `${what}: PrivateKeyInfo privateKey is not an OCTET STRING`);
  if (oid === id_sm2 || (oid === id_ecPublicKey && curve === id_sm2)) {
    let key;
    try {
      key = decodePkcs8(pkcs8);
    } catch (e) {
      if (!(e instanceof EsealError)) throw e;
      throw new EsealError('PKCS12_MALFORMED', `${what}: ${e.message}`, { keyError: e.code }, { cause: e });
    }
    ctx.out.keys.push({ d: key.d, publicKey: key.publicKey, ...attrs });
    return;
  }
  const algorithm = KEY_ALGORITHM_NAMES[oid] ?? oid;
  ctx.out.otherKeys.push({ pkcs8: copyBytes(pkcs8), algorithm, ...(oid === id_ecPublicKey && curve ? { curve } : {}), ...attrs });
}

function safeBag(ctx: Ctx, bag: DerNode, what: string): void {
  const parts = seq(bag, what, 2, 3);
  const bagId = readOid(parts[0], `${what} bagId`);
  const value = explicit(parts[1], 0, `${what} bagValue`);
  const attrs = attributes(parts[2], what);
  switch (bagId) {
    case id_keyBag:
      addPrivateKey(ctx, value.raw, attrs, `${what} (keyBag)`);
      return;
    case id_pkcs8ShroudedKeyBag: {
      const w = `${what} (pkcs8ShroudedKeyBag)`;
      // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
      const [alg, enc] = seq(value, `${w} EncryptedPrivateKeyInfo`, 2, 2);
      const data = readOctetString(enc, `${w} encryptedData`);
      afterDecryption(ctx, w, () => pbeDecrypt(alg, data, ctx.password, ctx.pbe, w), (plain) => addPrivateKey(ctx, plain, attrs, w));
      return;
    }
    case id_certBag: {
      const w = `${what} (certBag)`;
      // CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT ANY }
      const [idNode, v] = seq(value, w, 2, 2);
      const certId = readOid(idNode, `${w} certId`);
      if (certId !== id_x509Certificate) return; // SDSI certificates and other kinds are skipped
      const bytes = readOctetString(explicit(v, 0, `${w} certValue`), `${w} x509Certificate`);
      const cert = der(bytes, `${w} certificate`, true);
      if (cert.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', `${w}: certificate is not a SEQUENCE`);
      ctx.out.certificates.push({ der: copyBytes(bytes), ...attrs });
      return;
    }
    case id_SafeContents:
      safeContents(ctx, value, `${what} (safeContentsBag)`);
      return;
    default:
      // crlBag, secretBag and unknown bags carry nothing this import returns.
      return;
  }
}

/** SafeContents ::= SEQUENCE OF SafeBag */
function safeContents(ctx: Ctx, node: DerNode, what: string): void {
  if (node.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', `${what}: SafeContents is not a SEQUENCE`);
  const bags = node.children();
  // Count before any work: a shrouded key costs a key derivation.
  ctx.bags += bags.length;
  if (ctx.bags > ctx.limits.maxBags) {
    fail('LIMIT_EXCEEDED', `PKCS#12 file holds more than ${ctx.limits.maxBags} bags`, { limit: ctx.limits.maxBags });
  }
  bags.forEach((b, i) => safeBag(ctx, b, `${what} bag ${i + 1}`));
}

/** EncryptedData ::= SEQUENCE { version, EncryptedContentInfo, unprotectedAttrs [1] IMPLICIT OPTIONAL } */
function encryptedData(ctx: Ctx, node: DerNode, what: string): void {
  const [version, eci] = seq(node, `${what} EncryptedData`, 2, 3);
  const v = readInteger(version, `${what} EncryptedData version`);
  if (v !== 0n && v !== 2n) fail('PKCS12_MALFORMED', `${what}: EncryptedData version ${v} is not 0 or 2`);
  // EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
  const parts = seq(eci, `${what} EncryptedContentInfo`, 2, 3);
  const type = readOid(parts[0], `${what} EncryptedContentInfo contentType`);
  if (type !== id_data) fail('PKCS12_MALFORMED', `${what}: encrypted content type ${type} is not data`);
  const enc = parts[2];
  if (!enc) return; // no content: nothing to read
  if (enc.contextNumber !== 0) fail('PKCS12_MALFORMED', `${what}: encryptedContent is not [0]`);
  // [0] IMPLICIT OCTET STRING: primitive in DER; constructed (OCTET STRING segments) in BER writers.
  const data = enc.constructed ? concatBytes(...enc.children().map((c) => octets(c, `${what} encryptedContent segment`))) : enc.value;
  afterDecryption(
    ctx,
    what,
    () => pbeDecrypt(parts[1], data, ctx.password, ctx.pbe, what),
    (plain) => safeContents(ctx, der(plain, `${what} SafeContents`), what),
  );
}

/**
 * Reads a PKCS#12 / PFX file. `password` is the import password (use "" for none).
 * Keys on the SM2 curve come back as scalars with their public keys; other keys as PKCS#8.
 */
export function readPkcs12(data: Uint8Array, password: string, opts: ReadPkcs12Options = {}): Pkcs12Contents {
  if (!(data instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'PKCS#12 data must be a Uint8Array');
  if (typeof password !== 'string') fail('INVALID_ARGUMENT', 'PKCS#12 password must be a string');
  const limits: Pkcs12Limits = { ...PKCS12_LIMITS, ...opts.limits };
  if (data.length > limits.maxBytes) {
    fail('LIMIT_EXCEEDED', `PKCS#12 file is ${data.length} bytes, more than the limit of ${limits.maxBytes}`, { size: data.length, limit: limits.maxBytes });
  }
  try {
    return read(data, password, limits);
  } catch (e) {
    if (e instanceof EsealError && DER_CODES.has(e.code)) throw malformed(e);
    throw e;
  }
}

function read(data: Uint8Array, password: string, limits: Pkcs12Limits): Pkcs12Contents {
  const pfx = der(data, 'PFX');
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  const [versionNode, authSafeNode, macNode] = seq(pfx, 'PFX', 2, 3);
  const version = readInteger(versionNode, 'PFX version');
  if (version !== 3n) fail('PKCS12_MALFORMED', `PFX version ${version} is not 3`);
  const authSafe = contentInfo(authSafeNode, 'PFX authSafe');
  if (authSafe.type === id_signedData) fail('ALGORITHM_UNSUPPORTED', 'PKCS#12 public-key integrity mode (signedData authSafe) is not supported');
  if (authSafe.type !== id_data) fail('PKCS12_MALFORMED', `authSafe content type ${authSafe.type} is not data`);
  const authSafeOctets = octets(authSafe.content, 'PFX authSafe content');

  const out: Pkcs12Contents = { keys: [], otherKeys: [], certificates: [], macVerified: false };
  const pbe: PbeLimits = { maxIterations: limits.maxIterations, budget: { remaining: limits.maxTotalIterations, total: limits.maxTotalIterations } };
  let bmp = bmpPassword(password);
  if (macNode) {
    const mac = verifyMac(macNode, authSafeOctets, password, pbe);
    bmp = mac.bmp;
    out.macVerified = true;
    out.mac = mac.info;
  }
  const ctx: Ctx = { password: { bmp, utf8: utf8(password) }, limits, pbe, macVerified: out.macVerified, bags: 0, out };

  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo
  const as = der(authSafeOctets, 'AuthenticatedSafe');
  if (as.tag !== TAG.SEQUENCE) fail('PKCS12_MALFORMED', 'AuthenticatedSafe is not a SEQUENCE');
  const infos = as.children();
  if (infos.length > limits.maxBags) fail('LIMIT_EXCEEDED', `PKCS#12 AuthenticatedSafe holds ${infos.length} parts, more than ${limits.maxBags}`, { limit: limits.maxBags });
  infos.forEach((node, i) => {
    const what = `AuthenticatedSafe part ${i + 1}`;
    const ci = contentInfo(node, what);
    if (ci.type === id_data) safeContents(ctx, der(octets(ci.content, `${what} data`), `${what} SafeContents`), what);
    else if (ci.type === id_encryptedData) encryptedData(ctx, ci.content, what);
    else if (ci.type === id_envelopedData) fail('ALGORITHM_UNSUPPORTED', `${what} is envelopedData (public-key privacy mode), which is not supported`);
    else fail('PKCS12_MALFORMED', `${what} has content type ${ci.type}, expected data or encryptedData`);
  });
  return out;
}
