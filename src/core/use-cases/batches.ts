/**
 * Batch stamping (批量用印): a job with progress that stamps each document once and resumes after a
 * restart. An item's "done" state commits in the same transaction as its stamp record, so a crash
 * between the two cannot stamp a document twice.
 */
import { EsealError, fail } from '../../util/errors.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { BatchItem, BatchJob } from '../domain/types.js';
import type { Placement } from '../documents/stamper.js';
import { uuid } from '../ids.js';
import { required } from './_common.js';
import { stampDocument } from './stamping.js';

export const MAX_BATCH_ITEMS = 1000;

export interface CreateBatchInput {
  sealId: string;
  documents: { name: string; data: Uint8Array }[];
  placement: Placement;
  documentType?: string;
  lock?: boolean;
}

export async function createBatch(input: CreateBatchInput, ctx: ActionContext, deps: CoreDeps): Promise<BatchJob> {
  const seal = required(await deps.store.repos.seals.get(input.sealId), 'seal', input.sealId);
  requirePermission(ctx.principal, 'stamp.use', { organisationId: seal.organisationId, authorityId: seal.authorityId });
  if (seal.approvalRequired) fail('APPROVAL_REQUIRED', 'seals that need 用印审批 per document are stamped one by one, not in batches');
  if (!input.documents.length) fail('VALIDATION', 'a batch needs at least one document', { field: 'documents' });
  if (input.documents.length > MAX_BATCH_ITEMS) fail('LIMIT_EXCEEDED', `a batch holds at most ${MAX_BATCH_ITEMS} documents`);
  const now = deps.clock.now();
  const job: BatchJob = {
    id: uuid(deps.random),
    sealId: seal.id,
    ...(ctx.principal.kind === 'user' && ctx.principal.id ? { userId: ctx.principal.id } : {}),
    ...(ctx.principal.kind === 'api-key' && ctx.principal.id ? { apiKeyId: ctx.principal.id } : {}),
    status: 'queued',
    total: input.documents.length,
    done: 0,
    failed: 0,
    options: { placement: input.placement, documentType: input.documentType, lock: !!input.lock, grants: ctx.principal.grants, principalKind: ctx.principal.kind, principalName: ctx.principal.name },
    createdAt: now,
    updatedAt: now,
  };
  const items: BatchItem[] = [];
  for (const [index, d] of input.documents.entries()) items.push({ id: uuid(deps.random), batchId: job.id, index, name: String(d.name).slice(0, 200), inputRef: await deps.blobs.put(d.data), status: 'pending' });
  await deps.store.transaction(async (tx) => {
    await tx.batches.insert(job, items);
    await audit(tx, deps, ctx, 'batch.create', { type: 'batch', id: job.id, organisationId: seal.organisationId, authorityId: seal.authorityId }, { sealId: seal.id, items: items.length });
  });
  return job;
}

/** The principal that created the job, restored for a resumed run. */
function jobContext(job: BatchJob): ActionContext {
  const o = job.options as { grants: ActionContext['principal']['grants']; principalKind: 'user' | 'api-key'; principalName?: string };
  return { principal: { kind: o.principalKind, id: job.userId ?? job.apiKeyId, ...(o.principalName ? { name: o.principalName } : {}), grants: o.grants } };
}

/** Thrown inside a batch item's transaction when another runner finished the item first. */
const TAKEN = 'the document was stamped or failed by another runner of this batch';

/**
 * Stamps every pending item of a job; safe to call again after an interruption, and safe when two
 * processes resume the same job at once: an item's stamp commits only together with the item moving
 * from pending to done (batches.finishItem), so each document is stamped once whoever gets there
 * first, and the other runner's signature is dropped with its transaction. The job's counts are
 * read from its items, so runners do not overwrite each other's progress.
 */
export async function runBatch(batchId: string, deps: CoreDeps): Promise<BatchJob> {
  let job = required(await deps.store.repos.batches.get(batchId), 'batch', batchId);
  if (job.status === 'done' || job.status === 'cancelled') return job;
  const ctx = jobContext(job);
  const repos = deps.store.repos;
  const progress = async (status: BatchJob['status']) => {
    const c = await repos.batches.countItems(batchId);
    job = { ...job, status, done: c.done, failed: c.failed, updatedAt: deps.clock.now() };
    await repos.batches.update(job);
  };
  await progress('running');
  const o = job.options as { placement: Placement; documentType?: string; lock?: boolean };
  for (const item of await repos.batches.items(batchId, { status: 'pending' })) {
    const data = await deps.blobs.get(item.inputRef);
    try {
      if (!data) fail('NOT_FOUND', `document ${item.name} is missing from the blob store`);
      await stampDocument(
        { sealId: job.sealId, document: data, placement: o.placement, ...(o.documentType ? { documentType: o.documentType } : {}), ...(o.lock ? { lock: true } : {}), batchId },
        ctx,
        deps,
        async (tx, stamp) => {
          if (!(await tx.batches.finishItem({ ...item, status: 'done', stampId: stamp.id, ...(stamp.outputRef ? { outputRef: stamp.outputRef } : {}) }))) fail('CONFLICT', TAKEN);
        },
      );
    } catch (e) {
      // finished by the other runner: nothing to record here
      if (!(e instanceof EsealError && e.code === 'CONFLICT' && e.message === TAKEN)) {
        await repos.batches.finishItem({ ...item, status: 'failed', error: (e as Error).message.slice(0, 500) });
      }
    }
    await progress('running');
  }
  const c = await repos.batches.countItems(batchId);
  await progress(c.pending > 0 ? 'running' : c.failed > 0 && c.done === 0 ? 'failed' : 'done');
  return job;
}

/** Resumes jobs left queued or running (at start-up). */
export async function resumeBatches(deps: CoreDeps): Promise<number> {
  const jobs = await deps.store.repos.batches.unfinished();
  for (const j of jobs) await runBatch(j.id, deps);
  return jobs.length;
}

export async function getBatch(batchId: string, ctx: ActionContext, deps: CoreDeps): Promise<{ job: BatchJob; items: BatchItem[] }> {
  const job = required(await deps.store.repos.batches.get(batchId), 'batch', batchId);
  const seal = required(await deps.store.repos.seals.get(job.sealId), 'seal', job.sealId);
  if (ctx.principal.id !== job.userId && ctx.principal.id !== job.apiKeyId) requirePermission(ctx.principal, 'stamp.read', { organisationId: seal.organisationId, authorityId: seal.authorityId });
  return { job, items: await deps.store.repos.batches.items(batchId) };
}
