/**
 * @module ofd/zip
 * The OFD container (GB/T 33190 §7.1: a ZIP file, PKWARE APPNOTE 6.3) read and written over bytes,
 * with fflate for the DEFLATE streams.
 *
 * Why not fflate's `unzipSync`/`zipSync`: stamping must copy every unchanged entry byte for byte —
 * compressed data included — so that a 100-page document costs about what a 1-page one does, and
 * reading must check the central directory against limits before inflating anything. fflate's
 * archive functions (de)compress every entry; its raw `inflateSync`/`deflateSync` are used here
 * (node:zlib's when running on Node: _flate.ts).
 *
 * Reading refuses, each with a clear `EsealError`: encrypted entries, ZIP64, multi-disk archives,
 * entry names with `..`, absolute paths, drive letters or NUL (`OFD_PATH_INVALID`), duplicate names,
 * local headers that disagree with the central directory, overlapping entries (a zip-bomb trick),
 * and entries or totals over the size, count and compression-ratio limits (`LIMIT_EXCEEDED`). An
 * entry is inflated only when read, into a buffer of its declared size, and must then match that
 * size and its CRC-32.
 */
import { deflateRaw, inflateRaw } from './_flate.js';
import { EsealError, fail } from '../util/errors.js';
import { utf8 as toUtf8 } from '../util/bytes.js';
import { crc32 } from '../util/crc32.js';
import { OFD_LIMITS, type OfdLimits } from './limits.js';

export interface ZipEntry {
  /** the name in the archive, e.g. "Doc_0/Pages/Page_0/Content.xml" (folders end with "/") */
  name: string;
  /** 0 = stored, 8 = deflated */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** general-purpose flags of the central directory record */
  flags: number;
  /** MS-DOS time and date fields, kept when the entry is copied */
  dosTime: number;
  dosDate: number;
  /** the compressed data as it sits in the archive (a view into the input) */
  raw: Uint8Array;
  isDirectory: boolean;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** by name */
  byName: Map<string, ZipEntry>;
  /** the uncompressed bytes of an entry (inflated once, size and CRC checked) */
  read(name: string): Uint8Array;
  has(name: string): boolean;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const latin = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks an entry or package path: relative, "/"-separated, no "..", no NUL, no drive letter. */
export function checkEntryName(name: string): void {
  if (name.length === 0) fail('OFD_PATH_INVALID', 'a ZIP entry has an empty name');
  if (name.length > 1024) fail('OFD_PATH_INVALID', `a ZIP entry name is ${name.length} characters long`);
  if (name.includes('\0')) fail('OFD_PATH_INVALID', `ZIP entry name "${name.replace(/\0/g, '\\0')}" contains NUL`);
  if (name.includes('\\')) fail('OFD_PATH_INVALID', `ZIP entry name "${name}" uses "\\" (paths in an OFD package use "/")`);
  if (name.startsWith('/')) fail('OFD_PATH_INVALID', `ZIP entry name "${name}" is an absolute path`);
  if (/^[A-Za-z]:/.test(name)) fail('OFD_PATH_INVALID', `ZIP entry name "${name}" starts with a drive letter`);
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '.')) fail('OFD_PATH_INVALID', `ZIP entry name "${name}" contains "." or ".." (path traversal)`);
  if (parts.slice(0, -1).some((p) => p === '')) fail('OFD_PATH_INVALID', `ZIP entry name "${name}" contains an empty path segment`);
}

function limitError(message: string, limit: keyof OfdLimits, value?: number): EsealError {
  return new EsealError('LIMIT_EXCEEDED', message, { limit, ...(value !== undefined ? { value } : {}) });
}

/** Parses the central directory; entry data is inflated lazily by `read`. */
export function readZip(bytes: Uint8Array, limits: OfdLimits = OFD_LIMITS): ZipArchive {
  if (!(bytes instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'the OFD must be given as bytes (Uint8Array)');
  const n = bytes.length;
  if (n < 22) fail('OFD_ZIP_MALFORMED', `not a ZIP file: ${n} bytes is too short for an OFD package`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // end of central directory: the last signature within the final 22 + 65535 bytes
  let eocd = -1;
  for (let p = n - 22; p >= Math.max(0, n - 22 - 65535); p--) {
    if (dv.getUint32(p, true) === SIG_EOCD && p + 22 + dv.getUint16(p + 20, true) <= n) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail('OFD_ZIP_MALFORMED', 'not a ZIP file: no end-of-central-directory record');
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === SIG_ZIP64_LOCATOR) fail('OFD_ZIP_UNSUPPORTED', 'ZIP64 archives are not supported (no OFD needs them: entries are far below 4 GiB)');
  const disk = dv.getUint16(eocd + 4, true);
  const cdDisk = dv.getUint16(eocd + 6, true);
  const countDisk = dv.getUint16(eocd + 8, true);
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (disk !== 0 || cdDisk !== 0 || countDisk !== count) fail('OFD_ZIP_UNSUPPORTED', 'multi-disk (split) ZIP archives are not supported');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) fail('OFD_ZIP_UNSUPPORTED', 'ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw limitError(`the package has ${count} ZIP entries; the limit is ${limits.maxEntries}`, 'maxEntries', count);
  if (cdOffset + cdSize > eocd) fail('OFD_ZIP_MALFORMED', 'the ZIP central directory lies outside the file');

  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  const spans: [number, number, string][] = [];
  let total = 0;
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdOffset + cdSize || dv.getUint32(p, true) !== SIG_CENTRAL) fail('OFD_ZIP_MALFORMED', `ZIP central directory record ${k + 1} of ${count} is damaged`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const dosTime = dv.getUint16(p + 12, true);
    const dosDate = dv.getUint16(p + 14, true);
    const crc = dv.getUint32(p + 16, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const diskStart = dv.getUint16(p + 34, true);
    const localOffset = dv.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) fail('OFD_ZIP_MALFORMED', `ZIP central directory record ${k + 1} runs past the directory`);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      name = latin.decode(nameBytes); // old tools write CP437; OFD names are ASCII in practice
    }
    p = end;
    if (diskStart !== 0) fail('OFD_ZIP_UNSUPPORTED', `ZIP entry "${name}" starts on another disk`);
    checkEntryName(name);
    if (byName.has(name)) fail('OFD_ZIP_DUPLICATE_ENTRY', `the ZIP has two entries named "${name}" (readers could disagree on which one is signed)`);
    if (flags & 0x0001) fail('OFD_ZIP_UNSUPPORTED', `ZIP entry "${name}" is encrypted`);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) fail('OFD_ZIP_UNSUPPORTED', `ZIP entry "${name}" uses ZIP64 sizes`);
    if (size > limits.maxEntrySize) throw limitError(`ZIP entry "${name}" expands to ${size} bytes; the limit for one entry is ${limits.maxEntrySize}`, 'maxEntrySize', size);
    total += size;
    if (total > limits.maxTotalSize) throw limitError(`the package expands to more than ${limits.maxTotalSize} bytes in total`, 'maxTotalSize', total);
    if (size >= limits.ratioCheckFrom && size > compressedSize * limits.maxCompressionRatio) {
      throw limitError(`ZIP entry "${name}" would expand ${Math.round(size / Math.max(1, compressedSize))} times (${compressedSize} → ${size} bytes); the limit is ${limits.maxCompressionRatio} (zip bomb?)`, 'maxCompressionRatio', size / Math.max(1, compressedSize));
    }
    // the local header must agree with the central directory
    if (localOffset + 30 > n || dv.getUint32(localOffset, true) !== SIG_LOCAL) fail('OFD_ZIP_MALFORMED', `the local header of ZIP entry "${name}" is missing or damaged`);
    const lNameLen = dv.getUint16(localOffset + 26, true);
    const lExtraLen = dv.getUint16(localOffset + 28, true);
    const lName = bytes.subarray(localOffset + 30, localOffset + 30 + lNameLen);
    if (lNameLen !== nameLen || !lName.every((b, i) => b === nameBytes[i])) fail('OFD_ZIP_MALFORMED', `the local header of ZIP entry "${name}" names another file`);
    const dataStart = localOffset + 30 + lNameLen + lExtraLen;
    const dataEnd = dataStart + compressedSize;
    if (dataEnd > n) fail('OFD_ZIP_MALFORMED', `the data of ZIP entry "${name}" runs past the end of the file`);
    const isDirectory = name.endsWith('/');
    const entry: ZipEntry = { name, method, crc, compressedSize, size, flags, dosTime, dosDate, raw: bytes.subarray(dataStart, dataEnd), isDirectory };
    entries.push(entry);
    byName.set(name, entry);
    spans.push([localOffset, dataEnd, name]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k][0] < spans[k - 1][1]) fail('OFD_ZIP_MALFORMED', `ZIP entries "${spans[k - 1][2]}" and "${spans[k][2]}" overlap (a zip-bomb construction)`);
  }
  if (spans.length && spans[spans.length - 1][1] > cdOffset) fail('OFD_ZIP_MALFORMED', 'a ZIP entry overlaps the central directory');

  const cache = new Map<string, Uint8Array>();
  const read = (name: string): Uint8Array => {
    const hit = cache.get(name);
    if (hit) return hit;
    const e = byName.get(name);
    if (!e) fail('OFD_MISSING_ENTRY', `the package has no file "${name}"`);
    const data = inflateEntry(e);
    cache.set(name, data);
    return data;
  };
  return { entries, byName, read, has: (name) => byName.has(name) };
}

/** Uncompressed bytes of an entry, exactly its declared size, CRC checked. */
export function inflateEntry(e: ZipEntry): Uint8Array {
  let data: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) fail('OFD_ZIP_MALFORMED', `stored ZIP entry "${e.name}" has different compressed and uncompressed sizes`);
    data = e.raw;
  } else if (e.method === 8) {
    try {
      data = inflateRaw(e.raw, e.size + 1); // one spare byte: a stream longer than declared shows up
    } catch (err) {
      throw new EsealError('OFD_ZIP_MALFORMED', `ZIP entry "${e.name}" cannot be decompressed: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (data.length !== e.size) fail('OFD_ZIP_MALFORMED', `ZIP entry "${e.name}" decompresses to ${data.length > e.size ? 'more' : data.length} bytes, not the declared ${e.size}`);
  } else {
    fail('OFD_ZIP_UNSUPPORTED', `ZIP entry "${e.name}" uses compression method ${e.method} (only stored and deflate are supported)`);
  }
  if (crc32(data) !== e.crc) fail('OFD_ZIP_MALFORMED', `ZIP entry "${e.name}" fails its CRC-32 check (damaged)`);
  return data;
}

/** An entry to write: a raw copy of an existing entry, or new bytes. */
export type ZipWriteEntry =
  | { name: string; copy: ZipEntry }
  | { name: string; data: Uint8Array; /** deflate (default true); binary such as .esl/.dat is better stored */ compress?: boolean; date?: Date };

export function dosDateTime(d: Date): { dosDate: number; dosTime: number } {
  // ZIP times are local wall-clock times without a zone; we write UTC (no clock, no zone database here).
  const y = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  return {
    dosDate: ((y - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    dosTime: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

const DEFAULT_DATE = dosDateTime(new Date(Date.UTC(2020, 0, 1)));

/** Writes a ZIP archive: copies are byte-for-byte (compressed data and CRC), new data is deflated or stored. */
export function writeZip(items: ZipWriteEntry[]): Uint8Array {
  interface Prepared {
    nameBytes: Uint8Array;
    method: number;
    crc: number;
    csize: number;
    size: number;
    flags: number;
    dosTime: number;
    dosDate: number;
    data: Uint8Array;
    offset: number;
  }
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  let offset = 0;
  for (const it of items) {
    if (!('copy' in it) || it.copy.name !== it.name) checkEntryName(it.name); // copies were checked when read
    if (seen.has(it.name)) fail('OFD_ZIP_DUPLICATE_ENTRY', `two entries named "${it.name}" would be written`);
    seen.add(it.name);
    const nameBytes = toUtf8(it.name);
    const utf8Flag = /[^\x20-\x7e]/.test(it.name) ? 0x0800 : 0;
    let p: Prepared;
    if ('copy' in it) {
      const e = it.copy;
      p = { nameBytes, method: e.method, crc: e.crc, csize: e.compressedSize, size: e.size, flags: (e.flags & 0x0806 & ~0x0008) | utf8Flag, dosTime: e.dosTime, dosDate: e.dosDate, data: e.raw, offset };
    } else {
      const compress = (it.compress ?? true) && it.data.length > 64;
      const data = compress ? deflateRaw(it.data) : it.data;
      const useDeflate = compress && data.length < it.data.length;
      const dt = it.date ? dosDateTime(it.date) : DEFAULT_DATE;
      p = { nameBytes, method: useDeflate ? 8 : 0, crc: crc32(it.data), csize: useDeflate ? data.length : it.data.length, size: it.data.length, flags: utf8Flag, dosTime: dt.dosTime, dosDate: dt.dosDate, data: useDeflate ? data : it.data, offset };
    }
    prepared.push(p);
    offset += 30 + nameBytes.length + p.csize;
  }
  const cdSize = prepared.reduce((s, p) => s + 46 + p.nameBytes.length, 0);
  if (prepared.length > 0xfffe || offset + cdSize > 0xfffffff0) fail('LIMIT_EXCEEDED', 'the package would need ZIP64');
  const out = new Uint8Array(offset + cdSize + 22);
  const dv = new DataView(out.buffer);
  let q = 0;
  for (const p of prepared) {
    dv.setUint32(q, SIG_LOCAL, true);
    dv.setUint16(q + 4, p.method === 8 ? 20 : 10, true);
    dv.setUint16(q + 6, p.flags, true);
    dv.setUint16(q + 8, p.method, true);
    dv.setUint16(q + 10, p.dosTime, true);
    dv.setUint16(q + 12, p.dosDate, true);
    dv.setUint32(q + 14, p.crc >>> 0, true);
    dv.setUint32(q + 18, p.csize, true);
    dv.setUint32(q + 22, p.size, true);
    dv.setUint16(q + 26, p.nameBytes.length, true);
    dv.setUint16(q + 28, 0, true);
    out.set(p.nameBytes, q + 30);
    out.set(p.data, q + 30 + p.nameBytes.length);
    q += 30 + p.nameBytes.length + p.csize;
  }
  const cdStart = q;
  for (const p of prepared) {
    dv.setUint32(q, SIG_CENTRAL, true);
    dv.setUint16(q + 4, 20, true); // made by: MS-DOS / FAT, spec 2.0
    dv.setUint16(q + 6, p.method === 8 ? 20 : 10, true);
    dv.setUint16(q + 8, p.flags, true);
    dv.setUint16(q + 10, p.method, true);
    dv.setUint16(q + 12, p.dosTime, true);
    dv.setUint16(q + 14, p.dosDate, true);
    dv.setUint32(q + 16, p.crc >>> 0, true);
    dv.setUint32(q + 20, p.csize, true);
    dv.setUint32(q + 24, p.size, true);
    dv.setUint16(q + 28, p.nameBytes.length, true);
    // extra, comment, disk, internal attrs: 0
    dv.setUint32(q + 38, p.nameBytes[p.nameBytes.length - 1] === 0x2f ? 0x10 : 0, true); // MS-DOS directory attribute
    dv.setUint32(q + 42, p.offset, true);
    out.set(p.nameBytes, q + 46);
    q += 46 + p.nameBytes.length;
  }
  dv.setUint32(q, SIG_EOCD, true);
  dv.setUint16(q + 8, prepared.length, true);
  dv.setUint16(q + 10, prepared.length, true);
  dv.setUint32(q + 12, q - cdStart, true);
  dv.setUint32(q + 16, cdStart, true);
  return out;
}
