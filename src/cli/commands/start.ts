/**
 * `eseal start` (what `npm start` runs): the platform on http://localhost:8080 (PORT to change) with
 * SQLite in ./data, a master key generated into ./data/master.key on the first start (with a warning;
 * ESEAL_MASTER_KEY to give one), and the demo data — the platform operator, two seal-making
 * authorities, three organisations, users of every role and seals of every type — whose logins are
 * printed.
 */
import { join, resolve } from 'node:path';
import { UsageError, str, type Command } from '../command.js';
import { parsePort, servePlatform } from './serve.js';

export const start: Command = {
  path: ['start'],
  summary: 'run the platform with demo data on http://localhost:8080 (SQLite in ./data)',
  details: `
The same as: eseal serve --db sqlite:DATA/eseal.db --data DATA --port $PORT --host localhost --demo
Demo data is added only to an empty database; its logins are printed (and kept in DATA/demo-logins.txt).`,
  options: {
    port: { type: 'string', short: 'p', value: 'N', description: 'TCP port (default: $PORT or 8080)' },
    data: { type: 'string', value: 'DIR', description: 'data folder (database, blobs, master key)', default: 'data' },
    host: { type: 'string', value: 'HOST', description: 'address to listen on', default: 'localhost' },
    'log-level': { type: 'string', value: 'LEVEL', description: 'fatal, error, warn, info, debug', default: 'warn' },
  },
  async run({ values }, ctx) {
    const dataDir = resolve(ctx.cwd, String(values.data));
    const port = parsePort(str(values.port) ?? ctx.env.PORT, 8080);
    const level = String(values['log-level']);
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) throw new UsageError(`--log-level: unknown level "${level}"`);
    return servePlatform(
      { db: `sqlite:${join(dataDir, 'eseal.db')}`, dataDir, port, host: String(values.host), demo: true, tsa: true, logLevel: level },
      ctx,
      { banner: 'eseal — electronic seal (电子印章) platform, demo on SQLite' },
    );
  },
};
