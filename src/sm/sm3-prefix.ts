/**
 * @module sm/sm3-prefix
 * SM3 over messages that repeat a long prefix, hashing the prefix once.
 *
 * Every TBS_Sign (签章信息) of a seal starts with the same bytes: its header and the whole SESeal,
 * picture included — tens of KiB — before the few hundred bytes that change per signature (time,
 * document hash, property info). The same holds for the SES_Signature that wraps it. A cache keeps
 * the SM3 state after such a prefix and finishes each digest from a copy of it, so a server signing
 * many hashes with one seal hashes ~300 bytes per signature instead of ~20 KiB.
 *
 * The prefix is not declared by the caller: it is learned as the longest common start of two
 * successive messages (when that is at least `minPrefix` bytes), and checked byte for byte on every
 * use, so a message that does not start with it is simply hashed in full. Output is always exactly
 * SM3(head ‖ message).
 */
import { createSm3, type IncrementalHash } from './sm3.js';

type BufferLike = { compare(a: Uint8Array, b: Uint8Array): number };
const nodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/** a starts with p (memcmp through Node's Buffer when there is one: ~50x a JavaScript loop) */
function startsWith(a: Uint8Array, p: Uint8Array): boolean {
  if (a.length < p.length) return false;
  if (nodeBuffer) return nodeBuffer.compare(a.subarray(0, p.length), p) === 0;
  for (let i = 0; i < p.length; i++) if (a[i] !== p[i]) return false;
  return true;
}

function commonPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export interface Sm3PrefixCacheOptions {
  /** bytes hashed before every message (SM2's Z); default none */
  head?: Uint8Array;
  /** shortest prefix worth keeping; default 4 KiB */
  minPrefix?: number;
  /** prefixes kept, most recently used first; default 4 */
  maxEntries?: number;
  /** longer messages are hashed in full and not remembered (documents of many MiB); default 1 MiB */
  maxMessage?: number;
}

export class Sm3PrefixCache {
  private readonly head: Uint8Array;
  private readonly minPrefix: number;
  private readonly maxEntries: number;
  private readonly maxMessage: number;
  private entries: { prefix: Uint8Array; state: IncrementalHash }[] = [];
  private previous: Uint8Array | undefined;

  constructor(opts: Sm3PrefixCacheOptions = {}) {
    this.head = opts.head?.slice() ?? new Uint8Array(0);
    this.minPrefix = opts.minPrefix ?? 4096;
    this.maxEntries = opts.maxEntries ?? 4;
    this.maxMessage = opts.maxMessage ?? 1024 * 1024;
  }

  /** SM3(head ‖ message). */
  digest(message: Uint8Array): Uint8Array {
    if (message.length < this.minPrefix || message.length > this.maxMessage) return createSm3().update(this.head).update(message).digest();
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      if (startsWith(message, e.prefix)) {
        if (i > 0) this.entries.unshift(...this.entries.splice(i, 1));
        return e.state.clone().update(message.subarray(e.prefix.length)).digest();
      }
    }
    const previous = this.previous;
    // a copy: the caller may reuse its buffer
    this.previous = message.slice();
    const length = previous ? commonPrefixLength(previous, message) : 0;
    if (length < this.minPrefix) return createSm3().update(this.head).update(message).digest();
    const state = createSm3().update(this.head).update(message.subarray(0, length));
    this.entries.unshift({ prefix: message.slice(0, length), state });
    if (this.entries.length > this.maxEntries) this.entries.pop();
    return state.clone().update(message.subarray(length)).digest();
  }

  /** Prefixes currently kept (for tests and diagnostics). */
  get prefixLengths(): number[] {
    return this.entries.map((e) => e.prefix.length);
  }
}
