// The million-customer shop the benchmarks share: 1,000,000 customers and 5,000,000 orders (with their lines, from a
// catalogue of 4,000 products), written with COPY into the machine's PostgreSQL (or an embedded one). With
// KEEP_DATA=1 the database is kept for the next run, which then uses it as it is (loading takes a quarter of an hour).
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { benchDatabase, dist } from './bench-database.mjs';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00Z');

const db = await benchDatabase('crm_bench_segments', { keep: process.env.KEEP_DATA === '1' });
const { SeededRandom } = await dist('src/db/seed/random.js');
const { refreshStaleCustomers } = await dist('src/crm/customers/stale-customers.js');

// Orders first (in memory as per-customer aggregates), so customers are written once with their figures.
const random = new SeededRandom(3);
const cities = ['Mumbai', 'Delhi', 'Bengaluru', 'Pune', 'Chennai', 'Kolkata', 'Jaipur', 'London'];
// 40 × 100 product names in the retail file's style ("RED HEART T-LIGHT HOLDER"): a noun matches 1 % of lines.
const adjectives = ['RED', 'WHITE', 'PINK', 'BLUE', 'GREEN', 'IVORY', 'VINTAGE', 'RETRO', 'PAPER', 'GLASS', 'WOODEN', 'METAL', 'ENAMEL', 'ZINC', 'FELT', 'LACE', 'SPOTTY', 'STRIPED', 'FLORAL', 'HEART', 'STAR', 'CHRISTMAS', 'EASTER', 'GARDEN', 'KITCHEN', 'PARTY', 'BABY', 'JUMBO', 'MINI', 'SET OF 3', 'SET OF 6', 'ANTIQUE', 'REGENCY', 'BAROQUE', 'DOLLY', 'SPACEBOY', 'ALPHABET', 'SKULL', 'OWL', 'BIRD'];
const nouns = ['MUG', 'LANTERN', 'CANDLE', 'T-LIGHT HOLDER', 'BUNTING', 'CAKE STAND', 'TEA CUP', 'NAPKINS', 'BAG', 'LUNCH BOX', 'BOTTLE', 'CUSHION COVER', 'DOORMAT', 'CLOCK', 'FRAME', 'MIRROR', 'COASTER', 'TRAY', 'TIN', 'JAR', 'BOWL', 'PLATE', 'SPOON', 'APRON', 'OVEN GLOVE', 'TOWEL', 'PURSE', 'NOTEBOOK', 'PENCILS', 'STICKERS', 'WRAP', 'CARD', 'GARLAND', 'WREATH', 'ORNAMENT', 'BAUBLE', 'DOORSTOP', 'HOOK', 'SIGN', 'PLAQUE', 'KEY RING', 'MAGNET', 'BADGE', 'SOAP', 'DISH', 'VASE', 'PLANTER', 'WATERING CAN', 'BIRD FEEDER', 'CHIME', 'LIGHTS', 'LAMP', 'SHADE', 'BLANKET', 'THROW', 'PICNIC SET', 'PARASOL', 'UMBRELLA', 'RAIN HAT', 'WELLIES', 'SKITTLES', 'DOMINOES', 'JIGSAW', 'PLAYING CARDS', 'SNAKES AND LADDERS', 'PIN CUSHION', 'SEWING KIT', 'BUTTON BOX', 'RIBBON', 'TAPE', 'CRACKERS', 'PARTY CUPS', 'STRAWS', 'BALLOONS', 'CANDY BOX', 'CAKE CASES', 'COOKIE CUTTER', 'BAKING SET', 'MEASURING SPOONS', 'CHOPPING BOARD', 'BREAD BIN', 'STORAGE BOX', 'WASHBAG', 'MAKE UP BAG', 'HAND WARMER', 'HOT WATER BOTTLE', 'SLIPPERS', 'SCARF', 'GLOVES', 'HAT', 'BROOCH', 'NECKLACE', 'BRACELET', 'EARRINGS', 'HAIR CLIP', 'COMB', 'HAND MIRROR', 'PHOTO ALBUM', 'SCRAPBOOK', 'GIFT TAG'];
const products = adjectives.flatMap((a) => nouns.map((n) => `${a} ${n}`));
function* customerRows(orders, lines) {
  for (let id = 1; id <= CUSTOMERS; id++) {
    const count = Math.floor(random.next() * 11); // 0–10 orders, 5 on average
    let spend = 0, first = null, last = null;
    for (let k = 0; k < count; k++) {
      const placed = now.getTime() - Math.floor(random.next() * 730 * DAY);
      const total = Math.round((200 + random.next() ** 3 * 12000) * 100) / 100;
      spend += total;
      first = first === null || placed < first ? placed : first;
      last = last === null || placed > last ? placed : last;
      const orderId = orders.length + 1;
      const lineCount = 1 + Math.floor(random.next() * 3); // 1–3 lines, 2 on average
      const bought = new Set();
      for (let position = 1; position <= lineCount; position++) {
        const product = Math.floor(random.next() * products.length);
        bought.add(product);
        lines.write(`${orderId}\t${position}\tP${product}\t${products[product]}\t${productIds[product]}\t1\t${total / lineCount}\n`);
      }
      // Each order carries its products and SKUs, as an import writes it.
      const ids = [...bought].map((p) => productIds[p]).sort((a, b) => a - b);
      const skus = [...bought].map((p) => `P${p}`).sort();
      orders.push(`${orders.length + 1}\tO${orders.length + 1}\t${id}\t${new Date(placed).toISOString()}\tcompleted\t${total}\t{${ids}}\t{${skus}}\n`);
    }
    const aov = count ? (spend / count).toFixed(2) : '\\N';
    yield `${id}\tC${id}\tCustomer ${id}\tc${id}@example.com\t${random.pick(cities)}\tIndia\t${spend.toFixed(2)}\t${count}\t${first ? new Date(first).toISOString() : '\\N'}\t${last ? new Date(last).toISOString() : '\\N'}\t${aov}\n`;
  }
}

// Whole lines from a text stream, a chunk at a time (each with its count), so a batch never splits a line.
let productIds = [];

function splitLines() {
  let rest = '';
  return new Transform({
    readableObjectMode: true,
    transform(text, _encoding, done) {
      const all = rest + text;
      const end = all.lastIndexOf('\n') + 1;
      rest = all.slice(end);
      const whole = all.slice(0, end);
      done(null, whole ? { text: whole, count: whole.split('\n').length - 1 } : undefined);
    },
    flush(done) { done(null, rest ? { text: `${rest}\n`, count: 1 } : undefined); },
  });
}

const loadStarted = performance.now();
const client = await db.sql.pool.connect();
let orderCount = Number((await client.query('select count(*) from orders')).rows[0].count);
let lineCount = Number((await client.query('select count(*) from order_lines')).rows[0].count);
// A kept database from an earlier run (KEEP_DATA=1) is used as it is.
if (!db.kept || !lineCount) {
  // Lines carry their product's catalogue id, as the importer writes them.
  const keys = (await client.query(
    `insert into products (description_key) select distinct lower(d) from unnest($1::text[]) d order by 1 on conflict do nothing returning id, description_key`, [products],
  )).rows;
  const idOf = new Map(keys.map((r) => [r.description_key, r.id]));
  productIds = products.map((p) => idOf.get(p.toLowerCase()));
  let orders = [];
  // Ten million lines do not fit in memory as strings: they go to a file as they are made, and COPY reads it back.
  const linesPath = join(tmpdir(), `crm-bench-lines-${process.pid}.tsv`);
  const lines = (() => {
    const fd = openSync(linesPath, 'w');
    let buffer = '';
    let count = 0;
    return {
      get length() { return count; },
      write(row) { buffer += row; count++; if (buffer.length > 1 << 20) { writeSync(fd, buffer); buffer = ''; } },
      close() { writeSync(fd, buffer); closeSync(fd); },
    };
  })();
  const chunks = function* () {
    let buffer = [];
    for (const row of customerRows(orders, lines)) {
      buffer.push(row);
      if (buffer.length === 10_000) { yield buffer.join(''); buffer = []; }
    }
    if (buffer.length) yield buffer.join('');
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy customers (id, external_id, name, email, city, country, total_spend, order_count, first_order_at, last_order_at, average_order_value) from stdin`)));
  orderCount = orders.length;
  const orderChunks = function* () {
    for (let i = 0; i < orders.length; i += 20_000) yield orders.slice(i, i + 20_000).join('');
  };
  await pipeline(Readable.from(orderChunks()), client.query(copyFrom(`copy orders (id, external_id, customer_id, placed_at, status, total, product_ids, skus) from stdin`)));
  orders = null;
  lines.close();
  lineCount = lines.length;
  // COPY, as the importer writes lines, a batch at a time as an import does (here 200,000 lines a statement): the
  // statement trigger fills the product catalogue from each batch, and, as in an import, the customers' lists of
  // products bought are read once at the end instead of after every batch.
  await client.query(`set crm.deferred_products = 'on'`);
  const linesCopy = () => client.query(copyFrom(`copy order_lines (order_id, position, sku, description, product_id, quantity, unit_price) from stdin`));
  let batch = [];
  let batchLines = 0;
  for await (const chunk of createReadStream(linesPath, { highWaterMark: 1 << 20, encoding: 'utf8' }).pipe(splitLines())) {
    batch.push(chunk);
    batchLines += chunk.count;
    if (batchLines >= 200_000) { await pipeline(Readable.from(batch.map((c) => c.text)), linesCopy()); batch = []; batchLines = 0; }
  }
  if (batch.length) await pipeline(Readable.from(batch.map((c) => c.text)), linesCopy());
  await rm(linesPath, { force: true });
  await client.query(`reset crm.deferred_products`);
  await client.query('insert into stale_customers (customer_id) select id from customers');
  await refreshStaleCustomers(db.sql);
  await client.query(`select setval('customers_id_seq', $1), setval('orders_id_seq', $2)`, [CUSTOMERS, orderCount]);
  for (const table of ['customers', 'orders', 'order_lines', 'products', 'customer_products']) await client.query(`vacuum analyze ${table}`);
}
client.release();
const loadSeconds = (performance.now() - loadStarted) / 1000;


export { CUSTOMERS, DAY, db, lineCount, loadSeconds, now, orderCount, products };
