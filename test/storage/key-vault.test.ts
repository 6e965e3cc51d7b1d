import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/util/base64.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { Sm4KeyVault, loadMasterKey } from '../../src/storage/index.js';

const dir = mkdtempSync(join(tmpdir(), 'eseal-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MASTER = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('Sm4KeyVault', () => {
  it('seals and opens with the key id as associated data', () => {
    const vault = new Sm4KeyVault(MASTER);
    const d = fromHex('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8');
    const env = vault.seal('key-1', d);
    expect(env.length).toBe(32 + 53);
    expect(vault.open('key-1', env)).toEqual(d);
    expect(() => vault.open('key-2', env)).toThrow(expect.objectContaining({ code: 'AUTHENTICATION_FAILED' }));
    expect(() => new Sm4KeyVault(new Uint8Array(32).fill(1)).open('key-1', env)).toThrow(expect.objectContaining({ code: 'AUTHENTICATION_FAILED' }));
    const bad = env.slice();
    bad[30] ^= 1;
    expect(() => vault.open('key-1', bad)).toThrow(expect.objectContaining({ code: 'AUTHENTICATION_FAILED' }));
    expect(() => vault.seal('', d)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new Sm4KeyVault(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(JSON.stringify({ vault })).not.toContain('0001');
  });

  it('keeps its own copy of the master key', () => {
    const key = MASTER.slice();
    const vault = new Sm4KeyVault(key);
    const env = vault.seal('k', new Uint8Array([1, 2, 3]));
    key.fill(0);
    expect(vault.open('k', env)).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('loadMasterKey', () => {
  it('reads 32 raw bytes, 64 hex digits or base64 from a file', async () => {
    const raw = join(dir, 'raw.key');
    writeFileSync(raw, MASTER, { mode: 0o600 });
    expect(await loadMasterKey({ file: raw })).toMatchObject({ key: MASTER, source: 'file', generated: false, warnings: [] });
    const hex = join(dir, 'hex.key');
    writeFileSync(hex, `${toHex(MASTER)}\n`, { mode: 0o600 });
    expect((await loadMasterKey({ file: hex })).key).toEqual(MASTER);
    const b64 = join(dir, 'b64.key');
    writeFileSync(b64, ` ${toBase64(MASTER)}\r\n`, { mode: 0o600 });
    expect((await loadMasterKey({ file: b64 })).key).toEqual(MASTER);
  });

  it('reads an environment variable value (which wins over the file)', async () => {
    expect(await loadMasterKey({ env: toHex(MASTER).toUpperCase(), file: join(dir, 'nope') })).toMatchObject({ key: MASTER, source: 'env' });
    expect((await loadMasterKey({ env: toBase64(MASTER) })).key).toEqual(MASTER);
  });

  it('refuses wrong keys without echoing them', async () => {
    const secret = 'ab'.repeat(31);
    const e = (await loadMasterKey({ env: secret }).catch((x: unknown) => x)) as Error & { code: string };
    expect(e).toMatchObject({ code: 'MASTER_KEY_INVALID' });
    expect(e.message).not.toContain(secret);
    const short = toBase64(new Uint8Array(16).fill(9));
    const e2 = (await loadMasterKey({ env: short }).catch((x: unknown) => x)) as Error & { code: string };
    expect(e2).toMatchObject({ code: 'MASTER_KEY_INVALID' });
    expect(e2.message).not.toContain(short);
    const bin = join(dir, 'bin.key');
    writeFileSync(bin, new Uint8Array(33).fill(0xff), { mode: 0o600 });
    await expect(loadMasterKey({ file: bin })).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
    await expect(loadMasterKey({ file: join(dir, 'missing.key') })).rejects.toMatchObject({ code: 'MASTER_KEY_MISSING' });
    await expect(loadMasterKey({})).rejects.toMatchObject({ code: 'MASTER_KEY_MISSING' });
  });

  it('generates a key into a 0600 file when asked, and reads that one afterwards', async () => {
    const file = join(dir, 'data', 'master.key');
    const first = await loadMasterKey({ file, createIfMissing: true });
    expect(first).toMatchObject({ source: 'generated', generated: true, file });
    expect(first.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(toHex(first.key));
    const again = await loadMasterKey({ file, createIfMissing: true });
    expect(again).toMatchObject({ source: 'file', generated: false });
    expect(again.key).toEqual(first.key);
  });

  it('several loaders starting at once agree on one generated key', async () => {
    const file = join(dir, 'race', 'master.key');
    const all = await Promise.all(Array.from({ length: 8 }, () => loadMasterKey({ file, createIfMissing: true })));
    expect(all.filter((k) => k.generated)).toHaveLength(1);
    for (const k of all) expect(k.key).toEqual(all[0].key);
  });

  it('warns about a key file readable by others', async () => {
    const file = join(dir, 'open.key');
    writeFileSync(file, toHex(MASTER));
    chmodSync(file, 0o644);
    const k = await loadMasterKey({ file });
    expect(k.warnings).toHaveLength(1);
    expect(k.warnings[0]).toContain('chmod 600');
  });
});
