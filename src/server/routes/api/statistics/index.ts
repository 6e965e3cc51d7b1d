/** @module server/routes/api/statistics — 统计: seals by authority, type and status; stamps per period and party. */
import type { FastifyInstance } from 'fastify';
import { statistics } from '../../../../core/index.js';
import { Statistics, StatisticsQuery } from '../../../schemas/statistics.js';
import { dateOf, declare, defined } from '../../helpers.js';

export default async function statisticsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { from?: string; to?: string; authorityId?: string; organisationId?: string } }>(
    '/api/v1/statistics',
    {
      config: declare({ auth: 'required', permission: 'stats.read', action: 'stats.read' }),
      schema: {
        tags: ['statistics'],
        summary: 'Statistics: seals by authority, type and status (operator); stamps per day and month, per seal, organisation and provider',
        querystring: StatisticsQuery,
        response: { 200: Statistics },
      },
    },
    async (req) => {
      const q = req.query;
      const s = await statistics(defined({ from: dateOf(q.from), to: dateOf(q.to), authorityId: q.authorityId, organisationId: q.organisationId }), req.actx, app.deps);
      return s.seals ? s : { stamps: s.stamps };
    },
  );
}
