/**
 * @module pdf/changes
 * What changed after a signature (ISO 32000-1 §12.8.2.2 DocMDP, §12.8.4 permissions; the usual
 * reading of Adobe and ETSI EN 319 142-1 §5.4): the objects of the signed revision are compared with
 * the latest revision, object by object, and every difference is classified.
 *
 * Allowed: later signatures and their fields, widgets and appearances, document time stamps and
 * validation data (/DSS), the form's field list and flags, a page's /Annots growing, annotations
 * (under DocMDP P=3 or without certification), metadata (/Info, XMP; the catalog's /Extensions and
 * /Version). Everything else — a page's content, resources or boxes, fonts, the page tree, an
 * existing signature, deleted objects — is a content edit. A certified document with P=1 allows no change but validation data and time stamps;
 * P=2 allows signatures and form filling but no annotations.
 */
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfStream, equalValues, type PdfValue } from './objects.js';
import type { XrefEntry } from './xref.js';

export type ChangeKind =
  | 'signature'
  | 'timestamp'
  | 'signature-field'
  | 'form'
  | 'annotation'
  | 'annotation-list'
  | 'appearance'
  | 'validation-data'
  | 'metadata'
  | 'object-added'
  | 'page-content'
  | 'page'
  | 'catalog'
  | 'signature-modified'
  | 'deleted'
  | 'other';

export interface Change {
  object: number;
  kind: ChangeKind;
  allowed: boolean;
  description: string;
}

export interface ChangeReport {
  /** every difference found (container objects such as xref and object streams are left out) */
  changes: Change[];
  /** no disallowed change */
  allowed: boolean;
  /** DocMDP permission in force (from the certification signature), if any */
  docMdp?: number;
  /** the comparison could not be made completely (see `error`) */
  incomplete?: boolean;
  error?: string;
}

/** Limit of changed objects examined (a rewritten 100,000-object file is reported as such). */
export const MAX_CHANGED_OBJECTS = 20_000;

const sameEntry = (a: XrefEntry | undefined, b: XrefEntry | undefined): boolean => {
  if (!a || !b || a.type !== b.type) return false;
  if (a.type === 1 && b.type === 1) return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 2 && b.type === 2) return a.stream === b.stream && a.index === b.index;
  return a.type === 0;
};

function dictOf(v: PdfValue | undefined): PdfDict | undefined {
  if (v instanceof PdfDict) return v;
  if (v instanceof PdfStream) return v.dict;
  return undefined;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !equalValues(a.get(k), b.get(k)));
}

/** References in `newList` that are not in `oldList`, and whether nothing was removed. */
function listDiff(oldList: PdfValue[] | undefined, newList: PdfValue[] | undefined): { added: PdfValue[]; removed: PdfValue[] } {
  const o = oldList ?? [];
  const n = newList ?? [];
  const added = n.filter((x) => !o.some((y) => equalValues(x, y)));
  const removed = o.filter((x) => !n.some((y) => equalValues(x, y)));
  return { added, removed };
}

interface Roles {
  pages: Set<number>;
  annotsArrays: Set<number>;
  contentsObjects: Set<number>;
  fieldsArrays: Set<number>;
  acroForm?: number;
  info?: number;
  metadata?: number;
  catalog: number;
}

function rolesOf(doc: PdfDocument): Roles {
  const r: Roles = { pages: new Set(), annotsArrays: new Set(), contentsObjects: new Set(), fieldsArrays: new Set(), catalog: doc.catalogRef.num };
  try {
    for (const p of doc.pages()) {
      r.pages.add(p.ref.num);
      const a = p.dict.get('Annots');
      if (a instanceof PdfRef) r.annotsArrays.add(a.num);
      const c = p.dict.get('Contents');
      if (c instanceof PdfRef) {
        r.contentsObjects.add(c.num);
        const arr = doc.get(c);
        if (Array.isArray(arr)) for (const x of arr) if (x instanceof PdfRef) r.contentsObjects.add(x.num);
      } else if (Array.isArray(c)) for (const x of c) if (x instanceof PdfRef) r.contentsObjects.add(x.num);
    }
  } catch {
    // a broken page tree: roles stay partial, unknown objects count as content
  }
  const cat = doc.catalog;
  const af = cat.get('AcroForm');
  if (af instanceof PdfRef) r.acroForm = af.num;
  const fields = doc.dict(af)?.get('Fields');
  if (fields instanceof PdfRef) r.fieldsArrays.add(fields.num);
  const info = doc.trailer.get('Info');
  if (info instanceof PdfRef) r.info = info.num;
  const md = cat.get('Metadata');
  if (md instanceof PdfRef) r.metadata = md.num;
  return r;
}

function isSignatureField(doc: PdfDocument, d: PdfDict): boolean {
  if (d.name('FT') === 'Sig') return true;
  const parent = doc.dict(d.get('Parent'));
  return parent?.name('FT') === 'Sig';
}

/**
 * Compares the signed revision with the latest one. `docMdp` is the permission of a certification
 * signature made at or before the signed revision (undefined: not certified).
 */
export function changesAfter(signed: PdfDocument, latest: PdfDocument, docMdp?: number): ChangeReport {
  const changes: Change[] = [];
  const add = (object: number, kind: ChangeKind, allowedByKind: boolean, description: string) => {
    let allowed = allowedByKind;
    if (allowed && docMdp === 1 && kind !== 'validation-data' && kind !== 'timestamp' && kind !== 'object-added' && kind !== 'appearance') allowed = false;
    if (allowed && docMdp === 2 && (kind === 'annotation' || kind === 'metadata')) allowed = false;
    changes.push({ object, kind, allowed, description: allowedByKind && !allowed ? `${description} (not permitted by the certification, DocMDP P=${docMdp})` : description });
  };
  try {
    const roles = rolesOf(latest);
    const oldRoles = rolesOf(signed);
    if (signed.catalogRef.num !== latest.catalogRef.num) add(latest.catalogRef.num, 'catalog', false, 'the document catalog was replaced by another object');
    if (!signed.encrypted && latest.encrypted) add(0, 'other', false, 'encryption was added after signing');
    let examined = 0;
    for (const [num, e] of latest.xref.entries) {
      const old = signed.xref.entries.get(num);
      if (sameEntry(old, e)) continue;
      if (e.type === 0) {
        if (old && old.type !== 0) add(num, 'deleted', false, `object ${num} was deleted`);
        continue;
      }
      if (++examined > MAX_CHANGED_OBJECTS) return { changes, allowed: false, ...(docMdp ? { docMdp } : {}), incomplete: true, error: `more than ${MAX_CHANGED_OBJECTS} objects changed after signing` };
      const nv = latest.get(num);
      const ov = old && old.type !== 0 ? signed.get(num) : undefined;
      if (ov !== undefined && equalValues(ov, nv)) continue;
      const nd = dictOf(nv);
      const type = nd?.name('Type');
      if (nv instanceof PdfStream && (type === 'XRef' || type === 'ObjStm')) continue;
      if (ov === undefined) {
        // a new object: harmless unless something that was signed now points at it (checked below)
        if (type === 'Sig') add(num, 'signature', true, `signature dictionary ${num} added`);
        else if (type === 'DocTimeStamp') add(num, 'timestamp', true, `document time stamp ${num} added`);
        else if (type === 'DSS' || type === 'VRI') add(num, 'validation-data', true, `validation data (${type}) added`);
        else if (nd && (nd.name('Subtype') === 'Widget' || nd.has('FT')) && isSignatureField(latest, nd)) add(num, 'signature-field', true, `signature field/widget ${num} added`);
        else if (nd && (type === 'Annot' || (nd.has('Subtype') && nd.has('Rect')))) add(num, 'annotation', true, `${nd.name('Subtype') ?? ''} annotation ${num} added`.trim());
        else if (nv instanceof PdfStream && type === 'XObject') add(num, 'appearance', true, `${nd?.name('Subtype') ?? ''} XObject ${num} added`.replace(/^ /, ''));
        else add(num, 'object-added', true, `object ${num} added`);
        continue;
      }
      const od = dictOf(ov);
      // modified objects
      if (num === roles.catalog && od && nd) {
        const keys = changedKeys(od, nd);
        // Acrobat declares the PAdES extension (/Extensions) or a newer /Version when it signs
        const bad = keys.filter((k) => !['AcroForm', 'DSS', 'Metadata', 'Extensions', 'Version'].includes(k));
        if (bad.length) add(num, 'catalog', false, `the document catalog changed (${bad.join(', ')})`);
        else add(num, keys.includes('AcroForm') ? 'form' : keys.includes('DSS') ? 'validation-data' : 'metadata', true, `the catalog's ${keys.join(', ')} changed`);
        continue;
      }
      if ((num === roles.acroForm || num === oldRoles.acroForm) && od && nd) {
        const keys = changedKeys(od, nd);
        const bad = keys.filter((k) => !['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k));
        const removed = listDiff(latest.array(od.get('Fields')) ?? signed.array(od.get('Fields')), latest.array(nd.get('Fields'))).removed;
        if (bad.length) add(num, 'form', false, `the interactive form changed (${bad.join(', ')})`);
        else if (removed.length) add(num, 'form', false, `${removed.length} form field(s) were removed`);
        else add(num, 'form', true, `form fields added or form flags set (${keys.join(', ')})`);
        continue;
      }
      if ((roles.pages.has(num) || oldRoles.pages.has(num)) && od && nd) {
        const keys = changedKeys(od, nd);
        const bad = keys.filter((k) => k !== 'Annots');
        if (bad.length) {
          add(num, 'page-content', false, `page object ${num} changed (${bad.join(', ')})`);
          continue;
        }
        const { removed } = listDiff(signed.array(od.get('Annots')), latest.array(nd.get('Annots')));
        add(num, 'annotation-list', removed.length === 0 || !removed.some((r) => isSignatureWidget(signed, r)), removed.length ? `annotations removed from page object ${num}` : `annotations added to page object ${num}`);
        continue;
      }
      if (Array.isArray(ov) && Array.isArray(nv)) {
        const { removed } = listDiff(ov, nv);
        if (roles.contentsObjects.has(num) || oldRoles.contentsObjects.has(num)) add(num, 'page-content', false, `the content streams of a page changed (object ${num})`);
        else if (roles.annotsArrays.has(num) || oldRoles.annotsArrays.has(num))
          add(num, 'annotation-list', !removed.some((r) => isSignatureWidget(signed, r)), removed.length ? `annotations removed (object ${num})` : `annotations added (object ${num})`);
        else if (roles.fieldsArrays.has(num) || oldRoles.fieldsArrays.has(num)) add(num, 'form', removed.length === 0, removed.length ? 'form fields removed' : 'form fields added');
        else add(num, 'other', false, `array object ${num} changed`);
        continue;
      }
      if (num === roles.info || num === oldRoles.info || num === roles.metadata || num === oldRoles.metadata) {
        add(num, 'metadata', true, 'document metadata changed');
        continue;
      }
      if (od?.name('Type') === 'Sig' || od?.name('Type') === 'DocTimeStamp') {
        add(num, 'signature-modified', false, `an existing signature (object ${num}) was changed`);
        continue;
      }
      if (od && nd && (od.name('Type') === 'Annot' || od.has('Subtype')) && od.has('Rect')) {
        const keys = changedKeys(od, nd);
        if (isSignatureField(signed, od)) {
          // filling an empty signature field is signing; changing a signed one is not allowed
          const ok = !od.get('V') && keys.every((k) => ['V', 'AP', 'AS', 'F', 'MK', 'Lock', 'SV'].includes(k));
          add(num, 'signature-field', ok, ok ? `empty signature field ${num} signed` : `signature field ${num} changed (${keys.join(', ')})`);
        } else if (od.has('FT') || od.get('Parent')) {
          const ok = keys.every((k) => ['V', 'AP', 'AS', 'M'].includes(k));
          add(num, 'form', ok, ok ? `form field ${num} filled in` : `form field ${num} changed (${keys.join(', ')})`);
        } else add(num, 'annotation', true, `annotation ${num} changed (${keys.join(', ')})`);
        continue;
      }
      const what = nv instanceof PdfStream ? `${nd?.name('Subtype') ?? nd?.name('Type') ?? 'content'} stream` : nd ? `${nd.name('Type') ?? 'dictionary'}` : 'value';
      add(num, roles.contentsObjects.has(num) ? 'page-content' : 'other', false, `object ${num} (${what}) changed`);
    }
    // objects deleted by omission from a rewritten cross-reference table
    for (const [num, e] of signed.xref.entries) if (e.type !== 0 && !latest.xref.entries.has(num)) add(num, 'deleted', false, `object ${num} is no longer in the document`);
  } catch (e) {
    return { changes, allowed: false, ...(docMdp ? { docMdp } : {}), incomplete: true, error: (e as Error).message };
  }
  return { changes, allowed: changes.every((c) => c.allowed), ...(docMdp ? { docMdp } : {}) };
}

function isSignatureWidget(doc: PdfDocument, r: PdfValue): boolean {
  try {
    const d = doc.dict(r);
    return !!d && isSignatureField(doc, d);
  } catch {
    return false;
  }
}
