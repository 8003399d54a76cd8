// Orders through the API's writer (the one behind POST /api/orders and its worker): 20 batches of 500 orders with
// 3 lines each, into an empty database, each batch in its own transaction. Run: npm run bench:order-writes
import { benchDatabase, dist } from './bench-database.mjs';

const { writeOrders } = await dist('src/crm/orders/order-writer.js');
const db = await benchDatabase('crm_bench_order_writes');
const names = ['RED MUG', 'HEART LANTERN', 'TEA TOWEL', 'BLUE JAR', 'GREEN TIN', 'PAPER CHAIN'];
const BATCHES = 20;
const ORDERS = 500;
let n = 0;
const started = performance.now();
for (let b = 0; b < BATCHES; b++) {
  const batch = Array.from({ length: ORDERS }, () => {
    n++;
    return {
      externalId: `A${n}`, customerExternalId: `C${n % 3000}`, placedAt: new Date(Date.UTC(2026, 0, 1 + (n % 300))), status: 'completed', total: undefined,
      lines: [0, 1, 2].map((k) => ({ sku: `S${(n + k) % 50}`, description: `${names[(n + k) % names.length]} ${(n + k) % 40}`, quantity: 1 + k, unitPrice: '9.99' })),
    };
  });
  await db.sql.transaction((client) => writeOrders(client, batch));
}
const seconds = (performance.now() - started) / 1000;
console.log(`machine: ${db.machine}`);
console.log(`${n.toLocaleString('en')} orders with ${(n * 3).toLocaleString('en')} lines in ${BATCHES} batches: ${seconds.toFixed(2)} s, ${Math.round(n / seconds).toLocaleString('en')} orders/s`);
await db.close();
process.exit(0);
