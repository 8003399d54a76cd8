import type { Queryable } from '../../db/sql.js';
import { PURCHASED } from '../segments/rule-compiler.js';
import { formatCount as n } from '../format.js';

/**
 * Customers are compared within groups of recency and frequency (RFM without the money, which follows the other
 * two closely): when they last ordered and how often, as of the moment a message reached them.
 */
export function rfmGroupSql(lastOrderAt: string, orderCount: string, at: string) {
  return `case when ${lastOrderAt} is null then 'never'
    else (case when ${lastOrderAt} >= ${at} - interval '30 days' then 'r30' when ${lastOrderAt} >= ${at} - interval '90 days' then 'r90'
               when ${lastOrderAt} >= ${at} - interval '365 days' then 'r365' else 'older' end)
      || ':' || (case when ${orderCount} >= 5 then 'f5' when ${orderCount} >= 2 then 'f2' else 'f1' end) end`;
}

const recency: Record<string, string> = { r30: 'ordered in the last 30 days', r90: 'last ordered 1–3 months ago', r365: 'last ordered 3–12 months ago', older: 'last ordered over a year ago' };
const frequency: Record<string, string> = { f1: 'once', f2: '2–4 times', f5: '5 times or more' };
export const groupLabel = (key: string) => (key === 'never' ? 'never ordered' : `${recency[key.split(':')[0]]}, ordered ${frequency[key.split(':')[1]]}`);

export interface Forecast {
  /** Expected among those who will receive it: customers who order within the window, and their revenue (null: declined). */
  conversions: number | null; revenue: number | null;
  /** A 95 % range for the conversions, from chance in this audience and in the history it stands on. */
  conversionsRange: [number, number] | null;
  /** What it stands on: past campaigns and recipients, and each group of this audience with its past rate. */
  basis: { campaigns: number; recipients: number; groups: { group: string; audience: number; pastRecipients: number; conversionRate: number; revenuePerRecipient: number; borrowed: boolean }[] } | null;
  /** The forecast in a sentence, or why there is none. */
  sentence: string;
}

// Past recipients looked at: the latest messages of campaigns whose window has closed, so a forecast stays quick.
const HISTORY_LIMIT = 50_000;
// A group with fewer past recipients than this borrows the rate of all past recipients (and says so).
const MIN_GROUP = 30;
const MIN_HISTORY = 100;

/**
 * Expected conversions and revenue for an audience (its counts by group), from how recipients in the same groups
 * answered past campaigns within their attribution window. Declines, with the reason, when there is too little
 * history to stand on.
 */
export async function forecastFor(db: Queryable, audience: Record<string, number>, options: { attributionDays: number; currencyFormat: (v: number) => string }): Promise<Forecast> {
  const { rows } = await db.query<{ grp: string; recipients: number; converted: number; revenue: string; campaigns: number }>(
    `with past as (
       -- Every past message is read over this campaign's window, so the history answers the question asked.
       select l.customer_id, l.campaign_id, coalesce(l.sent_at, l.created_at) as at, $1::int as days
       from communication_logs l
       where l.status in ('sent', 'delivered') and coalesce(l.sent_at, l.created_at) + make_interval(days => $1) < now()
       order by l.id desc limit ${HISTORY_LIMIT}
     ), answered as (
       select ${rfmGroupSql('before.last', 'before.n', 'p.at')} as grp, p.campaign_id, after.n > 0 as converted, after.revenue
       from past p
       cross join lateral (select max(o.placed_at) as last, count(*) as n from orders o where o.customer_id = p.customer_id and o.placed_at <= p.at and ${PURCHASED}) before
       cross join lateral (select count(*) as n, coalesce(sum(o.total), 0) as revenue from orders o
                           where o.customer_id = p.customer_id and o.placed_at > p.at and o.placed_at <= p.at + make_interval(days => p.days) and ${PURCHASED}) after
     )
     select grp, count(*) as recipients, count(*) filter (where converted) as converted, sum(revenue)::text as revenue, count(distinct campaign_id) as campaigns
     from answered group by rollup (grp)`,
    [options.attributionDays],
  );
  const all = rows.find((r) => r.grp === null);
  if (!all || all.recipients < MIN_HISTORY) {
    return { conversions: null, revenue: null, conversionsRange: null, basis: null, sentence: `No forecast yet: it needs at least ${MIN_HISTORY} customers who got an earlier campaign whose ${options.attributionDays}-day window has closed${all ? `, and there are ${all.recipients}` : ', and there are none'}.` };
  }
  const overall = { rate: all.converted / all.recipients, revenue: Number(all.revenue) / all.recipients, recipients: all.recipients };
  let conversions = 0, revenue = 0, variance = 0;
  const groups = Object.entries(audience).filter(([, n]) => n > 0).map(([group, n]) => {
    const past = rows.find((r) => r.grp === group);
    const borrowed = !past || past.recipients < MIN_GROUP;
    const m = borrowed ? overall.recipients : past.recipients;
    const rate = borrowed ? overall.rate : past.converted / past.recipients;
    const perRecipient = borrowed ? overall.revenue : Number(past.revenue) / past.recipients;
    conversions += n * rate;
    revenue += n * perRecipient;
    // Chance among these n customers, plus the uncertainty of the rate learned from m past ones.
    variance += n * rate * (1 - rate) + (n * n * rate * (1 - rate)) / m;
    return { group: groupLabel(group), audience: n, pastRecipients: borrowed ? 0 : m, conversionRate: Math.round(rate * 1e4) / 1e4, revenuePerRecipient: Math.round(perRecipient * 100) / 100, borrowed };
  }).sort((a, b) => b.audience - a.audience);
  const spread = 1.96 * Math.sqrt(variance);
  const range: [number, number] = [Math.max(0, Math.floor(conversions - spread)), Math.ceil(conversions + spread)];
  const borrowedCount = groups.filter((g) => g.borrowed).reduce((s, g) => s + g.audience, 0);
  return {
    conversions: Math.round(conversions), revenue: Math.round(revenue * 100) / 100, conversionsRange: range,
    basis: { campaigns: all.campaigns, recipients: all.recipients, groups },
    sentence: `About ${n(Math.round(conversions))} of them should order within ${options.attributionDays} days (95 % range ${n(range[0])}–${n(range[1])}), spending about ${options.currencyFormat(revenue)}, judging by ${n(all.recipients)} recipients of ${all.campaigns} earlier campaign${all.campaigns > 1 ? 's' : ''} in the same recency and frequency groups${borrowedCount ? `; ${n(borrowedCount)} customers are in groups with too little history and are counted at the overall rate` : ''}. This counts all their orders, not only those the campaign adds.`,
  };
}
