/**
 * @module server/routes/api/stamping
 * 用印. Every call here honours `Idempotency-Key` (plugins/app/idempotency.ts).
 *
 *   POST /api/v1/seals/{id}/stamp      the document as the raw body (application/ofd, application/pdf,
 *                                      application/octet-stream) or multipart field `document`; where
 *                                      and how in the query; answers the stamped document, X-Stamp-Id
 *   POST /api/v1/seals/{id}/sign-hash  {hash} → {signature: base64 SES_Signature, stampId}
 *   POST /api/v1/seals/{id}/batches    many documents (JSON base64 or multipart `documents`) → a job
 *   GET  /api/v1/stamps                用印记录
 */
import type { FastifyInstance } from 'fastify';
import { canonicalJson, createBatch, listStamps, runBatch, signHash, stampDocument } from '../../../../core/index.js';
import { batchView, stampView } from '../../../views.js';
import { Batch, BatchJsonBody, BatchQuery, IdempotencyHeaders, ListStampsQuery, MAX_BATCH_DOCUMENTS, SignHashBody, SignHashResponse, StampParams, StampQuery, StampRecord } from '../../../schemas/stamping.js';
import { Binary, list } from '../../../schemas/common.js';
import { idempotent } from '../../../plugins/app/idempotency.js';
import { RAW_TYPES, mediaTypeOf } from '../../../plugins/app/content.js';
import { b64, b64encode, jsonWithBase64, declare, defined, placementOf, uploadedFiles, type StampQueryInput } from '../../helpers.js';

export const MEDIA_TYPES: Record<string, string> = { ofd: 'application/ofd', pdf: 'application/pdf' };

/** Background batch runs of this process (graceful shutdown waits for them). */
export const runningBatches = new Set<Promise<unknown>>();

export interface StampingRouteOptions {
  maxDocumentBytes: number;
}

export default async function stampingRoutes(app: FastifyInstance, opts: StampingRouteOptions) {
  const multipartSlack = 1024 * 1024;

  app.post<{ Params: { id: string }; Querystring: StampQueryInput }>(
    '/api/v1/seals/:id/stamp',
    {
      bodyLimit: opts.maxDocumentBytes + multipartSlack,
      config: declare({
        auth: 'required',
        permission: 'stamp.use',
        action: 'stamp.use',
        rule: 'a person needs a usable use grant (用印授权); seals with 用印审批 need approvalId',
        idempotent: true,
        produces: ['application/ofd', 'application/pdf'],
        rawBody: {
          types: RAW_TYPES,
          multipart: { type: 'object', required: ['document'], properties: { document: { type: 'string', format: 'binary', description: 'the OFD or PDF' } } },
          description: 'the OFD or PDF document as the raw body, or as the multipart field `document`; options go in the query',
        },
      }),
      schema: {
        tags: ['stamping'],
        summary: 'Stamp (盖章) an OFD or PDF document with a seal; answers the stamped document',
        params: StampParams,
        querystring: StampQuery,
        headers: IdempotencyHeaders,
        response: {
          200: {
            description: 'the stamped document; X-Stamp-Id names the stamp record',
            headers: { 'x-stamp-id': { type: 'string' }, 'x-stamp-format': { type: 'string' } },
            content: { 'application/ofd': { schema: Binary }, 'application/pdf': { schema: Binary } },
          },
        },
      },
    },
    async (req, reply) => {
      const [file] = await uploadedFiles(req, 'document', 1);
      const q = req.query;
      return idempotent(req, reply, app.deps, [file.data], async () => {
        const r = await stampDocument(
          defined({
            sealId: req.params.id,
            document: file.data,
            placement: placementOf(q),
            documentType: q.documentType,
            approvalId: q.approvalId,
            lock: q.lock,
            timeStamp: q.timeStamp,
            reason: q.reason,
            location: q.location,
          }),
          req.actx,
          app.deps,
        );
        app.metrics.stamps.inc({ kind: r.format });
        return {
          status: 200,
          type: MEDIA_TYPES[r.format] ?? 'application/octet-stream',
          headers: { 'x-stamp-id': r.stamp.id, 'x-stamp-format': r.format, 'content-disposition': `attachment; filename="stamped.${r.format}"` },
          body: r.document,
        };
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { hash: string; propertyInfo?: string; documentType?: string; approvalId?: string; timeStamp?: boolean } }>(
    '/api/v1/seals/:id/sign-hash',
    {
      config: declare({ auth: 'required', permission: 'stamp.use', action: 'stamp.use', rule: 'as for stamping', idempotent: true }),
      schema: {
        tags: ['stamping'],
        summary: 'Sign a document hash (SM3) with a seal: answers a GB/T 38540 SES_Signature for systems that keep their documents',
        params: StampParams,
        headers: IdempotencyHeaders,
        body: SignHashBody,
        response: { 200: SignHashResponse },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, app.deps, [canonicalJson(req.body)], async () => {
        const r = await signHash(defined({ sealId: req.params.id, ...req.body }), req.actx, app.deps);
        app.metrics.stamps.inc({ kind: 'hash' });
        const signature = b64encode(r.signature);
        const fields = { stampId: r.stamp.id, sealId: r.stamp.sealId, signTime: r.stamp.signTime.toISOString(), outputHash: r.stamp.outputHash };
        return { status: 200, headers: { 'x-stamp-id': r.stamp.id }, body: { signature, ...fields }, json: jsonWithBase64('signature', signature, fields) };
      }),
  );

  app.post<{ Params: { id: string }; Querystring: StampQueryInput; Body: unknown }>(
    '/api/v1/seals/:id/batches',
    {
      bodyLimit: Math.min(opts.maxDocumentBytes * 4, 512 * 1024 * 1024),
      config: declare({
        auth: 'required',
        permission: 'stamp.use',
        action: 'batch.create',
        rule: 'as for stamping; not for seals with 用印审批',
        idempotent: true,
        rawBody: {
          types: [],
          json: BatchJsonBody,
          multipart: { type: 'object', required: ['documents'], properties: { documents: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'the documents (repeat the field)' } } },
          description: `up to ${MAX_BATCH_DOCUMENTS} documents: JSON {documents: [{name, data (base64)}]} or multipart files in the field \`documents\`; placement in the query`,
        },
      }),
      schema: {
        tags: ['stamping'],
        summary: 'Start a batch (批量用印): each document is stamped once; progress at GET /api/v1/batches/{id}; resumes after a restart',
        params: StampParams,
        querystring: BatchQuery,
        headers: IdempotencyHeaders,
        // JSON bodies are validated; multipart bodies are read part by part by the handler
        body: { content: { 'application/json': { schema: BatchJsonBody } } },
        response: { 202: Batch },
      },
    },
    async (req, reply) => {
      let documents: { name: string; data: Uint8Array }[];
      if (mediaTypeOf(req.headers['content-type']) === 'application/json') {
        const body = req.body as { documents: { name: string; data: string }[] };
        documents = body.documents.map((d, i) => ({ name: d.name, data: b64(d.data, `documents[${i}].data`) }));
      } else {
        documents = (await uploadedFiles(req, 'documents', MAX_BATCH_DOCUMENTS)).map((f) => ({ name: f.name, data: f.data }));
      }
      const q = req.query;
      const parts: (string | Uint8Array)[] = [];
      for (const d of documents) parts.push(d.name, d.data);
      return idempotent(req, reply, app.deps, parts, async () => {
        const job = await createBatch(defined({ sealId: req.params.id, documents, placement: placementOf(q), documentType: q.documentType, lock: q.lock }), req.actx, app.deps);
        const run = runBatch(job.id, app.deps)
          .then((j) => app.metrics.stamps.inc({ kind: 'batch-item' }, j.done))
          .catch((err: unknown) => app.log.error({ err, batchId: job.id }, 'batch run failed; it resumes at the next start'))
          .finally(() => runningBatches.delete(run));
        runningBatches.add(run);
        return { status: 202, headers: { location: `/api/v1/batches/${job.id}` }, body: batchView(job) };
      });
    },
  );

  app.get<{ Querystring: { sealId?: string; organisationId?: string; limit?: number; offset?: number } }>(
    '/api/v1/stamps',
    {
      config: declare({ auth: 'required', permission: 'stamp.read', action: 'stamp.read' }),
      schema: { tags: ['stamping'], summary: '用印记录: the uses of a seal or of an organisation’s seals', querystring: ListStampsQuery, response: { 200: list(StampRecord) } },
    },
    async (req) => ({ items: (await listStamps(defined(req.query), req.actx, app.deps)).map(stampView) }),
  );
}
