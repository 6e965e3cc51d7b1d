/** @module server/schemas/ops — liveness, readiness. */
import { obj } from './common.js';

export const Health = obj({ status: { type: 'string', const: 'ok' } }, ['status']);
export const Ready = obj({ status: { type: 'string', enum: ['ready', 'unavailable'] }, database: { type: 'string' } }, ['status']);
