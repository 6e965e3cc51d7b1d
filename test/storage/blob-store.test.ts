import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { sm3 } from '../../src/sm/sm3.js';
import { FileBlobStore, MAX_BLOB_BYTES } from '../../src/storage/index.js';

const dir = mkdtempSync(join(tmpdir(), 'eseal-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileBlobStore', () => {
  it('stores content under its SM3, in sharded folders, once', async () => {
    const blobs = new FileBlobStore(dir);
    const data = utf8('电子印章 test document');
    const ref = await blobs.put(data);
    expect(ref).toBe(toHex(sm3(data)));
    expect(statSync(join(dir, ref.slice(0, 2), ref.slice(2, 4), ref)).isFile()).toBe(true);
    expect(await blobs.has(ref)).toBe(true);
    const back = await blobs.get(ref);
    expect(back).toEqual(data);
    expect(back).toBeInstanceOf(Uint8Array);
    expect(await blobs.put(data)).toBe(ref);
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
    expect(await blobs.put(new Uint8Array(0))).toBe(toHex(sm3(new Uint8Array(0))));
  });

  it('a missing ref gives undefined; a malformed ref is refused (no path traversal)', async () => {
    const blobs = new FileBlobStore(dir);
    expect(await blobs.get('0'.repeat(64))).toBeUndefined();
    expect(await blobs.has('0'.repeat(64))).toBe(false);
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), '0'.repeat(63), '']) {
      await expect(blobs.get(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('concurrent puts of the same and of different contents', async () => {
    const blobs = new FileBlobStore(dir);
    const same = utf8('same bytes');
    const refs = await Promise.all([...Array.from({ length: 10 }, () => blobs.put(same)), ...Array.from({ length: 10 }, (_, i) => blobs.put(utf8(`doc ${i}`)))]);
    expect(new Set(refs.slice(0, 10)).size).toBe(1);
    expect(new Set(refs).size).toBe(11);
    for (const r of refs) expect(await blobs.has(r)).toBe(true);
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
  });

  it('detects a blob changed on disk, and refuses oversized blobs', async () => {
    const blobs = new FileBlobStore(dir);
    const ref = await blobs.put(utf8('original'));
    writeFileSync(blobs.pathOf(ref), 'tampered');
    await expect(blobs.get(ref)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
    expect(await new FileBlobStore(dir, { verifyOnRead: false }).get(ref)).toEqual(utf8('tampered'));
    const small = new FileBlobStore(dir, { maxBytes: 10 });
    await expect(small.put(new Uint8Array(11))).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(MAX_BLOB_BYTES).toBe(256 * 1024 * 1024);
  });
});
