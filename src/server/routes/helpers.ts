/**
 * @module server/routes/helpers
 * What the route handlers share: the route declaration, bytes from base64 and from raw or multipart
 * bodies, placement from the query string.
 */
import type { FastifyRequest } from 'fastify';
import type { Placement } from '../../core/index.js';
import { httpError } from '../errors.js';
import { mediaTypeOf, RAW_TYPES } from '../plugins/app/content.js';
import type { RouteDeclaration } from '../types.js';

export { b64encode, jsonWithBase64 } from '../encoding.js';

/** The `config` of a route: its declaration for the auth, content, docs and audit plugins. */
export function declare(decl: RouteDeclaration): { eseal: RouteDeclaration } {
  return { eseal: decl };
}

/** base64 (checked by the schema's pattern) → bytes. */
export function b64(s: string, field: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw httpError('BASE64_MALFORMED', `${field} is not valid base64`, { field });
  const b = Buffer.from(clean, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function asBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  data: Uint8Array;
}

/**
 * The uploaded documents of a request: the raw body (one document), or the files of a multipart body
 * (fields named `fileField`). Text fields of a multipart body are refused: options go in the query.
 */
export async function uploadedFiles(req: FastifyRequest, fileField: string, max: number): Promise<UploadedFile[]> {
  const type = mediaTypeOf(req.headers['content-type']);
  const limit = req.server.deps.settings.maxDocumentBytes;
  if (type && RAW_TYPES.includes(type)) {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw httpError('VALIDATION', 'the request body (the document) is empty', { field: 'body' });
    if (req.body.length > limit) throw httpError('LIMIT_EXCEEDED', `the document is larger than ${limit} bytes`, { limit });
    return [{ field: 'body', name: 'document', type, data: asBytes(req.body) }];
  }
  if (type === 'multipart/form-data') {
    const files: UploadedFile[] = [];
    for await (const part of req.parts()) {
      if (part.type !== 'file') throw httpError('VALIDATION', `unexpected multipart field "${part.fieldname}": send options in the query string`, { field: part.fieldname });
      if (part.fieldname !== fileField) throw httpError('VALIDATION', `unexpected multipart file "${part.fieldname}": the documents go in "${fileField}"`, { field: part.fieldname });
      if (files.length >= max) throw httpError('LIMIT_EXCEEDED', `at most ${max} documents`);
      const data = await part.toBuffer();
      files.push({ field: part.fieldname, name: (part.filename || `document-${files.length + 1}`).slice(0, 200), type: part.mimetype, data: asBytes(data) });
    }
    if (files.length === 0) throw httpError('VALIDATION', `no document: send the file in the multipart field "${fileField}"`, { field: fileField });
    return files;
  }
  throw httpError('UNSUPPORTED_MEDIA_TYPE', `send the document as ${RAW_TYPES.join(', ')} or multipart/form-data`);
}

export interface StampQueryInput {
  page?: number;
  x?: number;
  y?: number;
  unit?: 'mm' | 'pt';
  keyword?: string;
  occurrence?: string;
  crossPage?: boolean;
  pageFrom?: number;
  pageTo?: number;
  documentType?: string;
  approvalId?: string;
  lock?: boolean;
  timeStamp?: boolean;
  reason?: string;
  location?: string;
}

export function placementOf(q: StampQueryInput): Placement {
  if ((q.pageFrom === undefined) !== (q.pageTo === undefined)) throw httpError('VALIDATION', 'give both pageFrom and pageTo (a cross-page seal over those pages)', { field: q.pageFrom === undefined ? 'pageFrom' : 'pageTo' });
  if (q.pageFrom !== undefined && q.pageTo !== undefined && q.pageTo < q.pageFrom) throw httpError('VALIDATION', 'pageTo must not be before pageFrom', { field: 'pageTo' });
  if ((q.x === undefined) !== (q.y === undefined)) throw httpError('VALIDATION', 'give both x and y', { field: q.x === undefined ? 'x' : 'y' });
  const p: Placement = {};
  if (q.page !== undefined) p.page = q.page;
  if (q.x !== undefined) p.x = q.x;
  if (q.y !== undefined) p.y = q.y;
  if (q.unit !== undefined) p.unit = q.unit;
  if (q.keyword !== undefined) p.keyword = q.keyword;
  if (q.occurrence !== undefined) p.occurrence = q.occurrence === 'all' ? 'all' : Number(q.occurrence);
  if (q.crossPage !== undefined) p.crossPage = q.crossPage;
  if (q.pageFrom !== undefined && q.pageTo !== undefined) p.pages = [q.pageFrom, q.pageTo];
  return p;
}

export function dateOf(s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw httpError('VALIDATION', `"${s}" is not an ISO 8601 date-time`);
  return d;
}

/** Drops undefined values from an input object (core inputs use optional properties). */
export function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}
