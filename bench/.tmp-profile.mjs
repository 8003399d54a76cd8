import { join } from 'node:path';
import pg from 'pg';
import { benchDatabase, dist, root } from './bench-database.mjs';
const times = new Map();
const orig = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, cb) {
  const text = typeof config === 'string' ? config : config?.text;
  const r = orig.call(this, config, values, cb);
  if (text && r && typeof r.then === 'function') {
    const t0 = performance.now();
    const key = text.replace(/\s+/g, ' ').slice(0, 70);
    r.then(() => { const e = times.get(key) ?? [0, 0]; e[0] += performance.now() - t0; e[1]++; times.set(key, e); }, () => {});
  }
  return r;
};
const file = join(root, '..', 'shared', 'data', 'online_retail.csv.gz');
const { AuditService } = await dist('src/audit/audit.service.js');
const { IngestionService } = await dist('src/crm/ingestion/ingestion.service.js');
const { loadConfig } = await dist('src/config/load-config.js');
const db = await benchDatabase('crm_bench_ingest');
const { sql, url } = db;
await sql.query(`alter database crm_bench_ingest set track_functions = 'all'`);
await sql.pool.end?.();
const { Sql } = await dist('src/db/sql.js');
const sql2 = new Sql(url, { max: 12 });
const config = loadConfig({ ...process.env, DATABASE_URL: url });
const service = new IngestionService(sql2, new AuditService(sql2), config);
const actor = { userId: null, email: 'bench', role: 'admin', surface: 'cli' };
const created = await service.createFileImport(actor, { path: file, fileName: 'x.csv.gz', source: 'cli', options: {} });
import { readdirSync, readFileSync } from 'node:fs';
const pgCpu = () => { let t = 0; for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; try { const st = readFileSync(`/proc/${d}/stat`, 'utf8'); if (!st.includes('(postgres)')) continue; const f = st.slice(st.lastIndexOf(')') + 2).split(' '); t += (+f[11] + +f[12]); } catch {} } return t / 100; };
const c0 = process.cpuUsage(); const p0 = pgCpu();
const t = performance.now();
await service.runFileImport(created.id);
const c1 = process.cpuUsage(c0); console.log('node cpu', (c1.user+c1.system)/1e6, 'pg cpu (live backends)', pgCpu()-p0);
console.log('import', ((performance.now() - t) / 1000).toFixed(2));
for (const [k, [ms, n]] of [...times].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20)) console.log(ms.toFixed(0).padStart(6), String(n).padStart(5), k);
console.log((await sql2.rows(`select funcname, calls, total_time::int, self_time::int from pg_stat_user_functions order by total_time desc`)));
process.exit(0);
