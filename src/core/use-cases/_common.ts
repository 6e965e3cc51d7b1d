/** Small helpers shared by the use cases. */
import { fail } from '../../util/errors.js';

export function required<T>(v: T | undefined, what: string, id?: string): T {
  if (v === undefined || v === null) fail('NOT_FOUND', `${what}${id ? ` ${id}` : ''} not found`, { what, id });
  return v;
}

export function text(v: unknown, what: string, max = 200): string {
  if (typeof v !== 'string' || v.trim() === '') fail('VALIDATION', `${what} is required`, { field: what });
  const s = v.trim();
  if ([...s].length > max) fail('VALIDATION', `${what} must have at most ${max} characters`, { field: what });
  return s;
}

export const DAY_MS = 86400_000;
