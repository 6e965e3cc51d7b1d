/**
 * @module pdf/_zlib
 * Flate (RFC 1950/1951) through node:zlib without importing it, as `sm/_node.ts` does for crypto:
 * `process.getBuiltinModule` hands the module over synchronously on Node, so this layer still loads
 * in a browser (where PDF stamping then reports that Flate is unavailable). Computation only.
 * Inflation is always bounded (`maxOutputLength`): a decompression bomb stops at the limit.
 */
import type * as NodeZlib from 'node:zlib';
import { EsealError, fail } from '../util/errors.js';

type ProcessLike = { getBuiltinModule?: (id: string) => unknown };

function load(): typeof NodeZlib | undefined {
  try {
    const p = (globalThis as { process?: ProcessLike }).process;
    return p?.getBuiltinModule?.('node:zlib') as typeof NodeZlib | undefined;
  } catch {
    return undefined;
  }
}

const zlib = load();

function need(): typeof NodeZlib {
  return zlib ?? fail('ALGORITHM_UNSUPPORTED', 'Flate compression needs node:zlib, which is not available here');
}

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** zlib-wrapped deflate (what /FlateDecode expects). */
export function deflate(data: Uint8Array, level = 6): Uint8Array {
  return u8(need().deflateSync(data, { level }));
}

/**
 * Inflates zlib (or, failing that, raw deflate) data to at most `maxOutput` bytes. Truncated
 * streams (common in damaged files) give what could be decoded. Throws LIMIT_EXCEEDED past the limit.
 */
export function inflate(data: Uint8Array, maxOutput: number): Uint8Array {
  const z = need();
  const opts = { maxOutputLength: Math.max(1, maxOutput), finishFlush: z.constants.Z_SYNC_FLUSH };
  try {
    return u8(z.inflateSync(data, opts));
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new EsealError('LIMIT_EXCEEDED', `a compressed PDF stream expands to more than ${maxOutput} bytes (decompression bomb?)`, { limit: 'maxStreamDecodedSize' });
    }
    try {
      return u8(z.inflateRawSync(data, opts));
    } catch (e2) {
      if ((e2 as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new EsealError('LIMIT_EXCEEDED', `a compressed PDF stream expands to more than ${maxOutput} bytes (decompression bomb?)`, { limit: 'maxStreamDecodedSize' });
      }
      throw new EsealError('PDF_STREAM_MALFORMED', `a Flate-compressed PDF stream cannot be decompressed: ${(e as Error).message}`);
    }
  }
}
