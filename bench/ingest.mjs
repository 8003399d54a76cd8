// Imports the whole retail file (541,909 lines) into an empty database through the same service as `crm import`,
// times a plain PostgreSQL COPY of the same CSV into an unindexed table, and checks every customer's figures against
// a from-scratch computation over the CSV written here. Run: npm run bench:ingest  (DATABASE_URL or embedded PostgreSQL)
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { from as copyFrom } from 'pg-copy-streams';
import { benchDatabase, dist, root } from './bench-database.mjs';

const file = process.env.RETAIL_FILE ?? join(root, '..', 'shared', 'data', 'online_retail.csv.gz');
const { AuditService } = await dist('src/audit/audit.service.js');
const { IngestionService } = await dist('src/crm/ingestion/ingestion.service.js');
const { loadConfig } = await dist('src/config/load-config.js');
const db = await benchDatabase('crm_bench_ingest');
const { sql, url } = db;

// 1. The import, through the same service and options as `crm import <file>`.
const config = loadConfig({ ...process.env, DATABASE_URL: url });
const service = new IngestionService(sql, new AuditService(sql), config);
const actor = { userId: null, email: 'bench', role: 'admin', surface: 'cli' };
const created = await service.createFileImport(actor, { path: file, fileName: 'online_retail.csv.gz', source: 'cli', options: {} });
const started = performance.now();
const result = await service.runFileImport(created.id);
const importSeconds = (performance.now() - started) / 1000;
// Peak memory of the import itself, before the COPY baseline and the check below add their own.
const importPeakMb = process.resourceUsage().maxRSS / 1024;

// 2. Plain COPY of the same (uncompressed) CSV into an unindexed table.
await sql.query('create table plain_copy (invoice_no text, stock_code text, description text, quantity int, invoice_date timestamp, unit_price numeric, customer_id text, country text)');
const client = await sql.pool.connect();
const copyStarted = performance.now();
await pipeline(createReadStream(file), createGunzip(), client.query(copyFrom('copy plain_copy from stdin (format csv, header true)')));
const copySeconds = (performance.now() - copyStarted) / 1000;
client.release();

// 3. Every customer's figures from scratch over the CSV, as the data README defines them.
const expected = new Map();
const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
let header = true;
const thousandths = (s) => { const [w, f = ''] = s.replace('-', '').split('.'); const v = BigInt(w) * 1000n + BigInt(f.padEnd(3, '0')); return s.startsWith('-') ? -v : v; };
for await (const line of lines) {
  if (header) { header = false; continue; }
  const cells = []; let cur = ''; let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) { if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch; }
    else if (ch === '"') quoted = true; else if (ch === ',') { cells.push(cur); cur = ''; } else cur += ch;
  }
  cells.push(cur);
  const [invoice, , , quantity, date, price, customer] = cells;
  if (!customer) continue;
  const e = expected.get(customer) ?? { spend: 0n, invoices: new Set(), last: '' };
  e.spend += BigInt(quantity) * thousandths(price);
  if (!invoice.startsWith('C')) { e.invoices.add(invoice); if (date > e.last) e.last = date; }
  expected.set(customer, e);
}
const actual = await sql.rows('select external_id, total_spend, order_count, last_order_at from customers');
let mismatches = 0;
for (const row of actual) {
  const e = expected.get(row.external_id);
  const last = e?.last ? new Date(`${e.last.replace(' ', 'T')}Z`).getTime() : null;
  if (!e || thousandths(row.total_spend) !== e.spend || row.order_count !== e.invoices.size || (row.last_order_at?.getTime() ?? null) !== last) {
    if (mismatches++ < 5) console.log('mismatch', row, e && { spend: String(e.spend), orders: e.invoices.size, last: e.last });
  }
}

const rate = Math.round(result.received / importSeconds);
console.log(`machine: ${db.machine}`);
console.log(`file: ${result.received.toLocaleString('en')} lines; ${result.inserted.toLocaleString('en')} order lines imported, ${result.skipped.toLocaleString('en')} skipped (no customer), ${result.rejected} rejected; status ${result.status}`);
console.log(`import: ${importSeconds.toFixed(2)} s, ${rate.toLocaleString('en')} lines/s`);
console.log(`plain COPY of the same CSV into an unindexed table: ${copySeconds.toFixed(2)} s  → import / COPY = ${(importSeconds / copySeconds).toFixed(2)}×`);
console.log(`peak memory of the import (max RSS of this process up to the end of the import): ${importPeakMb.toFixed(0)} MB`);
console.log(`figures checked from scratch: ${actual.length.toLocaleString('en')} customers (expected ${expected.size.toLocaleString('en')}), ${mismatches} mismatches in total spend, order count or last order date`);

await db.close();
process.exit(mismatches ? 1 : 0);
