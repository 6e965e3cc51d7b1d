/** Statistics (统计): seals by authority, type and status; stamps per day, month, seal, organisation, provider. */
import { requirePermission } from '../auth/permissions.js';
import type { ActionContext, CoreDeps } from '../context.js';

export async function statistics(filter: { from?: Date; to?: Date; authorityId?: string; organisationId?: string }, ctx: ActionContext, deps: CoreDeps) {
  const scope = { ...(filter.authorityId ? { authorityId: filter.authorityId } : {}), ...(filter.organisationId ? { organisationId: filter.organisationId } : {}) };
  if (filter.organisationId && !filter.authorityId) {
    const org = await deps.store.repos.organisations.get(filter.organisationId);
    if (org) scope.authorityId = org.authorityId;
  }
  requirePermission(ctx.principal, 'stats.read', scope);
  const isOperator = ctx.principal.grants.some((g) => g.role === 'operator');
  const s = deps.store.repos.stats;
  const range = { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };
  const scoped = { ...range, ...(filter.authorityId ? { authorityId: filter.authorityId } : {}), ...(filter.organisationId ? { organisationId: filter.organisationId } : {}) };
  return {
    seals: isOperator ? { byAuthority: await s.sealsBy('authority'), byType: await s.sealsBy('type'), byStatus: await s.sealsBy('status') } : undefined,
    stamps: {
      perDay: await s.stampsBy('day', scoped),
      perMonth: await s.stampsBy('month', scoped),
      ...(isOperator ? { perAuthority: await s.stampsPer('authority', range), perOrganisation: await s.stampsPer('organisation', range), perSeal: await s.stampsPer('seal', range) } : {}),
    },
  };
}
