/** @module server/routes/ops — /healthz (liveness), /readyz (the database answers), /metrics (Prometheus). */
import type { FastifyInstance } from 'fastify';
import { Health, Ready } from '../../schemas/ops.js';
import { declare } from '../helpers.js';

export default async function opsRoutes(app: FastifyInstance, opts: { isClosing: () => boolean }) {
  const quiet = { ...declare({ auth: 'public' }), rateLimit: false as const };

  app.get('/healthz', { config: quiet, logLevel: 'warn', schema: { tags: ['ops'], summary: 'Liveness: the process serves requests', response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { config: quiet, logLevel: 'warn', schema: { tags: ['ops'], summary: 'Readiness: the database answers (503 while shutting down or when it does not)', response: { 200: Ready, 503: Ready } } },
    async (_req, reply) => {
      const ok = !opts.isClosing() && (await app.deps.store.ping().catch(() => false));
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', database: app.deps.store.dialect });
    },
  );

  app.get(
    '/metrics',
    {
      config: { ...quiet, eseal: { auth: 'public', produces: ['text/plain'] } },
      logLevel: 'warn',
      schema: { tags: ['ops'], summary: 'Prometheus metrics: HTTP requests by route and status, stamps by kind, verifications, process', response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    async (_req, reply) => reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics()),
  );
}
