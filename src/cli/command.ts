/**
 * @module cli/command
 * A tiny command framework over node:util parseArgs: every command declares its options once, and
 * gets `--help` text, unknown-option errors and `--json` for free.
 */
import { parseArgs } from 'node:util';
import { EsealError } from '../util/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** shown in --help */
  description: string;
  /** placeholder in --help, e.g. FILE */
  value?: string;
  required?: boolean;
  default?: string | boolean;
}

export interface CommandContext {
  /** writes to stdout */
  out: (text: string) => void;
  /** writes to stderr */
  err: (text: string) => void;
  /** current directory for relative paths */
  cwd: string;
  /** the clock, at the edge */
  now: () => Date;
  env: Record<string, string | undefined>;
}

export interface ParsedInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** words after `eseal`, e.g. ['cert', 'issue'] */
  path: string[];
  summary: string;
  /** usage line after the command path, e.g. "FILE --trust CA.pem" */
  usage?: string;
  /** longer explanation printed by --help */
  details?: string;
  options: Record<string, OptionSpec>;
  /** positional arguments: names, for help and checks */
  positionals?: { name: string; required?: boolean; description: string }[];
  /** Returns the process exit code: 0 only on success. */
  run(input: ParsedInput, ctx: CommandContext): Promise<number>;
}

/** Error in how the command was called: exit code 2, with a pointer to --help. */
export class UsageError extends Error {}

export const JSON_OPTION: OptionSpec = { type: 'boolean', description: 'print the result as JSON' };

export function helpText(cmd: Command): string {
  const lines = [`eseal ${cmd.path.join(' ')} — ${cmd.summary}`, '', `usage: eseal ${cmd.path.join(' ')}${cmd.usage ? ' ' + cmd.usage : ''}`];
  if (cmd.details) lines.push('', cmd.details.trim());
  if (cmd.positionals?.length) {
    lines.push('', 'arguments:');
    for (const p of cmd.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
  }
  const opts = Object.entries(cmd.options);
  lines.push('', 'options:');
  for (const [name, o] of opts) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const extra = [o.required ? 'required' : '', o.multiple ? 'repeatable' : '', o.default !== undefined && o.default !== false ? `default ${o.default}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${flag.padEnd(30)} ${o.description}${extra ? ` (${extra})` : ''}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(30)} show this help`);
  return lines.join('\n') + '\n';
}

export function parseCommandArgs(cmd: Command, argv: string[]): ParsedInput & { help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(cmd.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const values = parsed.values as ParsedInput['values'];
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  for (const [name, o] of Object.entries(cmd.options)) {
    if (values[name] === undefined && o.default !== undefined) values[name] = o.default;
    if (o.required && (values[name] === undefined || values[name] === '')) throw new UsageError(`missing required option --${name}`);
  }
  const required = (cmd.positionals ?? []).filter((p) => p.required).length;
  if (parsed.positionals.length < required) throw new UsageError(`missing ${cmd.positionals![parsed.positionals.length].name}`);
  if (parsed.positionals.length > (cmd.positionals?.length ?? 0)) throw new UsageError(`unexpected argument "${parsed.positionals[cmd.positionals?.length ?? 0]}"`);
  return { values, positionals: parsed.positionals, help: false };
}

/** Formats any error for people; EsealErrors keep their code. */
export function describeError(e: unknown): string {
  if (e instanceof EsealError) return `error [${e.code}]: ${e.message}`;
  if (e instanceof UsageError) return `usage error: ${e.message}`;
  if (e && typeof e === 'object' && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT') return `error: file not found: ${(e as NodeJS.ErrnoException).path}`;
  return `error: ${(e as Error)?.message ?? String(e)}`;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strs = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []);
