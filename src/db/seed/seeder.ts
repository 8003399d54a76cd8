import { writeOrders } from '../../crm/orders/order-writer.js';
import { logger } from '../../logging/logger.js';
import type { Queryable, Sql } from '../sql.js';
import { generateDemoData, type CustomerSeed } from './demo-data.js';
import { seedDemoCampaign } from './demo-campaign.js';
import type { ShopperBehaviour } from '../../crm/outcomes/simulated-shoppers.js';

/** `shoppers`: how the demo shoppers answer the demo's own past campaign (none without it). */
export interface SeedOptions { seed: number; customers: number; endDate?: Date; shoppers?: ShopperBehaviour }

/** Midnight UTC today: demo orders run up to the day the CRM was first started. */
export const startOfTodayUtc = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);

async function writeCustomers(db: Queryable, customers: CustomerSeed[]) {
  await db.query(
    `insert into customers (external_id, name, email, phone, city, country, tags, created_at, unsubscribed_at)
     select e, n, m, p, c, k, coalesce(array(select jsonb_array_elements_text(t)), '{}'), ca, u
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[], $9::timestamptz[])
       as x(e, n, m, p, c, k, t, ca, u)
     on conflict (external_id) do update set name = excluded.name, email = excluded.email, phone = excluded.phone,
       city = excluded.city, country = excluded.country, tags = excluded.tags, created_at = excluded.created_at,
       unsubscribed_at = excluded.unsubscribed_at`,
    [
      customers.map((c) => c.externalId), customers.map((c) => c.name), customers.map((c) => c.email), customers.map((c) => c.phone),
      customers.map((c) => c.city), customers.map((c) => c.country), customers.map((c) => JSON.stringify(c.tags)),
      customers.map((c) => c.createdAt), customers.map((c) => c.unsubscribedAt),
    ],
  );
}

/**
 * Loads the demo CRM in one transaction, through the same order-writing code as the API, so the demo's figures
 * obey the same rules as real data. Loading it twice changes nothing.
 */
export async function seedDemoData(sql: Sql, options: SeedOptions) {
  const started = Date.now();
  const data = generateDemoData({ seed: options.seed, customers: options.customers, endDate: options.endDate ?? startOfTodayUtc() });
  await sql.transaction(async (client) => {
    for (let i = 0; i < data.customers.length; i += 5000) await writeCustomers(client, data.customers.slice(i, i + 5000));
    for (let i = 0; i < data.orders.length; i += 5000) await writeOrders(client, data.orders.slice(i, i + 5000));
    // Seven in ten subscribed customers with a phone opted in to SMS when they signed up (SMS needs that consent).
    await client.query(
      `insert into customer_consents (customer_id, channel, status, source, changed_at)
       select id, 'sms', 'granted', 'demo data: opted in at sign-up', created_at from customers
       where phone is not null and unsubscribed_at is null and abs(hashtext(external_id)) % 10 < 7
       on conflict do nothing`,
    );
    // This database holds the demo shop: its simulated customers may answer campaigns the simulator delivers.
    await client.query(`insert into demo_shop (seed) values ($1) on conflict do nothing`, [options.seed]);
  });
  if (options.shoppers) await seedDemoCampaign(sql, { endDate: options.endDate ?? startOfTodayUtc(), shoppers: options.shoppers });
  logger.info('demo data loaded', { customers: data.customers.length, orders: data.orders.length, ms: Date.now() - started });
  return { customers: data.customers.length, orders: data.orders.length };
}

export async function databaseIsEmpty(sql: Sql) {
  const [row] = await sql.rows<{ empty: boolean }>(`select not exists (select 1 from customers) and not exists (select 1 from orders) as empty`);
  return row.empty;
}
