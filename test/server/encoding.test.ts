/** The server's JSON text for large base64 values (server/encoding.ts). */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { b64encode, jsonWithBase64 } from '../../src/server/encoding.js';

describe('jsonWithBase64', () => {
  it('writes exactly what JSON.stringify writes, with fields that need escaping and without other fields', () => {
    for (const n of [0, 1, 2, 3, 24_000]) {
      const b64 = b64encode(randomBytes(n));
      const fields = { stampId: 'a"b\\c', note: '印章\u2028\n', n: 3, nested: { x: [1, null] }, gone: undefined };
      expect(jsonWithBase64('signature', b64, fields)).toBe(JSON.stringify({ signature: b64, ...fields }));
      expect(jsonWithBase64('signature', b64, {})).toBe(JSON.stringify({ signature: b64 }));
      expect(JSON.parse(jsonWithBase64('sig"nature', b64, fields))['sig"nature']).toBe(b64);
    }
  });
});
