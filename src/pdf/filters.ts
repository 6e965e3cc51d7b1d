/**
 * @module pdf/filters
 * Stream filters (ISO 32000-1 §7.4) a reader of document structure needs: FlateDecode with PNG and
 * TIFF predictors (§7.4.4.4), ASCIIHexDecode and ASCII85Decode. Image codecs (DCT, JPX, JBIG2,
 * CCITT) are not decoded here: structure never hides behind them. Every decode is bounded by the
 * caller's budget.
 */
import { EsealError, fail } from '../util/errors.js';
import { inflate } from './_zlib.js';
import { PdfDict, PdfName, type PdfStream, type PdfValue } from './objects.js';

/** How many decoded bytes may still be produced (shared by all streams of one document). */
export interface DecodeBudget {
  maxStream: number;
  remaining: number;
  maxRatio: number;
}

function filterList(v: PdfValue | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (v instanceof PdfName) return [v.name];
  if (Array.isArray(v)) return v.map((x) => (x instanceof PdfName ? x.name : fail('PDF_MALFORMED', 'a /Filter array entry is not a name')));
  fail('PDF_MALFORMED', '/Filter is neither a name nor an array of names');
}

function parmsList(v: PdfValue | undefined, n: number): (PdfDict | undefined)[] {
  if (v instanceof PdfDict) return [v];
  if (Array.isArray(v)) return v.map((x) => (x instanceof PdfDict ? x : undefined));
  return new Array<undefined>(n).fill(undefined);
}

/** The decoded data of a stream whose filters are all ones we decode. */
export function decodeStream(s: PdfStream, budget: DecodeBudget, resolve: (v: PdfValue | undefined) => PdfValue | undefined = (v) => v): Uint8Array {
  const filters = filterList(resolve(s.dict.get('Filter')));
  const parms = parmsList(resolve(s.dict.get('DecodeParms')), filters.length);
  let data = s.raw;
  for (let i = 0; i < filters.length; i++) {
    const limit = Math.min(budget.maxStream, budget.remaining);
    const before = data.length;
    switch (filters[i]) {
      case 'FlateDecode':
      case 'Fl':
        data = inflate(data, limit + 1);
        if (data.length > limit) throwBudget(budget, limit);
        data = applyPredictor(data, parms[i]);
        break;
      case 'ASCIIHexDecode':
      case 'AHx':
        data = asciiHex(data);
        break;
      case 'Crypt':
        break; // an /Identity crypt filter (encrypted documents are decrypted before filters run)
      case 'ASCII85Decode':
      case 'A85':
        data = ascii85(data, limit);
        break;
      default:
        fail('PDF_FILTER_UNSUPPORTED', `stream filter /${filters[i]} is not supported for document structure`);
    }
    if (data.length > 1024 * 1024 && data.length > before * budget.maxRatio) {
      throw new EsealError('LIMIT_EXCEEDED', `a PDF stream expands ${Math.round(data.length / Math.max(1, before))} times (more than ${budget.maxRatio}): decompression bomb`, { limit: 'maxCompressionRatio' });
    }
    budget.remaining -= data.length;
    if (budget.remaining < 0) throwBudget(budget, limit);
  }
  return data;
}

function throwBudget(budget: DecodeBudget, limit: number): never {
  const total = limit < budget.maxStream;
  throw new EsealError(
    'LIMIT_EXCEEDED',
    total ? 'the PDF\'s streams together decompress to more than the allowed total (decompression bomb?)' : `a PDF stream decompresses to more than ${budget.maxStream} bytes (decompression bomb?)`,
    { limit: total ? 'maxTotalDecodedSize' : 'maxStreamDecodedSize' },
  );
}

/** PNG (10–15) and TIFF (2) predictors of FlateDecode/LZWDecode (ISO 32000-1 §7.4.4.4, Table 9). */
export function applyPredictor(data: Uint8Array, p: PdfDict | undefined): Uint8Array {
  const predictor = p?.num('Predictor') ?? 1;
  if (predictor === 1) return data;
  const colors = p?.num('Colors') ?? 1;
  const bpc = p?.num('BitsPerComponent') ?? 8;
  const columns = p?.num('Columns') ?? 1;
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 24) fail('PDF_MALFORMED', 'unusable predictor parameters');
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) fail('PDF_FILTER_UNSUPPORTED', `TIFF predictor with ${bpc} bits per component is not supported`);
    const out = data.slice();
    for (let r = 0; r + rowLen <= out.length; r += rowLen) for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff;
    return out;
  }
  if (predictor < 10 || predictor > 15) fail('PDF_MALFORMED', `unknown predictor ${predictor}`);
  return unfilterPng(data, rowLen, bpp);
}

/** Reverses PNG row filters (each row: 1 filter-type byte + rowLen bytes). Incomplete last rows are dropped. */
export function unfilterPng(data: Uint8Array, rowLen: number, bpp: number): Uint8Array {
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    const prev = dst - rowLen;
    const first = r === 0;
    // one tight loop per filter type (ISO/IEC 15948 §9.2)
    switch (type) {
      case 0:
        out.set(data.subarray(src, src + rowLen), dst);
        break;
      case 1:
        for (let i = 0; i < rowLen; i++) out[dst + i] = (data[src + i] + (i >= bpp ? out[dst + i - bpp] : 0)) & 0xff;
        break;
      case 2:
        if (first) out.set(data.subarray(src, src + rowLen), dst);
        else for (let i = 0; i < rowLen; i++) out[dst + i] = (data[src + i] + out[prev + i]) & 0xff;
        break;
      case 3:
        if (first) {
          for (let i = 0; i < bpp && i < rowLen; i++) out[dst + i] = data[src + i];
          for (let i = bpp; i < rowLen; i++) out[dst + i] = (data[src + i] + (out[dst + i - bpp] >> 1)) & 0xff;
        } else {
          for (let i = 0; i < bpp && i < rowLen; i++) out[dst + i] = (data[src + i] + (out[prev + i] >> 1)) & 0xff;
          for (let i = bpp; i < rowLen; i++) out[dst + i] = (data[src + i] + ((out[dst + i - bpp] + out[prev + i]) >> 1)) & 0xff;
        }
        break;
      case 4:
        if (first) {
          // Paeth with no row above is the Sub filter
          for (let i = 0; i < bpp && i < rowLen; i++) out[dst + i] = data[src + i];
          for (let i = bpp; i < rowLen; i++) out[dst + i] = (data[src + i] + out[dst + i - bpp]) & 0xff;
        } else {
          for (let i = 0; i < bpp && i < rowLen; i++) out[dst + i] = (data[src + i] + out[prev + i]) & 0xff;
          for (let i = bpp; i < rowLen; i++) {
            const a = out[dst + i - bpp];
            const b = out[prev + i];
            const c = out[prev + i - bpp];
            const p = a + b - c;
            const pa = p > a ? p - a : a - p;
            const pb = p > b ? p - b : b - p;
            const pc = p > c ? p - c : c - p;
            out[dst + i] = (data[src + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
          }
        }
        break;
      default:
        fail('PDF_MALFORMED', `PNG row filter type ${type} is unknown`);
    }
  }
  return out;
}

function asciiHex(d: Uint8Array): Uint8Array {
  const out = new Uint8Array((d.length + 1) >> 1);
  let n = 0;
  let hi = -1;
  for (const c of d) {
    if (c === 0x3e) break;
    let v = -1;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x41 && c <= 0x46) v = c - 55;
    else if (c >= 0x61 && c <= 0x66) v = c - 87;
    else continue;
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.subarray(0, n);
}

function ascii85(d: Uint8Array, limit: number): Uint8Array {
  const out: number[] = [];
  let group: number[] = [];
  for (let i = 0; i < d.length; i++) {
    const c = d[i];
    if (c === 0x7e) break; // ~>
    if (c <= 0x20) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
    } else {
      if (c < 0x21 || c > 0x75) fail('PDF_MALFORMED', 'invalid character in ASCII85 data');
      group.push(c - 33);
      if (group.length === 5) {
        let v = 0;
        for (const g of group) v = v * 85 + g;
        out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
        group = [];
      }
    }
    if (out.length > limit) throw new EsealError('LIMIT_EXCEEDED', 'an ASCII85 stream decodes past the allowed size', { limit: 'maxStreamDecodedSize' });
  }
  if (group.length > 1) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, n - 1));
  }
  return Uint8Array.from(out);
}
