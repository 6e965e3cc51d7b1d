/** @module server/routes/api/organisations — organisations (统一社会信用代码 checked by GB 32100). */
import type { FastifyInstance } from 'fastify';
import { createOrganisation, getOrganisation, listOrganisations, type OrganisationKind } from '../../../../core/index.js';
import { organisationView } from '../../../views.js';
import { CreateOrganisationBody, ListOrganisationsQuery, Organisation } from '../../../schemas/organisations.js';
import { IdParams, list } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

export default async function organisationRoutes(app: FastifyInstance) {
  app.post<{ Body: { name: string; uscc: string; kind: OrganisationKind; authorityId: string } }>(
    '/api/v1/organisations',
    {
      config: declare({ auth: 'required', permission: 'organisation.create', action: 'organisation.create' }),
      schema: { tags: ['organisations'], summary: 'Register an organisation with an authority', body: CreateOrganisationBody, response: { 201: Organisation } },
    },
    async (req, reply) => reply.code(201).send(organisationView(await createOrganisation(req.body, req.actx, app.deps))),
  );

  app.get<{ Querystring: { authorityId?: string; limit?: number; offset?: number } }>(
    '/api/v1/organisations',
    {
      config: declare({ auth: 'required', permission: 'organisation.read', action: 'organisation.read' }),
      schema: { tags: ['organisations'], summary: 'List the organisations the caller may see (the operator: all; an authority: those it serves)', querystring: ListOrganisationsQuery, response: { 200: list(Organisation) } },
    },
    async (req) => ({ items: (await listOrganisations(defined(req.query), req.actx, app.deps)).map(organisationView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/organisations/:id',
    {
      config: declare({ auth: 'required', permission: 'organisation.read', action: 'organisation.read' }),
      schema: { tags: ['organisations'], summary: 'One organisation', params: IdParams, response: { 200: Organisation } },
    },
    async (req) => organisationView(await getOrganisation(req.params.id, req.actx, app.deps)),
  );
}
