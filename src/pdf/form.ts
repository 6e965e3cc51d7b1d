/**
 * @module pdf/form
 * The interactive form as far as signatures need it (ISO 32000-1 §12.7 fields, §12.8 signature
 * fields, §12.8.2.2 DocMDP): the fields and their fully qualified names, which of them are signed,
 * their widgets, and the document's certification level.
 */
import { fail } from '../util/errors.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfString, decodeTextString, type PdfValue } from './objects.js';

export interface FormField {
  /** fully qualified name (parent.child) */
  name: string;
  ref?: PdfRef;
  dict: PdfDict;
  /** field type, inherited (Sig, Tx, Btn, Ch) */
  type?: string;
  /** a signature field with a /V value */
  signed: boolean;
  /** the /V signature dictionary's reference */
  value?: PdfRef;
  /** widget annotations: the field itself when merged, else its kids */
  widgets: { ref?: PdfRef; dict: PdfDict }[];
}

const MAX_FIELDS = 100_000;

/** Every terminal field of the AcroForm (depth-first), bounded; cycles are errors. */
export function formFields(doc: PdfDocument): FormField[] {
  const form = doc.dict(doc.catalog.get('AcroForm'));
  if (!form) return [];
  const out: FormField[] = [];
  const seen = new Set<number>();
  let count = 0;
  const visit = (v: PdfValue, parentName: string, inheritedType: string | undefined, depth: number): void => {
    if (depth > 32) fail('LIMIT_EXCEEDED', 'form fields are nested more than 32 levels deep');
    if (++count > MAX_FIELDS) fail('LIMIT_EXCEEDED', `more than ${MAX_FIELDS} form fields`);
    if (v instanceof PdfRef) {
      if (seen.has(v.num)) fail('PDF_MALFORMED', `the form field tree contains object ${v.num} twice (a cycle)`);
      seen.add(v.num);
    }
    const d = doc.dict(v);
    if (!d) return;
    const t = d.get('T');
    const partial = t instanceof PdfString ? decodeTextString(t.bytes) : undefined;
    const fqName = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const type = d.name('FT') ?? inheritedType;
    const kids = doc.array(d.get('Kids'));
    // kids that have a /T are fields; kids without are widgets of this field
    const fieldKids = kids?.filter((k) => doc.dict(k)?.has('T')) ?? [];
    if (kids && fieldKids.length > 0) {
      for (const k of fieldKids) visit(k, fqName, type, depth + 1);
      return;
    }
    const widgets = kids?.length
      ? kids.flatMap((k) => {
          const wd = doc.dict(k);
          return wd ? [{ ...(k instanceof PdfRef ? { ref: k } : {}), dict: wd }] : [];
        })
      : [{ ...(v instanceof PdfRef ? { ref: v } : {}), dict: d }];
    const V = d.get('V');
    out.push({
      name: fqName,
      ...(v instanceof PdfRef ? { ref: v } : {}),
      dict: d,
      ...(type ? { type } : {}),
      signed: type === 'Sig' && V !== undefined && V !== null,
      ...(V instanceof PdfRef ? { value: V } : {}),
      widgets,
    });
  };
  for (const f of doc.array(form.get('Fields')) ?? []) visit(f, '', undefined, 0);
  return out;
}

/** Signature fields (FT /Sig). */
export function signatureFields(doc: PdfDocument): FormField[] {
  return formFields(doc);
}

/** The DocMDP permission (1, 2 or 3) of a certified document, or undefined when it is not certified. */
export function docMdpPermission(doc: PdfDocument): number | undefined {
  const perms = doc.dict(doc.catalog.get('Perms'));
  const sig = perms ? doc.dict(perms.get('DocMDP')) : undefined;
  if (!sig) return undefined;
  return docMdpOf(doc, sig) ?? 2;
}

/** The /P of a signature dictionary's DocMDP transform, if it has one. */
export function docMdpOf(doc: PdfDocument, sig: PdfDict): number | undefined {
  for (const r of doc.array(sig.get('Reference')) ?? []) {
    const rd = doc.dict(r);
    if (rd?.name('TransformMethod') !== 'DocMDP') continue;
    const p = doc.num(doc.dict(rd.get('TransformParams'))?.get('P'));
    return p === 1 || p === 2 || p === 3 ? p : 2;
  }
  return undefined;
}
