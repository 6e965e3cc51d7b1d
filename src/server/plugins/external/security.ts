/**
 * @module server/plugins/external/security
 * Security headers (@fastify/helmet). The API serves JSON and documents; the only HTML is the Swagger
 * UI at /docs, which sets its own content security policy (staticCSP).
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

async function securityPlugin(app: FastifyInstance) {
  await app.register(helmet, { global: true, contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } });
}

export default fp(securityPlugin, { name: 'eseal-security' });
