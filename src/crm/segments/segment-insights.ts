import type { Sql } from '../../db/sql.js';
import { formatCount, formatMoney } from '../format.js';
import { PURCHASED, SqlParams } from './rule-compiler.js';
import { boundedRows, type ReadLimits } from './bounded-read.js';

/** Fewer customers than this and any comparison with everyone would be noise. */
export const MIN_INSIGHT_CUSTOMERS = 20;
// A product needs this many buyers in the group before its lift is worth a sentence.
const MIN_PRODUCT_BUYERS = 5;
// Opens by people needed before the best hour is read from opens rather than from orders.
const MIN_OPENS = 50;

export interface SegmentInsights {
  customers: number; totalCustomers: number;
  /** Each figure for the group and for everyone, so every statement can show both. */
  figures: {
    revenueShare: number; averageOrderValue: { group: number | null; everyone: number | null };
    ordersPerCustomer: { group: number; everyone: number }; medianDaysSinceLastOrder: { group: number | null; everyone: number | null };
    churnRiskShare: { group: number; everyone: number };
  } | null;
  places: { city: string; share: number; everyoneShare: number }[];
  countries: { country: string; share: number; everyoneShare: number }[];
  products: { product: string; share: number; everyoneShare: number; lift: number }[];
  bestHour: { hour: number; from: 'opens' | 'orders'; share: number } | null;
  pastCampaigns: { messages: number; reached: number; conversionRate: number | null; everyoneRate: number | null } | null;
  /** Every finding in a sentence with its figures, for the offline model and for anyone reading the raw answer. */
  sentences: string[];
}

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;

/**
 * Who the customers matching `where` are, against everyone: size and share of revenue, order value and frequency,
 * recency, where they live, what they buy more than others (with the lift), how many are at churn risk (ordered at
 * least twice, but not in the last 90 days and within the year), their best hour, and how earlier campaigns did with
 * them. Each part is one bounded read, so a large group is cancelled like a preview is.
 */
export async function segmentInsights(sql: Sql, compile: (params: SqlParams) => string, settings: { now: Date; zone: string; currency: string; attributionDays: number }, limits: ReadLimits): Promise<SegmentInsights> {
  // Each read compiles the rule with parameters of its own: a statement must use every parameter it is given.
  const days = Math.round(settings.attributionDays);
  const read = <T extends Record<string, unknown>>(build: (q: { where: string; now: string; zone: string; group: string }) => string) => {
    const params = new SqlParams();
    const where = compile(params);
    // The moment and the time zone become parameters only when a statement mentions them.
    let now: string | undefined, zone: string | undefined;
    const text = build({
      where, group: `select c.* from customers c where ${where}`,
      get now() { return (now ??= `${params.add(settings.now)}::timestamptz`); },
      get zone() { return (zone ??= `${params.add(settings.zone)}::text`); },
    });
    return boundedRows<T>(sql, text, params.values, limits);
  };
  const [main] = await read<{ n: number; total: number; spend: string; allSpend: string; aov: string | null; allAov: string | null; freq: string; allFreq: string; median: number | null; allMedian: number | null; churn: number; allChurn: number }>(({ group, now }) =>
    `with s as materialized (${group})
     select (select count(*) from s) as n, (select count(*) from customers) as total,
       (select coalesce(sum(total_spend), 0)::text from s) as spend, (select coalesce(sum(total_spend), 0)::text from customers) as "allSpend",
       (select (sum(total_spend) / nullif(sum(order_count), 0))::text from s) as aov, (select (sum(total_spend) / nullif(sum(order_count), 0))::text from customers) as "allAov",
       (select coalesce(avg(order_count), 0)::text from s) as freq, (select coalesce(avg(order_count), 0)::text from customers) as "allFreq",
       (select percentile_cont(0.5) within group (order by extract(epoch from ${now} - last_order_at) / 86400) from s where last_order_at is not null) as median,
       (select percentile_cont(0.5) within group (order by extract(epoch from ${now} - last_order_at) / 86400) from customers where last_order_at is not null) as "allMedian",
       (select count(*) from s where order_count >= 2 and last_order_at < ${now} - interval '90 days' and last_order_at >= ${now} - interval '365 days') as churn,
       (select count(*) from customers where order_count >= 2 and last_order_at < ${now} - interval '90 days' and last_order_at >= ${now} - interval '365 days') as "allChurn"`,
  );
  const empty: SegmentInsights = { customers: main.n, totalCustomers: main.total, figures: null, places: [], countries: [], products: [], bestHour: null, pastCampaigns: null, sentences: [] };
  if (main.n < MIN_INSIGHT_CUSTOMERS) {
    return { ...empty, sentences: [`Only ${formatCount(main.n)} customer${main.n === 1 ? ' matches' : 's match'}: too few to say anything about them that would hold (at least ${MIN_INSIGHT_CUSTOMERS} are needed).`] };
  }
  const money = (v: number) => formatMoney(v, settings.currency, true);
  const figures = {
    revenueShare: Number(main.allSpend) ? Number(main.spend) / Number(main.allSpend) : 0,
    averageOrderValue: { group: main.aov === null ? null : Number(main.aov), everyone: main.allAov === null ? null : Number(main.allAov) },
    ordersPerCustomer: { group: Number(main.freq), everyone: Number(main.allFreq) },
    medianDaysSinceLastOrder: { group: main.median === null ? null : Math.round(main.median), everyone: main.allMedian === null ? null : Math.round(main.allMedian) },
    churnRiskShare: { group: main.churn / main.n, everyone: main.total ? main.allChurn / main.total : 0 },
  };
  // Places are compared ignoring case, as the rules compare them (and as their indexes are built).
  const where2 = (column: 'city' | 'country') => read<{ value: string; n: number; all: number }>(({ group }) =>
    `with s as materialized (${group}), top as (select lower(${column}) as key, min(${column}) as value, count(*) as n from s where ${column} is not null group by 1 order by 3 desc, 1 limit 5)
     select value, n, (select count(*) from customers c where lower(c.${column}) = top.key) as "all" from top order by n desc, value`,
  );
  const [cities, countries, products, hours, past] = await Promise.all([
    where2('city'), where2('country'),
    read<{ product: string; n: number; all: number }>(({ where }) =>
      `with s as materialized (select c.id from customers c where ${where}),
       bought as (select pid, count(*) as n from s join customer_products cp on cp.customer_id = s.id cross join unnest(cp.product_ids) as pid group by pid having count(*) >= ${MIN_PRODUCT_BUYERS} order by count(*) desc limit 200)
       select p.description_key as product, b.n, (select count(*) from customer_products x where x.product_ids @> array[b.pid]) as "all"
       from bought b join products p on p.id = b.pid`,
    ),
    read<{ hour: number; opens: number; orders: number }>(({ where, now, zone }) =>
      `with s as materialized (select c.id from customers c where ${where}),
       opened as (select extract(hour from e.at at time zone ${zone})::int as hour, count(*) as n from s join communication_logs l on l.customer_id = s.id join message_events e on e.log_id = l.id
                  where e.kind = 'open' and not e.machine group by 1),
       ordered as (select extract(hour from o.placed_at at time zone ${zone})::int as hour, count(*) as n from s join orders o on o.customer_id = s.id
                   where ${PURCHASED} and o.placed_at > ${now} - interval '365 days' group by 1)
       select h as hour, coalesce(opened.n, 0) as opens, coalesce(ordered.n, 0) as orders from generate_series(0, 23) h left join opened on opened.hour = h left join ordered on ordered.hour = h`,
    ),
    read<{ messages: number; reached: number; converted: number; allMessages: number; allConverted: number }>(({ where, now }) =>
      `with s as materialized (select c.id from customers c where ${where}),
       closed as (select l.customer_id, coalesce(l.sent_at, l.created_at) as at,
                    exists (select 1 from orders o where o.customer_id = l.customer_id and ${PURCHASED} and o.placed_at > coalesce(l.sent_at, l.created_at)
                            and o.placed_at <= coalesce(l.sent_at, l.created_at) + make_interval(days => coalesce(k.attribution_days, ${days}))) as converted
                  from communication_logs l join campaigns k on k.id = l.campaign_id
                  where l.status in ('sent', 'delivered') and coalesce(l.sent_at, l.created_at) + make_interval(days => coalesce(k.attribution_days, ${days})) < ${now})
       select count(*) filter (where s.id is not null) as messages, count(distinct s.id) as reached, count(*) filter (where s.id is not null and converted) as converted,
         count(*) as "allMessages", count(*) filter (where converted) as "allConverted"
       from closed left join s on s.id = closed.customer_id`,
    ),
  ]);
  const share = (rows: { value: string; n: number; all: number }[]) => rows.map((r) => ({ value: r.value, share: r.n / main.n, everyoneShare: main.total ? r.all / main.total : 0 }));
  const places = share(cities).map(({ value, ...r }) => ({ city: value, ...r }));
  const countryShares = share(countries).map(({ value, ...r }) => ({ country: value, ...r }));
  const liked = products.map((p) => ({ product: p.product, share: p.n / main.n, everyoneShare: p.all / main.total, lift: (p.n / main.n) / (p.all / main.total) }))
    .filter((p) => p.lift > 1.2).sort((a, b) => b.lift - a.lift || b.share - a.share).slice(0, 5)
    .map((p) => ({ ...p, lift: Math.round(p.lift * 100) / 100 }));
  const opens = hours.reduce((s, h) => s + h.opens, 0);
  const from: 'opens' | 'orders' = opens >= MIN_OPENS ? 'opens' : 'orders';
  const counts = hours.map((h) => (from === 'opens' ? h.opens : h.orders));
  const totalCount = counts.reduce((a, b) => a + b, 0);
  const best = counts.indexOf(Math.max(...counts));
  const bestHour = totalCount ? { hour: best, from, share: counts[best] / totalCount } : null;
  const [p] = past;
  const pastCampaigns = p.allMessages ? { messages: p.messages, reached: p.reached, conversionRate: p.messages ? p.converted / p.messages : null, everyoneRate: p.allConverted / p.allMessages } : null;

  const f = figures;
  const sentences = [
    `${formatCount(main.n)} customers, ${pct(main.n / main.total)} of all ${formatCount(main.total)}, who brought ${pct(f.revenueShare)} of all revenue.`,
    `They spend ${f.averageOrderValue.group === null ? 'nothing yet' : money(f.averageOrderValue.group)} an order (everyone: ${f.averageOrderValue.everyone === null ? '—' : money(f.averageOrderValue.everyone)}) and have ordered ${f.ordersPerCustomer.group.toFixed(1)} times each (everyone: ${f.ordersPerCustomer.everyone.toFixed(1)}).`,
    f.medianDaysSinceLastOrder.group === null ? 'None of them has ordered yet.' : `Half of them last ordered within ${f.medianDaysSinceLastOrder.group} days (everyone: ${f.medianDaysSinceLastOrder.everyone} days).`,
    places.length ? `Most live in ${places.slice(0, 3).map((c) => `${c.city} (${pct(c.share)}; everyone ${pct(c.everyoneShare)})`).join(', ')}.` : 'None of them has a city on record.',
    countryShares.length ? `By country: ${countryShares.slice(0, 3).map((c) => `${c.country} ${pct(c.share)} (everyone ${pct(c.everyoneShare)})`).join(', ')}.` : '',
    liked.length ? `They buy these more than others do: ${liked.map((x) => `${x.product.toUpperCase()} (×${x.lift.toFixed(1)}: ${pct(x.share)} of them, ${pct(x.everyoneShare)} of everyone)`).join('; ')}.` : 'No product stands out: they buy much what everyone buys.',
    `${pct(f.churnRiskShare.group)} are at churn risk, having ordered at least twice but not in the last 90 days (everyone: ${pct(f.churnRiskShare.everyone)}).`,
    bestHour ? `Their best hour to send is around ${String(bestHour.hour).padStart(2, '0')}:00 (${settings.zone}): ${pct(bestHour.share)} of their ${from === 'opens' ? 'email opens' : 'orders this past year'} happen then.` : 'There are no orders or opens to find their best hour from.',
    !pastCampaigns ? 'No campaign has finished its attribution window yet, so there is nothing to say about how campaigns do with them.'
      : pastCampaigns.messages === 0 ? 'No earlier campaign has reached them.'
        : `Earlier campaigns reached ${formatCount(pastCampaigns.reached)} of them with ${formatCount(pastCampaigns.messages)} messages; ${pct(pastCampaigns.conversionRate!)} of those messages were followed by an order within the window (all recipients: ${pct(pastCampaigns.everyoneRate!)}).`,
  ].filter(Boolean);
  return { customers: main.n, totalCustomers: main.total, figures, places, countries: countryShares, products: liked, bestHour, pastCampaigns, sentences };
}
