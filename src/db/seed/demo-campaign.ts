import { simulateShoppers, type ShopperBehaviour } from '../../crm/outcomes/simulated-shoppers.js';
import type { Sql } from '../sql.js';

const NAME = 'Win-back 10% (demo)';
const DAY_MS = 86_400_000;

/**
 * A win-back email the demo shop sent three weeks before the end of its data, with a 10 % control group, answered by
 * the demo shoppers (opens, clicks, orders with a known lift): so a newcomer finds a real report, and plans find a
 * forecast, on the first start. Written once; loading the demo again leaves it as it is.
 */
export async function seedDemoCampaign(sql: Sql, options: { endDate: Date; shoppers: ShopperBehaviour }) {
  if ((await sql.rows(`select 1 from campaigns where name = $1`, [NAME])).length) return null;
  const launchedAt = new Date(options.endDate.getTime() - 21 * DAY_MS);
  const rules = { field: 'days_since_last_order', op: '>=', value: 60 };
  const template = 'We miss you, {{first_name | "there"}}! Come back for 10% off with COMEBACK10: https://shop.example/comeback';
  const campaignId = await sql.transaction(async (client) => {
    const [{ id }] = (await client.query<{ id: number }>(
      `insert into campaigns (name, description, rules, channel, subject, template, status, launched_at, completed_at, holdout_percent, attribution_days, plan)
       values ($1, 'Sent by the demo shop to show a campaign report', $2, 'email', 'We miss you', $3, 'completed', $4::timestamptz, $4::timestamptz + interval '10 minutes', 10, 5, $5) returning id`,
      [NAME, JSON.stringify(rules), template, launchedAt, JSON.stringify({ delivery: { carrier: 'simulator', real: false, description: 'the demo shop' } })],
    )).rows;
    // Who the rule matched at launch: subscribed customers with an email whose last order was 60 days or more before.
    const audience = `select c.id, c.name, lower(c.email) as email from customers c
      where c.unsubscribed_at is null and c.email like '%@%'
        and (select max(o.placed_at) from orders o where o.customer_id = c.id and o.placed_at < $2) < $2::timestamptz - interval '60 days'`;
    await client.query(
      `insert into campaign_holdouts (campaign_id, customer_id) select $1::bigint, a.id from (${audience}) a where (hashtext($1::bigint::text || ':' || a.id) & 2147483647) % 10 = 0`,
      [id, launchedAt],
    );
    await client.query(
      `insert into communication_logs (campaign_id, customer_id, channel, address, subject, message, status, created_at, sent_at)
       select $1::bigint, a.id, 'email', a.email, 'We miss you', replace($3, '{{first_name | "there"}}', coalesce(split_part(a.name, ' ', 1), 'there')),
         'sent', $2, $2::timestamptz + (a.id % 600) * interval '1 second'
       from (${audience}) a where (hashtext($1::bigint::text || ':' || a.id) & 2147483647) % 10 <> 0`,
      [id, launchedAt, template],
    );
    return id;
  });
  // The window closed a fortnight ago: the shoppers answer within it.
  await simulateShoppers(sql, campaignId, options.shoppers, new Date(launchedAt.getTime() + 6 * DAY_MS));
  return campaignId;
}
