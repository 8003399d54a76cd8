import type { Config } from '../../config/config.schema.js';
import type { Sql } from '../../db/sql.js';
import { catalogue } from '../../db/seed/demo-vocabulary.js';
import { SeededRandom } from '../../db/seed/random.js';
import { writeOrders } from '../orders/order-writer.js';
import type { OrderInput } from '../orders/order-input.js';
import { DAY_MS } from '../time/clock.js';

/** How the demo shop's customers answer a campaign. Rates are per customer; uplifts are relative (0.3 = 30 % more). */
export interface ShopperBehaviour {
  seed: number;
  /** Share of customers who order within the window without any message: the control group's rate. */
  conversionRate: number;
  /** How much more likely a recipient is to order: the lift the report should find. */
  uplift: number;
  /** Each later version of an A/B test clicks and converts this much more than the one before (B over A, C over B). */
  variantUplift: number;
  openRate: number;
  /** Of those who open, the share who click the first link. */
  clickRate: number;
}

/** The demo shoppers as configured (DEMO_*), seeded by the demo data's seed. */
export const demoShoppers = (config: Config): ShopperBehaviour => ({
  seed: config.SEED, conversionRate: config.DEMO_CONVERSION_RATE, uplift: config.DEMO_UPLIFT, variantUplift: config.DEMO_VARIANT_UPLIFT,
  openRate: config.DEMO_OPEN_RATE, clickRate: config.DEMO_CLICK_RATE,
});

interface Member { customerId: number; externalId: string; group: 'sent' | 'holdout'; at: Date; logId: number | null; variant: number | null; hasLink: boolean; email: boolean }

/**
 * Makes the demo shop's customers answer a campaign delivered by the simulator: recipients open, click and order,
 * the control group orders at the base rate, each with a seeded random draw per customer, so the report of a demo
 * campaign has a true lift known in advance. It acts only on a database holding the demo shop and only on campaigns
 * that reached nobody real. Each customer answers once (recorded in demo_shopper_answers), as soon as their message
 * is delivered, so an A/B test's versions have their clicks before the deadline. Orders go through the same writer as
 * imports, with ids of their own (`SIM-<campaign>-<customer>`). Everything happens between the message and now.
 */
export async function simulateShoppers(sql: Sql, campaignId: number, behaviour: ShopperBehaviour, now = new Date()) {
  const members = await sql.rows<Member>(
    `select l.customer_id as "customerId", c.external_id as "externalId", 'sent' as group, coalesce(l.sent_at, l.created_at) as at, l.id as "logId",
       l.variant, l.message ~ 'https?://' as "hasLink", l.channel = 'email' and k.tracking as email
     from communication_logs l join customers c on c.id = l.customer_id join campaigns k on k.id = l.campaign_id
     where l.campaign_id = $1 and l.status in ('sent', 'delivered')
       and not exists (select 1 from demo_shopper_answers a where a.campaign_id = $1 and a.customer_id = l.customer_id)
     union all
     select h.customer_id, c.external_id, 'holdout', k.launched_at, null, null, false, false
     from campaign_holdouts h join customers c on c.id = h.customer_id join campaigns k on k.id = h.campaign_id where h.campaign_id = $1
       and not exists (select 1 from demo_shopper_answers a where a.campaign_id = $1 and a.customer_id = h.customer_id)`,
    [campaignId],
  );
  const { rows: [campaign] } = await sql.query<{ days: number }>(`select coalesce(attribution_days, 5) as days from campaigns where id = $1`, [campaignId]);
  const orders: OrderInput[] = [];
  const events: { logId: number; kind: 'open' | 'click'; at: Date }[] = [];
  for (const m of members) {
    const random = new SeededRandom((behaviour.seed * 1_000_003) ^ (campaignId * 7919) ^ (m.customerId * 104_729));
    const span = Math.max(1000, Math.min(campaign.days * DAY_MS, now.getTime() - new Date(m.at).getTime()));
    const later = () => new Date(new Date(m.at).getTime() + Math.max(1, Math.floor(random.next() * span)));
    const variantFactor = (1 + behaviour.variantUplift) ** (m.variant ?? 0);
    const conversion = m.group === 'sent' ? behaviour.conversionRate * (1 + behaviour.uplift) * variantFactor : behaviour.conversionRate;
    // Draws in a fixed order (open, click, order, basket) so a customer's fate does not depend on the others.
    const opens = random.chance(behaviour.openRate);
    const clicks = opens && random.chance(Math.min(1, behaviour.clickRate * variantFactor));
    const converts = random.chance(Math.min(1, conversion));
    if (m.logId !== null && m.email && opens) events.push({ logId: m.logId, kind: 'open', at: later() });
    if (m.logId !== null && m.email && clicks && m.hasLink) events.push({ logId: m.logId, kind: 'click', at: later() });
    if (converts) {
      const lines = Array.from({ length: random.int(1, 3) }, () => {
        const [sku, description, unitPrice] = random.pick(catalogue);
        return { sku, description, quantity: random.int(1, 2), unitPrice };
      });
      orders.push({ externalId: `SIM-${campaignId}-${m.customerId}`, customerExternalId: m.externalId, placedAt: later(), status: 'completed', lines });
    }
  }
  await sql.transaction(async (client) => {
    for (let i = 0; i < orders.length; i += 2000) await writeOrders(client, orders.slice(i, i + 2000));
    if (events.length) {
      await client.query(
        `insert into message_events (log_id, campaign_id, kind, link_index, machine, user_agent, at)
         select l, $4::bigint, k, case when k = 'click' then 0 end, false, 'demo shopper', a from unnest($1::bigint[], $2::text[], $3::timestamptz[]) as x(l, k, a)
         where not exists (select 1 from message_events e where e.log_id = x.l and e.kind = x.k)`,
        [events.map((e) => e.logId), events.map((e) => e.kind), events.map((e) => e.at), campaignId],
      );
    }
    await client.query(
      `insert into demo_shopper_answers (campaign_id, customer_id) select $1, unnest($2::bigint[]) on conflict do nothing`,
      [campaignId, members.map((m) => m.customerId)],
    );
  });
  return { members: members.length, orders: orders.length, opens: events.filter((e) => e.kind === 'open').length, clicks: events.filter((e) => e.kind === 'click').length };
}
