import { useCallback, useEffect, useRef, useState } from 'react';
import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { count, dateTime, day, money, moneyShort, monthName, problemOf, runTool } from '../api.js';
import { BarChart } from '../charts/bar-chart.js';
import { useCrmEvent } from '../live-events.js';
import { PageLink } from '../routes.js';
import { useScreen } from '../screen.js';

interface Dashboard {
  overview: ToolOutput<'get_overview'>;
  insights: ToolOutput<'get_insights'>['insights'];
  automations: ToolOutput<'list_automations'>['automations'] | null;
}
type Campaign = { id: number; name: string; status: string; audience: number; sent: number; failed: number; deliveryRate: number | null; launchedAt: string | null };

const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const partialNote = (p: string | null) => (p ? p.replace(/(to|from) (\d{4}-\d{2}-\d{2})/, (_, w, d) => `${w === 'to' ? 'to' : 'from'} ${day(d)}`) : null);

/**
 * The CRM at a glance: headline figures, revenue and orders by month, recency-frequency-spend groups, the latest
 * campaigns and automations with their outcomes, and the insights with their figures. It reloads itself when a
 * campaign, an automation run or an import moves the figures.
 */
export function DashboardPage() {
  const [data, setData] = useState<Dashboard | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [overview, insights, automations] = await Promise.all([
        runTool('get_overview', {}), runTool('get_insights', {}),
        // Automations are left out for someone who may not read them, rather than failing the whole page.
        runTool('list_automations', {}).catch(() => null),
      ]);
      setData({ overview, insights: insights.insights, automations: automations?.automations ?? null });
      setProblem(null);
    } catch (error) {
      setProblem(problemOf(error, 'The dashboard could not be loaded.'));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  // Live: at most one reload every few seconds, however many events arrive.
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const soon = () => { pending.current ??= setTimeout(() => { pending.current = null; void load(); }, 3000); };
  useEffect(() => () => { if (pending.current) clearTimeout(pending.current); }, []);
  useCrmEvent('import.finished', soon);
  useCrmEvent('campaign.report', soon);
  useCrmEvent('automation.run', soon);
  useScreen({ page: 'the dashboard (figures of every customer)' });

  if (problem) return <p role="alert">{problem}</p>;
  if (!data) return <p aria-busy="true">Loading the dashboard…</p>;
  const { overview, insights, automations } = data;
  const c = overview.customers as Record<string, string | number>;
  const months = overview.revenueByMonth.map((m) => ({ label: monthName(m.month), note: partialNote(m.partial), revenue: Number(m.revenue), orders: m.orders }));
  const campaigns = overview.campaignPerformance as Campaign[];
  return (
    <section aria-labelledby="dashboard-title" className="dashboard-page">
      <h2 id="dashboard-title">Dashboard</h2>
      {overview.asOf && <p className="note">Figures as of {dateTime(overview.asOf)}; at this size they are computed again in the background about once a minute.</p>}
      <dl className="figures">
        <div><dt>Customers</dt><dd data-testid="customers-total">{count(c.total)}</dd></div>
        <div><dt>With orders</dt><dd>{count(c.withOrders)}</dd></div>
        <div><dt>Orders</dt><dd>{count(c.orders)}</dd></div>
        <div><dt>Revenue</dt><dd>{money(c.revenue)}</dd></div>
        <div><dt>Subscribed</dt><dd>{count(c.subscribed)}</dd></div>
        <div><dt>New in 30 days</dt><dd>{count(c.newLast30Days)}</dd></div>
      </dl>
      <div className="charts">
        <BarChart title="Revenue by month" categoryAxis="Month" valueAxis={`Revenue (${overview.currency})`} format={money} short={moneyShort}
          bars={months.map((m) => ({ label: m.label, value: m.revenue, note: m.note }))} />
        <BarChart title="Orders by month" categoryAxis="Month" valueAxis="Orders" format={count}
          bars={months.map((m) => ({ label: m.label, value: m.orders, note: m.note }))} />
        <BarChart title="Customers by recency, frequency and spend" categoryAxis="Group" valueAxis="Customers" format={count} layout="rows"
          bars={overview.rfmGroups.map((g) => ({ label: g.group, value: g.customers }))} />
      </div>

      <h3>Latest campaigns</h3>
      {campaigns.length === 0 ? <p>No campaigns yet. Ask the assistant to plan one.</p> : (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Audience</th><th scope="col">Sent</th><th scope="col">Failed</th><th scope="col">Delivery rate</th><th scope="col">Launched</th></tr></thead>
            <tbody>{campaigns.map((k) => (
              <tr key={k.id}>
                <th scope="row"><PageLink to={`/campaigns/${k.id}`}>{k.name}</PageLink></th><td>{k.status}</td><td>{count(k.audience)}</td>
                <td>{count(k.sent)}</td><td>{count(k.failed)}</td><td>{percent(k.deliveryRate)}</td><td>{k.launchedAt ? dateTime(k.launchedAt) : '—'}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}

      {automations && (
        <>
          <h3>Automations</h3>
          {automations.length === 0 ? <p>No automations yet.</p> : (
            <ul className="plain">{automations.map((a) => {
              const last = a.runs[0];
              return (
                <li key={a.automationId}>
                  <PageLink to={`/automations/${a.automationId}`}>{a.name}</PageLink>: {a.status === 'active' ? 'running' : a.status}, {count(a.sent)} messages sent
                  {last ? `; last run ${dateTime(last.dueAt)}, ${last.status}${last.recipients ? ` to ${count(last.recipients)}` : ''}` : ''}
                  {a.nextRunAt ? `; next ${dateTime(a.nextRunAt)}` : ''}
                </li>
              );
            })}</ul>
          )}
        </>
      )}

      <h3>Insights</h3>
      <div className="insights">
        {insights.map((i) => (
          <article key={i.kind} className="card" aria-label={i.title}>
            <h4>{i.title}</h4>
            <p>{i.message}</p>
            {i.status === 'ok' && (
              <dl className="figures small">
                {Object.entries(i.figures).filter(([, v]) => typeof v === 'number' || typeof v === 'string').slice(0, 6).map(([k, v]) => (
                  <div key={k}><dt>{k.replace(/([A-Z])/g, ' $1').toLowerCase()}</dt><dd>{typeof v === 'number' ? count(v) : String(v)}</dd></div>
                ))}
              </dl>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}
