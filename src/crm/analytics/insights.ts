import type { Queryable } from '../../db/sql.js';
import { formatMoney } from '../format.js';

/**
 * An insight carries the figures it was computed from. When the data cannot support it, it says so and why, with
 * the same figures, instead of guessing.
 */
export interface Insight {
  kind: 'churn_risk' | 'lifetime_value' | 'best_hour';
  title: string;
  status: 'ok' | 'not_enough_data';
  message: string;
  figures: Record<string, unknown>;
}

const PURCHASE = `status in ('pending', 'completed')`;
export const insightMinimums = { churnCustomers: 20, ltvCustomers: 50, ltvSpanDays: 90, bestHourOrders: 100 } as const;

/** Customers with at least three orders whose silence is more than twice their own usual gap between orders. */
export async function churnRisk(db: Queryable, now: Date): Promise<Insight> {
  const [row] = (await db.query(
    `with regulars as (
       select total_spend, extract(epoch from (last_order_at - first_order_at)) / 86400 / (order_count - 1) as usual_gap,
              extract(epoch from ($1::timestamptz - last_order_at)) / 86400 as silent_days
       from customers where order_count >= 3 and last_order_at > first_order_at
     )
     select count(*) as regulars, count(*) filter (where silent_days > 2 * usual_gap) as at_risk,
            coalesce(sum(total_spend) filter (where silent_days > 2 * usual_gap), 0) as spend_at_risk,
            round(percentile_cont(0.5) within group (order by usual_gap)::numeric, 1) as median_gap_days
     from regulars`,
    [now],
  )).rows;
  const figures = { regularCustomers: row.regulars, atRisk: row.at_risk, spendAtRisk: row.spend_at_risk, medianUsualGapDays: row.median_gap_days, rule: 'days since last order > 2 × the customer\'s own average days between orders (customers with 3+ orders)' };
  if (row.regulars < insightMinimums.churnCustomers) {
    return { kind: 'churn_risk', title: 'Churn risk', status: 'not_enough_data', figures, message: `Only ${row.regulars} customers have three or more orders; churn risk needs at least ${insightMinimums.churnCustomers} to compare against their own habits.` };
  }
  const share = Math.round((row.at_risk / row.regulars) * 1000) / 10;
  return {
    kind: 'churn_risk', title: 'Churn risk', status: 'ok', figures: { ...figures, shareAtRiskPercent: share },
    message: `${row.at_risk} of ${row.regulars} regular customers (${share}%) have been silent for more than twice their usual gap between orders.`,
  };
}

/** Average order value × orders per customer per year × years a customer stays, from the order history itself. */
export async function lifetimeValue(db: Queryable, currency: string): Promise<Insight> {
  const [row] = (await db.query(
    `select count(*) as customers,
            sum(total_spend) / nullif(sum(order_count), 0) as average_order_value,
            extract(epoch from (max(last_order_at) - min(first_order_at))) / 86400 as span_days,
            sum(order_count) as orders,
            avg(extract(epoch from (last_order_at - first_order_at)) / 86400) filter (where order_count >= 2) as repeat_lifespan_days,
            avg((order_count >= 2)::int) as repeat_share
     from customers where order_count > 0`,
  )).rows;
  const spanDays = Number(row.span_days ?? 0);
  const base = { customersWithOrders: row.customers, observedDays: Math.round(spanDays) };
  if (row.customers < insightMinimums.ltvCustomers || spanDays < insightMinimums.ltvSpanDays) {
    return { kind: 'lifetime_value', title: 'Lifetime value', status: 'not_enough_data', figures: base, message: `A lifetime value needs at least ${insightMinimums.ltvCustomers} customers with orders over ${insightMinimums.ltvSpanDays} days; there are ${row.customers} over ${Math.round(spanDays)} days.` };
  }
  const aov = Number(row.average_order_value);
  const ordersPerYear = Number(row.orders) / Number(row.customers) / (spanDays / 365);
  // A one-time buyer stays for one purchase; repeat buyers for their observed span (at least a month).
  const lifespanYears = Math.max(Number(row.repeat_lifespan_days ?? 0) * Number(row.repeat_share), 30) / 365;
  const ltv = aov * ordersPerYear * lifespanYears;
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    kind: 'lifetime_value', title: 'Lifetime value', status: 'ok',
    figures: { ...base, averageOrderValue: round(aov), ordersPerCustomerPerYear: round(ordersPerYear), expectedLifespanYears: round(lifespanYears), lifetimeValue: round(ltv), repeatCustomerShare: round(Number(row.repeat_share), 3) },
    message: `An average customer is worth about ${formatMoney(round(ltv, 0), currency)}: ${formatMoney(round(aov), currency)} per order × ${round(ordersPerYear)} orders a year × ${round(lifespanYears)} years.`,
  };
}

/** The hour of day (in the business's time zone) when most orders of the last year were placed. */
export async function bestHour(db: Queryable, now: Date, zone: string): Promise<Insight> {
  const rows = (await db.query<{ hour: number; orders: number }>(
    `select extract(hour from placed_at at time zone $2)::int as hour, count(*) as orders
     from orders where ${PURCHASE} and placed_at >= $1::timestamptz - interval '365 days' and placed_at <= $1 group by 1 order by 1`,
    [now, zone],
  )).rows;
  const byHour = Array.from({ length: 24 }, (_, h) => rows.find((r) => r.hour === h)?.orders ?? 0);
  const total = byHour.reduce((a, b) => a + b, 0);
  const figures = { ordersLastYear: total, ordersByHour: byHour, timeZone: zone };
  if (total < insightMinimums.bestHourOrders) {
    return { kind: 'best_hour', title: 'Best hour to send', status: 'not_enough_data', figures, message: `Only ${total} orders in the last year; the best hour needs at least ${insightMinimums.bestHourOrders}.` };
  }
  const hour = byHour.indexOf(Math.max(...byHour));
  const share = Math.round((byHour[hour] / total) * 1000) / 10;
  return {
    kind: 'best_hour', title: 'Best hour to send', status: 'ok', figures: { ...figures, bestHour: hour, shareOfOrdersPercent: share },
    message: `Most orders arrive between ${hour}:00 and ${hour + 1}:00 (${zone}): ${share}% of the last year's orders. Sending shortly before then meets customers when they buy.`,
  };
}
