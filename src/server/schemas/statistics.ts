/** @module server/schemas/statistics — 统计. */
import { DateTime, Id, obj } from './common.js';

const Rows = { type: 'array', items: obj({ key: { type: 'string' }, count: { type: 'integer' } }, ['key', 'count']) } as const;

export const StatisticsQuery = obj({ from: DateTime, to: DateTime, authorityId: Id, organisationId: Id });

export const Statistics = obj(
  {
    seals: obj({ byAuthority: Rows, byType: Rows, byStatus: Rows }, [], { description: 'seals by authority, type and status (operator)' }),
    stamps: obj({ perDay: Rows, perMonth: Rows, perAuthority: Rows, perOrganisation: Rows, perSeal: Rows }, ['perDay', 'perMonth']),
  },
  ['stamps'],
);
