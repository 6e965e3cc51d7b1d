/** @module server/routes/api/batches — progress and results of batch stamping. */
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { getBatch } from '../../../../core/index.js';
import { httpError } from '../../../errors.js';
import { batchView } from '../../../views.js';
import { Batch, BatchItemParams } from '../../../schemas/stamping.js';
import { Binary, IdParams } from '../../../schemas/common.js';
import { declare } from '../../helpers.js';

/** The media type of a stamped document, by its first bytes. */
export function sniffDocumentType(b: Uint8Array): { type: string; ext: string } {
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return { type: 'application/pdf', ext: 'pdf' };
  if (b[0] === 0x50 && b[1] === 0x4b) return { type: 'application/ofd', ext: 'ofd' };
  return { type: 'application/octet-stream', ext: 'bin' };
}

const safeName = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'document';

export default async function batchRoutes(app: FastifyInstance) {
  const who = { auth: 'required' as const, permission: 'stamp.read', action: 'batch.read', rule: 'or the principal that created the batch' };

  app.get<{ Params: { id: string } }>(
    '/api/v1/batches/:id',
    {
      config: declare(who),
      schema: { tags: ['stamping'], summary: 'Progress of a batch, item by item', params: IdParams, response: { 200: Batch } },
    },
    async (req) => {
      const { job, items } = await getBatch(req.params.id, req.actx, app.deps);
      return batchView(job, items);
    },
  );

  app.get<{ Params: { id: string; index: number } }>(
    '/api/v1/batches/:id/items/:index/document',
    {
      config: declare({ ...who, produces: ['application/ofd', 'application/pdf'] }),
      schema: {
        tags: ['stamping'],
        summary: 'Download one stamped document of a batch',
        params: BatchItemParams,
        response: { 200: { description: 'the stamped document', content: { 'application/ofd': { schema: Binary }, 'application/pdf': { schema: Binary } } } },
      },
    },
    async (req, reply) => {
      const { items } = await getBatch(req.params.id, req.actx, app.deps);
      const item = items.find((i) => i.index === req.params.index);
      if (!item) throw httpError('NOT_FOUND', `the batch has no item ${req.params.index}`, { what: 'batch item' });
      if (item.status !== 'done' || !item.outputRef) throw httpError('CONFLICT', `item ${item.index} is ${item.status}${item.error ? `: ${item.error}` : ''}`, { status: item.status });
      const data = await app.deps.blobs.get(item.outputRef);
      if (!data) throw httpError('NOT_FOUND', 'the stamped document is no longer kept', { what: 'document' });
      const t = sniffDocumentType(data);
      return reply
        .type(t.type)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(safeName(item.name))}"`)
        .header('x-stamp-id', item.stampId ?? '')
        .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/batches/:id/results.zip',
    {
      config: declare({ ...who, produces: ['application/zip'] }),
      schema: {
        tags: ['stamping'],
        summary: 'Download every stamped document of a batch as one zip (items done so far)',
        params: IdParams,
        response: { 200: { description: 'a zip of the stamped documents, named <index>-<name>', content: { 'application/zip': { schema: Binary } } } },
      },
    },
    async (req, reply) => {
      const { job, items } = await getBatch(req.params.id, req.actx, app.deps);
      const files: Record<string, Uint8Array> = {};
      for (const i of items) {
        if (i.status !== 'done' || !i.outputRef) continue;
        const data = await app.deps.blobs.get(i.outputRef);
        if (data) files[`${String(i.index).padStart(4, '0')}-${safeName(i.name)}`] = data;
      }
      const zip = zipSync(files, { level: 0 });
      return reply.type('application/zip').header('content-disposition', `attachment; filename="batch-${job.id}.zip"`).send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    },
  );
}
