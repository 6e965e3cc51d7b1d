/** Digests used to match certificate digest lists (certListType 2), pure and browser-safe. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';

export const sha256 = (b: Uint8Array): Uint8Array => nobleSha256(b);
export const sha1 = (b: Uint8Array): Uint8Array => nobleSha1(b);
