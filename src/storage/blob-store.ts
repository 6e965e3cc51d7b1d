/**
 * @module storage/blob-store
 * Documents, pictures and materials on the file system, content-addressed: the ref of some bytes is
 * their SM3 digest in lowercase hex, so the same bytes are stored once and a ref names exactly one
 * content. Layout: `DIR/ab/cd/abcd…(64 hex)`, two levels of 256 shards. Writes go to `DIR/.tmp/` first
 * (same file system), are fsynced, then renamed into place: a reader never sees a partial blob, and a
 * crash leaves at most a stray temp file. Reads check the digest again (bit rot, tampering).
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../core/ports.js';
import { randomBytes } from '../sm/_node.js';
import { sm3 } from '../sm/sm3.js';
import { toHex } from '../util/bytes.js';
import { EsealError, fail } from '../util/errors.js';

/** The largest blob accepted: 256 MiB (documents are limited further by the platform settings). */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;

const REF = /^[0-9a-f]{64}$/;

export function isBlobRef(ref: unknown): ref is string {
  return typeof ref === 'string' && REF.test(ref);
}

export interface FileBlobStoreOptions {
  /** check the SM3 digest on every read (default true) */
  verifyOnRead?: boolean;
  /** largest blob accepted (default MAX_BLOB_BYTES) */
  maxBytes?: number;
}

export class FileBlobStore implements BlobStore {
  readonly dir: string;
  readonly #verify: boolean;
  readonly #max: number;

  constructor(dir: string, opts: FileBlobStoreOptions = {}) {
    if (typeof dir !== 'string' || dir === '') fail('INVALID_ARGUMENT', 'the blob store needs a directory');
    this.dir = dir;
    this.#verify = opts.verifyOnRead ?? true;
    this.#max = Math.min(opts.maxBytes ?? MAX_BLOB_BYTES, MAX_BLOB_BYTES);
  }

  /** where a blob lives (the ref must be well-formed) */
  pathOf(ref: string): string {
    if (!isBlobRef(ref)) fail('INVALID_ARGUMENT', 'a blob ref is 64 lowercase hex digits (the SM3 of the content)', { field: 'ref' });
    return join(this.dir, ref.slice(0, 2), ref.slice(2, 4), ref);
  }

  async put(data: Uint8Array): Promise<string> {
    if (!(data instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'a blob must be a Uint8Array');
    if (data.length > this.#max) fail('LIMIT_EXCEEDED', `a blob of ${data.length} bytes is larger than the limit of ${this.#max} bytes`, { size: data.length, limit: this.#max });
    const ref = toHex(sm3(data));
    const path = this.pathOf(ref);
    if (await this.has(ref)) return ref;
    const tmpDir = join(this.dir, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(this.dir, ref.slice(0, 2), ref.slice(2, 4)), { recursive: true });
    const tmp = join(tmpDir, `${ref}.${toHex(randomBytes(8))}`);
    const fh = await open(tmp, 'wx', 0o640);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    try {
      // atomic replace: a concurrent put of the same content writes the same bytes
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return ref;
  }

  async get(ref: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(ref);
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    }
    const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (this.#verify && toHex(sm3(data)) !== ref) {
      throw new EsealError('BLOB_CORRUPT', `blob ${ref} does not match its digest (changed or damaged on disk)`, { ref });
    }
    return data;
  }

  async has(ref: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(ref))).isFile();
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return false;
      throw e;
    }
  }
}
