/**
 * @module server/encoding
 * Bytes → base64 with Node's encoder. The portable util/base64 serves the pure layers (which also run in
 * browsers); on the server's hot path — a 47 KB SES_Signature per signed hash — Buffer is ~20x faster.
 */
export function b64encode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/**
 * JSON text of `fields` with `base64Field` (a base64 string) first. Base64 needs no escaping in JSON,
 * so it is pasted in rather than passed through JSON.stringify, which scans a 32 KB signature in
 * ~45 µs (a tenth of the hash-signing endpoint's main-thread time). Same text as JSON.stringify of
 * `{ [base64Field]: base64, ...fields }`.
 */
export function jsonWithBase64(base64Field: string, base64: string, fields: Record<string, unknown>): string {
  const rest = JSON.stringify(fields);
  return `{${JSON.stringify(base64Field)}:"${base64}"${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
}
