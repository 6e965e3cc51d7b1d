/** @module server/routes/api/api-keys — API keys for systems (shown once, hashed at rest). */
import type { FastifyInstance } from 'fastify';
import { createApiKey, listApiKeys, revokeApiKey, type Role } from '../../../../core/index.js';
import { apiKeyView } from '../../../views.js';
import { ApiKey, CreateApiKeyBody, CreatedApiKey, ListApiKeysQuery } from '../../../schemas/api-keys.js';
import { IdParams, list, NoContent } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

export default async function apiKeyRoutes(app: FastifyInstance) {
  app.post<{ Body: { name: string; role: Role; organisationId?: string; authorityId?: string } }>(
    '/api/v1/api-keys',
    {
      config: declare({ auth: 'required', permission: 'apikey.manage', action: 'apikey.create' }),
      schema: { tags: ['api-keys'], summary: 'Create an API key with one role in one organisation or authority; the secret is returned once', body: CreateApiKeyBody, response: { 201: CreatedApiKey } },
    },
    async (req, reply) => {
      const r = await createApiKey(defined(req.body), req.actx, app.deps);
      return reply.code(201).send({ apiKey: apiKeyView(r.apiKey), secret: r.secret });
    },
  );

  app.get<{ Querystring: { organisationId?: string; authorityId?: string } }>(
    '/api/v1/api-keys',
    {
      config: declare({ auth: 'required', permission: 'apikey.manage', action: 'apikey.read' }),
      schema: { tags: ['api-keys'], summary: 'List the API keys of an organisation or authority (never the secrets)', querystring: ListApiKeysQuery, response: { 200: list(ApiKey) } },
    },
    async (req) => ({ items: (await listApiKeys(defined(req.query), req.actx, app.deps)).map(apiKeyView) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/api-keys/:id',
    {
      config: declare({ auth: 'required', permission: 'apikey.manage', action: 'apikey.revoke' }),
      schema: { tags: ['api-keys'], summary: 'Revoke an API key: at once for stamping and in this process; other processes may authenticate it for reads for up to 1 s', params: IdParams, response: { 204: NoContent } },
    },
    async (req, reply) => {
      await revokeApiKey({ apiKeyId: req.params.id }, req.actx, app.deps);
      return reply.code(204).send();
    },
  );
}
