/** Organisations that hold seals, identified by their 统一社会信用代码. */
import { parseUscc } from '../../util/uscc.js';
import { fail } from '../../util/errors.js';
import { requirePermission } from '../auth/permissions.js';
import { audit, type ActionContext, type CoreDeps } from '../context.js';
import type { Organisation, OrganisationKind } from '../domain/types.js';
import { uuid } from '../ids.js';
import { required, text } from './_common.js';

export const ORGANISATION_KINDS: OrganisationKind[] = ['government', 'public-institution', 'enterprise', 'social-organisation', 'individual-business'];

export async function createOrganisation(input: { name: string; uscc: string; kind: OrganisationKind; authorityId: string }, ctx: ActionContext, deps: CoreDeps): Promise<Organisation> {
  requirePermission(ctx.principal, 'organisation.create', { authorityId: input.authorityId });
  const name = text(input.name, 'name');
  const { code } = parseUscc(input.uscc);
  if (!ORGANISATION_KINDS.includes(input.kind)) fail('VALIDATION', `kind must be one of ${ORGANISATION_KINDS.join(', ')}`, { field: 'kind' });
  return deps.store.transaction(async (repos) => {
    const authority = required(await repos.authorities.get(input.authorityId), 'authority', input.authorityId);
    if (authority.status !== 'active') fail('CONFLICT', `authority "${authority.name}" is suspended`);
    if (await repos.organisations.getByUscc(code)) fail('CONFLICT', `an organisation with 统一社会信用代码 ${code} exists already`, { field: 'uscc' });
    const org: Organisation = { id: uuid(deps.random), name, uscc: code, kind: input.kind, authorityId: authority.id, status: 'active', createdAt: deps.clock.now() };
    await repos.organisations.insert(org);
    await audit(repos, deps, ctx, 'organisation.create', { type: 'organisation', id: org.id, organisationId: org.id, authorityId: authority.id }, { name, uscc: code, kind: input.kind });
    return org;
  });
}

export async function getOrganisation(id: string, ctx: ActionContext, deps: CoreDeps): Promise<Organisation> {
  const org = required(await deps.store.repos.organisations.get(id), 'organisation', id);
  requirePermission(ctx.principal, 'organisation.read', { organisationId: org.id, authorityId: org.authorityId });
  return org;
}
