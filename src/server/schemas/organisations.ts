/** @module server/schemas/organisations — organisations identified by their 统一社会信用代码. */
import { DateTime, Id, obj, PageQuery, Uscc } from './common.js';

export const OrganisationKind = { type: 'string', enum: ['government', 'public-institution', 'enterprise', 'social-organisation', 'individual-business'] } as const;

export const Organisation = obj(
  { id: Id, name: { type: 'string' }, uscc: { type: 'string' }, kind: OrganisationKind, authorityId: Id, status: { type: 'string', enum: ['active', 'inactive'] }, createdAt: DateTime },
  ['id', 'name', 'uscc', 'kind', 'authorityId', 'status'],
);

export const CreateOrganisationBody = obj(
  { name: { type: 'string', minLength: 1, maxLength: 200 }, uscc: Uscc, kind: OrganisationKind, authorityId: Id },
  ['name', 'uscc', 'kind', 'authorityId'],
);

export const ListOrganisationsQuery = obj({ authorityId: Id, ...PageQuery });
