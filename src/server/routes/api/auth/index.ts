/**
 * @module server/routes/api/auth
 * POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me.
 *
 * Brute force is met three ways: per IP (the rate limiter, `loginPerIp` a minute), per username (a
 * window counter here, `loginPerUsername` attempts per window, also for unknown usernames), and the
 * account lock in core.login (after `maxFailedLogins` failures the account is locked for `lockMs`,
 * across processes). Each is 429 with the error shape.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { login, logout } from '../../../../core/index.js';
import { httpError } from '../../../errors.js';
import { roleGrantView } from '../../../views.js';
import { LoginBody, LoginResponse, MeResponse } from '../../../schemas/auth.js';
import { NoContent } from '../../../schemas/common.js';
import { declare } from '../../helpers.js';

export interface LoginLimits {
  /** login requests per IP per minute */
  loginPerIp: number;
  /** login attempts per username per window */
  loginPerUsername: number;
  loginWindowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { loginPerIp: 30, loginPerUsername: 10, loginWindowMs: 5 * 60_000 };

/** Attempts per key in a fixed window (in memory, per process). */
export class WindowCounter {
  private hits = new Map<string, { n: number; start: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  /** counts one hit; returns the seconds to wait when over the limit */
  hit(key: string, now: number): number | undefined {
    let e = this.hits.get(key);
    if (!e || now - e.start >= this.windowMs) {
      e = { n: 0, start: now };
      this.hits.set(key, e);
      if (this.hits.size > 100_000) this.sweep(now);
    }
    e.n++;
    return e.n > this.max ? Math.ceil((e.start + this.windowMs - now) / 1000) : undefined;
  }
  private sweep(now: number) {
    for (const [k, e] of this.hits) if (now - e.start >= this.windowMs) this.hits.delete(k);
  }
}

const authRoutes: FastifyPluginAsync<LoginLimits> = async (app: FastifyInstance, limits) => {
  const perUsername = new WindowCounter(limits.loginPerUsername, limits.loginWindowMs);

  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/auth/login',
    {
      config: { ...declare({ auth: 'public', action: 'auth.login' }), rateLimit: { max: limits.loginPerIp, timeWindow: 60_000, keyGenerator: (req) => `login-ip:${req.ip}` } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        description: `Returns a bearer token and the roles it carries. Limits: ${limits.loginPerIp} attempts per IP a minute, ${limits.loginPerUsername} per username per ${Math.round(limits.loginWindowMs / 60_000)} minutes, and the account locks after repeated failures (429).`,
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (req) => {
      const wait = perUsername.hit(req.body.username.toLowerCase(), Date.now());
      if (wait !== undefined) {
        app.metrics.logins.inc({ result: 'throttled' });
        throw httpError('RATE_LIMITED', `too many sign-in attempts for this username: retry in ${wait} s`, { retryAfterSeconds: wait });
      }
      try {
        const r = await login(req.body, req.actx, app.deps);
        app.metrics.logins.inc({ result: 'success' });
        return { token: r.token, tokenType: 'Bearer', expiresAt: r.expiresAt.toISOString(), user: r.user, roles: r.roles.map(roleGrantView) };
      } catch (e) {
        app.metrics.logins.inc({ result: (e as { code?: string }).code === 'LOCKED' ? 'locked' : 'denied' });
        throw e;
      }
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: declare({ auth: 'required', action: 'auth.logout', rule: 'a session token (API keys have no session)' }),
      schema: { tags: ['auth'], summary: 'End the session of the presented bearer token', response: { 204: NoContent } },
    },
    async (req, reply) => {
      if (!req.bearerToken) throw httpError('VALIDATION', 'logout ends a session: present the session token (Authorization: Bearer), not an API key');
      await logout(req.bearerToken, req.actx, app.deps);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: declare({ auth: 'required' }),
      schema: { tags: ['auth'], summary: 'The calling principal and its roles', response: { 200: MeResponse } },
    },
    async (req) => {
      const p = req.actx.principal;
      return { kind: p.kind, ...(p.id ? { id: p.id } : {}), ...(p.name ? { name: p.name } : {}), roles: p.grants.map(roleGrantView) };
    },
  );
};

export default authRoutes;
