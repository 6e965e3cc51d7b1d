/**
 * @module validation/policy
 * A validation policy is data: a level per check (FAIL / WARN / INFORM / IGNORE) and a few options.
 * The default policy follows GB/T 38540 §6.3/§7.3; `--policy FILE.json` overrides any part of it.
 */
import { fail } from '../util/errors.js';
import { ALL_CHECK_IDS, CHECKS, type CheckId } from './catalog.js';
import type { Level } from './types.js';

export interface Policy {
  name: string;
  levels: Record<CheckId, Level>;
  /**
   * Which time certificate and seal validity are judged at for a signature: 'best' = a valid time
   * stamp's genTime, else the claimed signing time (TBS_Sign.timeInfo / signingTime); 'timestamp' =
   * only a time stamp counts, else the validation time; 'validation-time' = always now.
   */
  signingTime: 'best' | 'timestamp' | 'validation-time';
  /** when revocation data were given but none covers a certificate, fail instead of warn */
  requireRevocation: boolean;
  /** GM/T 0031-2025 rule: a maker certificate that was valid at the seal's createDate is accepted later */
  makerCertValidAtCreateDate: boolean;
}

export const LEVELS: Level[] = ['FAIL', 'WARN', 'INFORM', 'IGNORE'];

export const DEFAULT_POLICY: Policy = {
  name: 'eseal default (GB/T 38540-2020 §6.3, §7.3)',
  levels: Object.fromEntries(ALL_CHECK_IDS.map((id) => [id, CHECKS[id].defaultLevel])) as Record<CheckId, Level>,
  signingTime: 'best',
  requireRevocation: false,
  makerCertValidAtCreateDate: false,
};

export interface PolicyOverrides {
  name?: string;
  levels?: Partial<Record<string, Level>>;
  signingTime?: Policy['signingTime'];
  requireRevocation?: boolean;
  makerCertValidAtCreateDate?: boolean;
}

/** Builds a policy from JSON-like overrides, rejecting unknown checks or levels with clear messages. */
export function makePolicy(overrides: unknown, base: Policy = DEFAULT_POLICY): Policy {
  if (overrides === undefined || overrides === null) return base;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) fail('POLICY_INVALID', 'a policy must be a JSON object');
  const o = overrides as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['name', 'levels', 'signingTime', 'requireRevocation', 'makerCertValidAtCreateDate', '$schema', 'description'].includes(k)) fail('POLICY_INVALID', `unknown policy field "${k}"`);
  const levels = { ...base.levels };
  if (o.levels !== undefined) {
    if (typeof o.levels !== 'object' || o.levels === null) fail('POLICY_INVALID', '"levels" must be an object of check id → level');
    for (const [id, level] of Object.entries(o.levels as Record<string, unknown>)) {
      if (!(id in CHECKS)) fail('POLICY_INVALID', `unknown check "${id}" (known: ${ALL_CHECK_IDS.join(', ')})`);
      if (!LEVELS.includes(level as Level)) fail('POLICY_INVALID', `level of ${id} must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
      levels[id as CheckId] = level as Level;
    }
  }
  if (o.signingTime !== undefined && !['best', 'timestamp', 'validation-time'].includes(o.signingTime as string)) fail('POLICY_INVALID', 'signingTime must be best, timestamp or validation-time');
  for (const b of ['requireRevocation', 'makerCertValidAtCreateDate'] as const) if (o[b] !== undefined && typeof o[b] !== 'boolean') fail('POLICY_INVALID', `${b} must be true or false`);
  return {
    name: typeof o.name === 'string' ? o.name : `${base.name} (modified)`,
    levels,
    signingTime: (o.signingTime as Policy['signingTime']) ?? base.signingTime,
    requireRevocation: (o.requireRevocation as boolean) ?? base.requireRevocation,
    makerCertValidAtCreateDate: (o.makerCertValidAtCreateDate as boolean) ?? base.makerCertValidAtCreateDate,
  };
}
