import type { Queryable, Sql } from '../../db/sql.js';
import { PURCHASED } from '../segments/rule-compiler.js';

/**
 * Works out again which campaign each order of these customers belongs to: an order placed within a campaign's
 * window after the latest message (sent or delivered) the customer got before it, from any campaign, belongs to
 * that message's campaign; a control-group member's order within the window after the campaign went out (launch,
 * or the scheduled time) belongs to that control group. Only orders after the customer's first message are looked at. Upserts, so two workers on one customer
 * end with the same rows.
 */
export async function attribute(db: Queryable, customerIds: number[], defaultDays: number) {
  if (!customerIds.length) return;
  await db.query(`delete from order_attributions where customer_id = any($1::bigint[])`, [customerIds]);
  await db.query(`delete from holdout_orders where customer_id = any($1::bigint[])`, [customerIds]);
  await db.query(
    `with first as (
       select l.customer_id, min(coalesce(l.sent_at, l.created_at)) as at from communication_logs l
       where l.customer_id = any($1::bigint[]) and l.status in ('sent', 'delivered') group by 1
     )
     insert into order_attributions (order_id, customer_id, campaign_id, log_id, total)
     select o.id, o.customer_id, m.campaign_id, m.id, o.total
     from first f join orders o on o.customer_id = f.customer_id and o.placed_at > f.at
     cross join lateral (
       select l.id, l.campaign_id, coalesce(l.sent_at, l.created_at) as at from communication_logs l
       where l.customer_id = o.customer_id and l.status in ('sent', 'delivered') and coalesce(l.sent_at, l.created_at) < o.placed_at
       order by coalesce(l.sent_at, l.created_at) desc, l.id desc limit 1
     ) m
     join campaigns k on k.id = m.campaign_id
     where ${PURCHASED} and o.placed_at <= m.at + make_interval(days => coalesce(k.attribution_days, $2))
     on conflict (order_id) do update set customer_id = excluded.customer_id, campaign_id = excluded.campaign_id, log_id = excluded.log_id, total = excluded.total`,
    [customerIds, defaultDays],
  );
  await db.query(
    `insert into holdout_orders (campaign_id, order_id, customer_id, total)
     select h.campaign_id, o.id, o.customer_id, o.total
     from campaign_holdouts h join campaigns k on k.id = h.campaign_id
     join orders o on o.customer_id = h.customer_id and o.placed_at > coalesce(k.send_at, k.launched_at)
       and o.placed_at <= coalesce(k.send_at, k.launched_at) + make_interval(days => coalesce(k.attribution_days, $2))
     where h.customer_id = any($1::bigint[]) and k.launched_at is not null and ${PURCHASED}
     on conflict (campaign_id, order_id) do update set customer_id = excluded.customer_id, total = excluded.total`,
    [customerIds, defaultDays],
  );
}

/**
 * Works off marked customers, a chunk per transaction (a mark is removed in the same transaction that redoes its
 * customer, so a crash leaves it for next time). The workers skip marks another is working on; with `members`
 * (one campaign's recipients and control group, all its report needs) it waits for them instead, so the report
 * that follows reads every change made before it. Returns how many customers were redone.
 */
export async function workOffStale(sql: Sql, defaultDays: number, options: { members?: number; chunk?: number; max?: number } = {}) {
  const chunk = options.chunk ?? 5000;
  const max = options.max ?? Infinity;
  let done = 0;
  while (done < max) {
    const redone = await sql.transaction(async (client) => {
      const { rows } = await client.query<{ customer_id: number }>(
        `delete from attribution_stale where customer_id in (
           select s.customer_id from attribution_stale s
           ${options.members === undefined ? '' : `where exists (select 1 from communication_logs l where l.campaign_id = $2 and l.customer_id = s.customer_id)
              or exists (select 1 from campaign_holdouts h where h.campaign_id = $2 and h.customer_id = s.customer_id)`}
           order by s.customer_id limit $1 for update ${options.members === undefined ? 'skip locked' : ''})
         returning customer_id`,
        options.members === undefined ? [chunk] : [chunk, options.members],
      );
      await attribute(client, rows.map((r) => r.customer_id), defaultDays);
      return rows.length;
    });
    done += redone;
    if (redone < chunk) break;
  }
  return done;
}
