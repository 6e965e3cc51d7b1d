/**
 * @module ofd/facts
 * Verification FACTS of every signature in an OFD (验章, GB/T 33190 §18 + STANDARDS.md §2.5): the
 * reference digests (which protected files changed or vanished), Seal.esl against the seal inside
 * TBS_Sign, the parsed SES_Signature (Type="Seal") or the GB/T 35275 variant and its CMS facts
 * (Type="Sign": a detached with signed attributes, b attached hash, c bare SM2 signature), and where
 * the stamps are. Nothing here throws for a bad signature: each problem is a fact with a reason.
 * The policy and report are src/validation/ofd-document.ts.
 */
import { equalBytes, toHex } from '../util/bytes.js';
import { EsealError } from '../util/errors.js';
import { toBase64 } from '../util/base64.js';
import { sm3 } from '../sm/sm3.js';
import { sm2Verify } from '../sm/sm2/index.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { parseSignedData, type ParsedSignedData } from '../pki/cms/parse.js';
import { verifySignedData, type SignerVerificationFacts } from '../pki/cms/verify.js';
import { sha1, sha256 } from '../ses/_digests.js';
import { parseSesSignature } from '../ses/parse.js';
import type { SesSignature } from '../ses/model.js';
import { readOfd, type OfdPackage, type ReadOfdOptions } from './package.js';
import { readSignatureDescription, readSignatureList, type SignatureDescription, type SignatureListEntry, type StampAnnotInfo } from './signatures.js';

export interface ReferenceFact {
  /** ST_Loc as written */
  fileRef: string;
  path: string;
  status: 'ok' | 'changed' | 'missing' | 'bad-check-value' | 'unsupported-method';
  expected: string;
  actual?: string;
}

export interface StampFact extends StampAnnotInfo {
  /** 1-based page number (undefined when PageRef names no page) */
  page?: number;
}

export type SignVariant = 'a' | 'b' | 'c';

export interface OfdSignatureFacts {
  /** position in Signatures.xml (0-based) */
  index: number;
  id: string;
  type: 'Seal' | 'Sign';
  /** package path of Signature.xml */
  path: string;
  relative?: string;
  /** the structure could not be read: why (the other facts may be missing) */
  error?: string;
  description?: SignatureDescription;
  /** SM3 digest method named by References/@CheckMethod */
  checkMethod: string;
  references: ReferenceFact[];
  /** protected files whose digest no longer matches */
  changed: string[];
  /** protected files no longer in the package */
  missing: string[];
  /** every reference matches */
  referencesOk: boolean;
  /** Signatures.xml is protected: the signer locked the document against later signatures */
  locksSignatureList: boolean;
  /** files in the package now that this signature does not protect (other than its own and later signatures' files) */
  unprotected: string[];
  stamps: StampFact[];
  /** Seal.esl of the signature (Seal/BaseLoc), if any */
  sealFile?: { path: string; bytes?: Uint8Array; missing?: boolean };
  signedValue?: Uint8Array;
  /** Type="Seal": the SES_Signature */
  ses?: SesSignature;
  sesError?: string;
  /** Type="Seal": Seal.esl byte-equal to TBS_Sign.eseal (undefined without Seal.esl) */
  sealFileMatches?: boolean;
  /** Type="Seal": propertyInfo names this Signature.xml */
  propertyInfoMatches?: boolean;
  /** Type="Sign": which GM/T 0099 variant (STANDARDS.md §2.5) */
  variant?: SignVariant;
  cms?: { parsed: ParsedSignedData; signers: SignerVerificationFacts[] };
  cmsError?: string;
  /** variant b: the encapsulated 32 bytes equal SM3(Signature.xml) */
  encapsulatedHashMatches?: boolean;
  /** variant c: the bare signature verified with one of the candidate certificates */
  bare?: { signature: Uint8Array; certificate?: Certificate; valid: boolean; reason?: string };
}

export interface OfdFacts {
  pkg: OfdPackage;
  documentIndex: number;
  pageIds: string[];
  /** package path of Signatures.xml */
  signatureListPath?: string;
  signatures: OfdSignatureFacts[];
  /** files no signature protects that are not signature files themselves (added after signing) */
  unprotected: string[];
  warnings: string[];
}

export interface OfdFactsOptions {
  documentIndex?: number;
  read?: ReadOfdOptions;
  /** certificates that may verify a bare (variant c) signature: it carries none */
  candidateCertificates?: Certificate[];
}

function digestFor(method: string): ((b: Uint8Array) => Uint8Array) | undefined {
  const m = method.trim().toUpperCase();
  if (m === 'SM3' || m === '1.2.156.10197.1.401') return sm3;
  if (m === 'SHA1' || m === 'SHA-1' || m === '1.3.14.3.2.26') return sha1;
  if (m === 'SHA256' || m === 'SHA-256' || m === '2.16.840.1.101.3.4.2.1') return sha256;
  return undefined;
}

const msg = (e: unknown) => (e instanceof EsealError ? e.message : String((e as Error)?.message ?? e));

function signFacts(f: OfdSignatureFacts, sigXml: Uint8Array, candidates: Certificate[]): void {
  const sv = f.signedValue!;
  let parsed: ParsedSignedData;
  try {
    parsed = parseSignedData(sv);
  } catch (e) {
    if (e instanceof EsealError && e.code === 'CMS_BARE_SIGNATURE') {
      f.variant = 'c';
      // A bare SM2 signature over the Signature.xml bytes carries no certificate: try the candidates.
      for (const c of candidates) {
        if (c.spki.keyType !== 'sm2') continue;
        try {
          if (sm2Verify(c.spki.publicKey, sigXml, sv)) {
            f.bare = { signature: sv, certificate: c, valid: true };
            return;
          }
        } catch {
          /* not this one */
        }
      }
      f.bare = { signature: sv, valid: false, reason: candidates.length ? `none of the ${candidates.length} given certificate(s) verifies this bare SM2 signature over Signature.xml` : 'a bare SM2 signature carries no certificate, and none was given to verify it with' };
      return;
    }
    f.cmsError = `SignedValue.dat is not a GB/T 35275 / CMS SignedData: ${msg(e)}`;
    return;
  }
  const signer = parsed.signers[0];
  if (!signer) {
    f.cmsError = 'the SignedData has no SignerInfo';
    return;
  }
  const extra = candidates.map((c) => c.der);
  if (signer.signedAttributes) {
    f.variant = 'a';
    const enc = parsed.encapsulatedContent;
    // detached (the usual case): the messageDigest covers Signature.xml; attached: it covers the content
    f.cms = { parsed, signers: verifySignedData(parsed, enc ? { certificates: extra } : { detachedContent: sigXml, certificates: extra }) };
    if (enc) f.encapsulatedHashMatches = equalBytes(enc, sigXml) || equalBytes(enc, sm3(sigXml));
  } else {
    f.variant = 'b';
    f.cms = { parsed, signers: verifySignedData(parsed, { certificates: extra }) };
    const enc = parsed.encapsulatedContent;
    f.encapsulatedHashMatches = !!enc && (equalBytes(enc, sm3(sigXml)) || equalBytes(enc, sigXml));
  }
}

/** Reads the facts of every signature of a document. Throws only when the package itself is unreadable. */
export function ofdFacts(ofd: Uint8Array | OfdPackage, opts: OfdFactsOptions = {}): OfdFacts {
  const pkg = ofd instanceof Uint8Array ? readOfd(ofd, opts.read) : ofd;
  const documentIndex = opts.documentIndex ?? 0;
  const doc = pkg.document(documentIndex);
  const pageIndex = new Map(doc.pages.map((p) => [p.id, p.index]));
  const list = readSignatureList(pkg, doc);
  const signatures: OfdSignatureFacts[] = [];
  const entries: SignatureListEntry[] = list?.entries ?? [];
  // files that belong to each signature (its description, value, seal)
  const ownFiles: Set<string>[] = [];
  for (const [index, e] of entries.entries()) {
    const f: OfdSignatureFacts = { index, id: e.id, type: e.type, path: e.path, ...(e.relative ? { relative: e.relative } : {}), checkMethod: 'SM3', references: [], changed: [], missing: [], referencesOk: false, locksSignatureList: false, unprotected: [], stamps: [] };
    signatures.push(f);
    const own = new Set<string>([e.path]);
    ownFiles.push(own);
    let d: SignatureDescription;
    try {
      d = readSignatureDescription(pkg, e.path);
    } catch (err) {
      f.error = `the signature description /${e.path} cannot be read: ${msg(err)}`;
      continue;
    }
    f.description = d;
    own.add(d.signedValuePath);
    if (d.sealPath) own.add(d.sealPath);
    f.checkMethod = d.checkMethod ?? 'SM3';
    const digest = digestFor(f.checkMethod);
    for (const r of d.references) {
      const expected = r.checkValueText;
      if (!digest) {
        f.references.push({ fileRef: r.fileRef, path: r.path, status: 'unsupported-method', expected });
        continue;
      }
      if (!pkg.has(r.path)) {
        f.references.push({ fileRef: r.fileRef, path: r.path, status: 'missing', expected });
        continue;
      }
      let actual: Uint8Array;
      try {
        actual = digest(pkg.read(r.path));
      } catch (err) {
        f.references.push({ fileRef: r.fileRef, path: r.path, status: 'missing', expected, actual: msg(err) });
        continue;
      }
      const ok = r.checkValue !== undefined && equalBytes(actual, r.checkValue);
      f.references.push({ fileRef: r.fileRef, path: r.path, status: r.checkValue === undefined ? 'bad-check-value' : ok ? 'ok' : 'changed', expected, actual: toBase64(actual) });
    }
    f.changed = f.references.filter((r) => r.status === 'changed' || r.status === 'bad-check-value').map((r) => '/' + r.path);
    f.missing = f.references.filter((r) => r.status === 'missing').map((r) => '/' + r.path);
    f.referencesOk = digest !== undefined && f.references.length > 0 && f.references.every((r) => r.status === 'ok');
    f.locksSignatureList = !!list && d.references.some((r) => r.path === list.path);
    f.stamps = d.stampAnnots.map((s) => ({ ...s, ...(pageIndex.has(s.pageRef) ? { page: pageIndex.get(s.pageRef)! + 1 } : {}) }));
    if (d.sealPath) f.sealFile = pkg.has(d.sealPath) ? { path: d.sealPath, bytes: pkg.read(d.sealPath) } : { path: d.sealPath, missing: true };
    if (!pkg.has(d.signedValuePath)) {
      f.error = `SignedValue /${d.signedValuePath} is not in the package`;
      continue;
    }
    f.signedValue = pkg.read(d.signedValuePath);
    if (e.type === 'Seal') {
      try {
        f.ses = parseSesSignature(f.signedValue);
      } catch (err) {
        f.sesError = `SignedValue.dat is not a readable SES_Signature: ${msg(err)}`;
        continue;
      }
      if (f.sealFile?.bytes) f.sealFileMatches = equalBytes(f.sealFile.bytes, f.ses.sealDer);
      f.propertyInfoMatches = f.ses.propertyInfo.replace(/^\/+/, '') === e.path;
    } else {
      signFacts(f, d.raw, opts.candidateCertificates ?? []);
    }
  }
  // unprotected files: per signature, files it does not cover that are neither its own nor later signatures'
  const listPath = list?.path;
  for (const [i, f] of signatures.entries()) {
    if (!f.description) continue;
    const covered = new Set(f.description.references.map((r) => r.path));
    const later = new Set<string>();
    for (let k = i; k < ownFiles.length; k++) for (const p of ownFiles[k]) later.add(p);
    f.unprotected = pkg.files.filter((p) => !covered.has(p) && !later.has(p) && p !== listPath).map((p) => '/' + p);
  }
  const coveredByAny = new Set<string>();
  for (const f of signatures) for (const r of f.description?.references ?? []) coveredByAny.add(r.path);
  for (const own of ownFiles) for (const p of own) coveredByAny.add(p);
  const unprotected = signatures.length ? pkg.files.filter((p) => !coveredByAny.has(p) && p !== listPath).map((p) => '/' + p) : [];
  return { pkg, documentIndex, pageIds: doc.pages.map((p) => p.id), ...(listPath ? { signatureListPath: listPath } : {}), signatures, unprotected, warnings: pkg.warnings };
}

/** The certificates a Type="Sign" signature's CMS carries, parsed (unreadable ones skipped). */
export function cmsCertificates(f: OfdSignatureFacts): Certificate[] {
  return (f.cms?.parsed.certificates ?? []).flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      return [];
    }
  });
}
