/**
 * @module cli/trust
 * Building a validation context and policy from command-line options (shared by every verify command).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCrl } from '../pki/crl.js';
import { makePolicy, DEFAULT_POLICY, type Policy } from '../validation/policy.js';
import type { ValidationContext } from '../validation/context.js';
import { UsageError, str, strs, type CommandContext, type OptionSpec } from './command.js';
import { parseTime, readInput } from './io.js';
import { loadCertificateFiles } from './load.js';

export const TRUST_OPTIONS: Record<string, OptionSpec> = {
  trust: { type: 'string', multiple: true, value: 'FILE', description: 'trust anchor certificate(s): CA roots or seal-maker/signer certificates (PEM bundles allowed)' },
  untrusted: { type: 'string', multiple: true, value: 'FILE', description: 'extra intermediate certificates' },
  crl: { type: 'string', multiple: true, value: 'FILE', description: 'CRL(s) for revocation checking (without any, revocation is reported as not checked)' },
  at: { type: 'string', value: 'TIME', description: 'verification time, ISO 8601 (default now)' },
  policy: { type: 'string', value: 'FILE', description: 'validation policy JSON (levels per check; see `eseal policy show`)' },
  lang: { type: 'string', value: 'zh|en', description: 'language of the text report', default: 'zh' },
  verbose: { type: 'boolean', description: 'list passed checks too' },
};

export function contextFromOptions(values: Record<string, unknown>, ctx: CommandContext): { context: ValidationContext; policy: Policy } {
  const crlFiles = strs(values.crl);
  const context: ValidationContext = {
    time: str(values.at) ? parseTime(str(values.at)!) : ctx.now(),
    trustAnchors: loadCertificateFiles(ctx, strs(values.trust)),
    intermediates: loadCertificateFiles(ctx, strs(values.untrusted)),
    ...(crlFiles.length ? { crls: crlFiles.map((f) => parseCrl(readInput(ctx, f, 'CRL file'))) } : {}),
  };
  let policy = DEFAULT_POLICY;
  if (str(values.policy)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(resolve(ctx.cwd, str(values.policy)!), 'utf8'));
    } catch (e) {
      throw new UsageError(`--policy ${str(values.policy)}: ${(e as Error).message}`);
    }
    policy = makePolicy(json);
  }
  return { context, policy };
}

export function lang(values: Record<string, unknown>): 'zh' | 'en' {
  const l = str(values.lang) ?? 'zh';
  if (l !== 'zh' && l !== 'en') throw new UsageError('--lang must be zh or en');
  return l;
}
