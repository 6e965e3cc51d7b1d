/**
 * @module ofd/package
 * Reading an OFD package (GB/T 33190-2016 §7): OFD.xml → DocBody → Document.xml → pages, templates,
 * resources (fonts, images, draw parameters, composite units), annotations and the signature list.
 *
 * Lenient where real files are (both namespace spellings, unprefixed elements, child order of
 * CommonData, relative and absolute ST_Loc, missing optional files reported as warnings); strict
 * where safety needs it (limits, path traversal, duplicate resource or page IDs, missing required
 * files). The bytes of every entry stay available unchanged (`pkg.read`): signatures hash them.
 */
import { EsealError, fail } from '../util/errors.js';
import { limitsWith, type OfdLimits } from './limits.js';
import { dirOf, resolveLoc } from './paths.js';
import { child, childText, children, parseXml, type XmlElement } from './xml.js';
import { readZip, type ZipArchive } from './zip.js';

/** ST_Box "x y w h" in millimetres. */
export interface OfdBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** ST_Array of numbers ("1 2 3"). Non-numbers give NaN, filtered out by callers that must be strict. */
export function parseNumbers(s: string | undefined): number[] {
  if (!s) return [];
  return s.trim().split(/[\s,]+/).filter(Boolean).map(Number);
}

export function parseBox(s: string | undefined): OfdBox | undefined {
  const v = parseNumbers(s);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) return undefined;
  return { x: v[0], y: v[1], w: v[2], h: v[3] };
}

export interface DocBodyInfo {
  index: number;
  /** package path of Document.xml */
  docRoot: string;
  /** package path of Signatures.xml, when the document is signed */
  signatures?: string;
  /** the ST_Loc as written in OFD.xml */
  signaturesLoc?: string;
  docInfo: Record<string, string>;
  customData: Record<string, string>;
}

export interface FontResource {
  id: string;
  fontName: string;
  familyName?: string;
  bold: boolean;
  italic: boolean;
  /** package path of the embedded font file */
  file?: string;
}

export interface MediaResource {
  id: string;
  type: string;
  format?: string;
  /** package path of the media file */
  file: string;
}

export interface CompositeResource {
  id: string;
  width: number;
  height: number;
  /** the CompositeGraphicUnit element (its Content holds objects) */
  el: XmlElement;
}

export interface Resources {
  fonts: Map<string, FontResource>;
  media: Map<string, MediaResource>;
  drawParams: Map<string, XmlElement>;
  colorSpaces: Map<string, XmlElement>;
  composites: Map<string, CompositeResource>;
}

export interface PageRef {
  /** 0-based */
  index: number;
  id: string;
  /** package path of the page's Content.xml */
  path: string;
}

export interface TemplateRef {
  id: string;
  path: string;
  zOrder?: string;
}

export interface OfdDocument {
  index: number;
  /** package path of Document.xml */
  path: string;
  dir: string;
  maxUnitId: number;
  pageArea: OfdBox;
  pages: PageRef[];
  templates: Map<string, TemplateRef>;
  res: Resources;
  /** package path of Annotations.xml */
  annotations?: string;
  body: DocBodyInfo;
}

export interface ReadOfdOptions {
  limits?: Partial<OfdLimits>;
}

export interface OfdPackage {
  bytes: Uint8Array;
  zip: ZipArchive;
  limits: OfdLimits;
  /** file entries (no folders) in archive order */
  files: string[];
  has(path: string): boolean;
  /** raw bytes of a file, exactly as hashed by signatures */
  read(path: string): Uint8Array;
  /** parsed XML of a file (cached) */
  xml(path: string): XmlElement;
  root: XmlElement;
  version?: string;
  docType?: string;
  bodies: DocBodyInfo[];
  /** non-fatal problems found while reading (missing optional files, …) */
  warnings: string[];
  /** the n-th document (default the first), parsed once */
  document(index?: number): OfdDocument;
}

const A4: OfdBox = { x: 0, y: 0, w: 210, h: 297 };

/** Is this a ZIP with an OFD.xml at its root? (cheap: reads the central directory only) */
export function isOfd(bytes: Uint8Array): boolean {
  if (bytes.length < 30 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return false;
  try {
    return readZip(bytes).has('OFD.xml');
  } catch {
    return false;
  }
}

/** Opens an OFD package. Throws an EsealError when it is not a readable OFD. */
export function readOfd(bytes: Uint8Array, opts: ReadOfdOptions = {}): OfdPackage {
  const limits = limitsWith(opts.limits);
  const zip = readZip(bytes, limits);
  if (!zip.has('OFD.xml')) fail('OFD_MALFORMED', 'not an OFD: the package has no OFD.xml at its root');
  const xmlCache = new Map<string, XmlElement>();
  const warnings: string[] = [];
  const read = (path: string): Uint8Array => {
    if (!zip.has(path)) fail('OFD_MISSING_ENTRY', `the package has no file "/${path}"`);
    return zip.read(path);
  };
  const xml = (path: string): XmlElement => {
    let x = xmlCache.get(path);
    if (!x) {
      x = parseXml(read(path), { what: `/${path}`, limits });
      xmlCache.set(path, x);
    }
    return x;
  };
  const root = xml('OFD.xml');
  if (root.local !== 'OFD') fail('OFD_MALFORMED', `OFD.xml: the root element is <${root.name}>, not <ofd:OFD>`);
  const bodies: DocBodyInfo[] = children(root, 'DocBody').map((b, index) => {
    const docRootLoc = childText(b, 'DocRoot');
    if (!docRootLoc) fail('OFD_MALFORMED', `OFD.xml: DocBody ${index + 1} has no DocRoot`);
    const info = child(b, 'DocInfo');
    const docInfo: Record<string, string> = {};
    for (const c of info?.children ?? []) if (c.local !== 'CustomDatas' && c.local !== 'Keywords') docInfo[c.local] = c.text.trim();
    const customData: Record<string, string> = {};
    for (const c of children(child(info, 'CustomDatas'), 'CustomData')) if (c.attrs.Name) customData[c.attrs.Name] = c.text.trim();
    const sigLoc = childText(b, 'Signatures');
    return {
      index,
      docRoot: resolveLoc('', docRootLoc, 'DocRoot'),
      ...(sigLoc ? { signatures: resolveLoc('', sigLoc, 'Signatures'), signaturesLoc: sigLoc } : {}),
      docInfo,
      customData,
    };
  });
  if (!bodies.length) fail('OFD_MALFORMED', 'OFD.xml has no DocBody');
  const docs = new Map<number, OfdDocument>();
  const files = zip.entries.filter((e) => !e.isDirectory).map((e) => e.name);
  const pkg: OfdPackage = {
    bytes,
    zip,
    limits,
    files,
    has: (p) => zip.has(p),
    read,
    xml,
    root,
    ...(root.attrs.Version ? { version: root.attrs.Version } : {}),
    ...(root.attrs.DocType ? { docType: root.attrs.DocType } : {}),
    bodies,
    warnings,
    document(index = 0) {
      let d = docs.get(index);
      if (!d) {
        const body = bodies[index];
        if (!body) fail('OFD_MALFORMED', `the package has ${bodies.length} document(s); there is no document ${index + 1}`);
        d = readDocument(pkg, body);
        docs.set(index, d);
      }
      return d;
    },
  };
  return pkg;
}

function readResources(pkg: OfdPackage, resPath: string, into: Resources, seen: Set<string>, what: string): void {
  const el = pkg.xml(resPath);
  const base = el.attrs.BaseLoc ? resolveLoc(dirOf(resPath), el.attrs.BaseLoc, `${what} BaseLoc`) : dirOf(resPath);
  const addId = (id: string | undefined, kind: string): string => {
    if (!id) fail('OFD_MALFORMED', `/${resPath}: a ${kind} has no ID`);
    if (seen.has(id)) fail('OFD_DUPLICATE_ID', `/${resPath}: ID ${id} is used twice (${kind}); IDs must be unique in a document`);
    seen.add(id);
    return id;
  };
  for (const f of children(child(el, 'Fonts'), 'Font')) {
    const id = addId(f.attrs.ID, 'Font');
    const file = childText(f, 'FontFile');
    into.fonts.set(id, {
      id,
      fontName: f.attrs.FontName ?? '',
      ...(f.attrs.FamilyName ? { familyName: f.attrs.FamilyName } : {}),
      bold: f.attrs.Bold === 'true',
      italic: f.attrs.Italic === 'true',
      ...(file ? { file: resolveLoc(base, file, `font ${id} FontFile`) } : {}),
    });
  }
  for (const m of children(child(el, 'MultiMedias'), 'MultiMedia')) {
    const id = addId(m.attrs.ID, 'MultiMedia');
    const file = childText(m, 'MediaFile');
    if (!file) {
      pkg.warnings.push(`/${resPath}: MultiMedia ${id} has no MediaFile`);
      continue;
    }
    into.media.set(id, { id, type: m.attrs.Type ?? 'Image', ...(m.attrs.Format ? { format: m.attrs.Format } : {}), file: resolveLoc(base, file, `MultiMedia ${id}`) });
  }
  for (const d of children(child(el, 'DrawParams'), 'DrawParam')) into.drawParams.set(addId(d.attrs.ID, 'DrawParam'), d);
  for (const c of children(child(el, 'ColorSpaces'), 'ColorSpace')) into.colorSpaces.set(addId(c.attrs.ID, 'ColorSpace'), c);
  for (const c of children(child(el, 'CompositeGraphicUnits'), 'CompositeGraphicUnit')) {
    const id = addId(c.attrs.ID, 'CompositeGraphicUnit');
    into.composites.set(id, { id, width: Number(c.attrs.Width) || 0, height: Number(c.attrs.Height) || 0, el: c });
  }
}

export function emptyResources(): Resources {
  return { fonts: new Map(), media: new Map(), drawParams: new Map(), colorSpaces: new Map(), composites: new Map() };
}

function readDocument(pkg: OfdPackage, body: DocBodyInfo): OfdDocument {
  const path = body.docRoot;
  const el = pkg.xml(path);
  if (el.local !== 'Document') fail('OFD_MALFORMED', `/${path}: the root element is <${el.name}>, not <ofd:Document>`);
  const dir = dirOf(path);
  const common = child(el, 'CommonData');
  if (!common) fail('OFD_MALFORMED', `/${path} has no CommonData`);
  const maxUnitId = Number(childText(common, 'MaxUnitID') ?? NaN);
  const pageArea = parseBox(childText(child(common, 'PageArea'), 'PhysicalBox')) ?? A4;
  const ids = new Set<string>();
  const res = emptyResources();
  for (const kind of ['PublicRes', 'DocumentRes']) {
    for (const r of children(common, kind)) {
      const p = resolveLoc(dir, r.text, kind);
      if (!pkg.has(p)) {
        pkg.warnings.push(`/${path}: ${kind} /${p} is missing from the package`);
        continue;
      }
      readResources(pkg, p, res, ids, kind);
    }
  }
  const templates = new Map<string, TemplateRef>();
  for (const t of children(common, 'TemplatePage')) {
    const id = t.attrs.ID;
    if (!id || !t.attrs.BaseLoc) fail('OFD_MALFORMED', `/${path}: a TemplatePage lacks ID or BaseLoc`);
    if (ids.has(id)) fail('OFD_DUPLICATE_ID', `/${path}: ID ${id} is used twice (TemplatePage)`);
    ids.add(id);
    templates.set(id, { id, path: resolveLoc(dir, t.attrs.BaseLoc, `TemplatePage ${id}`), ...(t.attrs.ZOrder ? { zOrder: t.attrs.ZOrder } : {}) });
  }
  const pageEls = children(child(el, 'Pages'), 'Page');
  if (pageEls.length > pkg.limits.maxPages) throw new EsealError('LIMIT_EXCEEDED', `/${path} has ${pageEls.length} pages; the limit is ${pkg.limits.maxPages}`, { limit: 'maxPages' });
  const pages: PageRef[] = pageEls.map((p, index) => {
    const id = p.attrs.ID;
    if (!id || !p.attrs.BaseLoc) fail('OFD_MALFORMED', `/${path}: page ${index + 1} lacks ID or BaseLoc`);
    if (ids.has(id)) fail('OFD_DUPLICATE_ID', `/${path}: ID ${id} is used twice (page ${index + 1})`);
    ids.add(id);
    return { index, id, path: resolveLoc(dir, p.attrs.BaseLoc, `page ${index + 1}`) };
  });
  const annLoc = childText(el, 'Annotations');
  let annotations: string | undefined;
  if (annLoc) {
    annotations = resolveLoc(dir, annLoc, 'Annotations');
    if (!pkg.has(annotations)) {
      pkg.warnings.push(`/${path}: Annotations /${annotations} is missing from the package`);
      annotations = undefined;
    }
  }
  return { index: body.index, path, dir, maxUnitId: Number.isFinite(maxUnitId) ? maxUnitId : 0, pageArea, pages, templates, res, ...(annotations ? { annotations } : {}), body };
}
