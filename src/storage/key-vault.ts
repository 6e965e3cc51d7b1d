/**
 * @module storage/key-vault
 * Private keys at rest: `Sm4KeyVault` seals them with SM4-CTR + HMAC-SM3 (sm/sm4-aead.ts) under the
 * 32-byte master key, with the key record's id as associated data (an envelope copied to another
 * record does not open). `loadMasterKey` reads the master key from an environment variable's value or
 * a file, or generates one into a file (mode 0600) on first start.
 *
 * Key material never appears in messages, errors or logs: errors say which source and what shape was
 * wrong, never the bytes.
 */
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyVault } from '../core/ports.js';
import type { Id } from '../core/domain/types.js';
import { randomBytes } from '../sm/_node.js';
import { openWithSm4, sealWithSm4, SM4_MASTER_KEY_SIZE } from '../sm/sm4-aead.js';
import { fromBase64 } from '../util/base64.js';
import { fromHex, toHex, utf8 } from '../util/bytes.js';
import { EsealError, fail } from '../util/errors.js';

export class Sm4KeyVault implements KeyVault {
  readonly #master: Uint8Array;

  constructor(masterKey: Uint8Array) {
    if (!(masterKey instanceof Uint8Array) || masterKey.length !== SM4_MASTER_KEY_SIZE) {
      fail('INVALID_ARGUMENT', `the master key must be ${SM4_MASTER_KEY_SIZE} bytes`);
    }
    this.#master = Uint8Array.from(masterKey);
  }

  static #aad(keyId: Id): Uint8Array {
    if (typeof keyId !== 'string' || keyId === '') fail('INVALID_ARGUMENT', 'a key id is required (it is bound into the envelope)');
    return utf8(keyId);
  }

  seal(keyId: Id, privateKey: Uint8Array): Uint8Array {
    return sealWithSm4(this.#master, privateKey, { aad: Sm4KeyVault.#aad(keyId) });
  }

  /** AUTHENTICATION_FAILED for a wrong master key, another record's envelope or any modified byte */
  open(keyId: Id, envelope: Uint8Array): Uint8Array {
    return openWithSm4(this.#master, envelope, { aad: Sm4KeyVault.#aad(keyId) });
  }

  /** never serialises the key (the master key is a private field anyway) */
  toJSON(): string {
    return '[Sm4KeyVault]';
  }
}

export interface LoadMasterKeyOptions {
  /** a file holding the key: 32 raw bytes, 64 hex digits or base64 (surrounding whitespace ignored) */
  file?: string;
  /** the value of an environment variable holding the key (64 hex digits or base64); wins over `file` */
  env?: string;
  /** when `env` is empty and `file` does not exist, generate a key into `file` (mode 0600) */
  createIfMissing?: boolean;
}

export interface LoadedMasterKey {
  key: Uint8Array;
  source: 'env' | 'file' | 'generated';
  /** the file read or written */
  file?: string;
  /** true when the key was generated now: the caller warns that it must be backed up */
  generated: boolean;
  /** problems that do not prevent use, e.g. a key file readable by group or others */
  warnings: string[];
}

/** Decodes a key from text: 64 hex digits, or base64 / base64url of 32 bytes. */
function decodeText(text: string, where: string): Uint8Array {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return fromHex(t);
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = fromBase64(t.replace(/-/g, '+').replace(/_/g, '/'));
    } catch {
      bytes = undefined;
    }
    if (bytes && bytes.length === SM4_MASTER_KEY_SIZE) return bytes;
    if (bytes) fail('MASTER_KEY_INVALID', `the master key in ${where} decodes (base64) to ${bytes.length} bytes; ${SM4_MASTER_KEY_SIZE} are needed`, { source: where });
  }
  fail('MASTER_KEY_INVALID', `the master key in ${where} is not 64 hex digits or base64 of ${SM4_MASTER_KEY_SIZE} bytes (${t.length} characters)`, { source: where });
}

function decodeFile(data: Uint8Array, file: string): Uint8Array {
  if (data.length === SM4_MASTER_KEY_SIZE) {
    // 32 bytes could also be… nothing else: hex needs 64 characters and base64 of 32 bytes 44
    return Uint8Array.from(data);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    fail('MASTER_KEY_INVALID', `the master key file ${file} is neither ${SM4_MASTER_KEY_SIZE} raw bytes nor text (${data.length} bytes)`, { source: 'file', file });
  }
  return decodeText(text, `file ${file}`);
}

/**
 * Loads the master key: from `env` (an environment variable's value) when it is non-empty, else from
 * `file`; when neither has one and `createIfMissing` is set, generates a random key into `file` (64 hex
 * digits and a newline, mode 0600; two processes starting at once agree on one key). The returned object says where the key came from; it never logs.
 */
export async function loadMasterKey(opts: LoadMasterKeyOptions): Promise<LoadedMasterKey> {
  const env = opts.env?.trim();
  if (env) return { key: decodeText(env, 'the environment variable'), source: 'env', generated: false, warnings: [] };
  if (!opts.file) fail('MASTER_KEY_MISSING', 'no master key: give a key file or an environment variable holding the key');
  const file = opts.file;
  const read = async (): Promise<LoadedMasterKey | undefined> => {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw new EsealError('MASTER_KEY_UNREADABLE', `the master key file ${file} cannot be read: ${(e as { code?: string }).code ?? 'error'}`, { file }, { cause: e });
    }
    const warnings: string[] = [];
    const mode = (await stat(file)).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      warnings.push(`the master key file ${file} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`);
    }
    return { key: decodeFile(new Uint8Array(data), file), source: 'file', file, generated: false, warnings };
  };
  const existing = await read();
  if (existing) return existing;
  if (!opts.createIfMissing) fail('MASTER_KEY_MISSING', `the master key file ${file} does not exist`, { file });
  const key = randomBytes(SM4_MASTER_KEY_SIZE);
  await mkdir(dirname(file), { recursive: true });
  // written completely to a temp file, then linked into place: link() fails if the file exists, so two
  // processes starting at once agree on one key, and neither ever reads a half-written file
  const tmp = `${file}.${toHex(randomBytes(6))}.tmp`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(`${toHex(key)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, 0o600);
    try {
      await link(tmp, file);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') {
        const other = await read();
        if (other) return other;
      }
      throw e;
    }
  } catch (e) {
    if (e instanceof EsealError) throw e;
    throw new EsealError('MASTER_KEY_UNREADABLE', `the master key file ${file} cannot be created: ${(e as { code?: string }).code ?? 'error'}`, { file }, { cause: e });
  } finally {
    await unlink(tmp).catch(() => {});
  }
  return { key, source: 'generated', file, generated: true, warnings: [] };
}
