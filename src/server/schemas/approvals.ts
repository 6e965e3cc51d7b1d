/** @module server/schemas/approvals — 用印审批 approval before use. */
import { DateTime, Hex64, Id, obj, Reason } from './common.js';

export const ApprovalStatus = { type: 'string', enum: ['pending', 'approved', 'rejected', 'used'] } as const;

export const Approval = obj(
  {
    id: Id,
    sealId: Id,
    grantId: Id,
    requestedBy: { type: 'string' },
    documentType: { type: 'string' },
    documentHash: { type: 'string' },
    purpose: { type: 'string' },
    status: ApprovalStatus,
    approverId: { type: 'string' },
    decidedAt: DateTime,
    reason: { type: 'string' },
    createdAt: DateTime,
  },
  ['id', 'sealId', 'documentHash', 'status'],
);

export const RequestApprovalBody = obj(
  { documentHash: { ...Hex64, description: 'SM3 of the document to be stamped (the approval covers exactly it), lower-case hex' }, documentType: { type: 'string', minLength: 1, maxLength: 64 }, purpose: { type: 'string', maxLength: 500 } },
  ['documentHash'],
);

export const DecideApprovalBody = obj({ decision: { type: 'string', enum: ['approve', 'reject'] }, reason: Reason }, ['decision']);

export const ListApprovalsQuery = obj({ sealId: Id, organisationId: Id, status: ApprovalStatus });
