/**
 * @module server/routes/api/authorities
 * 制章机构: the public list (what relying parties need to trust their seals), accreditation and
 * suspension by the operator.
 */
import type { FastifyInstance } from 'fastify';
import { createAuthority, listAuthorities, setAuthorityStatus } from '../../../../core/index.js';
import { httpError } from '../../../errors.js';
import { authorityView } from '../../../views.js';
import { Authority, AuthorityStatusBody, CreateAuthorityBody } from '../../../schemas/authorities.js';
import { IdParams, list } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

export default async function authorityRoutes(app: FastifyInstance) {
  app.get(
    '/api/v1/authorities',
    {
      config: declare({ auth: 'public' }),
      schema: { tags: ['authorities', 'public'], summary: 'List the accredited seal-making authorities (public view, with CA and maker certificates)', response: { 200: list(Authority) } },
    },
    async () => ({ items: (await listAuthorities(app.deps)).map(authorityView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/authorities/:id',
    {
      config: declare({ auth: 'public' }),
      schema: { tags: ['authorities', 'public'], summary: 'One authority (public view)', params: IdParams, response: { 200: Authority } },
    },
    async (req) => {
      const a = (await listAuthorities(app.deps)).find((x) => x.id === req.params.id);
      if (!a) throw httpError('NOT_FOUND', `authority ${req.params.id} not found`, { what: 'authority', id: req.params.id });
      return authorityView(a);
    },
  );

  app.post<{ Body: { name: string; kind: 'government' | 'market'; uscc?: string; vid: string; caYears?: number } }>(
    '/api/v1/authorities',
    {
      config: declare({ auth: 'required', permission: 'authority.create', action: 'authority.create' }),
      schema: {
        tags: ['authorities'],
        summary: 'Accredit a seal-making authority: creates its CA and its maker (制章者) key and certificate',
        body: CreateAuthorityBody,
        response: { 201: Authority },
      },
    },
    async (req, reply) => reply.code(201).send(authorityView(await createAuthority(defined(req.body), req.actx, app.deps))),
  );

  app.post<{ Params: { id: string }; Body: { status: 'active' | 'suspended'; reason: string } }>(
    '/api/v1/authorities/:id/status',
    {
      config: declare({ auth: 'required', permission: 'authority.update', action: 'authority.update' }),
      schema: { tags: ['authorities'], summary: 'Suspend or reactivate an authority (a suspended authority makes no seals)', params: IdParams, body: AuthorityStatusBody, response: { 200: Authority } },
    },
    async (req) => authorityView(await setAuthorityStatus({ authorityId: req.params.id, ...req.body }, req.actx, app.deps)),
  );
}
