/** @module server/routes/api/approvals — 用印审批: request, decide, list. */
import type { FastifyInstance } from 'fastify';
import { decideApproval, listApprovals, requestApproval, type StampApproval } from '../../../../core/index.js';
import { approvalView } from '../../../views.js';
import { Approval, DecideApprovalBody, ListApprovalsQuery, RequestApprovalBody } from '../../../schemas/approvals.js';
import { IdParams, list } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

export default async function approvalRoutes(app: FastifyInstance) {
  app.post<{ Params: { id: string }; Body: { documentHash: string; documentType?: string; purpose?: string } }>(
    '/api/v1/seals/:id/approvals',
    {
      config: declare({ auth: 'required', permission: 'approval.request', action: 'approval.request', rule: 'with a usable use grant' }),
      schema: {
        tags: ['approvals'],
        summary: 'Request approval (用印审批) to stamp one document (by its SM3 hash) with a seal that needs it',
        params: IdParams,
        body: RequestApprovalBody,
        response: { 201: Approval },
      },
    },
    async (req, reply) => reply.code(201).send(approvalView(await requestApproval(defined({ sealId: req.params.id, ...req.body, documentHash: req.body.documentHash.toLowerCase() }), req.actx, app.deps))),
  );

  app.get<{ Querystring: { sealId?: string; organisationId?: string; status?: StampApproval['status'] } }>(
    '/api/v1/approvals',
    {
      config: declare({ auth: 'required', permission: 'approval.read', action: 'approval.read' }),
      schema: { tags: ['approvals'], summary: 'Approval requests of a seal or an organisation (approvers: status=pending is the work queue)', querystring: ListApprovalsQuery, response: { 200: list(Approval) } },
    },
    async (req) => ({ items: (await listApprovals(defined(req.query), req.actx, app.deps)).map(approvalView) }),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; reason?: string } }>(
    '/api/v1/approvals/:id/decision',
    {
      config: declare({ auth: 'required', permission: 'approval.decide', action: 'approval.decide', rule: 'not the requester' }),
      schema: { tags: ['approvals'], summary: 'Approve, or reject with a reason, a use request', params: IdParams, body: DecideApprovalBody, response: { 200: Approval } },
    },
    async (req) => approvalView(await decideApproval({ approvalId: req.params.id, ...defined(req.body) }, req.actx, app.deps)),
  );
}
