/**
 * @module server/plugins/app/auth
 * Who is calling: `Authorization: Bearer <token>` (a person's session from POST /api/v1/auth/login) or
 * `X-API-Key: <key>` (a system). The principal comes from core `authenticate()`; what it may do is
 * decided by the use cases against the PERMISSIONS table — this plugin only refuses requests to
 * protected routes that carry no valid credential (401), before their body is read.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, PUBLIC, type Principal } from '../../../core/index.js';
import { httpError } from '../../errors.js';

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})$/;

export function credentialsOf(req: FastifyRequest): { bearer?: string; apiKey?: string } {
  const auth = req.headers.authorization;
  const key = req.headers['x-api-key'];
  if (Array.isArray(key)) throw httpError('UNAUTHENTICATED', 'give one X-API-Key header');
  if (auth !== undefined && key !== undefined) throw httpError('UNAUTHENTICATED', 'give either Authorization or X-API-Key, not both');
  if (auth !== undefined) {
    const m = BEARER.exec(auth.trim());
    if (!m) throw httpError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    return { bearer: m[1] };
  }
  if (key !== undefined) {
    if (!/^[\x21-\x7e]{1,512}$/.test(key)) throw httpError('UNAUTHENTICATED', 'the X-API-Key header is malformed');
    return { apiKey: key };
  }
  return {};
}

async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('actx', undefined as unknown as FastifyRequest['actx']);
  app.decorateRequest('bearerToken', undefined);
  // preParsing: after the rate limiter (onRequest), before the body is read
  app.addHook('preParsing', async (req) => {
    req.actx = { principal: PUBLIC, requestId: req.id };
    const decl = req.routeOptions.config?.eseal;
    const cred = credentialsOf(req);
    let principal: Principal | undefined = PUBLIC;
    if (cred.bearer || cred.apiKey) {
      principal = await authenticate(cred, app.deps);
      if (!principal) throw httpError('UNAUTHENTICATED', cred.apiKey ? 'the API key is unknown or revoked' : 'the session token is unknown or expired: sign in again');
      req.bearerToken = cred.bearer;
    }
    req.actx = { principal, requestId: req.id };
    if (decl?.auth === 'required' && principal.kind === 'public') throw httpError('UNAUTHENTICATED', 'sign in (Authorization: Bearer <token>) or give an API key (X-API-Key)');
  });
}

export default fp(authPlugin, { name: 'eseal-auth', dependencies: ['eseal-errors'] });
