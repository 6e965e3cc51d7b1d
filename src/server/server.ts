/**
 * @module server/server
 * Builds the Fastify instance around the app plugin: timeouts, body limits, trustProxy off, request ids
 * (a valid incoming x-request-id is kept, else a new UUID; echoed in the response), the pino logger with
 * secrets redacted, strict schema validation (unknown fields are refused, not stripped), and graceful
 * shutdown (stop accepting, finish in-flight requests, then the caller closes the store).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import esealApp, { type AppOptions } from './app.js';

/** Log paths that never reach the logs: credentials, passwords, keys and secrets. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.masterKey',
  '*.privateKey',
  'body.password',
  'body.token',
  'body.secret',
  'err.details.password',
];

export interface ServerOptions extends AppOptions {
  /** pino options, false for no logging; default: info level, secrets redacted */
  logger?: boolean | { level?: string; stream?: NodeJS.WritableStream };
  /** JSON body limit in bytes (document routes take settings.maxDocumentBytes); default 1 MiB */
  bodyLimit?: number;
  /** a request taking longer is answered 408; default 120 s */
  requestTimeoutMs?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function fastifyOptions(opts: ServerOptions): FastifyServerOptions {
  const logger =
    opts.logger === false
      ? false
      : {
          level: (typeof opts.logger === 'object' && opts.logger.level) || process.env.LOG_LEVEL || 'info',
          redact: { paths: REDACT_PATHS, censor: '[redacted]' },
          ...(typeof opts.logger === 'object' && opts.logger.stream ? { stream: opts.logger.stream } : {}),
        };
  return {
    logger,
    trustProxy: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    connectionTimeout: 0,
    keepAliveTimeout: 72_000,
    requestTimeout: opts.requestTimeoutMs ?? 120_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    pluginTimeout: 60_000,
    requestIdHeader: false,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    ajv: {
      customOptions: {
        // unknown fields are refused (additionalProperties: false), never silently dropped
        removeAdditional: false,
        useDefaults: true,
        coerceTypes: 'array',
        allErrors: false,
      },
    },
  };
}

/** A Fastify instance with the eseal app registered and ready (listen or inject). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(opts));
  await app.register(fp(esealApp, { name: 'eseal-app' }), opts);
  await app.ready();
  return app;
}

/**
 * Closes the platform on SIGINT/SIGTERM: stop accepting, finish in-flight requests, close the store;
 * a second signal or `timeoutMs` forces the exit.
 */
export function closeOnSignals(close: () => Promise<void>, log: (msg: string) => void, timeoutMs = 30_000): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: finishing in-flight requests and closing (again to force)`);
    const t = setTimeout(() => {
      log(`shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    t.unref();
    close().then(
      () => {
        clearTimeout(t);
        process.exitCode = process.exitCode ?? 0;
      },
      (e: unknown) => {
        log(`error while closing: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
