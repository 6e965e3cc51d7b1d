/**
 * @module server/plugins/app/errors
 * The one error handler: every error — a use case's EsealError, Fastify's validation, parsing, size
 * and media-type errors, rate limits — leaves as `{ error: { code, message, details?, requestId } }`
 * with the status from the table in server/errors.ts. Unknown routes get the same shape (404). Refused
 * acts (FORBIDDEN, SEPARATION_OF_DUTIES) are written to the audit record; 5xx are logged with their
 * stack but answered without internals.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditDenied } from '../../../core/index.js';
import { EsealError } from '../../../util/errors.js';
import { toErrorResponse, type ErrorBody } from '../../errors.js';

const DENIED = new Set(['FORBIDDEN', 'SEPARATION_OF_DUTIES']);

function actionOf(req: FastifyRequest): string {
  return req.routeOptions.config?.eseal?.action ?? `${req.method} ${req.routeOptions.url ?? req.url}`;
}

async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler(async (error, req, reply) => {
    const { status, body, internal } = toErrorResponse(error, req.id);
    if (internal) req.log.error({ err: error }, 'request failed');
    else if (status >= 400) req.log.info({ code: body.error.code, status }, body.error.message);
    if (error instanceof EsealError && DENIED.has(error.code) && req.actx && req.actx.principal.kind !== 'public') {
      try {
        await auditDenied(actionOf(req), error, req.actx, app.deps);
      } catch (e) {
        req.log.error({ err: e }, 'could not record the refused act in the audit record');
      }
    }
    if (status === 503) reply.header('retry-after', '1');
    return reply.code(status).type('application/json; charset=utf-8').send(body satisfies ErrorBody);
  });

  app.setNotFoundHandler(async (req, reply) => {
    const body: ErrorBody = { error: { code: 'ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`, requestId: req.id } };
    return reply.code(404).type('application/json; charset=utf-8').send(body);
  });
}

export default fp(errorsPlugin, { name: 'eseal-errors' });
