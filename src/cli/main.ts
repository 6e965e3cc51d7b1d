/**
 * @module cli/main
 * `eseal` command line: finds the command from the leading words, parses its options, runs it,
 * and maps the outcome to an exit code (0 only on success; 1 for a failed check or error; 2 for a
 * usage error).
 */
import { readFileSync } from 'node:fs';
import { sm2Backend, nativeSm2LoadError, sm3Backend } from '../sm/index.js';
import { describeError, helpText, parseCommandArgs, UsageError, type Command, type CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  return [
    'eseal — electronic seal (电子印章) platform: SM2/SM3/SM4, certificates, seals, OFD and PDF stamping',
    '',
    'usage: eseal <command> [options]      eseal <command> --help for its options',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'global: --help, --version',
    '',
  ].join('\n');
}

function findCommand(argv: string[]): { cmd?: Command; rest: string[]; prefix: string[] } {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  if (best) return { cmd: best, rest: argv.slice(best.path.length), prefix: best.path };
  return { rest: argv, prefix: [] };
}

export async function main(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    ctx.out(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    ctx.out(`eseal ${version()} (node ${process.versions.node}, OpenSSL ${process.versions.openssl}; SM2 ${sm2Backend()}${nativeSm2LoadError && sm2Backend() === 'pure' ? ` — native binding unavailable: ${nativeSm2LoadError}` : ''}; SM3 ${sm3Backend})\n`);
    return 0;
  }
  const { cmd, rest } = findCommand(argv);
  if (!cmd) {
    const group = COMMANDS.filter((c) => c.path[0] === argv[0]);
    if (group.length) {
      ctx.err(`eseal ${argv[0]}: choose a subcommand:\n${group.map((c) => `  eseal ${c.path.join(' ')}  ${c.summary}`).join('\n')}\n`);
      return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
    }
    ctx.err(`eseal: unknown command "${argv[0]}" (see eseal --help)\n`);
    return 2;
  }
  try {
    const input = parseCommandArgs(cmd, rest);
    if (input.help) {
      ctx.out(helpText(cmd));
      return 0;
    }
    return await cmd.run(input, ctx);
  } catch (e) {
    ctx.err(describeError(e) + '\n');
    if (e instanceof UsageError) {
      ctx.err(`see: eseal ${cmd.path.join(' ')} --help\n`);
      return 2;
    }
    if (process.env.ESEAL_DEBUG) ctx.err(`${(e as Error).stack}\n`);
    return 1;
  }
}

export function processContext(): CommandContext {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
  };
}
