/** Cheap content sniffing: the names in a zip's central directory, read without inflating anything. */

/** Entry names of a zip (from the end-of-central-directory record); [] when it is not a readable zip. */
export function readZipEntryNames(b: Uint8Array, max = 10_000): string[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const names: string[] = [];
  const dec = new TextDecoder();
  for (let n = 0; n < Math.min(count, max) && p + 46 <= b.length; n++) {
    if (dv.getUint32(p, true) !== 0x02014b50) break;
    const nameLen = dv.getUint16(p + 28, true);
    const extra = dv.getUint16(p + 30, true);
    const comment = dv.getUint16(p + 32, true);
    names.push(dec.decode(b.subarray(p + 46, Math.min(b.length, p + 46 + nameLen))));
    p += 46 + nameLen + extra + comment;
  }
  return names;
}
