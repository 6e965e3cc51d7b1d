/**
 * @module ses/appearance/font
 * Glyph outlines for seal text, read from font bytes the caller passes in (the ses layer never opens
 * files: `storage/assets.ts` loads the shipped font). Any TrueType/OpenType font fontkit reads works;
 * the project ships a GB 2312 subset of Noto Serif CJK SC Bold (`assets/fonts/`).
 *
 * Every glyph is placed by its em box (方块字 cell): x from 0 to the advance width, y from the
 * typographic descender to descender + unitsPerEm. For CJK fonts that is the ideographic em square,
 * so all hanzi get the same cell whatever their ink, which is how seal text is laid out.
 */
import * as fontkit from 'fontkit';
import { EsealError, fail } from '../../util/errors.js';

/** One outline command in font units (y up), as fontkit returns them. */
export interface OutlineCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: number[];
}

export interface GlyphOutline {
  char: string;
  /** Advance width in font units (> 0). */
  advance: number;
  commands: readonly OutlineCommand[];
}

/** A parsed font with the em box the layouts use. */
export interface SealFont {
  unitsPerEm: number;
  /** Em box top and bottom in font units (y up); `emTop - emBottom === unitsPerEm`. */
  emTop: number;
  emBottom: number;
  /** The outline of one character; throws GLYPH_MISSING naming the character when the font lacks it. */
  glyph(char: string, context: string): GlyphOutline;
}

const cache = new WeakMap<Uint8Array, SealFont>();

/** Parses font bytes once per Uint8Array (a WeakMap cache: the same bytes object is parsed once). */
export function openSealFont(bytes: Uint8Array): SealFont {
  if (!(bytes instanceof Uint8Array) || bytes.length < 12) fail('INVALID_ARGUMENT', 'seal font: font bytes are missing or too short');
  const hit = cache.get(bytes);
  if (hit) return hit;
  let parsed: fontkit.Font | fontkit.FontCollection;
  try {
    // fontkit reads a Uint8Array; its typings say Buffer.
    parsed = fontkit.create(bytes as unknown as Parameters<typeof fontkit.create>[0]);
  } catch (e) {
    throw new EsealError('FONT_MALFORMED', `seal font: not a readable TrueType/OpenType font (${(e as Error).message})`, undefined, { cause: e });
  }
  if (!parsed || !('glyphForCodePoint' in parsed)) fail('FONT_MALFORMED', 'seal font: a font collection (.ttc) was given; pass one font');
  const font = parsed;
  const upm = font.unitsPerEm;
  if (!(upm >= 16 && upm <= 16384)) fail('FONT_MALFORMED', `seal font: unitsPerEm ${upm} is out of range`);
  const os2 = (font as unknown as { 'OS/2'?: { typoAscender?: number; typoDescender?: number } })['OS/2'];
  let emBottom: number;
  if (os2 && typeof os2.typoAscender === 'number' && typeof os2.typoDescender === 'number' && os2.typoAscender - os2.typoDescender === upm) {
    emBottom = os2.typoDescender;
  } else {
    // No ideographic em box recorded: centre the em square on the ascent/descent band.
    const mid = (font.ascent + font.descent) / 2;
    emBottom = Math.round(mid - upm / 2);
  }
  const glyphs = new Map<string, GlyphOutline>();
  const sealFont: SealFont = {
    unitsPerEm: upm,
    emTop: emBottom + upm,
    emBottom,
    glyph(char: string, context: string): GlyphOutline {
      const known = glyphs.get(char);
      if (known) return known;
      const cp = char.codePointAt(0);
      if (cp === undefined) fail('INVALID_ARGUMENT', `${context}: empty character`);
      const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
      if (!font.hasGlyphForCodePoint(cp)) {
        fail('GLYPH_MISSING', `${context}: the seal font has no glyph for "${char}" (${hex})`, { char, codePoint: hex });
      }
      let g: fontkit.Glyph;
      try {
        g = font.glyphForCodePoint(cp);
      } catch (e) {
        throw new EsealError('FONT_MALFORMED', `${context}: the glyph for "${char}" (${hex}) cannot be read`, { char, codePoint: hex }, { cause: e });
      }
      const commands = g.path.commands.map((c) => ({ command: c.command as OutlineCommand['command'], args: c.args.slice() }));
      const out: GlyphOutline = { char, advance: g.advanceWidth > 0 ? g.advanceWidth : upm, commands };
      glyphs.set(char, out);
      return out;
    },
  };
  cache.set(bytes, sealFont);
  return sealFont;
}

/**
 * Splits seal text into characters (code points), refusing what cannot be drawn: control
 * characters and text longer than `max`. `what` names the text in messages ("seal name").
 */
export function sealChars(text: string, what: string, max: number): string[] {
  if (typeof text !== 'string') fail('INVALID_ARGUMENT', `${what} must be a string`);
  const trimmed = text.normalize('NFC').trim();
  if (trimmed.length === 0) fail('INVALID_ARGUMENT', `${what} is empty`);
  const chars = Array.from(trimmed);
  const bad = chars.find((c) => /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(c));
  if (bad !== undefined) {
    fail('INVALID_ARGUMENT', `${what} contains the control character U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (chars.length > max) fail('LIMIT_EXCEEDED', `${what} has ${chars.length} characters; at most ${max} fit on a seal`, { length: chars.length, max });
  return chars;
}
