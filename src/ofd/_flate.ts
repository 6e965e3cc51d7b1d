/**
 * @module ofd/_flate
 * Raw DEFLATE (RFC 1951) for ZIP entries: fflate, the pure TypeScript codec that runs everywhere,
 * and node:zlib's native deflate when running on Node (reached without importing it, as
 * sm/_node.ts does for crypto): about 3x faster for the few small XML files a stamp writes.
 * Both produce valid DEFLATE streams. Inflating is bounded either way: node:zlib stops at
 * `maxOutputLength`, fflate writes into a buffer of that size (zip.ts then checks size and CRC).
 */
import { deflateSync, inflateSync } from 'fflate';
import { EsealError } from '../util/errors.js';

type NodeZlib = { deflateRawSync(data: Uint8Array, opts?: { level?: number }): Uint8Array; inflateRawSync(data: Uint8Array, opts?: { maxOutputLength?: number }): Uint8Array };
type ProcessLike = { getBuiltinModule?: (id: string) => unknown };

function nodeZlib(): NodeZlib | undefined {
  try {
    const p = (globalThis as { process?: ProcessLike }).process;
    const z = p?.getBuiltinModule?.('node:zlib') as NodeZlib | undefined;
    return typeof z?.deflateRawSync === 'function' ? z : undefined;
  } catch {
    return undefined;
  }
}

const native = nodeZlib();

export function deflateRaw(data: Uint8Array, level: 1 | 6 | 9 = 6): Uint8Array {
  if (native) {
    const b = native.deflateRawSync(data, { level });
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return deflateSync(data, { level });
}

/**
 * Inflates raw DEFLATE to at most `max` bytes (a longer stream is cut at `max`, or refused with
 * LIMIT_EXCEEDED by node:zlib; the caller compares the length with the declared size).
 */
export function inflateRaw(data: Uint8Array, max: number): Uint8Array {
  if (native) {
    try {
      const b = native.inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return new Uint8Array(max + 1); // longer than allowed
      throw new EsealError('OFD_ZIP_MALFORMED', `invalid DEFLATE data: ${(e as Error).message}`);
    }
  }
  return inflateSync(data, { out: new Uint8Array(max) });
}
