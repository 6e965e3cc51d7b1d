/**
 * @module server/routes/api/applications
 * 印章申请 → 审核 → 制章. The application is JSON; its picture (印模) and materials travel as base64
 * fields (documented in docs/api.md): they are small, and one JSON body keeps the submission atomic and
 * idempotent to validate.
 */
import type { FastifyInstance } from 'fastify';
import { getApplication, listApplications, makeSealFromApplication, reviewApplication, submitApplication, type SealApplication } from '../../../../core/index.js';
import type { SealType } from '../../../../ses/index.js';
import { fromHex } from '../../../../util/bytes.js';
import { applicationView, sealView } from '../../../views.js';
import { Application, ListApplicationsQuery, ReviewBody, SubmitApplicationBody } from '../../../schemas/applications.js';
import { Seal } from '../../../schemas/seals.js';
import { EmptyBody, IdParams, list } from '../../../schemas/common.js';
import { b64, declare, defined } from '../../helpers.js';

interface SubmitBody {
  organisationId: string;
  sealType: SealType;
  name?: string;
  code?: string;
  validityDays?: number;
  picture?: { data: string; type: string; widthMm: number; heightMm: number };
  materials?: { name?: string; data: string }[];
  keySource?: 'platform' | 'holder';
  holderPublicKey?: string;
  approvalRequired?: boolean;
  replacesSealId?: string;
}

export default async function applicationRoutes(app: FastifyInstance) {
  app.post<{ Body: SubmitBody }>(
    '/api/v1/applications',
    {
      bodyLimit: 64 * 1024 * 1024,
      config: declare({ auth: 'required', permission: 'application.submit', action: 'application.submit' }),
      schema: {
        tags: ['applications'],
        summary: 'Apply for a seal (申请); with replacesSealId it is a change (变更) of an active seal',
        description: 'The picture and materials are base64 fields of the JSON body. Without a picture the appearance is generated from the seal type, name and code.',
        body: SubmitApplicationBody,
        response: { 201: Application },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await submitApplication(
        defined({
          organisationId: b.organisationId,
          sealType: b.sealType,
          name: b.name,
          code: b.code,
          validityDays: b.validityDays,
          picture: b.picture ? { data: b64(b.picture.data, 'picture.data'), type: b.picture.type, widthMm: b.picture.widthMm, heightMm: b.picture.heightMm } : undefined,
          materials: b.materials?.map((m, i) => b64(m.data, `materials[${i}].data`)),
          keySource: b.keySource,
          holderPublicKey: b.holderPublicKey ? fromHex(b.holderPublicKey.toLowerCase()) : undefined,
          approvalRequired: b.approvalRequired,
          replacesSealId: b.replacesSealId,
        }),
        req.actx,
        app.deps,
      );
      return reply.code(201).send(applicationView(created));
    },
  );

  app.get<{ Querystring: { organisationId?: string; authorityId?: string; status?: SealApplication['status']; limit?: number; offset?: number } }>(
    '/api/v1/applications',
    {
      config: declare({ auth: 'required', permission: 'application.read', action: 'application.read' }),
      schema: { tags: ['applications'], summary: 'List applications of an organisation or authority (reviewers: status=submitted is the work queue)', querystring: ListApplicationsQuery, response: { 200: list(Application) } },
    },
    async (req) => ({ items: (await listApplications(defined(req.query), req.actx, app.deps)).map(applicationView) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/applications/:id',
    {
      config: declare({ auth: 'required', permission: 'application.read', action: 'application.read' }),
      schema: { tags: ['applications'], summary: 'One application', params: IdParams, response: { 200: Application } },
    },
    async (req) => applicationView(await getApplication(req.params.id, req.actx, app.deps)),
  );

  app.post<{ Params: { id: string }; Body: { decision: 'approve' | 'reject'; reason?: string } }>(
    '/api/v1/applications/:id/review',
    {
      config: declare({ auth: 'required', permission: 'application.review', action: 'application.review', rule: 'not the applicant' }),
      schema: { tags: ['applications'], summary: 'Review (审核): approve, or reject with a reason', params: IdParams, body: ReviewBody, response: { 200: Application } },
    },
    async (req) => applicationView(await reviewApplication({ applicationId: req.params.id, ...defined(req.body) }, req.actx, app.deps)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/applications/:id/make',
    {
      config: declare({ auth: 'required', permission: 'seal.make', action: 'seal.make', rule: 'not the reviewer' }),
      schema: {
        tags: ['applications'],
        summary: 'Make (制章) the seal of an approved application: signer key and certificate, picture, SESeal signed by the maker key',
        params: IdParams,
        body: EmptyBody,
        response: { 201: Seal },
      },
    },
    async (req, reply) => reply.code(201).send(sealView(await makeSealFromApplication({ applicationId: req.params.id }, req.actx, app.deps))),
  );
}
