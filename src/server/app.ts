/**
 * @module server/app
 * The eseal service as one Fastify plugin (testable with `app.inject`): external plugins (security
 * headers, rate limits, OpenAPI + Swagger UI, multipart), then the app's own (errors, metrics,
 * authentication, bodies), then the routes. It receives the core dependencies already built (see
 * platform.ts, the composition root) and owns nothing that needs closing.
 */
import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../core/index.js';
import { ERROR_SCHEMA } from './errors.js';
import security from './plugins/external/security.js';
import rateLimit, { type RateLimitOptions } from './plugins/external/rate-limit.js';
import swagger from './plugins/external/swagger.js';
import multipart from './plugins/external/multipart.js';
import errors from './plugins/app/errors.js';
import metrics from './plugins/app/metrics.js';
import auth from './plugins/app/auth.js';
import content from './plugins/app/content.js';
import authRoutes, { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './routes/api/auth/index.js';
import authorityRoutes from './routes/api/authorities/index.js';
import organisationRoutes from './routes/api/organisations/index.js';
import userRoutes from './routes/api/users/index.js';
import apiKeyRoutes from './routes/api/api-keys/index.js';
import applicationRoutes from './routes/api/applications/index.js';
import sealRoutes from './routes/api/seals/index.js';
import grantRoutes from './routes/api/grants/index.js';
import approvalRoutes from './routes/api/approvals/index.js';
import stampingRoutes from './routes/api/stamping/index.js';
import batchRoutes from './routes/api/batches/index.js';
import statisticsRoutes from './routes/api/statistics/index.js';
import auditRoutes from './routes/api/audit/index.js';
import trustRoutes from './routes/api/trust/index.js';
import publicRoutes from './routes/public/index.js';
import opsRoutes from './routes/ops/index.js';
import type { DeclaredRoute } from './types.js';

export interface AppOptions {
  deps: CoreDeps;
  /** global limit per client (default 6000 requests a minute; max 0 = off) */
  rateLimit?: RateLimitOptions;
  login?: Partial<LoginLimits>;
  /** public verifications per minute per IP address (default 120) */
  verifyPerMinute?: number;
  /** serve the Swagger UI at /docs (the JSON at /docs/json is always served); default true */
  docsUi?: boolean;
  /** true once shutdown began (/readyz answers 503) */
  isClosing?: () => boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 6000, windowMs: 60_000 };

export default async function esealApp(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const deps = opts.deps;
  app.decorate('deps', deps);
  app.decorate('routeTable', [] as DeclaredRoute[]);
  app.addSchema(ERROR_SCHEMA);

  // every declared route answers errors in the one shape; the OpenAPI document says so
  app.addHook('onRoute', (route) => {
    if (!route.config?.eseal) return;
    for (const m of [route.method].flat()) if (m !== 'HEAD') app.routeTable.push({ method: m, url: route.url, decl: route.config.eseal });
    const schema = (route.schema ??= {}) as { response?: Record<string, unknown> };
    schema.response = { ...(schema.response ?? {}), '4XX': { $ref: 'Error#' }, '5XX': { $ref: 'Error#' } };
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(errors);
  await app.register(metrics);
  await app.register(security);
  await app.register(rateLimit, opts.rateLimit ?? DEFAULT_RATE_LIMIT);
  await app.register(swagger, { exposeUi: opts.docsUi !== false });
  await app.register(multipart, { maxDocumentBytes: deps.settings.maxDocumentBytes, maxFiles: 1000 });
  await app.register(auth);
  await app.register(content, { maxDocumentBytes: deps.settings.maxDocumentBytes });

  const limits = { maxDocumentBytes: deps.settings.maxDocumentBytes };
  await app.register(authRoutes, { ...DEFAULT_LOGIN_LIMITS, ...opts.login });
  await app.register(authorityRoutes);
  await app.register(organisationRoutes);
  await app.register(userRoutes);
  await app.register(apiKeyRoutes);
  await app.register(applicationRoutes);
  await app.register(sealRoutes);
  await app.register(grantRoutes);
  await app.register(approvalRoutes);
  await app.register(stampingRoutes, limits);
  await app.register(batchRoutes);
  await app.register(statisticsRoutes);
  await app.register(auditRoutes);
  await app.register(trustRoutes);
  await app.register(publicRoutes, { ...limits, verifyPerMinute: opts.verifyPerMinute ?? 120 });
  await app.register(opsRoutes, { isClosing: opts.isClosing ?? (() => false) });
}
