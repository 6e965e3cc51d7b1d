/**
 * @module ofd/_write
 * Small helpers for writing OFD XML exactly: number formatting for ST_Box / ST_Array (millimetres,
 * at most 3 decimals, no exponent, no trailing zeros) and the namespace we write.
 */
export const OFD_NS = 'http://www.ofdspec.org/2016';
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** 12.5 → "12.5", 1/3 → "0.333", -0 → "0", 1e-7 → "0". */
export function num(n: number, decimals = 3): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as an OFD number`);
  const f = 10 ** decimals;
  const r = Math.round(n * f) / f;
  if (Object.is(r, -0) || r === 0) return '0';
  return r.toFixed(decimals).replace(/\.?0+$/, '');
}

export const box = (x: number, y: number, w: number, h: number): string => `${num(x)} ${num(y)} ${num(w)} ${num(h)}`;

/** DeltaX with the "g N v" repetition for runs of 3 or more equal values (§11.3). */
export function deltas(values: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    const v = num(values[i]);
    while (j < values.length && num(values[j]) === v) j++;
    const run = j - i;
    if (run >= 3) parts.push(`g ${run} ${v}`);
    else for (let k = 0; k < run; k++) parts.push(v);
    i = j;
  }
  return parts.join(' ');
}
