/** Reading, verifying and exporting the audit record (审计). */
import { requirePermission } from '../auth/permissions.js';
import { verifyAuditChain, type AuditChainReport } from '../audit-chain.js';
import type { ActionContext, CoreDeps } from '../context.js';
import type { AuditEvent } from '../domain/types.js';
import type { AuditFilter } from '../ports.js';
import { fail } from '../../util/errors.js';

/** Events the principal may read: an organisation's auditor its organisation's, an authority admin its authority's, the operator all. */
export async function listAudit(filter: AuditFilter, ctx: ActionContext, deps: CoreDeps): Promise<AuditEvent[]> {
  const f: AuditFilter = { ...filter, limit: Math.min(filter.limit ?? 100, 1000) };
  const isOperator = ctx.principal.grants.some((g) => g.role === 'operator');
  if (!isOperator) {
    if (f.organisationId) {
      const org = await deps.store.repos.organisations.get(f.organisationId);
      requirePermission(ctx.principal, 'audit.read', { organisationId: f.organisationId, ...(org ? { authorityId: org.authorityId } : {}) });
    } else if (f.authorityId) requirePermission(ctx.principal, 'audit.read', { authorityId: f.authorityId });
    else {
      requirePermission(ctx.principal, 'audit.read');
      const g = ctx.principal.grants.find((x) => x.role === 'auditor' || x.role === 'authority-admin');
      if (g?.organisationId) f.organisationId = g.organisationId;
      else if (g?.authorityId) f.authorityId = g.authorityId;
      else fail('VALIDATION', 'give organisationId or authorityId');
    }
  }
  return deps.store.repos.audit.list(f);
}

/** Walks the whole chain (operator, or the command line with database access). */
export async function verifyAudit(deps: CoreDeps): Promise<AuditChainReport> {
  const repos = deps.store.repos;
  return verifyAuditChain((from, limit) => repos.audit.scan(from, limit), await repos.audit.head());
}

/** Every event in chain order, as JSON Lines (for export and archiving). */
export async function* exportAudit(deps: CoreDeps): AsyncGenerator<string> {
  for (let from = 1; ; ) {
    const page = await deps.store.repos.audit.scan(from, 1000);
    if (page.length === 0) return;
    for (const e of page) yield JSON.stringify(e) + '\n';
    from = page[page.length - 1].seq + 1;
  }
}
