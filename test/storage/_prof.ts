import { openStore } from '../../src/storage/index.js';
import pg from 'pg';
const url = 'postgres://root@127.0.0.1:5432/test';
const kind = process.argv[2] ?? 'pg';
const store = await openStore(kind === 'pg' ? url : 'sqlite:/tmp/prof.db', { schema: 'eseal_prof' });
const uid = `u${Date.now()}`;
await store.repos.users.insert({ id: uid, username: uid, displayName: 'x', passwordHash: 'x', status: 'active', failedLogins: 0, createdAt: new Date() });
const N = 1000;
let t = performance.now();
for (let i = 0; i < N; i++) {
  await store.transaction(async (r) => {
    await r.sessions.insert({ id: `${uid}-${i}`, userId: uid, createdAt: new Date(), expiresAt: new Date() });
    await r.audit.append({ id: `${uid}-e${i}`, time: new Date(), actor: { type: 'system' }, action: 'x', result: 'success', details: { i } });
  });
}
console.log('store tx', ((performance.now() - t) / N).toFixed(3), 'ms');
t = performance.now();
for (let i = 0; i < N; i++) await store.transaction(async () => {});
console.log('empty tx', ((performance.now() - t) / N).toFixed(3), 'ms');
t = performance.now();
for (let i = 0; i < N; i++) await store.repos.audit.head();
console.log('head read', ((performance.now() - t) / N).toFixed(3), 'ms');
if (kind === 'pg') {
  const c = new pg.Client({ connectionString: url, options: '-c search_path=eseal_prof' });
  await c.connect();
  t = performance.now();
  for (let i = 0; i < N; i++) { await c.query('BEGIN'); await c.query('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE'); await c.query('COMMIT'); }
  console.log('raw pg 3 stmts', ((performance.now() - t) / N).toFixed(3), 'ms');
  t = performance.now();
  for (let i = 0; i < N; i++) { await c.query('SELECT 1'); }
  console.log('raw pg select 1', ((performance.now() - t) / N).toFixed(3), 'ms');
  await c.end();
}
await store.close();
if (kind === 'pg') { const c = new pg.Client({ connectionString: url }); await c.connect(); await c.query('DROP SCHEMA eseal_prof CASCADE'); await c.end(); }
