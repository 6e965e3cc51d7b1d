/**
 * Group commit on a real store (SQLite): concurrent uses share transactions, a refused item is
 * rejected alone, a failing item does not take the others down, and the audit chain stays intact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/storage/index.js';
import { groupTransaction } from '../../src/core/group-commit.js';
import { verifyAuditChain } from '../../src/core/audit-chain.js';
import { EsealError } from '../../src/util/errors.js';
import type { Store } from '../../src/core/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'eseal-group-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (i: number) => ({ id: `e-${i}-${Math.random()}`, time: new Date(), actor: { type: 'system' as const }, action: 'test.use', result: 'success' as const, details: { i } });

describe('group commit', () => {
  it('records concurrent items, rejects refused ones alone, and isolates a failing one', async () => {
    const store: Store = await openStore(`sqlite:${join(dir, 'g.db')}`);
    try {
      let transactions = 0;
      const tx0 = store.transaction.bind(store);
      store.transaction = (fn) => {
        transactions++;
        return tx0(fn);
      };
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          groupTransaction(store, async (tx) => {
            if (i % 10 === 3) throw new EsealError('SEAL_NOT_USABLE', `item ${i} refused`);
            await tx.audit.append(event(i));
            if (i === 42) throw new Error('boom: a write failed');
            return i;
          }),
        ),
      );
      const refused = results.filter((r, i) => i % 10 === 3);
      expect(refused.every((r) => r.status === 'rejected' && (r.reason as EsealError).code === 'SEAL_NOT_USABLE')).toBe(true);
      expect(results[42]).toMatchObject({ status: 'rejected' });
      const ok = results.filter((r) => r.status === 'fulfilled');
      expect(ok).toHaveLength(60 - 6 - 1);
      expect(await store.repos.audit.count()).toBe(ok.length);
      // without a failure, concurrent items share few transactions
      transactions = 0;
      const more = await Promise.all(Array.from({ length: 60 }, (_, i) => groupTransaction(store, async (tx) => (await tx.audit.append(event(100 + i))).seq)));
      expect(new Set(more).size).toBe(60);
      expect(transactions).toBeLessThanOrEqual(3);
      const chain = await verifyAuditChain((f, l) => store.repos.audit.scan(f, l), await store.repos.audit.head());
      expect(chain.valid).toBe(true);
      expect(chain.events).toBe(ok.length + 60);
    } finally {
      await store.close();
    }
  });
});
