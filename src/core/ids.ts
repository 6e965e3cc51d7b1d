/**
 * @module core/ids
 * Identifiers from the injected random source: UUID v4 for records, UUID v7 (time-ordered) for the
 * high-volume append-only records (stamps, audit events), numeric 电子印章标识 for seals.
 */
import type { Random } from './ports.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function format(b: Uint8Array): string {
  let h = '';
  for (let i = 0; i < 16; i++) h += HEX[b[i]];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Random UUID (RFC 9562 version 4). */
export function uuid(random: Random): string {
  const b = random(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return format(b);
}

/**
 * Time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then 74 random bits. Rows
 * keyed by it are appended at the end of their primary-key index instead of at random places,
 * which halved the cost of committing a group of stamps on SQLite (fewer pages touched per commit).
 */
export function timeOrderedUuid(random: Random, time: Date): string {
  const b = random(16);
  let ms = Math.max(0, Math.floor(time.getTime()));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  return format(b);
}

/**
 * 电子印章标识 esID: the 6-digit administrative division of the organisation (from its 统一社会信用代码)
 * followed by 10 random digits, like the tax bureau's "33010600000001" but unguessable. Uniqueness is
 * enforced by the database; the caller retries on a clash.
 */
export function newEsId(divisionCode: string, random: Random): string {
  const digits = Array.from(random(10), (x) => String(x % 10)).join('');
  return `${/^\d{6}$/.test(divisionCode) ? divisionCode : '000000'}${digits}`;
}

/** Random secret for API keys and session tokens (base64url, 32 bytes). */
export function secretToken(random: Random, prefix: string): string {
  const b = random(32);
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return `${prefix}${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}
