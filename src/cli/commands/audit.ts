/**
 * `eseal audit verify` and `eseal audit export`: check and export the platform's hash-chained audit
 * record straight from the database (no server needed). The database is opened without migrating it.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { JSON_OPTION, str, type Command } from '../command.js';
import { printResult, jsonReplacer } from '../io.js';
import { verifyAuditChain } from '../../core/index.js';
import { openStore, redactUrl } from '../../storage/index.js';

const dbOptions = {
  db: { type: 'string', value: 'URL', description: 'sqlite:PATH or postgres://user@host:port/db', required: true },
  'pg-schema': { type: 'string', value: 'NAME', description: 'PostgreSQL schema' },
} as const;

async function open(values: Record<string, unknown>, cwd: string) {
  const schema = str(values['pg-schema']);
  return openStore(resolveDbUrl(String(values.db), cwd), { migrate: false, ...(schema ? { schema } : {}) });
}

export const auditVerify: Command = {
  path: ['audit', 'verify'],
  summary: 'check the audit record’s hash chain; exit 0 iff intact',
  usage: '--db URL [--json]',
  details: 'Every event is re-hashed (SM3 over the previous hash and the event); an edited, deleted or reordered event, or a removed tail, is reported with its position.',
  options: { ...dbOptions, json: JSON_OPTION },
  async run({ values }, ctx) {
    const store = await open(values, ctx.cwd);
    try {
      const report = await verifyAuditChain((from, limit) => store.repos.audit.scan(from, limit), await store.repos.audit.head());
      const text = [
        `audit record of ${redactUrl(String(values.db))}: ${report.events} events, head ${report.headSeq} ${report.headHash}`,
        report.valid ? 'chain intact' : `chain BROKEN: ${report.problems.length} problem(s)`,
        ...report.problems.map((p) => `  event ${p.seq}: ${p.problem}: ${p.message}`),
      ].join('\n');
      printResult(ctx, values.json === true, report, text);
      return report.valid ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};

export const auditExport: Command = {
  path: ['audit', 'export'],
  summary: 'export the audit record as JSON Lines (chain order)',
  usage: '--db URL [-o FILE]',
  options: { ...dbOptions, out: { type: 'string', short: 'o', value: 'FILE', description: 'write to FILE (default: standard output)' } },
  async run({ values }, ctx) {
    const store = await open(values, ctx.cwd);
    const outFile = str(values.out);
    const file = outFile ? createWriteStream(resolve(ctx.cwd, outFile), { mode: 0o600 }) : undefined;
    const write = (s: string) => (file ? new Promise<void>((ok, fail) => (file.write(s) ? ok() : file.once('drain', ok).once('error', fail))) : Promise.resolve(ctx.out(s)));
    let n = 0;
    try {
      for (let from = 1; ; ) {
        const page = await store.repos.audit.scan(from, 1000);
        if (page.length === 0) break;
        for (const e of page) await write(JSON.stringify(e, jsonReplacer) + '\n');
        n += page.length;
        from = page[page.length - 1].seq + 1;
      }
    } finally {
      await store.close();
      if (file) await new Promise<void>((ok) => file.end(ok));
    }
    if (file) ctx.err(`${n} events written to ${outFile}\n`);
    return 0;
  },
};

/** sqlite:relative/path is relative to the command's directory. */
export function resolveDbUrl(url: string, cwd: string): string {
  const m = /^sqlite:(?!\/\/)(?!:memory:)(.+)$/i.exec(url);
  return m ? `sqlite:${resolve(cwd, m[1])}` : url;
}
