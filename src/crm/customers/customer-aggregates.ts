import type { Queryable } from '../../db/sql.js';
import { spendStatuses, visitStatuses } from '../orders/order-status.js';

/**
 * Recomputes the spend and order figures of the given customers from their orders, in one statement.
 * Recomputing from scratch (rather than adding deltas) is what keeps the figures equal to the orders whatever
 * order writes, retries or status changes came before: a retried batch cannot count a purchase twice.
 *
 * total spend      = sum of totals of pending, completed and refunded orders (a refund's total is negative)
 * order count      = number of pending and completed orders (a visit); refunds and cancellations are not visits
 * first/last order = earliest/latest placed_at among those visits
 * average order    = total spend ÷ order count, when there is at least one order
 */
export async function refreshCustomerAggregates(db: Queryable, customerIds: readonly number[]) {
  if (!customerIds.length) return;
  await db.query(
    `update customers c set
       total_spend = a.spend,
       order_count = a.visits,
       first_order_at = a.first_at,
       last_order_at = a.last_at,
       average_order_value = case when a.visits > 0 then round(a.spend / a.visits, 3) end,
       updated_at = now()
     from (
       select ids.id,
              coalesce(sum(o.total) filter (where o.status = any($2)), 0) as spend,
              count(o.id) filter (where o.status = any($3))::int as visits,
              min(o.placed_at) filter (where o.status = any($3)) as first_at,
              max(o.placed_at) filter (where o.status = any($3)) as last_at
       from unnest($1::bigint[]) as ids(id)
       left join orders o on o.customer_id = ids.id
       group by ids.id
     ) a
     where c.id = a.id
       and (c.total_spend, c.order_count, c.first_order_at, c.last_order_at)
           is distinct from (a.spend, a.visits, a.first_at, a.last_at)`,
    [customerIds, spendStatuses, visitStatuses],
  );
}
