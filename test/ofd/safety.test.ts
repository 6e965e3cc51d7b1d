/**
 * An OFD is untrusted input. Every limit and refusal gives a clear EsealError (and verifyOfd a
 * FORMAT_FAILURE report), never a crash or a hang: zip bombs, entry counts and sizes, path traversal,
 * duplicate and overlapping entries, DTDs and entities, deep nesting, missing and circular
 * references, duplicate IDs; plus random damage to real files.
 */
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'fflate';
import { EsealError } from '../../src/util/errors.js';
import { utf8 } from '../../src/util/bytes.js';
import { readOfd } from '../../src/ofd/package.js';
import { parsePage } from '../../src/ofd/page.js';
import { parseXml } from '../../src/ofd/xml.js';
import { readZip, writeZip } from '../../src/ofd/zip.js';
import { renderPageSvg } from '../../src/ofd/render-svg.js';
import { crc32, crc32Pure } from '../../src/util/crc32.js';
import { OFD_LIMITS } from '../../src/ofd/limits.js';
import { verifyOfd } from '../../src/validation/ofd-document.js';
import { sample } from '../helpers/openssl.js';

const hello = new Uint8Array(sample('ofd/helloworld_unsigned.ofd'));
const helloZip = readZip(hello);

/** helloworld with some files replaced or added */
function variant(files: Record<string, string | Uint8Array>): Uint8Array {
  const names = new Set(helloZip.entries.map((e) => e.name));
  const items = helloZip.entries.map((e) => (e.name in files ? { name: e.name, data: typeof files[e.name] === 'string' ? utf8(files[e.name] as string) : (files[e.name] as Uint8Array) } : { name: e.name, copy: e }));
  for (const [n, d] of Object.entries(files)) if (!names.has(n)) items.push({ name: n, data: typeof d === 'string' ? utf8(d) : d });
  return writeZip(items);
}

/** Replaces every occurrence of a same-length byte string (to forge names writeZip refuses to write). */
function patch(b: Uint8Array, from: string, to: string): Uint8Array {
  const f = utf8(from);
  const t = utf8(to);
  expect(f.length).toBe(t.length);
  const out = b.slice();
  for (let i = 0; i + f.length <= out.length; i++) if (f.every((x, k) => out[i + k] === x)) out.set(t, i);
  return out;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof EsealError)) throw e;
    return `${e.code}: ${e.message}`;
  }
  return 'no error';
}

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';

describe('ZIP container limits and refusals', () => {
  it('entry count: more than the limit is refused before anything is read', () => {
    expect(OFD_LIMITS.maxEntries).toBe(10_000);
    const many = writeZip(Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, data: new Uint8Array(0), compress: false })));
    expect(code(() => readZip(many))).toBe('LIMIT_EXCEEDED: the package has 10001 ZIP entries; the limit is 10000');
    expect(code(() => readOfd(hello, { limits: { maxEntries: 3 } }))).toMatch(/^LIMIT_EXCEEDED: the package has 7 ZIP entries/);
  });

  it('zip bomb: 32 MiB of zeros in 32 KiB is refused by its compression ratio, without inflating', () => {
    const bomb = variant({ 'Doc_0/Res/bomb.bin': new Uint8Array(32 * 1024 * 1024) });
    expect(readZip(bomb, { ...OFD_LIMITS, maxCompressionRatio: 1e9 }).byName.get('Doc_0/Res/bomb.bin')!.compressedSize).toBeLessThan(64 * 1024);
    expect(code(() => readOfd(bomb))).toMatch(/^LIMIT_EXCEEDED: ZIP entry "Doc_0\/Res\/bomb.bin" would expand \d+ times .* the limit is 200 \(zip bomb\?\)/);
  });

  it('per-entry and total uncompressed size limits', () => {
    expect(code(() => readOfd(hello, { limits: { maxEntrySize: 300 } }))).toMatch(/^LIMIT_EXCEEDED: ZIP entry "Doc_0\/Document.xml" expands to 420 bytes; the limit for one entry is 300/);
    expect(code(() => readOfd(hello, { limits: { maxTotalSize: 1000 } }))).toBe('LIMIT_EXCEEDED: the package expands to more than 1000 bytes in total');
  });

  it('an entry that inflates to more than its declared size is refused (lying headers)', () => {
    const data = utf8('<x>' + 'a'.repeat(5000) + '</x>');
    const z = writeZip([{ name: 'OFD.xml', data }]);
    const dv = new DataView(z.buffer);
    // declared size 5007 → 100 in the local header and the central directory
    dv.setUint32(22, 100, true);
    const cd = z.length - 22 - (46 + 7);
    dv.setUint32(cd + 24, 100, true);
    expect(code(() => readZip(z).read('OFD.xml'))).toBe('OFD_ZIP_MALFORMED: ZIP entry "OFD.xml" decompresses to more bytes, not the declared 100');
  });

  it('path traversal and absolute names are refused', () => {
    for (const [bad, why] of [
      ['../evil.xml', 'contains "." or ".." (path traversal)'],
      ['/etc/passwd', 'is an absolute path'],
      ['C:/boot.ini', 'starts with a drive letter'],
      ['Doc\\0/a.xml', 'uses "\\"'],
    ] as const) {
      const placeholder = 'z'.repeat(utf8(bad).length);
      const z = patch(variant({ [placeholder]: 'x' }), placeholder, bad);
      expect(code(() => readOfd(z)), bad).toContain(why);
    }
  });

  it('duplicate and overlapping entries are refused (readers could disagree on what is signed)', () => {
    const dup = patch(variant({ 'OFD.xmL': 'x' }), 'OFD.xmL', 'OFD.xml');
    expect(code(() => readOfd(dup))).toBe('OFD_ZIP_DUPLICATE_ENTRY: the ZIP has two entries named "OFD.xml" (readers could disagree on which one is signed)');
    // two central records pointing at the same local entry
    const z = writeZip([{ name: 'a.xml', data: utf8('<a/>') }, { name: 'b.xml', data: utf8('<b/>') }]);
    const cd = z.length - 22 - 2 * (46 + 5);
    new DataView(z.buffer).setUint32(cd + 46 + 5 + 42, 0, true); // b's offset → a's local header
    const forged = patch(z, 'b.xml', 'c.xml');
    expect(code(() => readZip(forged))).toMatch(/OFD_ZIP_MALFORMED: the local header of ZIP entry "c.xml" names another file|overlap/);
  });

  it('encrypted entries, garbage and truncated files are clear errors; verifyOfd turns them into FORMAT_FAILURE reports', () => {
    const enc = hello.slice();
    const cd = readZip(hello);
    void cd;
    // set the encryption flag on the first central record
    const dv = new DataView(enc.buffer);
    const cdOffset = dv.getUint32(enc.length - 22 + 16, true);
    dv.setUint16(cdOffset + 8, dv.getUint16(cdOffset + 8, true) | 1, true);
    expect(code(() => readOfd(enc))).toMatch(/^OFD_ZIP_UNSUPPORTED: ZIP entry ".*" is encrypted/);
    expect(code(() => readOfd(utf8('not a zip at all, just text')))).toBe('OFD_ZIP_MALFORMED: not a ZIP file: no end-of-central-directory record');
    expect(code(() => readOfd(hello.subarray(0, hello.length - 30)))).toMatch(/^OFD_ZIP_MALFORMED/);
    const r = verifyOfd(utf8('garbage'), { time: new Date(), trustAnchors: [] });
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]).toMatchObject({ id: 'document', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0].checks[0].message.en).toMatch(/^not a readable OFD document: not a ZIP file/);
  });

  it('CRC-32: the native and the TypeScript implementations agree; a damaged entry fails its CRC check', () => {
    const b = utf8('电子印章 CRC test'.repeat(50));
    expect(crc32(b)).toBe(crc32Pure(b));
    const z = writeZip([{ name: 'OFD.xml', data: b, compress: false }]);
    z[40] ^= 1;
    expect(code(() => readZip(z).read('OFD.xml'))).toBe('OFD_ZIP_MALFORMED: ZIP entry "OFD.xml" fails its CRC-32 check (damaged)');
  });
});

describe('XML refusals', () => {
  it('a DTD (entity expansion, external entities) is refused', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><ofd:OFD ${NS}>&lol2;</ofd:OFD>`;
    expect(code(() => readOfd(variant({ 'OFD.xml': lol })))).toMatch(/^XML_DTD_REFUSED: \/OFD.xml: a document type declaration/);
    const xxe = `<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><ofd:OFD ${NS}/>`;
    expect(code(() => parseXml(xxe))).toMatch(/^XML_DTD_REFUSED/);
  });

  it('entities other than the five predefined ones are refused; character references work', () => {
    expect(code(() => parseXml(`<a>&xxe;</a>`))).toBe('XML_ENTITY_REFUSED: XML: entity &xxe; is not one of the five predefined XML entities (custom entities are refused)');
    expect(parseXml('<a b="&lt;&#x4E2D;&#25991;&amp;">&gt;</a>')).toMatchObject({ attrs: { b: '<中文&' }, text: '>' });
  });

  it('deep nesting, too many elements or attributes, and malformed XML are refused', () => {
    const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
    expect(code(() => parseXml(deep))).toBe('LIMIT_EXCEEDED: XML: XML nesting deeper than 64 levels');
    expect(code(() => parseXml('<a>' + '<b/>'.repeat(20) + '</a>', { limits: { ...OFD_LIMITS, maxXmlElements: 10 } }))).toBe('LIMIT_EXCEEDED: XML: more than 10 XML elements');
    expect(code(() => parseXml(`<a ${Array.from({ length: 200 }, (_, i) => `a${i}="1"`).join(' ')}/>`))).toBe('LIMIT_EXCEEDED: XML: <a> has more than 128 attributes');
    expect(code(() => parseXml('<a><b></a></b>'))).toMatch(/^XML_MALFORMED: XML: end tag <\/a> does not match <b>/);
    expect(code(() => parseXml('<a x="1" x="2"/>'))).toMatch(/duplicate attribute x/);
    expect(code(() => parseXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])))).toBe('XML_MALFORMED: XML: not valid UTF-8 text');
  });
});

describe('OFD structure refusals', () => {
  it('missing required files: DocRoot, page content, signature description — each named', () => {
    const noRoot = variant({ 'OFD.xml': `<ofd:OFD ${NS}><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_9/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>` });
    expect(code(() => readOfd(noRoot).document())).toBe('OFD_MISSING_ENTRY: the package has no file "/Doc_9/Document.xml"');
    const noPage = variant({ 'Doc_0/Document.xml': `<ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>5</ofd:MaxUnitID></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_7/Content.xml"/></ofd:Pages></ofd:Document>` });
    expect(code(() => renderPageSvg(noPage, 0))).toBe('OFD_MISSING_ENTRY: page 1 (ID 1): its content /Doc_0/Pages/Page_7/Content.xml is not in the package');
    const sigs = `<ofd:Signatures ${NS}><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>`;
    const ofdXml = new TextDecoder().decode(helloZip.read('OFD.xml')).replace('</ofd:DocBody>', '<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>');
    const noSig = variant({ 'OFD.xml': ofdXml, 'Doc_0/Signs/Signatures.xml': sigs });
    const r = verifyOfd(noSig, { time: new Date(), trustAnchors: [] });
    expect(r.signatures[0]).toMatchObject({ id: '1', indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0].checks[0].message.en).toBe('the signature description /Doc_0/Signs/Sign_0/Signature.xml cannot be read: the signature description /Doc_0/Signs/Sign_0/Signature.xml is not in the package');
  });

  it('a location that climbs out of the package is refused', () => {
    const out = variant({ 'OFD.xml': `<ofd:OFD ${NS}><ofd:DocBody><ofd:DocInfo/><ofd:DocRoot>../../Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>` });
    expect(code(() => readOfd(out))).toBe('OFD_PATH_INVALID: DocRoot "../../Document.xml" points outside the package');
  });

  it('duplicate IDs: two pages, or a resource and a page, with one ID', () => {
    const doc = (pages: string) => variant({ 'Doc_0/Document.xml': `<ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>${pages}</ofd:Pages></ofd:Document>` });
    expect(code(() => readOfd(doc('<ofd:Page ID="7" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="7" BaseLoc="Pages/Page_0/Content.xml"/>')).document())).toBe('OFD_DUPLICATE_ID: /Doc_0/Document.xml: ID 7 is used twice (page 2)');
    const fontId = /<ofd:Font [^>]*\bID="(\d+)"/.exec(new TextDecoder().decode(helloZip.read('Doc_0/PublicRes.xml')))![1];
    expect(code(() => readOfd(doc(`<ofd:Page ID="${fontId}" BaseLoc="Pages/Page_0/Content.xml"/>`)).document())).toMatch(/^OFD_DUPLICATE_ID: .*ID \d+ is used twice \(page 1\)/);
    // object IDs inside a page, when asked to check them
    const page = `<ofd:Page ${NS}><ofd:Content><ofd:Layer ID="20"><ofd:PathObject ID="21" Boundary="0 0 1 1"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData></ofd:PathObject><ofd:PathObject ID="21" Boundary="0 0 1 1"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>`;
    const pkg = readOfd(variant({ 'Doc_0/Pages/Page_0/Content.xml': page }));
    expect(code(() => parsePage(pkg, pkg.document(), 0, { checkIds: true }))).toBe('OFD_DUPLICATE_ID: /Doc_0/Pages/Page_0/Content.xml: object ID 21 is used twice');
  });

  it('circular references: a composite graphic unit that draws itself', () => {
    const res = `<ofd:Res ${NS} BaseLoc="Res"><ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="50" Width="10" Height="10"><ofd:Content><ofd:CompositeObject ID="51" ResourceID="50" Boundary="0 0 10 10"/></ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>`;
    const page = `<ofd:Page ${NS}><ofd:Content><ofd:Layer ID="20"><ofd:CompositeObject ID="21" ResourceID="50" Boundary="10 10 10 10"/></ofd:Layer></ofd:Content></ofd:Page>`;
    const doc = `<ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>60</ofd:MaxUnitID><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`;
    const z = variant({ 'Doc_0/Document.xml': doc, 'Doc_0/DocumentRes.xml': res, 'Doc_0/Pages/Page_0/Content.xml': page });
    expect(code(() => renderPageSvg(z, 0))).toBe('OFD_CIRCULAR_REFERENCE: composite graphic unit 50 contains itself (50 → 50)');
  });

  it('too many objects to draw, a page number that does not exist', () => {
    const objs = Array.from({ length: 50 }, (_, i) => `<ofd:PathObject ID="${100 + i}" Boundary="0 0 1 1"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData></ofd:PathObject>`).join('');
    const z = variant({ 'Doc_0/Pages/Page_0/Content.xml': `<ofd:Page ${NS}><ofd:Content><ofd:Layer ID="20">${objs}</ofd:Layer></ofd:Content></ofd:Page>` });
    expect(code(() => renderPageSvg(readOfd(z, { limits: { maxRenderObjects: 10 } }), 0))).toBe('LIMIT_EXCEEDED: /Doc_0/Pages/Page_0/Content.xml: more than 10 drawing objects');
    expect(code(() => renderPageSvg(hello, 3))).toBe('OFD_PAGE_OUT_OF_RANGE: page 4 does not exist: the document has 1 page(s)');
  });
});

describe('random damage never crashes or hangs', () => {
  it('300 single-byte changes to a signed invoice: every outcome is a result or an EsealError', () => {
    const src = new Uint8Array(sample('ofd/invoice_gomain_zj_1.ofd'));
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const outcomes = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) {
      const b = src.slice();
      b[Math.floor(rnd() * b.length)] ^= 1 + Math.floor(rnd() * 255);
      const r = verifyOfd(b, { time: new Date('2020-07-24T00:00:00Z'), trustAnchors: [] }, undefined, { pictures: false });
      outcomes.set(r.indication, (outcomes.get(r.indication) ?? 0) + 1);
      try {
        renderPageSvg(b, 0);
      } catch (e) {
        if (!(e instanceof EsealError)) throw e;
      }
    }
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect([...outcomes.keys()].every((k) => ['TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND', 'TOTAL_PASSED'].includes(k))).toBe(true);
  });

  it('deflate data that is not deflate is an error, not a crash', () => {
    const z = writeZip([{ name: 'OFD.xml', data: utf8('<a/>'.repeat(100)) }]);
    const e = readZip(z).byName.get('OFD.xml')!;
    const off = z.indexOf(e.raw[0], 30);
    z.fill(0xff, off, off + 8);
    expect(code(() => readZip(z).read('OFD.xml'))).toMatch(/^OFD_ZIP_MALFORMED/);
    void deflateSync;
  });
});
