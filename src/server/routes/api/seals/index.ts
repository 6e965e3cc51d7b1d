/**
 * @module server/routes/api/seals
 * Seals for staff: list and search, one seal, its history, its Seal.esl, and the status actions
 * (issue 发放, suspend 停用, resume, report lost 挂失, revoke 注销/吊销). A change (变更) is a new
 * application with replacesSealId; issuing the new seal revokes the old one.
 */
import type { FastifyInstance } from 'fastify';
import { changeSealStatus, getSeal, listSeals, sealHistory, type SealStatus } from '../../../../core/index.js';
import { sealEventView, sealView } from '../../../views.js';
import { ListSealsQuery, Seal, SealActionBody, SealEvent } from '../../../schemas/seals.js';
import { Binary, IdParams, list } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

/** The status actions, their permission and what they mean. */
export const SEAL_STATUS_ACTIONS = [
  { action: 'issue', permission: 'seal.issue', summary: 'Issue (发放) a made seal: it becomes active (a change’s new seal also revokes the one it replaces)' },
  { action: 'suspend', permission: 'seal.suspend', summary: 'Suspend (停用) an active seal, with a reason: it stops stamping at once' },
  { action: 'resume', permission: 'seal.resume', summary: 'Resume a suspended seal' },
  { action: 'report-lost', permission: 'seal.report-lost', summary: 'Report a seal lost (挂失), with a reason: its certificate goes on the CRL' },
  { action: 'revoke', permission: 'seal.revoke', summary: 'Revoke (注销/吊销) a seal, with a reason; final' },
] as const;

export default async function sealRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { organisationId?: string; authorityId?: string; status?: SealStatus; type?: string; q?: string; limit?: number; offset?: number } }>(
    '/api/v1/seals',
    {
      config: declare({ auth: 'required', permission: 'seal.read', action: 'seal.read' }),
      schema: { tags: ['seals'], summary: 'List and search the seals of an organisation or authority (the operator: all)', querystring: ListSealsQuery, response: { 200: list(Seal, true) } },
    },
    async (req) => {
      const { q, ...rest } = req.query;
      const r = await listSeals(defined({ ...rest, query: q }), req.actx, app.deps);
      return { items: r.items.map(sealView), total: r.total };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/seals/:id',
    {
      config: declare({ auth: 'required', permission: 'seal.read', action: 'seal.read' }),
      schema: { tags: ['seals'], summary: 'One seal', params: IdParams, response: { 200: Seal } },
    },
    async (req) => sealView(await getSeal(req.params.id, req.actx, app.deps)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/seals/:id/history',
    {
      config: declare({ auth: 'required', permission: 'seal.read', action: 'seal.read' }),
      schema: { tags: ['seals'], summary: 'Every status change of a seal: who, when, why', params: IdParams, response: { 200: list(SealEvent) } },
    },
    async (req) => ({ items: (await sealHistory(req.params.id, req.actx, app.deps)).map(sealEventView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/seals/:id/seal.esl',
    {
      config: declare({ auth: 'required', permission: 'seal.read', action: 'seal.read', produces: ['application/octet-stream'] }),
      schema: {
        tags: ['seals'],
        summary: 'Download the seal (SESeal, GB/T 38540 DER) as Seal.esl',
        params: IdParams,
        response: { 200: { description: 'the SESeal (DER)', content: { 'application/octet-stream': { schema: Binary } } } },
      },
    },
    async (req, reply) => {
      const seal = await getSeal(req.params.id, req.actx, app.deps);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${seal.esId}.esl"`)
        .send(Buffer.from(seal.sealDer.buffer, seal.sealDer.byteOffset, seal.sealDer.byteLength));
    },
  );

  for (const a of SEAL_STATUS_ACTIONS) {
    app.post<{ Params: { id: string }; Body: { reason?: string } }>(
      `/api/v1/seals/:id/${a.action}`,
      {
        config: declare({ auth: 'required', permission: a.permission, action: a.permission }),
        schema: { tags: ['seals'], summary: a.summary, params: IdParams, body: SealActionBody, response: { 200: Seal } },
      },
      async (req) => sealView(await changeSealStatus({ sealId: req.params.id, action: a.action, ...defined(req.body) }, req.actx, app.deps)),
    );
  }
}
