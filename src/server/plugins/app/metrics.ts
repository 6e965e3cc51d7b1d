/**
 * @module server/plugins/app/metrics
 * Prometheus metrics (prom-client), one registry per app instance: HTTP requests by route and status
 * (count and duration), stamps by kind, verifications by kind and outcome, logins by result, and the
 * process metrics (CPU, memory, event loop lag, GC). Served at GET /metrics.
 */
import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'eseal_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'eseal_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly stamps = new Counter({ name: 'eseal_stamps_total', help: 'Seal uses (用印) by kind: ofd, pdf, hash, and batch items', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly verifications = new Counter({ name: 'eseal_verifications_total', help: 'Public verifications by kind (document, seal, signature) and indication', labelNames: ['kind', 'indication'] as const, registers: [this.registry] });
  readonly logins = new Counter({ name: 'eseal_logins_total', help: 'Login attempts by result (success, denied, locked, throttled)', labelNames: ['result'] as const, registers: [this.registry] });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'eseal_' });
  }
}

async function metricsPlugin(app: FastifyInstance) {
  const metrics = new ServerMetrics();
  app.decorate('metrics', metrics);
  app.addHook('onRequest', async (req) => {
    req.startedAt = process.hrtime.bigint();
  });
  app.addHook('onResponse', async (req, reply) => {
    // unmatched URLs share one label, so scanners cannot grow the series without bound
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    if (req.startedAt !== undefined) metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - req.startedAt) / 1e9);
  });
}

export default fp(metricsPlugin, { name: 'eseal-metrics' });
