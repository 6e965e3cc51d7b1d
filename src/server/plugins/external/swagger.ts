/**
 * @module server/plugins/external/swagger
 * The OpenAPI 3 description, generated from the route schemas (@fastify/swagger) and served with a
 * browsable UI at /docs (@fastify/swagger-ui) and as JSON at /docs/json. Each route's declaration adds
 * what the schemas cannot say: its security (public, or bearer / API key), the permission it maps to,
 * the raw or multipart bodies it takes and the binary media types it returns.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, type Permission } from '../../../core/index.js';
import type { RouteDeclaration } from '../../types.js';

export const API_VERSION = '1.0.0';

export const TAGS = [
  { name: 'auth', description: 'sign in, sign out, who am I' },
  { name: 'authorities', description: '制章机构 seal-making authorities' },
  { name: 'organisations', description: 'organisations holding seals (统一社会信用代码)' },
  { name: 'users', description: 'accounts and role grants (separation of duties)' },
  { name: 'api-keys', description: 'API keys for systems' },
  { name: 'applications', description: '印章申请: apply, review (审核), make (制章)' },
  { name: 'seals', description: 'seals and their lifecycle: issue (发放), suspend (停用), resume, report lost (挂失), revoke (注销)' },
  { name: 'grants', description: '用印授权 use grants' },
  { name: 'approvals', description: '用印审批 approval before use' },
  { name: 'stamping', description: '用印: stamp documents, sign hashes, batches (Idempotency-Key)' },
  { name: 'statistics', description: '统计' },
  { name: 'audit', description: 'the hash-chained audit record (审计)' },
  { name: 'trust', description: '互信互认: certificates of other providers the platform trusts' },
  { name: 'public', description: 'verification, seal status (全省印章目录), CRLs — no account needed' },
  { name: 'ops', description: 'health, readiness, metrics' },
];

function permissionText(decl: RouteDeclaration): string {
  const perms = decl.permission === undefined ? [] : Array.isArray(decl.permission) ? decl.permission : [decl.permission];
  const parts = perms.map((p) => `\`${p}\` (${(PERMISSIONS[p as Permission] as readonly string[] | undefined)?.join(', ') ?? '?'})`);
  if (decl.auth === 'public') return 'No account needed.';
  return `Requires ${parts.length ? parts.join(' or ') : 'a signed-in principal'}${decl.rule ? `; ${decl.rule}` : ''}.`;
}

async function swaggerPlugin(app: FastifyInstance, opts: { exposeUi?: boolean }) {
  await app.register(swagger, {
    // shared schemas keep their $id as their name in components.schemas (`Error`)
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'eseal platform API',
        version: API_VERSION,
        description:
          'The electronic seal (电子印章) platform: authorities, organisations, seal lifecycle, authorised use (用印), stamping, verification, status and audit. ' +
          'Errors are `{ "error": { "code", "message", "details?", "requestId" } }`; see docs/api.md for the status table, idempotency and examples.',
        license: { name: 'Apache-2.0' },
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'a session token from POST /api/v1/auth/login' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an API key for a system (one role, one scope)' },
        },
      },
    },
    transform({ schema, url, route }) {
      const decl = route.config?.eseal;
      const s: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
      if (decl) {
        s.security = decl.auth === 'public' ? [] : [{ bearerAuth: [] }, { apiKey: [] }];
        const perm = permissionText(decl);
        s.description = s.description ? `${String(s.description)}\n\n${perm}` : perm;
        if (decl.permission) s['x-permission'] = decl.permission;
        if (decl.idempotent) s.description = `${String(s.description)}\n\nHonours the \`Idempotency-Key\` header.`;
        if (decl.rawBody) {
          const content: Record<string, unknown> = {};
          for (const t of decl.rawBody.types) content[t] = { schema: { type: 'string', format: 'binary' } };
          if (decl.rawBody.multipart) content['multipart/form-data'] = { schema: decl.rawBody.multipart };
          if (decl.rawBody.json) content['application/json'] = { schema: decl.rawBody.json };
          s.body = { description: decl.rawBody.description, content };
        }
      }
      return { schema: s as typeof schema, url };
    },
  });
  if (opts.exposeUi !== false) {
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: true });
  }
}

export default fp(swaggerPlugin, { name: 'eseal-swagger' });
