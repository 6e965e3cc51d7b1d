/**
 * @module ofd/signatures
 * The signature list (GB/T 33190 §18.1 Signatures.xml, table 66) and each signature description
 * (§18.2 Signature.xml, tables 67-69) as read from a package, keeping the raw Signature.xml bytes:
 * they are what was signed (STANDARDS.md §2.5).
 */
import { fromBase64 } from '../util/base64.js';
import { EsealError, fail } from '../util/errors.js';
import { parseBox, type OfdBox, type OfdDocument, type OfdPackage } from './package.js';
import { dirOf, resolveLoc } from './paths.js';
import { child, childText, children } from './xml.js';

export interface SignatureListEntry {
  id: string;
  /** "Seal" (安全签章, the default) or "Sign" (纯数字签名) */
  type: 'Seal' | 'Sign';
  /** ST_Loc as written */
  baseLoc: string;
  /** package path of Signature.xml */
  path: string;
  relative?: string;
}

export interface SignatureList {
  /** package path of Signatures.xml */
  path: string;
  maxSignId?: string;
  entries: SignatureListEntry[];
}

export interface StampAnnotInfo {
  id: string;
  pageRef: string;
  boundary: OfdBox;
  clip?: OfdBox;
}

export interface ReferenceInfo {
  /** ST_Loc as written */
  fileRef: string;
  /** package path */
  path: string;
  /** base64-decoded CheckValue (undefined when it is not base64) */
  checkValue?: Uint8Array;
  checkValueText: string;
}

export interface SignatureDescription {
  /** package path of Signature.xml */
  path: string;
  /** the bytes of Signature.xml exactly as stored (the signed data) */
  raw: Uint8Array;
  provider?: { name?: string; company?: string; version?: string };
  signatureMethod?: string;
  signatureDateTime?: string;
  /** References/@CheckMethod as written (default per ofdrw: MD5; we treat absent as SM3 as every sample does) */
  checkMethod?: string;
  references: ReferenceInfo[];
  stampAnnots: StampAnnotInfo[];
  /** package path of Seal.esl, when Seal/BaseLoc is present */
  sealPath?: string;
  /** package path of SignedValue.dat */
  signedValuePath: string;
}

/** The signature list of a document, or undefined when it is not signed. */
export function readSignatureList(pkg: OfdPackage, doc: OfdDocument): SignatureList | undefined {
  const path = doc.body.signatures;
  if (!path) return undefined;
  if (!pkg.has(path)) fail('OFD_MISSING_ENTRY', `OFD.xml names the signature list /${path}, which is not in the package`);
  const el = pkg.xml(path);
  if (el.local !== 'Signatures') fail('OFD_MALFORMED', `/${path}: the root element is <${el.name}>, not <ofd:Signatures>`);
  const sigs = children(el, 'Signature');
  if (sigs.length > pkg.limits.maxSignatures) throw new EsealError('LIMIT_EXCEEDED', `/${path} lists ${sigs.length} signatures; the limit is ${pkg.limits.maxSignatures}`, { limit: 'maxSignatures' });
  const seen = new Set<string>();
  const entries = sigs.map((s, i): SignatureListEntry => {
    const id = s.attrs.ID ?? '';
    if (!id) fail('OFD_MALFORMED', `/${path}: signature ${i + 1} has no ID`);
    if (seen.has(id)) fail('OFD_DUPLICATE_ID', `/${path}: signature ID ${id} is used twice`);
    seen.add(id);
    if (!s.attrs.BaseLoc) fail('OFD_MALFORMED', `/${path}: signature ${id} has no BaseLoc`);
    const type = s.attrs.Type ?? 'Seal';
    if (type !== 'Seal' && type !== 'Sign') fail('OFD_MALFORMED', `/${path}: signature ${id} has Type="${type}" (Seal or Sign)`);
    return { id, type, baseLoc: s.attrs.BaseLoc, path: resolveLoc(dirOf(path), s.attrs.BaseLoc, `signature ${id} BaseLoc`), ...(s.attrs.Relative ? { relative: s.attrs.Relative } : {}) };
  });
  const maxSignId = childText(el, 'MaxSignId');
  return { path, ...(maxSignId ? { maxSignId } : {}), entries };
}

/** Reads one Signature.xml. */
export function readSignatureDescription(pkg: OfdPackage, path: string): SignatureDescription {
  if (!pkg.has(path)) fail('OFD_MISSING_ENTRY', `the signature description /${path} is not in the package`);
  const raw = pkg.read(path);
  const el = pkg.xml(path);
  if (el.local !== 'Signature') fail('OFD_MALFORMED', `/${path}: the root element is <${el.name}>, not <ofd:Signature>`);
  const dir = dirOf(path);
  const info = child(el, 'SignedInfo');
  if (!info) fail('OFD_MALFORMED', `/${path} has no SignedInfo`);
  const provider = child(info, 'Provider');
  const refs = child(info, 'References');
  if (!refs) fail('OFD_MALFORMED', `/${path} has no References`);
  const refEls = children(refs, 'Reference');
  if (refEls.length > pkg.limits.maxReferences) throw new EsealError('LIMIT_EXCEEDED', `/${path} has ${refEls.length} references; the limit is ${pkg.limits.maxReferences}`, { limit: 'maxReferences' });
  const references = refEls.map((r, i): ReferenceInfo => {
    const fileRef = r.attrs.FileRef;
    if (!fileRef) fail('OFD_MALFORMED', `/${path}: reference ${i + 1} has no FileRef`);
    const checkValueText = childText(r, 'CheckValue') ?? '';
    let checkValue: Uint8Array | undefined;
    try {
      checkValue = fromBase64(checkValueText);
    } catch {
      checkValue = undefined;
    }
    return { fileRef, path: resolveLoc(dir, fileRef, `reference ${fileRef}`), ...(checkValue ? { checkValue } : {}), checkValueText };
  });
  const stampAnnots = children(info, 'StampAnnot').map((s, i): StampAnnotInfo => {
    const boundary = parseBox(s.attrs.Boundary);
    if (!boundary) fail('OFD_MALFORMED', `/${path}: StampAnnot ${i + 1} has no valid Boundary ("${s.attrs.Boundary ?? ''}")`);
    const clip = parseBox(s.attrs.Clip);
    return { id: s.attrs.ID ?? '', pageRef: s.attrs.PageRef ?? '', boundary, ...(clip ? { clip } : {}) };
  });
  const sealLoc = childText(child(info, 'Seal'), 'BaseLoc');
  const svLoc = childText(el, 'SignedValue');
  if (!svLoc) fail('OFD_MALFORMED', `/${path} has no SignedValue`);
  const p = provider?.attrs;
  return {
    path,
    raw,
    ...(p ? { provider: { ...(p.ProviderName ? { name: p.ProviderName } : {}), ...(p.Company ? { company: p.Company } : {}), ...(p.Version ? { version: p.Version } : {}) } } : {}),
    ...(childText(info, 'SignatureMethod') ? { signatureMethod: childText(info, 'SignatureMethod') } : {}),
    ...(childText(info, 'SignatureDateTime') ? { signatureDateTime: childText(info, 'SignatureDateTime') } : {}),
    ...(refs.attrs.CheckMethod ? { checkMethod: refs.attrs.CheckMethod } : {}),
    references,
    stampAnnots,
    ...(sealLoc ? { sealPath: resolveLoc(dir, sealLoc, 'Seal BaseLoc') } : {}),
    signedValuePath: resolveLoc(dir, svLoc, 'SignedValue'),
  };
}
