/** All repositories over one RepoContext (a transaction, or autocommit outside one). */
import type { Repositories } from '../../core/ports.js';
import { SqlAuditRepo } from './audit.js';
import type { RepoContext } from './context.js';
import { SqlApiKeyRepo, SqlAuthorityRepo, SqlOrganisationRepo, SqlRoleRepo, SqlSessionRepo, SqlUserRepo } from './identity.js';
import { SqlApplicationRepo, SqlApprovalRepo, SqlGrantRepo, SqlSealEventRepo, SqlSealRepo } from './seals.js';
import { SqlBatchRepo, SqlIdempotencyRepo, SqlKeyRepo, SqlStampRepo, SqlStatsRepo, SqlTrustRepo } from './stamps.js';

export type { RepoContext } from './context.js';
export { AUDIT_LIST_DEFAULT_LIMIT, normaliseAuditEvent } from './audit.js';

export function makeRepositories(x: RepoContext): Repositories {
  return {
    authorities: new SqlAuthorityRepo(x),
    organisations: new SqlOrganisationRepo(x),
    users: new SqlUserRepo(x),
    roles: new SqlRoleRepo(x),
    apiKeys: new SqlApiKeyRepo(x),
    sessions: new SqlSessionRepo(x),
    applications: new SqlApplicationRepo(x),
    seals: new SqlSealRepo(x),
    sealEvents: new SqlSealEventRepo(x),
    grants: new SqlGrantRepo(x),
    approvals: new SqlApprovalRepo(x),
    stamps: new SqlStampRepo(x),
    batches: new SqlBatchRepo(x),
    keys: new SqlKeyRepo(x),
    idempotency: new SqlIdempotencyRepo(x),
    audit: new SqlAuditRepo(x),
    stats: new SqlStatsRepo(x),
    trust: new SqlTrustRepo(x),
  };
}
