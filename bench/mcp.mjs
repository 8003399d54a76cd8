// npm run bench:mcp — `tools/call preview_segment` over MCP Streamable HTTP with the SDK's own client, on the demo
// data (5,000 customers): latency one call at a time, then throughput with 8 clients calling at once.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { benchDatabase, benchServer, dist, percentile } from './bench-database.mjs';

const CALLS = Number(process.env.CALLS ?? 500);
const CLIENTS = 8;
const SECONDS = Number(process.env.SECONDS ?? 10);
const rules = { any: [{ all: [{ field: 'total_spend', op: '>', value: 10000 }, { field: 'order_count', op: '<', value: 3 }] }, { field: 'days_since_last_order', op: '>=', value: 90 }] };

const db = await benchDatabase('crm_bench_mcp');
const { seedDemoData } = await dist('src/db/seed/seeder.js');
const seeded = await seedDemoData(db.sql, { seed: 42, customers: 5000 });
const server = await benchServer(db);
const { url } = server;
const { token } = await server.person('analyst');

async function connect() {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}
const preview = async (client) => {
  const result = await client.callTool({ name: 'preview_segment', arguments: { rules } });
  if (result.isError) throw new Error(result.content[0].text);
};

const one = await connect();
for (let i = 0; i < 50; i++) await preview(one);
const times = [];
for (let i = 0; i < CALLS; i++) {
  const started = performance.now();
  await preview(one);
  times.push(performance.now() - started);
}

const clients = await Promise.all(Array.from({ length: CLIENTS }, connect));
let done = 0;
const until = performance.now() + SECONDS * 1000;
const started = performance.now();
await Promise.all(clients.map(async (client) => { while (performance.now() < until) { await preview(client); done++; } }));
const elapsed = (performance.now() - started) / 1000;

console.log(`machine: ${db.machine}`);
console.log(`data: ${seeded.customers} customers, ${seeded.orders} orders (demo seed 42); rule: the brief's win-back audience`);
console.log(`tools/call preview_segment, one client, ${CALLS} calls: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (goal p50 < 50 ms)`);
console.log(`${CLIENTS} clients at once for ${SECONDS} s: ${(done / elapsed).toFixed(0)} calls/s (${done} calls)`);

await Promise.all([one, ...clients].map((c) => c.close()));
await server.close();
await db.close();
