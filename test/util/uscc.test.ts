import { describe, expect, it } from 'vitest';
import { parseUscc, isValidUscc, usccCheckCharacter, withUsccCheck } from '../../src/util/uscc.js';
import { isEsealError } from '../../src/util/errors.js';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts codes with a correct check character (published examples)', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91110000802100433B')).toBe(true);
    expect(parseUscc(' 91350100m000100y43 ')).toMatchObject({ code: '91350100M000100Y43', registrationAuthority: '9', category: '1', division: '350100', organisationCode: 'M000100Y4' });
  });
  it('names the right check character when it is wrong', () => {
    try {
      parseUscc('91350100M000100Y44');
      throw new Error('accepted');
    } catch (e) {
      expect(isEsealError(e, 'USCC_INVALID')).toBe(true);
      expect((e as Error).message).toContain('should be 3');
    }
  });
  it('refuses wrong lengths, forbidden letters and a non-numeric division', () => {
    expect(() => parseUscc('9135010')).toThrow(/18 characters/);
    expect(() => parseUscc('9135010OM000100Y43')).toThrow(/not allowed/);
    expect(() => parseUscc(withUsccCheck('91AB0100M000100Y4'))).toThrow(/administrative division/);
  });
  it('every single-character change of a valid code is detected', () => {
    const good = '91350100M000100Y43';
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let changed = 0;
    for (let i = 0; i < 18; i++) {
      for (const c of alphabet) {
        if (c === good[i]) continue;
        const code = good.slice(0, i) + c + good.slice(i + 1);
        changed++;
        expect(isValidUscc(code), code).toBe(false);
      }
    }
    expect(changed).toBe(18 * 30);
    expect(usccCheckCharacter(good.slice(0, 17))).toBe('3');
  });
});
