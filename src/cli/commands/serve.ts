/**
 * `eseal serve`: run the platform (REST API, OpenAPI at /docs, status, CRLs, metrics) on SQLite or
 * PostgreSQL. Several processes may serve one PostgreSQL database; they must share the master key and
 * the data folder (blobs).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, str, type Command, type CommandContext } from '../command.js';
import { startPlatform, type PlatformConfig, type RunningPlatform } from '../../server/platform.js';
import { closeOnSignals } from '../../server/server.js';
import { describeDemo } from '../../server/demo.js';
import { redactUrl } from '../../storage/index.js';
import { auditExport, auditVerify, resolveDbUrl } from './audit.js';

export const MASTER_KEY_ENV = 'ESEAL_MASTER_KEY';

export interface ServeSettings {
  db: string;
  dataDir: string;
  port: number;
  host: string;
  masterKeyFile?: string;
  demo: boolean;
  tsa: boolean;
  rateLimit?: number;
  logLevel: string;
  pgSchema?: string;
}

export function parsePort(text: string | undefined, dflt: number): number {
  if (text === undefined || text === '') return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`port must be 0-65535, got "${text}"`);
  return n;
}

/** Starts the platform, prints where it is, and serves until SIGINT/SIGTERM. Returns the exit code. */
export async function servePlatform(s: ServeSettings, ctx: CommandContext, opts: { banner?: string } = {}): Promise<number> {
  const envKey = ctx.env[MASTER_KEY_ENV];
  const keyFile = s.masterKeyFile ?? join(s.dataDir, 'master.key');
  const config: PlatformConfig = {
    db: s.db,
    dataDir: s.dataDir,
    port: s.port,
    host: s.host,
    masterKey: { ...(envKey ? { env: envKey } : {}), file: keyFile, createIfMissing: !s.masterKeyFile },
    demo: s.demo,
    tsa: s.tsa,
    ...(s.pgSchema ? { storeOptions: { schema: s.pgSchema } } : {}),
    server: {
      logger: { level: s.logLevel },
      ...(s.rateLimit !== undefined ? { rateLimit: { max: s.rateLimit, windowMs: 60_000 } } : {}),
    },
  };
  const p: RunningPlatform = await startPlatform(config);
  const out: string[] = [];
  if (opts.banner) out.push(opts.banner, '');
  out.push(`eseal platform: ${p.url}`);
  out.push(`  API docs (OpenAPI):  ${p.url}/docs   (JSON: ${p.url}/docs/json)`);
  out.push(`  health:              ${p.url}/healthz   ${p.url}/readyz   metrics: ${p.url}/metrics`);
  out.push(`  database:            ${redactUrl(s.db)}`);
  out.push(`  data folder:         ${s.dataDir}`);
  if (p.masterKey.generated) {
    out.push('');
    out.push(`WARNING: a new master key was generated in ${p.masterKey.file}. It encrypts every private key of the platform:`);
    out.push(`         back it up and keep it secret; without it no seal can be used. For production give --master-key-file or ${MASTER_KEY_ENV}.`);
  } else out.push(`  master key:          ${p.masterKey.source === 'env' ? `environment (${MASTER_KEY_ENV})` : p.masterKey.file}`);
  for (const w of p.masterKey.warnings) out.push(`WARNING: ${w}`);
  const loginsFile = join(s.dataDir, 'demo-logins.txt');
  if (p.demo) {
    const text = describeDemo(p.demo);
    writeFileSync(loginsFile, text, { mode: 0o600 });
    chmodSync(loginsFile, 0o600);
    out.push('', text, `(the demo logins are kept in ${loginsFile})`);
  } else if (s.demo && existsSync(loginsFile)) {
    out.push('', 'demo data from an earlier start:', readFileSync(loginsFile, 'utf8'));
  } else if (s.demo) out.push('', 'the database already holds data: no demo data was added');
  out.push('', `try: curl -s ${p.url}/healthz`, 'stop with Ctrl-C', '');
  ctx.out(out.join('\n'));
  const code = await new Promise<number>((done) => {
    closeOnSignals(
      async () => {
        await p.close();
        done(0);
      },
      (m) => ctx.err(`eseal: ${m}\n`),
    );
  });
  return code;
}

export const serve: Command = {
  path: ['serve'],
  summary: 'run the platform: REST API with OpenAPI at /docs, status service, CRLs, metrics',
  usage: '--db sqlite:PATH|postgres://URL [--port N] [--data DIR] [--master-key-file F] [--demo]',
  details: `
The master key (SM4, encrypts every private key at rest) comes from the environment variable
${MASTER_KEY_ENV} (64 hex digits or base64), else --master-key-file, else DATA/master.key, generated on the
first start (with a warning: back it up). Processes sharing a PostgreSQL database need the same key and
data folder. SIGINT/SIGTERM: stop accepting, finish in-flight requests and batches, close the database.`,
  options: {
    db: { type: 'string', value: 'URL', description: 'sqlite:PATH, sqlite::memory: or postgres://user@host:port/db', required: true },
    port: { type: 'string', short: 'p', value: 'N', description: 'TCP port (0: any free port)', default: '8080' },
    host: { type: 'string', value: 'HOST', description: 'address to listen on', default: '0.0.0.0' },
    data: { type: 'string', value: 'DIR', description: 'data folder: blobs, TSA, master key', default: 'data' },
    'master-key-file': { type: 'string', value: 'F', description: `master key file (or env ${MASTER_KEY_ENV})` },
    demo: { type: 'boolean', description: 'seed the demo data into an empty database and print its logins' },
    'no-tsa': { type: 'boolean', description: 'run without the platform time-stamping authority' },
    'rate-limit': { type: 'string', value: 'N', description: 'requests per minute per client (0: no global limit)' },
    'log-level': { type: 'string', value: 'LEVEL', description: 'fatal, error, warn, info, debug', default: 'info' },
    'pg-schema': { type: 'string', value: 'NAME', description: 'PostgreSQL schema to use (created when missing)' },
  },
  async run({ values }, ctx) {
    const rate = str(values['rate-limit']);
    if (rate !== undefined && !/^\d+$/.test(rate)) throw new UsageError(`--rate-limit must be a whole number, got "${rate}"`);
    const level = String(values['log-level']);
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new UsageError(`--log-level: unknown level "${level}"`);
    const mkf = str(values['master-key-file']);
    const pgSchema = str(values['pg-schema']);
    return servePlatform(
      {
        db: resolveDbUrl(String(values.db), ctx.cwd),
        dataDir: resolve(ctx.cwd, String(values.data)),
        port: parsePort(str(values.port), 8080),
        host: String(values.host),
        ...(mkf ? { masterKeyFile: resolve(ctx.cwd, mkf) } : {}),
        demo: values.demo === true,
        tsa: values['no-tsa'] !== true,
        ...(rate !== undefined ? { rateLimit: Number(rate) } : {}),
        logLevel: level,
        ...(pgSchema ? { pgSchema } : {}),
      },
      ctx,
    );
  },
};

/** The platform's commands, registered together in commands/index.ts. */
export const PLATFORM_COMMANDS: Command[] = [serve, auditVerify, auditExport];
