import { count, money } from '../api.js';

interface Overview {
  customers: Record<string, any>;
  revenueByMonth: { month: string; revenue: string; orders: number }[];
  topCustomers: { id: number; name: string | null; city: string | null; totalSpend: string }[];
  rfmGroups: { group: string; customers: number }[];
}

/** The CRM at a glance: totals, revenue by month, top customers and RFM groups. */
export function OverviewCard({ overview }: { overview: Overview }) {
  const peak = Math.max(...overview.revenueByMonth.map((m) => Number(m.revenue)), 1);
  return (
    <section className="card dashboard" aria-label="Overview">
      <dl className="figures">
        <div><dt>Customers</dt><dd>{count(overview.customers.total)}</dd></div>
        <div><dt>Orders</dt><dd>{count(overview.customers.orders)}</dd></div>
        <div><dt>Revenue</dt><dd>{money(overview.customers.revenue)}</dd></div>
        <div><dt>New in 30 days</dt><dd>{count(overview.customers.newLast30Days)}</dd></div>
      </dl>
      <figure>
        <figcaption>Revenue by month</figcaption>
        <div className="columns">
          {overview.revenueByMonth.map((m) => (
            <span key={m.month} title={`${m.month}: ${money(m.revenue)}`} style={{ height: `${(100 * Number(m.revenue)) / peak}%` }} aria-label={`${m.month}: ${money(m.revenue)}`} role="img" />
          ))}
        </div>
      </figure>
      <div className="split">
        <ol aria-label="Top customers">{overview.topCustomers.map((c) => <li key={c.id}>{c.name ?? `#${c.id}`} — {money(c.totalSpend)}</li>)}</ol>
        <ul aria-label="Customer groups">{overview.rfmGroups.map((g) => <li key={g.group}>{g.group}: {count(g.customers)}</li>)}</ul>
      </div>
    </section>
  );
}
