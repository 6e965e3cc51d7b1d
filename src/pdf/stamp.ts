/**
 * @module pdf/stamp
 * Stamping (盖章) a PDF: the seal picture drawn on the page at its size in millimetres, and a PDF
 * signature (ISO 32000-1 §12.8: /Type /Sig, /Filter /Adobe.PPKLite) over the /ByteRange, added as an
 * incremental update so earlier signatures stay valid. Two phases, as everywhere in eseal:
 *
 *   preparePdfStamp(pdf, options) → { toBeSigned, … }   the key holder signs `toBeSigned`
 *   completePdfStamp(prepared, signatureValue[, { timeStampToken }]) → the stamped PDF
 *
 * Two profiles (docs/pdf.md):
 * - national (default): /SubFilter /adbe.pkcs7.detached, GB/T 35275 SignedData (OIDs
 *   1.2.156.10197.6.1.4.2.x), SM3, signed attributes contentType + signingTime + messageDigest
 *   (= SM3 of the ByteRange bytes) + the SESeal (id-aa-eseal-seal), SM2 with ID 1234567812345678,
 *   the signer's certificate chain. `cmsFlavour: 'rfc5652'` writes PKCS#7 OIDs with SM2/SM3 instead.
 * - international: /SubFilter /ETSI.CAdES.detached, PAdES baseline B-B (ETSI EN 319 142-1): RSA or
 *   ECDSA with SHA-256, signed attributes contentType + messageDigest + ESS signingCertificateV2 (no
 *   signingTime: the time is /M); B-T when a signature time-stamp token is embedded in phase 2. A seal
 *   given here is drawn and carried the same way.
 */
import { EsealError, fail } from '../util/errors.js';
import { parseDer, readInteger, readOid, TAG } from '../util/der.js';
import { verifyWithSpki, type SpkiInfo } from '../pki/algorithms.js';
import { resolveSignatureAlgorithm } from '../pki/cms/algorithms.js';
import { DIGEST_OIDS } from '../pki/cms/digest.js';
import { indexOf } from './parser.js';
import { dnGet } from '../pki/name.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { assembleSignedData, prepareSignedData, type PreparedSignedData } from '../pki/cms/build.js';
import type { CmsAttribute } from '../pki/cms/attributes.js';
import type { DigestName } from '../pki/cms/digest.js';
import type { SignatureScheme } from '../pki/cms/algorithms.js';
import { id_aa_signatureTimeStampToken } from '../pki/cms/oids.js';
import { parseSeal } from '../ses/parse.js';
import { signerListedInSeal } from '../ses/facts.js';
import type { Seal } from '../ses/model.js';
import type { PdfLimits } from './limits.js';
import { openPdf, type PdfDocument, type PdfPage } from './document.js';
import { IncrementalUpdate } from './incremental.js';
import { PdfDict, PdfRef, PdfStream, dict, name, pdfDate, textString, type PdfValue } from './objects.js';
import { formatCompact as formatNumber, formatName, writeValue, type ByteSink } from './serialize.js';
import { sealAppearance, type SealAppearance } from './appearance/seal-form.js';
import { planAt, planCrossPage, toPt, userToVisible, type PdfPlacement, type WidgetPlan } from './placement.js';
import { findText, type TextHit } from './text-positions.js';
import { digestParts } from './byte-range.js';
import { id_aa_eseal_seal } from './oids.js';
import { docMdpPermission, signatureFields } from './form.js';

export type PdfProfile = 'national' | 'international';

export const SUBFILTER: Record<PdfProfile, string> = { national: 'adbe.pkcs7.detached', international: 'ETSI.CAdES.detached' };

export interface PdfStampOptions {
  /** default national */
  profile?: PdfProfile;
  /** DER certificates: the signer's first, then its chain (carried in the signature) */
  certificates: Uint8Array[];
  /** the SESeal (DER): required by the national profile; drawn and carried when given */
  seal?: Uint8Array;
  /** the picture to draw; default: the seal's own picture */
  appearance?: SealAppearance;
  placement: PdfPlacement;
  /** the signing time (/M, and the signingTime attribute of the national profile) */
  signingTime: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** the signature field's name; default SignatureN */
  fieldName?: string;
  /** DocMDP certification (ISO 32000-1 §12.8.2.2) with P=1, no changes allowed; only as the first signature */
  certify?: boolean;
  /** bytes reserved in /Contents for a signature time-stamp token (B-T); default 0, 12 KiB is ample */
  timeStampReserve?: number;
  /** national profile: GB/T 35275 OIDs (default) or RFC 5652 OIDs with SM2/SM3 */
  cmsFlavour?: 'gbt35275' | 'rfc5652';
  /** more signed attributes (e.g. a use-approval record) */
  extraSignedAttributes?: CmsAttribute[];
  limits?: Partial<PdfLimits>;
  /** text search for keyword placement (default: pdfjs-dist, see text-positions.ts) */
  findText?: (pdf: Uint8Array, keyword: string) => Promise<TextHit[]>;
}

/** The state between the phases: plain data, so it can wait for a remote signer. */
export interface PreparedPdfStamp {
  /** the bytes to sign: the DER SET OF signed attributes */
  toBeSigned: Uint8Array;
  /** how the key signs: SM2 (SM3 with Z, ID 1234567812345678), RSA PKCS#1 v1.5 or ECDSA, with `digestAlgorithm` */
  scheme: SignatureScheme;
  digestAlgorithm: DigestName;
  profile: PdfProfile;
  /** the digest of the ByteRange bytes (the messageDigest attribute) */
  documentDigest: Uint8Array;
  byteRange: [number, number, number, number];
  /** the PDF with the zero-filled /Contents placeholder */
  pdf: Uint8Array;
  /** offset of the first hex digit of /Contents */
  contentsOffset: number;
  /** bytes the placeholder holds */
  contentsCapacity: number;
  cms: PreparedSignedData;
  /** the signer's public key and the signature algorithm, to check the value before embedding it */
  signerSpki: SpkiInfo;
  signatureAlgorithm: string;
  fieldName: string;
  widgets: { page: number; rect: [number, number, number, number]; visible: WidgetPlan['visible'] }[];
}

const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

/** Largest signature value a certificate's key can produce (DER ECDSA/SM2, RSA modulus size). */
export function maxSignatureLength(cert: Certificate): number {
  const k = cert.spki;
  if (k.keyType === 'sm2') return 72;
  if (k.keyType === 'rsa') {
    try {
      const n = parseDer(k.publicKey).children()[0];
      if (n.tag === TAG.INTEGER) {
        readInteger(n);
        return n.value[0] === 0 ? n.value.length - 1 : n.value.length;
      }
    } catch {
      // fall through
    }
    return 1024;
  }
  if (k.keyType === 'ec') {
    const bits = { '1.2.840.10045.3.1.7': 256, '1.3.132.0.34': 384, '1.3.132.0.35': 521 }[k.curve ?? ''] ?? 521;
    const n = Math.ceil(bits / 8);
    return 2 * (n + 3) + 3;
  }
  return 1024;
}

function checkProfile(profile: PdfProfile, cert: Certificate): void {
  const t = cert.spki.keyType;
  if (profile === 'national' && t !== 'sm2') fail('PDF_PROFILE_MISMATCH', `the national profile signs with SM2, but the signer certificate has a ${t} key (use --profile international)`);
  if (profile === 'international' && t !== 'rsa' && t !== 'ec') fail('PDF_PROFILE_MISMATCH', `the international profile (PAdES) signs with RSA or ECDSA P-256, but the signer certificate has a ${t} key`);
  if (profile === 'international' && t === 'ec' && cert.spki.curve !== '1.2.840.10045.3.1.7' && cert.spki.curve !== '1.3.132.0.34') {
    fail('PDF_PROFILE_MISMATCH', `the international profile supports ECDSA on P-256 (and P-384), not curve ${cert.spki.curve}`);
  }
}

function rotationMatrixOrIdentity(m: WidgetPlan['matrix']): number[] | undefined {
  return m ? [...m] : undefined;
}

async function planWidgets(doc: PdfDocument, pdf: Uint8Array, placement: PdfPlacement, w: number, h: number, finder: PdfStampOptions['findText']): Promise<WidgetPlan[]> {
  switch (placement.kind) {
    case 'position': {
      const p = doc.page(checkPage(placement.page) - 1);
      return [planAt(p, toPt(placement.x, placement.unit), toPt(placement.y, placement.unit), w, h)];
    }
    case 'positions': {
      if (!placement.at.length) fail('INVALID_ARGUMENT', 'no positions given');
      return placement.at.map((a) => planAt(doc.page(checkPage(a.page) - 1), toPt(a.x, placement.unit), toPt(a.y, placement.unit), w, h));
    }
    case 'cross-page': {
      const all = doc.pages();
      const [a, b] = placement.pages ?? [1, all.length];
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || b > all.length) fail('PDF_PAGE_OUT_OF_RANGE', `page range ${a}-${b} is not within 1-${all.length}`);
      return planCrossPage(all.slice(a - 1, b), w, h, placement.y === undefined ? undefined : toPt(placement.y, placement.unit));
    }
    case 'keyword': {
      const hits = await (finder ?? findText)(pdf, placement.keyword);
      if (!hits.length) fail('PDF_KEYWORD_NOT_FOUND', `the keyword "${placement.keyword}" is not in the document's text`);
      const occ = placement.occurrence ?? 1;
      let chosen: TextHit[];
      if (occ === 'all') chosen = hits;
      else {
        if (!Number.isInteger(occ) || occ < 1 || occ > hits.length) fail('PDF_KEYWORD_NOT_FOUND', `the keyword "${placement.keyword}" occurs ${hits.length} time(s); occurrence ${occ} does not exist`);
        chosen = [hits[occ - 1]];
      }
      const dx = placement.offset ? toPt(placement.offset.x, placement.unit) : 0;
      const dy = placement.offset ? toPt(placement.offset.y, placement.unit) : 0;
      return chosen.map((hit) => {
        const page = doc.page(hit.page);
        const [u, v] = userToVisible(page, (hit.box[0] + hit.box[2]) / 2, (hit.box[1] + hit.box[3]) / 2);
        return planAt(page, u + dx, v + dy, w, h);
      });
    }
    default:
      return fail('INVALID_ARGUMENT', `unknown placement ${(placement as { kind: string }).kind}`);
  }
}

function checkPage(n: number): number {
  if (!Number.isInteger(n) || n < 1) fail('PDF_PAGE_OUT_OF_RANGE', `page ${n} is not a page number (1, 2, …)`);
  return n;
}

/** Phase 1: the incremental update with a /Contents placeholder, and the bytes to sign. */
export async function preparePdfStamp(pdf: Uint8Array, opts: PdfStampOptions): Promise<PreparedPdfStamp> {
  const profile = opts.profile ?? 'national';
  if (profile !== 'national' && profile !== 'international') fail('INVALID_ARGUMENT', `unknown profile "${String(profile)}"`);
  if (!opts.certificates?.length) fail('INVALID_ARGUMENT', 'give the signer certificate (and its chain)');
  if (!(opts.signingTime instanceof Date) || Number.isNaN(opts.signingTime.getTime())) fail('INVALID_ARGUMENT', 'signingTime must be a valid Date');
  const signer = parseCertificate(opts.certificates[0]);
  checkProfile(profile, signer);

  let seal: Seal | undefined;
  if (opts.seal) {
    seal = parseSeal(opts.seal);
    const listed = signerListedInSeal(seal, signer.der);
    if (!listed.ok) fail('PDF_SIGNER_NOT_IN_SEAL', `the signer certificate is not one the seal allows: ${listed.reason ?? 'not in its certificate list'}`);
  } else if (profile === 'national') fail('INVALID_ARGUMENT', 'the national profile stamps with a seal: give the SESeal');
  const appearance =
    opts.appearance ??
    (seal
      ? sealAppearance({ type: seal.info.picture.type, data: seal.info.picture.data, widthMm: seal.info.picture.width, heightMm: seal.info.picture.height })
      : fail('INVALID_ARGUMENT', 'give a seal or an appearance to draw'));

  const doc = openPdf(pdf, opts.limits ? { limits: opts.limits } : {});
  if (doc.encrypted) fail('PDF_ENCRYPTED', 'the PDF is encrypted: eseal does not stamp encrypted documents (decrypt it first, e.g. `qpdf --decrypt in.pdf out.pdf`, then stamp)');
  const fields = signatureFields(doc);
  const mdp = docMdpPermission(doc);
  if (mdp === 1) fail('PDF_CERTIFIED_NO_CHANGES', 'the document is certified with "no changes allowed" (DocMDP P=1): another seal would invalidate that certification');
  if (opts.certify && fields.some((f) => f.signed)) fail('PDF_CERTIFY_NOT_FIRST', 'a certification (DocMDP) signature must be the first signature of a document, and this one is already signed');

  const plans = await planWidgets(doc, pdf, opts.placement, appearance.widthPt, appearance.heightPt, opts.findText);
  const used = new Set(fields.map((f) => f.name));
  let fieldName = opts.fieldName;
  if (fieldName !== undefined) {
    if (!fieldName || fieldName.includes('.')) fail('INVALID_ARGUMENT', 'a field name must be non-empty and contain no "."');
    if (used.has(fieldName)) fail('INVALID_ARGUMENT', `the document already has a field "${fieldName}"`);
  } else {
    let i = 1;
    while (used.has(`Signature${i}`)) i++;
    fieldName = `Signature${i}`;
  }

  // ---- CMS size: the same SignedData with a zero digest and a longest signature value
  const chain = opts.certificates.slice(1);
  const flavour = profile === 'national' ? (opts.cmsFlavour ?? 'gbt35275') : 'rfc5652';
  const digestAlgorithm: DigestName = profile === 'national' ? 'sm3' : 'sha256';
  const extra: CmsAttribute[] = [...(seal ? [{ oid: id_aa_eseal_seal, values: [seal.der] }] : []), ...(opts.extraSignedAttributes ?? [])];
  const cmsParams = (digest: Uint8Array) =>
    prepareSignedData({
      flavour,
      contentDigest: digest,
      digestAlgorithm,
      signerCertificate: signer.der,
      certificates: chain,
      signedAttributes: profile === 'national' ? { signingTime: opts.signingTime, extra } : { signingCertificateV2: true, extra },
    });
  // a placeholder digest, replaced in place once the ByteRange is hashed (same length: same layout)
  const dry = cmsParams(new Uint8Array(32).fill(0xa5));
  const dryCms = assembleSignedData(dry, new Uint8Array(maxSignatureLength(signer)).fill(0x7f), { checkSignature: false });
  const reserve = opts.timeStampReserve ?? 0;
  if (!Number.isInteger(reserve) || reserve < 0 || reserve > 1024 * 1024) fail('INVALID_ARGUMENT', 'timeStampReserve must be 0..1 MiB');
  // unsigned attributes add [1] + SET + Attribute headers around the token: ~32 bytes
  const capacity = dryCms.length + (reserve ? reserve + 64 : 0) + 32;

  // ---- the update
  const up = new IncrementalUpdate(doc);
  const sealForm = appearance.emit(up);
  const sigRef = up.allocate();
  const mdpRef = opts.certify ? sigRef : undefined;
  up.setCustom(sigRef, (sink, mark) => writeSignatureDictionary(sink, mark, {
    subFilter: SUBFILTER[profile],
    capacity,
    time: opts.signingTime,
    name: dnGet(signer.subject, 'CN') ?? dnGet(signer.subject, 'O'),
    reason: opts.reason,
    location: opts.location,
    contactInfo: opts.contactInfo,
    docMdp: !!opts.certify,
  }));

  // One signature field with one widget (the first position or strip). Further positions or strips
  // are locked /Stamp annotations: a field with several widget kids is read by poppler (pdfsig) as
  // several unsigned fields, so the signature would look incomplete there.
  const widgetRefs: PdfRef[] = [];
  plans.forEach((plan, i) => {
    const ap = widgetAppearance(up, plan, sealForm, appearance);
    const common = { Type: name('Annot'), Rect: plan.rect, P: plan.page.ref, AP: dict({ N: ap }) };
    if (i === 0) {
      widgetRefs.push(up.add(dict({ ...common, Subtype: name('Widget'), F: 132 /* Print + Locked */, FT: name('Sig'), T: textString(fieldName!), V: sigRef })));
    } else {
      widgetRefs.push(
        up.add(
          dict({
            ...common,
            Subtype: name('Stamp'),
            F: 708, // Print + ReadOnly + Locked + LockedContents
            NM: textString(`${fieldName}#${i + 1}`),
            Contents: textString(`${fieldName}: ${plan.strip ? `骑缝章 part ${plan.strip.index + 1} of ${plan.strip.count}` : `seal ${i + 1} of ${plans.length}`}`),
          }),
        ),
      );
    }
  });
  const fieldRef = widgetRefs[0];

  // pages: append the widgets to /Annots
  const byPage = new Map<number, { page: PdfPage; refs: PdfRef[] }>();
  plans.forEach((p, i) => {
    const e = byPage.get(p.page.ref.num) ?? { page: p.page, refs: [] };
    e.refs.push(widgetRefs[i]);
    byPage.set(p.page.ref.num, e);
  });
  for (const { page, refs } of byPage.values()) appendAnnots(up, page, refs);

  // the form and the catalog
  addField(up, doc, fieldRef, mdpRef);

  const built = up.build();
  const out = built.bytes;
  const brAt = built.marks.get('byteRange')!;
  const cAt = built.marks.get('contents')!;
  const contentsEnd = cAt + 2 + 2 * capacity;
  const byteRange: [number, number, number, number] = [0, cAt, contentsEnd, out.length - contentsEnd];
  const brText = `[0 ${byteRange[1]} ${byteRange[2]} ${byteRange[3]}]`;
  if (brText.length > BYTE_RANGE_PLACEHOLDER.length) fail('LIMIT_EXCEEDED', 'the document is too large for a /ByteRange placeholder');
  const padded = brText.slice(0, -1) + ' '.repeat(BYTE_RANGE_PLACEHOLDER.length - brText.length) + ']';
  for (let i = 0; i < padded.length; i++) out[brAt + i] = padded.charCodeAt(i);

  const documentDigest = digestParts(digestAlgorithm, [out.subarray(0, cAt), out.subarray(contentsEnd)]);
  const cms = withMessageDigest(dry, documentDigest);
  const alg = resolveSignatureAlgorithm(readOid(parseDer(cms.signatureAlgorithmIdentifier).children()[0]), DIGEST_OIDS[digestAlgorithm]);
  if ('error' in alg) fail('INVALID_ARGUMENT', alg.error);
  return {
    toBeSigned: cms.toBeSigned,
    scheme: cms.scheme,
    digestAlgorithm,
    profile,
    documentDigest,
    byteRange,
    pdf: out,
    contentsOffset: cAt + 1,
    contentsCapacity: capacity,
    cms,
    signerSpki: signer.spki,
    signatureAlgorithm: alg.algorithm,
    fieldName,
    widgets: plans.map((p) => ({ page: p.page.index + 1, rect: p.rect, visible: p.visible })),
  };
}

export interface CompleteOptions {
  /** RFC 3161 TimeStampToken over the signature value (PAdES B-T / signature-time-stamp) */
  timeStampToken?: Uint8Array;
  /** check the signature value against the certificate first (default true) */
  checkSignature?: boolean;
}

/** Phase 2: the SignedData with the signature value, written into /Contents. Returns the stamped PDF. */
export function completePdfStamp(prepared: PreparedPdfStamp, signatureValue: Uint8Array, opts: CompleteOptions = {}): Uint8Array {
  const unsigned: CmsAttribute[] = opts.timeStampToken ? [{ oid: id_aa_signatureTimeStampToken, values: [opts.timeStampToken] }] : [];
  if (!(signatureValue instanceof Uint8Array) || signatureValue.length === 0) fail('INVALID_ARGUMENT', 'the signature value is empty');
  if (opts.checkSignature !== false) {
    let ok = false;
    try {
      ok = verifyWithSpki(prepared.signatureAlgorithm, prepared.signerSpki, prepared.toBeSigned, signatureValue);
    } catch (e) {
      throw new EsealError('CMS_SIGNATURE_INVALID', `the signature value cannot be checked against the signer certificate: ${(e as Error).message}`);
    }
    if (!ok) fail('CMS_SIGNATURE_INVALID', 'the signature value does not verify with the signer certificate (wrong key, or not over toBeSigned)');
  }
  let der: Uint8Array;
  try {
    der = assembleSignedData(prepared.cms, signatureValue, { unsignedAttributes: unsigned, checkSignature: false });
  } catch (e) {
    if (e instanceof EsealError) throw e;
    throw new EsealError('PDF_SIGNATURE_INVALID', `the signature value cannot be embedded: ${(e as Error).message}`);
  }
  if (der.length > prepared.contentsCapacity) {
    fail('PDF_CONTENTS_TOO_SMALL', `the signature (${der.length} bytes) does not fit the ${prepared.contentsCapacity} bytes reserved in /Contents${opts.timeStampToken ? ' (reserve more for the time stamp: timeStampReserve)' : ''}`);
  }
  const out = prepared.pdf.slice();
  const HEX = '0123456789abcdef';
  let p = prepared.contentsOffset;
  for (let i = 0; i < der.length; i++) {
    out[p++] = HEX.charCodeAt(der[i] >> 4);
    out[p++] = HEX.charCodeAt(der[i] & 15);
  }
  return out;
}

/** The DER of the messageDigest attribute up to its value: SEQUENCE { OID 1.2.840.113549.1.9.4, SET { OCTET STRING (32) } }. */
const MESSAGE_DIGEST_PREFIX = Uint8Array.from([0x30, 0x2f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04, 0x31, 0x22, 0x04, 0x20]);

/** The prepared SignedData with another 32-byte message digest (the attributes keep their length and order). */
function withMessageDigest(state: PreparedSignedData, digest: Uint8Array): PreparedSignedData {
  if (digest.length !== 32) fail('INVALID_ARGUMENT', 'a 32-byte digest is expected');
  const patch = (b: Uint8Array): Uint8Array => {
    const at = indexOf(b, MESSAGE_DIGEST_PREFIX, 0);
    if (at < 0 || indexOf(b, MESSAGE_DIGEST_PREFIX, at + 1) >= 0) fail('INVALID_ARGUMENT', 'the messageDigest attribute is not where it is expected');
    const out = b.slice();
    out.set(digest, at + MESSAGE_DIGEST_PREFIX.length);
    return out;
  };
  return { ...state, toBeSigned: patch(state.toBeSigned), signedAttributesField: patch(state.signedAttributesField) };
}

/** The signature value a time-stamp token must cover (RFC 3161 Appendix A: the SignerInfo signature). */
export const timeStampImprintData = (signatureValue: Uint8Array): Uint8Array => signatureValue;

interface SigDictParams {
  subFilter: string;
  capacity: number;
  time: Date;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  docMdp: boolean;
}

function writeSignatureDictionary(sink: ByteSink, mark: (n: string) => void, p: SigDictParams): void {
  sink.text(`<</Type/Sig/Filter/Adobe.PPKLite/SubFilter${formatName(p.subFilter)}/ByteRange `);
  mark('byteRange');
  sink.text(`${BYTE_RANGE_PLACEHOLDER}/Contents `);
  mark('contents');
  sink.text('<');
  // the zero-filled placeholder; large, so written as one chunk
  const zeros = new Uint8Array(2 * p.capacity).fill(0x30);
  sink.bytes(zeros);
  sink.text('>');
  const rest = dict({
    M: textString(pdfDate(p.time)),
    Name: p.name ? textString(p.name) : undefined,
    Reason: p.reason ? textString(p.reason) : undefined,
    Location: p.location ? textString(p.location) : undefined,
    ContactInfo: p.contactInfo ? textString(p.contactInfo) : undefined,
    Reference: p.docMdp
      ? [dict({ Type: name('SigRef'), TransformMethod: name('DocMDP'), TransformParams: dict({ Type: name('TransformParams'), P: 1, V: name('1.2') }) })]
      : undefined,
    Prop_Build: dict({ App: dict({ Name: name('eseal') }) }),
  });
  for (const [k, v] of rest.map) {
    sink.text(formatName(k));
    if (typeof v === 'number' || v instanceof PdfRef) sink.text(' ');
    writeValue(sink, v);
  }
  sink.text('>>');
}

/** The widget's /AP /N: the seal form itself, or a wrapper that rotates it or shows one strip. */
function widgetAppearance(up: IncrementalUpdate, plan: WidgetPlan, sealForm: PdfRef, a: SealAppearance): PdfRef {
  if (!plan.matrix && !plan.strip) return sealForm;
  const f = formatNumber;
  const stripW = plan.strip ? a.widthPt / plan.strip.count : a.widthPt;
  const dx = plan.strip ? -plan.strip.index * stripW : 0;
  const content = plan.strip ? `q 1 0 0 1 ${f(dx)} 0 cm /S Do Q` : '/S Do';
  return up.add(
    new PdfStream(
      dict({
        Type: name('XObject'),
        Subtype: name('Form'),
        BBox: [0, 0, round3(stripW), round3(a.heightPt)],
        Matrix: rotationMatrixOrIdentity(plan.matrix),
        Resources: dict({ XObject: dict({ S: sealForm }) }),
      }),
      Uint8Array.from(content, (c) => c.charCodeAt(0)),
    ),
  );
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Adds widget references to a page's /Annots (rewriting the page, or its indirect /Annots array). */
function appendAnnots(up: IncrementalUpdate, page: PdfPage, refs: PdfRef[]): void {
  const current = up.current(page.ref);
  const pageDict = current instanceof PdfDict ? current : page.dict;
  const annots = pageDict.get('Annots');
  if (annots instanceof PdfRef) {
    const arr = up.current(annots);
    if (Array.isArray(arr)) {
      up.set(annots, [...arr, ...refs]);
      return;
    }
  }
  const next = pageDict.clone();
  next.set('Annots', [...(Array.isArray(annots) ? annots : []), ...refs]);
  up.set(page.ref, next);
}

/** Registers the field in the AcroForm (creating it when absent), sets /SigFlags 3, and /Perms for DocMDP. */
function addField(up: IncrementalUpdate, doc: PdfDocument, fieldRef: PdfRef, docMdpSig: PdfRef | undefined): void {
  const catalogRef = doc.catalogRef;
  const catalog = (up.current(catalogRef) as PdfDict).clone();
  let catalogChanged = false;
  const formV = catalog.get('AcroForm');
  const updateForm = (form: PdfDict): PdfDict => {
    const next = form.clone();
    const fieldsV = next.get('Fields');
    if (fieldsV instanceof PdfRef && Array.isArray(up.current(fieldsV))) {
      up.set(fieldsV, [...(up.current(fieldsV) as PdfValue[]), fieldRef]);
    } else next.set('Fields', [...(Array.isArray(fieldsV) ? fieldsV : []), fieldRef]);
    const flags = typeof next.get('SigFlags') === 'number' ? (next.get('SigFlags') as number) : 0;
    next.set('SigFlags', flags | 3);
    return next;
  };
  if (formV instanceof PdfRef && doc.dict(formV)) {
    up.set(formV, updateForm(up.current(formV) as PdfDict));
  } else {
    const form = formV instanceof PdfDict ? formV : dict({});
    catalog.set('AcroForm', up.add(updateForm(form)));
    catalogChanged = true;
  }
  if (docMdpSig) {
    const perms = doc.dict(catalog.get('Perms'))?.clone() ?? dict({});
    perms.set('DocMDP', docMdpSig);
    catalog.set('Perms', perms);
    catalogChanged = true;
  }
  if (catalogChanged) up.set(catalogRef, catalog);
}
