/**
 * @module ofd/stamp
 * Stamping (签章) an OFD document in two phases (GB/T 33190 §18 + GB/T 38540, STANDARDS.md §2.5):
 *
 *   prepareOfdStamp(ofd, options) → { toBeSigned, … }   the key holder signs toBeSigned (SM2)
 *   embedOfdStamp(prepared, signature) → new OFD bytes
 *
 * Type="Seal" (安全签章): Signatures.xml is created (and announced in OFD.xml) or appended to, with
 * MaxSignId; Sign_N/Seal.esl is the seal; Sign_N/Signature.xml carries one SM3 Reference per protected
 * file, the StampAnnots and Seal/BaseLoc; SignedValue.dat is a GB/T 38540 v4 SES_Signature whose
 * dataHash is SM3(Signature.xml bytes) and propertyInfo the absolute path of Signature.xml.
 * Type="Sign" (数字签名): SignedValue.dat is a GB/T 35275 SignedData, detached, with signed attributes
 * (contentType, messageDigest = SM3(Signature.xml), signingTime) — GM/T 0099 variant a.
 *
 * Protected files: every file of the package except this signature's Signature.xml and
 * SignedValue.dat, and except Signatures.xml unless `lock` is set (then no later signature can be
 * added without breaking this one, and {@link prepareOfdStamp} refuses to add one: OFD_LOCKED).
 *
 * Incremental: only OFD.xml (first signature), Signatures.xml and the new Sign_N files are written;
 * every other entry is copied byte for byte, compressed data included.
 */
import { toBase64 } from '../util/base64.js';
import { EsealError, fail } from '../util/errors.js';
import { fromUtf8, utf8 } from '../util/bytes.js';
import { sm3 } from '../sm/sm3.js';
import { sm2Verify } from '../sm/sm2/index.js';
import { id_sm2_with_sm3 } from '../sm/oids.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { assembleSignedData, prepareSignedData, type PreparedSignedData } from '../pki/cms/build.js';
import { assembleSesSignature, prepareSesSignature, type PreparedSesSignature } from '../ses/build.js';
import { parseSeal } from '../ses/parse.js';
import { signerListedInSeal } from '../ses/facts.js';
import type { ExtDataValue, Seal } from '../ses/model.js';
import { box, num, OFD_NS, XML_DECL } from './_write.js';
import { readOfd, type OfdBox, type OfdDocument, type OfdPackage, type ReadOfdOptions } from './package.js';
import { parseBox as box4 } from './package.js';
import { child, childText, xmlEscape } from './xml.js';
import { absLoc, dirOf } from './paths.js';
import { readSignatureDescription, readSignatureList, type SignatureList, type StampAnnotInfo } from './signatures.js';
import { findKeyword } from './text.js';
import { writeZip, type ZipWriteEntry } from './zip.js';

const certCache = new WeakMap<Uint8Array, Certificate>();
/** Servers stamp many times with one certificate: parse it once per bytes object. */
function certificateOf(der: Uint8Array): Certificate {
  let c = certCache.get(der);
  if (!c) {
    c = parseCertificate(der);
    certCache.set(der, c);
  }
  return c;
}

const digestCache = new WeakMap<Uint8Array, Uint8Array>();
/** SM3 of a file that is the same for many stamps (the seal): computed once per bytes object. */
function cachedSm3(b: Uint8Array): Uint8Array {
  let d = digestCache.get(b);
  if (!d) {
    d = sm3(b);
    digestCache.set(b, d);
  }
  return d;
}

/** A page's size without parsing its drawing objects. */
function pageArea(pkg: OfdPackage, doc: OfdDocument, i: number): OfdBox {
  const ref = doc.pages[i];
  if (!pkg.has(ref.path)) fail('OFD_MISSING_ENTRY', `page ${i + 1} (ID ${ref.id}): its content /${ref.path} is not in the package`);
  return box4(childText(child(pkg.xml(ref.path), 'Area'), 'PhysicalBox')) ?? doc.pageArea;
}

/** SM3 as written in References/@CheckMethod (the OID form, as the tax bureau writes it). */
export const CHECK_METHOD_SM3 = '1.2.156.10197.1.401';

export type OfdPlacement =
  /** the seal's centre at (x, y) mm from the top-left corner of page `page` (1-based) */
  | { kind: 'position'; page: number; x: number; y: number }
  /** centre the seal on a text found in the page content (and templates) */
  | { kind: 'keyword'; keyword: string; /** 1-based, or 'all' (default 1) */ occurrence?: number | 'all'; /** 1-based page range to search */ pages?: [number, number]; /** shift of the seal centre from the text centre, mm */ offset?: { x: number; y: number } }
  /** 骑缝章: the picture cut into strips along the right edge of each page of the range */
  | { kind: 'cross-page'; /** 1-based range, default all pages */ pages?: [number, number]; /** the seal centre's distance from the top edge, mm (default: middle of the page) */ y?: number }
  /** no visible appearance */
  | { kind: 'none' };

export interface OfdStampOptions {
  /** "Seal" (安全签章, default) or "Sign" (GB/T 35275 digital signature) */
  type?: 'Seal' | 'Sign';
  /** the seal (SESeal DER, or parsed); required for Type="Seal", optional for "Sign" (then shown and carried as Seal.esl) */
  seal?: Uint8Array | Seal;
  /** the signer's certificate, DER */
  signerCertificate: Uint8Array;
  /** more certificates for Type="Sign" (the chain) */
  certificates?: Uint8Array[];
  /** the signing time (a parameter: this layer reads no clock) */
  signTime: Date;
  placement: OfdPlacement;
  /** protect Signatures.xml so that no further signature can be added */
  lock?: boolean;
  /** the appearance size in mm (default: the seal picture's width and height) */
  sizeMm?: { width: number; height: number };
  provider?: { name: string; company?: string; version?: string };
  /** TBS_Sign extDatas (e.g. a use-approval record) */
  extDatas?: ExtDataValue[];
  /** which document of the package (default 0) */
  documentIndex?: number;
  read?: ReadOfdOptions;
}

export interface PlacedStamp extends StampAnnotInfo {
  /** 1-based page number */
  page: number;
}

export interface PreparedOfdStamp {
  /** what the signer signs with SM2-with-SM3: DER TBS_Sign (Seal) or the DER signed attributes (Sign) */
  toBeSigned: Uint8Array;
  type: 'Seal' | 'Sign';
  signatureId: string;
  /** package path of the new Signature.xml */
  signaturePath: string;
  /** its bytes (signed via dataHash / messageDigest) */
  signatureXml: Uint8Array;
  stamps: PlacedStamp[];
  /** package paths of the protected files, in reference order */
  protectedFiles: string[];
  locked: boolean;
  /** things the caller should know (e.g. a seal picture size that was not plausible) */
  warnings: string[];
  /** @internal state for embedOfdStamp */
  readonly state: StampState;
}

interface StampState {
  pkg: OfdPackage;
  replaced: Map<string, Uint8Array>;
  added: { name: string; data: Uint8Array; compress: boolean }[];
  signedValuePath: string;
  signerCertificate: Uint8Array;
  ses?: PreparedSesSignature;
  cms?: PreparedSignedData;
  signTime: Date;
}

export const DEFAULT_PROVIDER = { name: 'eseal', company: 'eseal', version: '0.1.0' };

/** Numeric part and style of signature IDs already used (IDs are shared by Signature and StampAnnot, as ofdrw and the tax bureau do). */
function idAllocator(list: SignatureList | undefined, pkg: OfdPackage): () => string {
  const used: string[] = [];
  if (list) {
    if (list.maxSignId) used.push(list.maxSignId);
    for (const e of list.entries) {
      used.push(e.id);
      try {
        for (const s of readSignatureDescription(pkg, e.path).stampAnnots) used.push(s.id);
      } catch {
        /* unreadable old signatures do not stop numbering */
      }
    }
  }
  let max = 0;
  let prefixed = used.length === 0 || used.some((u) => /^s\d+$/i.test(u));
  for (const u of used) {
    const m = /(\d+)$/.exec(u);
    if (m) max = Math.max(max, Number(m[1]));
  }
  if (used.length && !used.some((u) => /^s/i.test(u))) prefixed = false;
  const taken = new Set(used);
  return () => {
    let id: string;
    do {
      max++;
      id = prefixed ? `s${String(max).padStart(3, '0')}` : String(max);
    } while (taken.has(id));
    taken.add(id);
    return id;
  };
}

function rootPrefix(xmlText: string, local: string): string {
  const m = new RegExp(`<([A-Za-z_][\\w.-]*:)?${local}[\\s>/]`).exec(xmlText);
  return m?.[1] ?? '';
}

/** Adds <Signatures> to the n-th DocBody of OFD.xml, leaving every other byte as it was. */
function announceSignatureList(ofdXml: Uint8Array, loc: string, docIndex: number): Uint8Array {
  const text = fromUtf8(ofdXml);
  const p = rootPrefix(text, 'DocBody');
  const close = `</${p}DocBody>`;
  let at = -1;
  for (let i = 0; i <= docIndex; i++) {
    at = text.indexOf(close, at + 1);
    if (at < 0) fail('OFD_MALFORMED', `OFD.xml: cannot find the end of DocBody ${docIndex + 1}`);
  }
  return utf8(text.slice(0, at) + `<${p}Signatures>${xmlEscape(loc)}</${p}Signatures>` + text.slice(at));
}

/** Appends a <Signature> to an existing Signatures.xml and sets MaxSignId, leaving the rest as it was. */
function appendToSignatureList(raw: Uint8Array, entry: string, maxSignId: string): Uint8Array {
  let text = fromUtf8(raw);
  const p = rootPrefix(text, 'Signatures');
  const max = new RegExp(`(<${p}MaxSignId\\s*>)[^<]*(</${p}MaxSignId\\s*>)`);
  const selfClosing = new RegExp(`<${p}Signatures(\\s[^>]*)?/>`);
  if (selfClosing.test(text)) text = text.replace(selfClosing, (m, attrs: string | undefined) => `<${p}Signatures${attrs ?? ''}></${p}Signatures>`);
  if (max.test(text)) text = text.replace(max, `$1${xmlEscape(maxSignId)}$2`);
  else text = text.replace(new RegExp(`(<${p}Signatures(\\s[^>]*)?>)`), `$1<${p}MaxSignId>${xmlEscape(maxSignId)}</${p}MaxSignId>`);
  const close = text.lastIndexOf(`</${p}Signatures`);
  if (close < 0) fail('OFD_MALFORMED', 'Signatures.xml: cannot find the end of the signature list');
  return utf8(text.slice(0, close) + entry.replace(/ofd:/g, p) + text.slice(close));
}

function newSignatureList(entry: string, maxSignId: string): Uint8Array {
  return utf8(`${XML_DECL}<ofd:Signatures xmlns:ofd="${OFD_NS}"><ofd:MaxSignId>${xmlEscape(maxSignId)}</ofd:MaxSignId>${entry}</ofd:Signatures>\n`);
}

function sealSize(seal: Seal | undefined, opts: OfdStampOptions, warnings: string[]): { w: number; h: number } {
  if (opts.sizeMm) {
    const { width, height } = opts.sizeMm;
    if (!(width > 0 && width <= 300 && height > 0 && height <= 300)) fail('INVALID_ARGUMENT', `seal size ${width} x ${height} mm is not plausible (0-300 mm)`);
    return { w: width, h: height };
  }
  if (!seal) return { w: 40, h: 40 };
  const { width, height } = seal.info.picture;
  if (width >= 5 && width <= 150 && height >= 5 && height <= 150) return { w: width, h: height };
  warnings.push(`the seal picture says ${width} x ${height} (not plausible millimetres; pixels?): the stamp is drawn 40 x 40 mm`);
  return { w: 40, h: 40 };
}

/** StampAnnot boxes for a placement. */
export function placeStamps(pkg: OfdPackage, doc: OfdDocument, placement: OfdPlacement, size: { w: number; h: number }, nextId: () => string): PlacedStamp[] {
  const pageSize = (i: number): OfdBox => pageArea(pkg, doc, i);
  const n = doc.pages.length;
  const checkPage = (p: number, what: string) => {
    if (!Number.isInteger(p) || p < 1 || p > n) fail('OFD_PAGE_OUT_OF_RANGE', `${what}: page ${p} does not exist (the document has ${n} page${n === 1 ? '' : 's'})`);
  };
  switch (placement.kind) {
    case 'none':
      return [];
    case 'position': {
      checkPage(placement.page, 'seal position');
      if (!Number.isFinite(placement.x) || !Number.isFinite(placement.y)) fail('INVALID_ARGUMENT', 'seal position x and y must be numbers (mm)');
      const area = pageSize(placement.page - 1);
      if (placement.x < 0 || placement.y < 0 || placement.x > area.w || placement.y > area.h) fail('INVALID_ARGUMENT', `seal centre (${placement.x}, ${placement.y}) mm is outside page ${placement.page} (${num(area.w)} x ${num(area.h)} mm)`);
      const ref = doc.pages[placement.page - 1];
      return [{ id: nextId(), pageRef: ref.id, page: placement.page, boundary: { x: placement.x - size.w / 2, y: placement.y - size.h / 2, w: size.w, h: size.h } }];
    }
    case 'keyword': {
      if (!placement.keyword || !placement.keyword.trim()) fail('INVALID_ARGUMENT', 'the keyword is empty');
      if (placement.pages) {
        checkPage(placement.pages[0], 'keyword page range');
        checkPage(placement.pages[1], 'keyword page range');
      }
      const hits = findKeyword(pkg, doc, placement.keyword, placement.pages);
      if (!hits.length) fail('OFD_KEYWORD_NOT_FOUND', `the keyword "${placement.keyword}" was not found in the text of ${placement.pages ? `pages ${placement.pages[0]}-${placement.pages[1]}` : `the document's ${n} page(s)`}`);
      const occ = placement.occurrence ?? 1;
      let chosen = hits;
      if (occ !== 'all') {
        if (!Number.isInteger(occ) || occ < 1) fail('INVALID_ARGUMENT', `keyword occurrence must be a positive integer or "all", got ${occ}`);
        if (occ > hits.length) fail('OFD_KEYWORD_NOT_FOUND', `the keyword "${placement.keyword}" occurs ${hits.length} time(s); occurrence ${occ} was asked for`);
        chosen = [hits[occ - 1]];
      } else if (hits.length > 100) fail('LIMIT_EXCEEDED', `the keyword "${placement.keyword}" occurs ${hits.length} times; stamping all of them is refused (at most 100)`);
      const dx = placement.offset?.x ?? 0;
      const dy = placement.offset?.y ?? 0;
      return chosen.map((h) => ({
        id: nextId(),
        pageRef: doc.pages[h.page].id,
        page: h.page + 1,
        boundary: { x: h.box.x + h.box.w / 2 + dx - size.w / 2, y: h.box.y + h.box.h / 2 + dy - size.h / 2, w: size.w, h: size.h },
      }));
    }
    case 'cross-page': {
      const [a, b] = placement.pages ?? [1, n];
      checkPage(a, 'cross-page range');
      checkPage(b, 'cross-page range');
      if (b < a) fail('INVALID_ARGUMENT', `cross-page range ${a}-${b} is backwards`);
      const count = b - a + 1;
      const strip = size.w / count;
      const out: PlacedStamp[] = [];
      for (let i = 0; i < count; i++) {
        const area = pageSize(a - 1 + i);
        const cy = placement.y ?? area.h / 2;
        if (cy < 0 || cy > area.h) fail('INVALID_ARGUMENT', `cross-page seal centre y = ${cy} mm is outside page ${a + i} (height ${num(area.h)} mm)`);
        // the strip i·w/n … (i+1)·w/n of the picture shows at the right edge (as ofdrw's RidingStampPos)
        out.push({
          id: nextId(),
          pageRef: doc.pages[a - 1 + i].id,
          page: a + i,
          boundary: { x: area.w - strip * (i + 1), y: cy - size.h / 2, w: size.w, h: size.h },
          clip: { x: strip * i, y: 0, w: strip, h: size.h },
        });
      }
      return out;
    }
  }
  fail('INVALID_ARGUMENT', `unknown placement ${(placement as { kind: string }).kind}`);
}

function stampAnnotXml(s: PlacedStamp): string {
  return `<ofd:StampAnnot ID="${xmlEscape(s.id)}" PageRef="${xmlEscape(s.pageRef)}" Boundary="${box(s.boundary.x, s.boundary.y, s.boundary.w, s.boundary.h)}"${s.clip ? ` Clip="${box(s.clip.x, s.clip.y, s.clip.w, s.clip.h)}"` : ''}/>`;
}

/** SignatureDateTime as the tax bureau writes it: UTC, yyyyMMddHHmmssZ. */
export function signatureDateTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Phase 1: everything except the signature value. */
export function prepareOfdStamp(ofd: Uint8Array | OfdPackage, opts: OfdStampOptions): PreparedOfdStamp {
  const type = opts.type ?? 'Seal';
  if (type !== 'Seal' && type !== 'Sign') fail('INVALID_ARGUMENT', `signature type must be Seal or Sign, got ${String(type)}`);
  if (!(opts.signTime instanceof Date) || Number.isNaN(opts.signTime.getTime())) fail('INVALID_ARGUMENT', 'signTime must be a valid date');
  if (!(opts.signerCertificate instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'signerCertificate must be DER bytes');
  const cert = certificateOf(opts.signerCertificate);
  if (cert.spki.keyType !== 'sm2') fail('INVALID_ARGUMENT', `the signer certificate has a ${cert.spki.keyType} key; OFD seals and signatures use SM2`);
  const seal = opts.seal === undefined ? undefined : opts.seal instanceof Uint8Array ? parseSeal(opts.seal) : opts.seal;
  if (type === 'Seal' && !seal) fail('INVALID_ARGUMENT', 'a Type="Seal" signature needs the seal (Seal.esl)');
  if (seal) {
    if (seal.layout === 'v1') fail('INVALID_ARGUMENT', 'GM/T 0031-2014 (v1) seals are read-only: stamp with a GB/T 38540 seal');
    const listed = signerListedInSeal(seal, opts.signerCertificate);
    if (!listed.ok) fail('SIGNER_NOT_IN_SEAL', `this seal may not be used by the given signer: ${listed.reason}`);
  }
  const pkg = ofd instanceof Uint8Array ? readOfd(ofd, opts.read) : ofd;
  const docIndex = opts.documentIndex ?? 0;
  const doc = pkg.document(docIndex);
  if (!doc.pages.length) fail('OFD_MALFORMED', 'the document has no pages to stamp');
  const warnings: string[] = [];

  // 1. the signature list: existing (must not be locked) or new
  const list = readSignatureList(pkg, doc);
  if (list) {
    for (const e of list.entries) {
      let desc;
      try {
        desc = readSignatureDescription(pkg, e.path);
      } catch {
        continue;
      }
      if (desc.references.some((r) => r.path === list.path)) {
        throw new EsealError('OFD_LOCKED', `the document is locked: signature ${e.id} protects the signature list /${list.path}, so adding a signature would invalidate it`, { signature: e.id, path: list.path });
      }
    }
  }
  const listPath = list?.path ?? `${doc.dir ? doc.dir + '/' : ''}Signs/Signatures.xml`;
  const signsDir = dirOf(listPath);
  let k = 0;
  const prefix = (i: number) => `${signsDir ? signsDir + '/' : ''}Sign_${i}/`;
  while (pkg.files.some((f) => f.startsWith(prefix(k))) || pkg.zip.has(prefix(k))) k++;
  const signDir = prefix(k).slice(0, -1);
  const signaturePath = `${signDir}/Signature.xml`;
  const signedValuePath = `${signDir}/SignedValue.dat`;
  const sealPath = `${signDir}/Seal.esl`;
  const nextId = idAllocator(list, pkg);
  const signatureId = nextId();

  // 2. where the seal shows
  const size = sealSize(seal, opts, warnings);
  const stamps = seal ? placeStamps(pkg, doc, opts.placement, size, nextId) : [];
  if (!seal && opts.placement.kind !== 'none') warnings.push('no seal was given: the signature has no visible appearance');
  const maxSignId = stamps.length ? stamps[stamps.length - 1].id : signatureId;

  // 3. the changed and new files
  const replaced = new Map<string, Uint8Array>();
  const added: StampState['added'] = [];
  const listEntry = `<ofd:Signature ID="${xmlEscape(signatureId)}" Type="${type}" BaseLoc="${xmlEscape(absLoc(signaturePath))}"/>`;
  if (list) replaced.set(list.path, appendToSignatureList(pkg.read(list.path), listEntry, maxSignId));
  else {
    added.push({ name: listPath, data: newSignatureList(listEntry, maxSignId), compress: true });
    replaced.set('OFD.xml', announceSignatureList(pkg.read('OFD.xml'), absLoc(listPath), docIndex));
  }
  if (seal) added.push({ name: sealPath, data: seal.der, compress: false });

  // 4. references over every protected file, as it will be in the output
  const contentOf = (name: string): Uint8Array => replaced.get(name) ?? added.find((a) => a.name === name)?.data ?? pkg.read(name);
  const lock = !!opts.lock;
  const protectedFiles = [...pkg.files, ...added.filter((a) => !pkg.zip.has(a.name)).map((a) => a.name)].filter((f) => f !== signaturePath && f !== signedValuePath && (lock || f !== listPath));
  let refs = '';
  for (const f of protectedFiles) {
    const data = contentOf(f);
    refs += `<ofd:Reference FileRef="${xmlEscape(absLoc(f))}"><ofd:CheckValue>${toBase64(seal && data === seal.der ? cachedSm3(data) : sm3(data))}</ofd:CheckValue></ofd:Reference>`;
  }

  const provider = opts.provider ?? DEFAULT_PROVIDER;
  const signatureXml = utf8(
    `${XML_DECL}<ofd:Signature xmlns:ofd="${OFD_NS}"><ofd:SignedInfo>` +
      `<ofd:Provider ProviderName="${xmlEscape(provider.name)}"${provider.version ? ` Version="${xmlEscape(provider.version)}"` : ''}${provider.company ? ` Company="${xmlEscape(provider.company)}"` : ''}/>` +
      `<ofd:SignatureMethod>${id_sm2_with_sm3}</ofd:SignatureMethod>` +
      `<ofd:SignatureDateTime>${signatureDateTime(opts.signTime)}</ofd:SignatureDateTime>` +
      `<ofd:References CheckMethod="${CHECK_METHOD_SM3}">${refs}</ofd:References>` +
      stamps.map(stampAnnotXml).join('') +
      (seal ? `<ofd:Seal><ofd:BaseLoc>${xmlEscape(absLoc(sealPath))}</ofd:BaseLoc></ofd:Seal>` : '') +
      `</ofd:SignedInfo><ofd:SignedValue>${xmlEscape(absLoc(signedValuePath))}</ofd:SignedValue></ofd:Signature>\n`,
  );
  added.push({ name: signaturePath, data: signatureXml, compress: true });

  // 5. what the signer signs
  const digest = sm3(signatureXml);
  let toBeSigned: Uint8Array;
  const state: StampState = { pkg, replaced, added, signedValuePath, signerCertificate: opts.signerCertificate, signTime: opts.signTime };
  if (type === 'Seal') {
    state.ses = prepareSesSignature({ seal: seal!, signTime: opts.signTime, dataHash: digest, propertyInfo: absLoc(signaturePath), signerCertificate: opts.signerCertificate, ...(opts.extDatas ? { extDatas: opts.extDatas } : {}) });
    toBeSigned = state.ses.toBeSigned;
  } else {
    state.cms = prepareSignedData({ flavour: 'gbt35275', contentDigest: digest, digestAlgorithm: 'sm3', signerCertificate: opts.signerCertificate, certificates: opts.certificates ?? [], signedAttributes: { signingTime: opts.signTime } });
    toBeSigned = state.cms.toBeSigned;
  }
  return { toBeSigned, type, signatureId, signaturePath, signatureXml, stamps, protectedFiles, locked: lock, warnings, state };
}

export interface EmbedOptions {
  /** an RFC 3161 time stamp token over the signature value (Type="Seal": SES_Signature.timeStamp) */
  timeStamp?: Uint8Array;
  /** verify the signature with the signer certificate before embedding (default true): catches a wrong key */
  checkSignature?: boolean;
}

/** Phase 2: embeds the signature value (DER or raw r‖s) and returns the stamped OFD. */
export function embedOfdStamp(prepared: PreparedOfdStamp, signature: Uint8Array, opts: EmbedOptions = {}): Uint8Array {
  const s = prepared.state;
  if (!(signature instanceof Uint8Array) || signature.length === 0) fail('INVALID_ARGUMENT', 'the signature value is empty');
  let signedValue: Uint8Array;
  if (s.ses) {
    if (opts.checkSignature !== false) {
      const cert = certificateOf(s.signerCertificate);
      let ok = false;
      try {
        ok = sm2Verify(cert.spki.publicKey, prepared.toBeSigned, signature);
      } catch (e) {
        throw new EsealError('SIGNATURE_MALFORMED', `the signature value cannot be read: ${(e as Error).message}`, undefined, { cause: e });
      }
      if (!ok) fail('SIGNATURE_INVALID', 'the signature value does not verify with the signer certificate over toBeSigned (wrong key?)');
    }
    signedValue = assembleSesSignature(s.ses, signature, opts.timeStamp ? { timeStamp: opts.timeStamp } : {});
  } else {
    signedValue = assembleSignedData(s.cms!, signature, { checkSignature: opts.checkSignature !== false });
  }
  const items: ZipWriteEntry[] = [];
  for (const e of s.pkg.zip.entries) {
    const r = s.replaced.get(e.name);
    items.push(r ? { name: e.name, data: r, compress: true, date: s.signTime } : { name: e.name, copy: e });
  }
  for (const a of s.added) items.push({ name: a.name, data: a.data, compress: a.compress, date: s.signTime });
  items.push({ name: s.signedValuePath, data: signedValue, compress: false, date: s.signTime });
  return writeZip(items);
}

/** One-shot stamping over the two phases. */
export async function stampOfd(ofd: Uint8Array, opts: OfdStampOptions, sign: (toBeSigned: Uint8Array) => Uint8Array | Promise<Uint8Array>, embed: EmbedOptions = {}): Promise<{ ofd: Uint8Array; prepared: PreparedOfdStamp }> {
  const prepared = prepareOfdStamp(ofd, opts);
  return { ofd: embedOfdStamp(prepared, await sign(prepared.toBeSigned), embed), prepared };
}
