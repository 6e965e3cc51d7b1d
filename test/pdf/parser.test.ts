/**
 * PDF syntax: objects read as ISO 32000-1 §7.3 says (strings with escapes and line ends, hex strings,
 * names with #xx, numbers in every form, references), written back so that they read the same, and
 * the incremental writer's output read back by our reader and by qpdf.
 */
import { describe, expect, it } from 'vitest';
import { PdfParser, parseValueAt } from '../../src/pdf/parser.js';
import { ByteSink, formatNumber, writeValue } from '../../src/pdf/serialize.js';
import { DEFAULT_PDF_LIMITS, PdfDict, PdfName, PdfRef, PdfString, decodeTextString, equalValues, openPdf, parsePdfDate, pdfDate, textString, type PdfValue } from '../../src/pdf/index.js';
import { IncrementalUpdate } from '../../src/pdf/incremental.js';
import { bytes, minimalObjects, rawPdf, rawPdfWithCompressed } from './generators.js';
import { qpdfCheck, writeTemp } from './fixtures.js';
import { tempDir } from '../helpers/openssl.js';

const parse = (s: string): PdfValue => parseValueAt(bytes(s), 0, DEFAULT_PDF_LIMITS).value;
const write = (v: PdfValue): string => {
  const s = new ByteSink();
  writeValue(s, v);
  return Buffer.from(s.toBytes()).toString('latin1');
};

describe('reading PDF objects', () => {
  it('literal strings: escapes, octal, nested parentheses, line continuations and end-of-line normalisation', () => {
    const v = parse('(a\\(b\\)c\\\\ \\n\\r\\t\\b\\f \\101\\7\\0053 (nested (deeper)) x\\\r\ny\r\nz\rw)') as PdfString;
    expect(Buffer.from(v.bytes).toString('latin1')).toBe('a(b)c\\ \n\r\t\b\f A\x07\x053 (nested (deeper)) xy\nz\nw');
    expect(v.start).toBe(0);
  });

  it('hex strings with white space and an odd digit count; names with #xx; numbers of every form; references', () => {
    expect(Buffer.from((parse('<48 65 6c6C6f 7>') as PdfString).bytes).toString('latin1')).toBe('Hello\x70');
    expect((parse('/A#20B#23') as PdfName).name).toBe('A B#');
    expect(parse('[1 -2 +3 .5 -.5 4. 0.000001 12345678901]')).toEqual([1, -2, 3, 0.5, -0.5, 4, 0.000001, 12345678901]);
    expect(parse('[1 0 R 2 5 R 3 4]')).toEqual([new PdfRef(1, 0), new PdfRef(2, 5), 3, 4]);
    const d = parse('<</A 1/B(x)/C<</D null>>/E [true false] % comment\n /F /G>>') as PdfDict;
    expect([...d.map.keys()]).toEqual(['A', 'B', 'C', 'E', 'F']); // null entries are absent (§7.3.7)
  });

  it('syntax errors name their offset; nesting is bounded', () => {
    expect(() => parse('<< /A 1 ')).toThrow(/unterminated dictionary/);
    expect(() => parse(')')).toThrow(/offset 0: unexpected '\)'/);
    expect(() => parse('<< 1 2 >>')).toThrow(/key must be a name/);
    expect(() => parse('['.repeat(100) + ']'.repeat(100))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(parse('['.repeat(60) + ']'.repeat(60))).toBeInstanceOf(Array);
  });

  it('indirect objects with streams, a wrong /Length found by "endstream"', () => {
    const p = new PdfParser(bytes('7 0 obj\n<< /Length 3 >>\nstream\nabcdef\nendstream\nendobj\n'), 0, DEFAULT_PDF_LIMITS);
    const o = p.parseIndirectObject({ num: 7 });
    expect(o.num).toBe(7);
    expect(Buffer.from((o.value as { raw: Uint8Array }).raw).toString()).toBe('abcdef');
    expect(() => new PdfParser(bytes('8 0 obj 1 endobj'), 0, DEFAULT_PDF_LIMITS).parseIndirectObject({ num: 7 })).toThrow(/points object 7 at offset 0, where object 8 0 is/);
  });
});

describe('writing PDF objects', () => {
  it('round trips: what is written reads back equal', () => {
    const samples = ['<</Type/Page/MediaBox[0 0 595.303937007874 841.889763779528]/Rotate 90>>', '[(a\\)b\\r\\n) <00ff> /N#20x 1 0 R -0.25 true null]', '<</K<</L[[1][2]]>>>>'];
    for (const s of samples) {
      const v = parse(s);
      expect(equalValues(parse(write(v)), v), s).toBe(true);
    }
  });

  it('numbers are exact and never in exponent form; text strings are PDFDoc or UTF-16BE', () => {
    expect(formatNumber(595.303937007874)).toBe('595.303937007874');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(() => formatNumber(NaN)).toThrow();
    expect(write(textString('Approved'))).toBe('(Approved)');
    expect(write(textString('同意'))).toBe('<feff540c610f>');
    expect(decodeTextString(textString('广州 Guangzhou').bytes)).toBe('广州 Guangzhou');
    expect(parsePdfDate(pdfDate(new Date('2026-07-01T08:09:10Z')))?.toISOString()).toBe('2026-07-01T08:09:10.000Z');
    expect(parsePdfDate("D:20260701160910+08'00'")?.toISOString()).toBe('2026-07-01T08:09:10.000Z');
  });
});

describe('incremental updates', () => {
  const tmp = tempDir('eseal-pdf-parser-');

  it('after a table, a table; after a stream, a stream; both read back and pass qpdf', () => {
    for (const [name, pdf] of [
      ['table', rawPdf(minimalObjects())],
      ['stream', rawPdfWithCompressed(minimalObjects(), {})],
    ] as const) {
      const doc = openPdf(pdf);
      const up = new IncrementalUpdate(doc);
      const note = up.add(new PdfDict([['Type', PdfName.of('Annot')], ['Subtype', PdfName.of('Text')], ['Rect', [1, 2, 3, 4]]]));
      const page = doc.page(0);
      const pd = page.dict.clone();
      pd.set('Annots', [note]);
      up.set(page.ref, pd);
      const out = up.build().bytes;
      const again = openPdf(out);
      expect(again.xref.sections[0].kind).toBe(name);
      expect(again.xref.sections).toHaveLength(2);
      expect(again.array(again.page(0).dict.get('Annots'))).toEqual([note]);
      expect(Buffer.from(out.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true); // the original bytes are untouched
      const q = qpdfCheck(writeTemp(tmp.dir, `${name}.pdf`, out));
      expect(q.status, q.out).toBe(0);
    }
    tmp.cleanup();
  });
});
