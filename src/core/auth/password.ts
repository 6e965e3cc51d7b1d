/**
 * @module core/auth/password
 * Password hashing with scrypt (memory-hard, node:crypto): "scrypt$N$r$p$salt$hash" (base64).
 * N = 2^15, r = 8, p = 1: 32 MiB and ~50 ms per hash here.
 */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { fail } from '../../util/errors.js';
import type { Random } from '../ports.js';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: 256 * n * r }, (e, k) => (e ? reject(e) : resolve(k))));
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function checkPasswordPolicy(password: string): void {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) fail('VALIDATION', `password must have at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) fail('VALIDATION', `password must have at most ${PASSWORD_MAX_LENGTH} characters`);
}

export async function hashPassword(password: string, random: Random): Promise<string> {
  checkPasswordPolicy(password);
  const salt = Buffer.from(random(16));
  const hash = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  if (typeof password !== 'string' || password.length > PASSWORD_MAX_LENGTH) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
