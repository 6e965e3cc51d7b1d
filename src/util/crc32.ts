/**
 * @module util/crc32
 * CRC-32 (ISO 3309 / ITU-T V.42, the ZIP checksum). node:zlib's native `crc32` when running on a
 * Node that has it (reached without importing it, as sm/_node.ts does for crypto, so this layer still
 * loads in a browser), else a table-driven TypeScript version giving the same values.
 */
type Crc32Fn = (data: Uint8Array, value?: number) => number;
type ProcessLike = { getBuiltinModule?: (id: string) => unknown };

function nodeCrc32(): Crc32Fn | undefined {
  try {
    const p = (globalThis as { process?: ProcessLike }).process;
    const z = p?.getBuiltinModule?.('node:zlib') as { crc32?: Crc32Fn } | undefined;
    return typeof z?.crc32 === 'function' ? z.crc32 : undefined;
  } catch {
    return undefined;
  }
}

let table: Uint32Array | undefined;

/** Pure TypeScript CRC-32 (exported for the cross-check test). */
export function crc32Pure(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = nodeCrc32();

export function crc32(data: Uint8Array): number {
  return native ? native(data) >>> 0 : crc32Pure(data);
}
