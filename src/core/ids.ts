/**
 * @module core/ids
 * Identifiers from the injected random source: UUID v4 for records, numeric 电子印章标识 for seals.
 */
import type { Random } from './ports.js';

export function uuid(random: Random): string {
  const b = random(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
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
