/**
 * @module server/routes/api/audit
 * The audit record: read (auditors their organisation, authority admins their authority, the operator
 * all), export as JSON Lines and verify the hash chain (the operator).
 */
import type { FastifyInstance } from 'fastify';
import { exportAuditLog, listAudit, verifyAuditLog } from '../../../../core/index.js';
import { auditEventView } from '../../../views.js';
import { AuditChainReport, AuditEvent, AuditQuery } from '../../../schemas/audit.js';
import { Binary, list } from '../../../schemas/common.js';
import { dateOf, declare, defined } from '../../helpers.js';

interface AuditQueryInput {
  organisationId?: string;
  authorityId?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export default async function auditRoutes(app: FastifyInstance) {
  app.get<{ Querystring: AuditQueryInput }>(
    '/api/v1/audit',
    {
      config: declare({ auth: 'required', permission: 'audit.read', action: 'audit.read' }),
      schema: { tags: ['audit'], summary: 'Read audit events (who, what, target, time, request id, result) in a scope', querystring: AuditQuery, response: { 200: list(AuditEvent) } },
    },
    async (req) => {
      const q = req.query;
      const events = await listAudit(defined({ ...q, from: dateOf(q.from), to: dateOf(q.to) }), req.actx, app.deps);
      return { items: events.map(auditEventView) };
    },
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: declare({ auth: 'required', permission: 'audit.export', action: 'audit.export', produces: ['application/x-ndjson'] }),
      schema: {
        tags: ['audit'],
        summary: 'Export the whole audit record in chain order as JSON Lines',
        response: { 200: { description: 'one JSON event per line', content: { 'application/x-ndjson': { schema: Binary } } } },
      },
    },
    async (req, reply) => {
      const lines = exportAuditLog(req.actx, app.deps);
      const chunks: string[] = [];
      for await (const line of lines) chunks.push(line);
      return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="audit.jsonl"').send(chunks.join(''));
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: declare({ auth: 'required', permission: 'audit.export', action: 'audit.verify' }),
      schema: { tags: ['audit'], summary: 'Walk the hash chain: any edited, removed or reordered event is reported', response: { 200: AuditChainReport } },
    },
    async (req) => verifyAuditLog(req.actx, app.deps),
  );
}
