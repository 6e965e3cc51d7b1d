import { openStore } from '../../src/storage/index.js';
import pg from 'pg';
const url = 'postgres://root@127.0.0.1:5432/test';
const store = await openStore(process.argv[2] === 'sqlite' ? 'sqlite:/tmp/prof.db' : url, { schema: 'eseal_prof' });
const uid = `u${Date.now()}`;
await store.repos.users.insert({ id: uid, username: uid, displayName: 'x', passwordHash: 'x', status: 'active', failedLogins: 0, createdAt: new Date() });
const N = 5000;
const cpu0 = process.cpuUsage();
let t = performance.now();
for (let i = 0; i < N; i++) {
  await store.transaction(async (r) => {
    await r.sessions.insert({ id: `${uid}-${i}`, userId: uid, createdAt: new Date(), expiresAt: new Date() });
    await r.audit.append({ id: `${uid}-e${i}`, time: new Date(), actor: { type: 'system' }, action: 'x', result: 'success', details: { i } });
  });
}
const wall = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
console.log('store tx', (wall / N).toFixed(3), 'ms wall,', ((cpu.user + cpu.system) / 1000 / N).toFixed(3), 'ms node cpu');
await store.close();
if (process.argv[2] !== 'sqlite') { const c = new pg.Client({ connectionString: url }); await c.connect(); await c.query('DROP SCHEMA eseal_prof CASCADE'); await c.end(); }
