/** @module server/routes/api/grants — 用印授权: granting and revoking the use of a seal. */
import type { FastifyInstance } from 'fastify';
import { grantUse, listGrants, revokeUse } from '../../../../core/index.js';
import { grantView } from '../../../views.js';
import { GrantUseBody, RevokeGrantBody, UseGrant } from '../../../schemas/grants.js';
import { IdParams, list } from '../../../schemas/common.js';
import { dateOf, declare, defined } from '../../helpers.js';

export default async function grantRoutes(app: FastifyInstance) {
  app.get<{ Params: { id: string } }>(
    '/api/v1/seals/:id/grants',
    {
      config: declare({ auth: 'required', permission: 'grant.read', action: 'grant.read', rule: 'a seal user sees only their own' }),
      schema: { tags: ['grants'], summary: 'The use grants of a seal', params: IdParams, response: { 200: list(UseGrant) } },
    },
    async (req) => ({ items: (await listGrants({ sealId: req.params.id }, req.actx, app.deps)).map(grantView) }),
  );

  app.post<{ Params: { id: string }; Body: { userId: string; validFrom?: string; validUntil: string; maxUses?: number; documentTypes?: string[] } }>(
    '/api/v1/seals/:id/grants',
    {
      config: declare({ auth: 'required', permission: 'grant.manage', action: 'grant.create', rule: 'to a holder of seal-user in the organisation, not to oneself' }),
      schema: { tags: ['grants'], summary: 'Grant a seal user the use of a seal: validity window, optional count limit and document types', params: IdParams, body: GrantUseBody, response: { 201: UseGrant } },
    },
    async (req, reply) => {
      const b = req.body;
      const g = await grantUse(defined({ sealId: req.params.id, userId: b.userId, validFrom: dateOf(b.validFrom), validUntil: dateOf(b.validUntil)!, maxUses: b.maxUses, documentTypes: b.documentTypes }), req.actx, app.deps);
      return reply.code(201).send(grantView(g));
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/v1/grants/:id/revoke',
    {
      config: declare({ auth: 'required', permission: 'grant.manage', action: 'grant.revoke' }),
      schema: { tags: ['grants'], summary: 'Revoke a use grant (at once)', params: IdParams, body: RevokeGrantBody, response: { 200: UseGrant } },
    },
    async (req) => grantView(await revokeUse({ grantId: req.params.id, ...defined(req.body) }, req.actx, app.deps)),
  );
}
