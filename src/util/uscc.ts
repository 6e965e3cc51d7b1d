/**
 * @module util/uscc
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a 31-character
 * alphabet (no I, O, S, V, Z): registration authority (1), organisation category (1), administrative
 * division (6), organisation code (9, GB 11714), check character (1).
 */
import { fail } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100 §4.3 weights W_i = 3^(i-1) mod 31, i = 1..17 */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) fail('USCC_INVALID', `统一社会信用代码 character ${i + 1} "${first17[i]}" is not allowed (I, O, S, V, Z and lower case are not used)`);
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export interface UsccInfo {
  code: string;
  registrationAuthority: string;
  category: string;
  division: string;
  organisationCode: string;
}

/** Validates a 统一社会信用代码; throws EsealError USCC_INVALID naming what is wrong. */
export function parseUscc(input: string): UsccInfo {
  if (typeof input !== 'string') fail('USCC_INVALID', '统一社会信用代码 must be text');
  const code = input.trim().toUpperCase();
  if (code.length !== 18) fail('USCC_INVALID', `统一社会信用代码 must have 18 characters, "${input}" has ${code.length}`);
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (!ALPHABET.includes(code[17])) fail('USCC_INVALID', `统一社会信用代码 check character "${code[17]}" is not allowed`);
  if (code[17] !== expected) fail('USCC_INVALID', `统一社会信用代码 "${code}" fails the GB 32100 check: the last character should be ${expected}, not ${code[17]}`);
  if (!/^\d{6}$/.test(code.slice(2, 8))) fail('USCC_INVALID', `统一社会信用代码 "${code}": characters 3-8 must be the 6-digit administrative division code`);
  return { code, registrationAuthority: code[0], category: code[1], division: code.slice(2, 8), organisationCode: code.slice(8, 17) };
}

export function isValidUscc(input: string): boolean {
  try {
    parseUscc(input);
    return true;
  } catch {
    return false;
  }
}

/** Completes 17 characters with their check character (for tests and demo data). */
export function withUsccCheck(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}
