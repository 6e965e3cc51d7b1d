/** @module server/routes/api/users — accounts and role grants (with separation of duties). */
import type { FastifyInstance } from 'fastify';
import { createUser, getUser, grantRole, listUsers, revokeRole, type Role } from '../../../../core/index.js';
import { roleGrantView, userView } from '../../../views.js';
import { CreateUserBody, GrantRoleBody, ListUsersQuery, RoleGrant, User, UserRoleParams } from '../../../schemas/users.js';
import { IdParams, list, NoContent } from '../../../schemas/common.js';
import { declare, defined } from '../../helpers.js';

export default async function userRoutes(app: FastifyInstance) {
  app.post<{ Body: { username: string; displayName: string; password: string } }>(
    '/api/v1/users',
    {
      config: declare({ auth: 'required', permission: 'user.create', action: 'user.create' }),
      schema: { tags: ['users'], summary: 'Create an account (password hashed with scrypt)', body: CreateUserBody, response: { 201: User } },
    },
    async (req, reply) => reply.code(201).send(userView({ ...(await createUser(req.body, req.actx, app.deps)), roles: [] })),
  );

  app.get<{ Querystring: { organisationId?: string; authorityId?: string; limit?: number; offset?: number } }>(
    '/api/v1/users',
    {
      config: declare({ auth: 'required', permission: 'user.read', action: 'user.read' }),
      schema: { tags: ['users'], summary: 'List the people holding roles in an organisation or authority (the operator: everyone)', querystring: ListUsersQuery, response: { 200: list(User) } },
    },
    async (req) => ({ items: (await listUsers(defined(req.query), req.actx, app.deps)).map(userView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/users/:id',
    {
      config: declare({ auth: 'required', permission: 'user.read', action: 'user.read', rule: 'or the user themself' }),
      schema: { tags: ['users'], summary: 'One account with its roles', params: IdParams, response: { 200: User } },
    },
    async (req) => userView(await getUser(req.params.id, req.actx, app.deps)),
  );

  app.post<{ Params: { id: string }; Body: { role: Role; authorityId?: string; organisationId?: string; allowDualDuties?: boolean } }>(
    '/api/v1/users/:id/roles',
    {
      config: declare({ auth: 'required', permission: 'role.grant', action: 'role.grant', rule: 'authority roles: the operator or that authority’s admin; operator: the operator' }),
      schema: {
        tags: ['users'],
        summary: 'Grant a role (管理权, 使用权 and 审计权 of one organisation go to different people unless allowDualDuties)',
        params: IdParams,
        body: GrantRoleBody,
        response: { 201: RoleGrant },
      },
    },
    async (req, reply) => reply.code(201).send(roleGrantView(await grantRole({ userId: req.params.id, ...defined(req.body) }, req.actx, app.deps))),
  );

  app.delete<{ Params: { id: string; grantId: string } }>(
    '/api/v1/users/:id/roles/:grantId',
    {
      config: declare({ auth: 'required', permission: 'role.grant', action: 'role.revoke', rule: 'as for granting it' }),
      schema: { tags: ['users'], summary: 'Revoke a role grant', params: UserRoleParams, response: { 204: NoContent } },
    },
    async (req, reply) => {
      await revokeRole({ userId: req.params.id, grantId: req.params.grantId }, req.actx, app.deps);
      return reply.code(204).send();
    },
  );
}
