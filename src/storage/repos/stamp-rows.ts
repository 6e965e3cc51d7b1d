/** @module storage/repos/stamp-rows — stamp records as they are stored. */
import type { StampRecord } from '../../core/domain/types.js';
import type { StampRow } from '../schema.js';
import type { RepoContext } from './context.js';

export function stampRow(x: RepoContext, s: StampRecord): StampRow {
  const { c } = x;
  return {
    id: s.id,
    seal_id: s.sealId,
    organisation_id: s.organisationId,
    authority_id: s.authorityId,
    user_id: s.userId ?? null,
    api_key_id: s.apiKeyId ?? null,
    kind: s.kind,
    document_type: s.documentType ?? null,
    input_hash: s.inputHash,
    output_hash: s.outputHash,
    output_ref: s.outputRef ?? null,
    approval_id: s.approvalId ?? null,
    batch_id: s.batchId ?? null,
    sign_time: c.time(s.signTime),
    created_at: c.time(s.createdAt),
  };
}

