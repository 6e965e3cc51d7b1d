/**
 * Hand-made PDFs for tests, written byte by byte here (independently of src/pdf's writer): hybrid-
 * reference files, damaged cross-reference data, reference cycles, decompression bombs, deep nesting.
 */
import { deflateSync } from 'node:zlib';

const enc = new TextEncoder();
export const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export function concat(...parts: (Uint8Array | string)[]): Uint8Array {
  const arrs = parts.map((p) => (typeof p === 'string' ? bytes(p) : p));
  const out = new Uint8Array(arrs.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrs) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export type RawObject = string | { dict: string; data: Uint8Array | string };

export interface RawPdfOptions {
  /** trailer entries besides /Size (default "/Root 1 0 R") */
  trailer?: string;
  /** write objects but use this startxref value instead of the real one */
  startxref?: number;
  /** extra text after %%EOF */
  tail?: string;
  header?: string;
}

/** Objects numbered 1..n, a classic xref table, a trailer. */
export function rawPdf(objects: RawObject[], opts: RawPdfOptions = {}): Uint8Array {
  const parts: (Uint8Array | string)[] = [opts.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'];
  let len = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(len);
    const body =
      typeof o === 'string'
        ? concat(`${i + 1} 0 obj\n${o}\nendobj\n`)
        : concat(`${i + 1} 0 obj\n${o.dict.replace('%LEN%', String(typeof o.data === 'string' ? o.data.length : o.data.length))}\nstream\n`, o.data, '\nendstream\nendobj\n');
    parts.push(body);
    len += body.length;
  });
  const xrefAt = len;
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const off of offsets) xref += `${String(off).padStart(10, '0')} 00000 n\r\n`;
  xref += `trailer\n<< /Size ${objects.length + 1} ${opts.trailer ?? '/Root 1 0 R'} >>\nstartxref\n${opts.startxref ?? xrefAt}\n%%EOF\n${opts.tail ?? ''}`;
  parts.push(xref);
  return concat(...parts);
}

/** A valid one-page PDF (catalog 1, pages 2, page 3, content 4, font 5). */
export function minimalObjects(text = 'Hello'): RawObject[] {
  const content = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    { dict: '<< /Length %LEN% >>', data: content },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}

/**
 * A hybrid-reference file (ISO 32000-1 §7.5.8.4): the font (object 5) lives in an object stream
 * listed only by the hidden cross-reference stream named in the trailer's /XRefStm; the classic
 * table lists it as free.
 */
export function hybridPdf(): Uint8Array {
  const header = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const plain = minimalObjects('Hybrid file').slice(0, 4);
  const out: (Uint8Array | string)[] = [header];
  let len = header.length;
  const offsets: Record<number, number> = {};
  plain.forEach((o, i) => {
    offsets[i + 1] = len;
    const b = typeof o === 'string' ? concat(`${i + 1} 0 obj\n${o}\nendobj\n`) : concat(`${i + 1} 0 obj\n<< /Length ${o.data.length} >>\nstream\n`, o.data, '\nendstream\nendobj\n');
    out.push(b);
    len += b.length;
  });
  // object stream 6 holding object 5
  const inner = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const head = '5 0 ';
  const osData = deflateSync(bytes(head + inner));
  offsets[6] = len;
  let b = concat(`6 0 obj\n<< /Type /ObjStm /N 1 /First ${head.length} /Filter /FlateDecode /Length ${osData.length} >>\nstream\n`, osData, '\nendstream\nendobj\n');
  out.push(b);
  len += b.length;
  // hidden xref stream 7: W [1 2 1], entry for object 5 = type 2 in stream 6 index 0
  const rows = Uint8Array.from([2, 0, 6, 0]);
  offsets[7] = len;
  b = concat(`7 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Index [5 1] /Length ${rows.length} >>\nstream\n`, rows, '\nendstream\nendobj\n');
  out.push(b);
  len += b.length;
  const xrefAt = len;
  let t = 'xref\n0 8\n0000000000 65535 f\r\n';
  for (let n = 1; n <= 7; n++) t += n === 5 ? '0000000000 00001 f\r\n' : `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  t += `trailer\n<< /Size 8 /Root 1 0 R /XRefStm ${offsets[7]} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  out.push(t);
  return concat(...out);
}

/** A PDF whose page tree node lives in an object stream that expands to more than `size` bytes. */
export function bombPdf(size: number): Uint8Array {
  const objs = minimalObjects();
  const head = '2 0 ';
  const body = concat(head, '<< /Type /Pages /Kids [3 0 R] /Count 1 >> ', new Uint8Array(size));
  const z = deflateSync(body, { level: 9 });
  objs.push({ dict: `<< /Type /ObjStm /N 1 /First ${head.length} /Filter /FlateDecode /Length %LEN% >>`, data: z });
  return rawPdfWithCompressed(objs, { 2: [6, 0] });
}

/** Like rawPdf but with a cross-reference stream, and `compressed` objects (num → [stream, index]) listed as type 2. */
export function rawPdfWithCompressed(objects: RawObject[], compressed: Record<number, [number, number]>): Uint8Array {
  const header = '%PDF-1.7\n';
  const parts: (Uint8Array | string)[] = [header];
  let len = header.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    const num = i + 1;
    if (compressed[num]) {
      offsets.push(-1);
      return;
    }
    offsets.push(len);
    const body =
      typeof o === 'string'
        ? concat(`${num} 0 obj\n${o}\nendobj\n`)
        : concat(`${num} 0 obj\n${o.dict.replace('%LEN%', String(o.data.length))}\nstream\n`, o.data, '\nendstream\nendobj\n');
    parts.push(body);
    len += body.length;
  });
  const xrefNum = objects.length + 1;
  const rows: number[] = [0, 0, 0, 0, 0, 0xff, 0xff];
  for (let i = 0; i < objects.length; i++) {
    const c = compressed[i + 1];
    if (c) rows.push(2, (c[0] >> 24) & 255, (c[0] >> 16) & 255, (c[0] >> 8) & 255, c[0] & 255, (c[1] >> 8) & 255, c[1] & 255);
    else rows.push(1, (offsets[i] >> 24) & 255, (offsets[i] >> 16) & 255, (offsets[i] >> 8) & 255, offsets[i] & 255, 0, 0);
  }
  rows.push(1, (len >> 24) & 255, (len >> 16) & 255, (len >> 8) & 255, len & 255, 0, 0);
  const data = Uint8Array.from(rows);
  parts.push(concat(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Root 1 0 R /Length ${data.length} >>\nstream\n`, data, `\nendstream\nendobj\nstartxref\n${len}\n%%EOF\n`));
  return concat(...parts);
}

export { enc };
