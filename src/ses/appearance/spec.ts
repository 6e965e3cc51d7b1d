/**
 * @module ses/appearance/spec
 * What a seal picture (印模) is made from: its shape, the texts and the sizes, and the defaults for
 * each seal type the CLI knows. Sizes follow the usual public-security (公安) and tax-bureau rules:
 *
 * | type | shape | size | texts |
 * |---|---|---|---|
 * | official 公章 | round, star | Ø 42 mm (40 mm allowed) | name on the upper arc; optional code on the lower arc |
 * | contract 合同专用章 | round, star | Ø 38 mm | name; 合同专用章 under the star; optional code |
 * | finance 财务专用章 | round, star | Ø 38 mm | name; 财务专用章 under the star; optional code |
 * | invoice 发票专用章 | oval | 40 x 28 mm | name on the upper arc; 纳税人识别号 across the middle; 发票专用章 below |
 * | legal-rep 法定代表人名章 | square | 20 x 20 mm | the name, with 印 / 之印 to fill 4 cells |
 * | personal 个人名章 | square | 20 x 20 mm | the name |
 *
 * Finance seals are round by default: most provinces make 财务专用章 like the other 专用章 (round,
 * Ø 38 mm, star). The oval variant (40 x 30 mm, no star) is `{ kind: 'oval', purpose: '财务专用章' }`.
 */
import { fail } from '../../util/errors.js';

export type SealKind = 'round' | 'oval' | 'square';

/** The seal types of the CLI (`eseal seal create --type ...`). */
export type SealType = 'official' | 'contract' | 'finance' | 'invoice' | 'legal-rep' | 'personal';
export const SEAL_TYPES: readonly SealType[] = ['official', 'contract', 'finance', 'invoice', 'legal-rep', 'personal'];

/** Seal red (印泥红). */
export const SEAL_RED = '#E60012';

export interface SealAppearanceSpec {
  kind: SealKind;
  /** 单位名称 (round and oval seals, along the upper arc) or a person's name (square seals). */
  name: string;
  /** 印章用途 such as 合同专用章: round seals under the star, oval seals at the bottom. */
  purpose?: string;
  /**
   * 印章编码 (13 digits, round seals: along the lower arc) or 统一社会信用代码 / 纳税人识别号
   * (18 characters, oval seals: across the middle). Digits and capital letters.
   */
  code?: string;
  /** Outer size in millimetres; defaults per kind: round 42 x 42, oval 40 x 30, square 20 x 20. */
  sizeMm?: { width: number; height: number };
  /** `#RRGGBB`; default {@link SEAL_RED}. */
  color?: string;
  /** Border (边宽) in millimetres; default scales with the size (1.2 mm for Ø 42, 1 mm for 40 x 28). */
  ringWidthMm?: number;
  /** Round seals: the five-pointed star (五角星) in the centre; default true. */
  star?: boolean;
  /** Largest angle the name may cover on the upper arc; default 250° round, 220° oval. */
  maxNameArcDeg?: number;
  /** Square seals: append 印 (3-character names) or 之印 (2-character names) to fill four cells. */
  appendYin?: boolean;
}

/** Allowed outer sizes per kind (millimetres), to refuse absurd input early. */
export const SIZE_LIMITS_MM: Record<SealKind, { min: number; max: number }> = {
  round: { min: 20, max: 80 },
  oval: { min: 15, max: 80 },
  square: { min: 8, max: 60 },
};

export const DEFAULT_SIZE_MM: Record<SealKind, { width: number; height: number }> = {
  round: { width: 42, height: 42 },
  oval: { width: 40, height: 30 },
  square: { width: 20, height: 20 },
};

export interface ResolvedSpec extends SealAppearanceSpec {
  sizeMm: { width: number; height: number };
  color: string;
}

/** Checks a spec and fills in the defaults. Throws INVALID_ARGUMENT naming the wrong field. */
export function resolveSpec(spec: SealAppearanceSpec): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') fail('INVALID_ARGUMENT', 'seal appearance: spec must be an object');
  const kind = spec.kind;
  if (kind !== 'round' && kind !== 'oval' && kind !== 'square') fail('INVALID_ARGUMENT', `seal appearance: unknown kind "${String(kind)}" (round, oval or square)`);
  const size = spec.sizeMm ?? DEFAULT_SIZE_MM[kind];
  const { min, max } = SIZE_LIMITS_MM[kind];
  for (const [side, v] of [['width', size.width], ['height', size.height]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      fail('INVALID_ARGUMENT', `seal appearance: ${kind} seal ${side} ${String(v)} mm is outside ${min}..${max} mm`, { side, value: v });
    }
  }
  if (kind === 'round' && size.width !== size.height) fail('INVALID_ARGUMENT', `seal appearance: a round seal needs width = height, got ${size.width} x ${size.height} mm`);
  if (kind === 'oval' && !(size.width > size.height)) fail('INVALID_ARGUMENT', `seal appearance: an oval seal is wider than tall, got ${size.width} x ${size.height} mm`);
  if (kind === 'square' && Math.max(size.width, size.height) > 2 * Math.min(size.width, size.height)) {
    fail('INVALID_ARGUMENT', `seal appearance: a square seal's sides may differ by at most 2:1, got ${size.width} x ${size.height} mm`);
  }
  const color = spec.color ?? SEAL_RED;
  if (!/^#[0-9A-Fa-f]{6}$/.test(color)) fail('INVALID_ARGUMENT', `seal appearance: colour "${color}" is not #RRGGBB`);
  if (spec.ringWidthMm !== undefined) {
    const w = spec.ringWidthMm;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0.2 || w > Math.min(size.width, size.height) / 8) {
      fail('INVALID_ARGUMENT', `seal appearance: border width ${String(w)} mm is outside 0.2..${Math.min(size.width, size.height) / 8} mm`);
    }
  }
  if (spec.maxNameArcDeg !== undefined) {
    const a = spec.maxNameArcDeg;
    if (typeof a !== 'number' || !Number.isFinite(a) || a < 60 || a > 300) fail('INVALID_ARGUMENT', `seal appearance: name arc ${String(a)}° is outside 60..300°`);
  }
  if (spec.code !== undefined && spec.code !== '' && !/^[0-9A-Za-z-]+$/.test(spec.code.trim())) {
    fail('INVALID_ARGUMENT', `seal appearance: code "${spec.code}" may hold only digits, Latin letters and "-"`);
  }
  return { ...spec, sizeMm: { width: size.width, height: size.height }, color };
}

/**
 * The appearance of each CLI seal type. `code` is the 13-digit 印章编码 for round seals and the
 * 18-character 统一社会信用代码 / 纳税人识别号 for invoice seals; it is left out when undefined.
 */
export function sealAppearanceForType(type: SealType, name: string, code?: string): SealAppearanceSpec {
  const withCode = code !== undefined && code !== '' ? { code } : {};
  switch (type) {
    case 'official':
      return { kind: 'round', name, sizeMm: { width: 42, height: 42 }, ...withCode };
    case 'contract':
      return { kind: 'round', name, purpose: '合同专用章', sizeMm: { width: 38, height: 38 }, ...withCode };
    case 'finance':
      return { kind: 'round', name, purpose: '财务专用章', sizeMm: { width: 38, height: 38 }, ...withCode };
    case 'invoice':
      return { kind: 'oval', name, purpose: '发票专用章', sizeMm: { width: 40, height: 28 }, ringWidthMm: 1, ...withCode };
    case 'legal-rep':
      return { kind: 'square', name, sizeMm: { width: 20, height: 20 }, appendYin: true };
    case 'personal':
      return { kind: 'square', name, sizeMm: { width: 20, height: 20 } };
    default:
      return fail('INVALID_ARGUMENT', `seal appearance: unknown seal type "${String(type)}" (${SEAL_TYPES.join(', ')})`);
  }
}
