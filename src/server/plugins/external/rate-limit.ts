/**
 * @module server/plugins/external/rate-limit
 * A global request limit per client (@fastify/rate-limit): the client is its credential (a hash of the
 * bearer token or API key) or, without one, its IP address (trustProxy is off: the socket address).
 * Login has its own, stricter limits (routes/api/auth). Limits are per process; the account lock in
 * core.login holds across processes. Exceeding a limit is 429 RATE_LIMITED with Retry-After.
 */
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sm3 } from '../../../sm/sm3.js';
import { toHex, utf8 } from '../../../util/bytes.js';
import { httpError } from '../../errors.js';

export interface RateLimitOptions {
  /** requests per client per window; 0 turns the global limit off */
  max: number;
  /** window in milliseconds */
  windowMs: number;
}

export function clientKey(req: FastifyRequest): string {
  const cred = req.headers.authorization ?? req.headers['x-api-key'];
  if (typeof cred === 'string' && cred.length > 0) return `c:${toHex(sm3(utf8(cred))).slice(0, 32)}`;
  return `ip:${req.ip}`;
}

async function rateLimitPlugin(app: FastifyInstance, opts: RateLimitOptions) {
  await app.register(rateLimit, {
    global: opts.max > 0,
    max: opts.max > 0 ? opts.max : 1_000_000,
    timeWindow: opts.windowMs,
    keyGenerator: clientKey,
    errorResponseBuilder: (_req, ctx) => httpError('RATE_LIMITED', `too many requests: retry in ${ctx.after}`, { limit: ctx.max }),
  });
}

export default fp(rateLimitPlugin, { name: 'eseal-rate-limit' });
