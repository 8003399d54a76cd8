import type { Queryable } from '../../db/sql.js';

// Recency, frequency and spend each scored 1–5 by quintile among customers who ordered; groups named as marketers do.
const rfmGroup = `case
  when r >= 4 and f >= 4 then 'Champions'
  when r >= 3 and f >= 4 then 'Loyal'
  when r >= 4 and f = 1 then 'New'
  when r >= 4 then 'Potential loyalists'
  when r <= 2 and f >= 3 then 'At risk'
  when r <= 2 then 'Hibernating'
  else 'Needs attention' end`;

/** The figures of the overview page, all computed from customers and orders as they are now. */
export async function overviewFigures(db: Queryable, now: Date, zone: string) {
  const [customers, months, top, rfm, earliest] = await Promise.all([
    db.query(`select count(*) as total, count(*) filter (where order_count > 0) as "withOrders", count(*) filter (where unsubscribed_at is null) as subscribed,
                count(*) filter (where created_at >= $1::timestamptz - interval '30 days') as "newLast30Days",
                coalesce(sum(total_spend), 0) as revenue, coalesce(sum(order_count), 0) as orders from customers`, [now]),
    db.query(`select to_char(date_trunc('month', placed_at at time zone $2), 'YYYY-MM') as month,
                coalesce(sum(total) filter (where status <> 'cancelled'), 0) as revenue, count(*) filter (where status in ('pending', 'completed')) as orders
              -- Twelve whole months where the business is: the eleventh month back is found on the local calendar
              -- before it becomes a moment (done the other way round it began on that month's last day).
              from orders where placed_at >= (date_trunc('month', $1::timestamptz at time zone $2) - interval '11 months') at time zone $2 and placed_at <= $1
              group by 1 order by 1`, [now, zone]),
    db.query(`select id, name, email, city, total_spend as "totalSpend", order_count as "orderCount", last_order_at as "lastOrderAt"
              from customers order by total_spend desc, id limit 10`),
    db.query(`select ${rfmGroup} as "group", count(*) as customers, round(avg(total_spend), 2) as "averageSpend"
              from (select total_spend, ntile(5) over (order by last_order_at) as r, ntile(5) over (order by order_count) as f
                    from customers where order_count > 0) scored
              group by 1 order by 2 desc`),
    db.query<{ day: string | null }>(`select to_char(min(placed_at) at time zone $1, 'YYYY-MM-DD') as day from orders`, [zone]),
  ]);
  return { customers: customers.rows[0], revenueByMonth: markPartialMonths(months.rows, earliest.rows[0]?.day ?? null, now, zone), topCustomers: top.rows, rfmGroups: rfm.rows };
}

/**
 * A month with fewer days of orders than the calendar gives it is marked, so a chart does not read it as a collapse:
 * the month still under way ("to date"), and the month the orders begin in when they begin after its first day.
 */
export function markPartialMonths<M extends { month: string }>(months: M[], firstOrderDay: string | null, now: Date, zone: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return months.map((m) => {
    const partial = m.month === today.slice(0, 7) ? `to ${today}` : firstOrderDay && m.month === firstOrderDay.slice(0, 7) && !firstOrderDay.endsWith('-01') ? `from ${firstOrderDay}` : null;
    return { ...m, partial };
  });
}
