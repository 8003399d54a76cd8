import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { count, dateTime, money, problemOf, runTool } from '../api.js';
import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { PageLink } from '../routes.js';
import { CustomerList } from './customer-list.js';
import { useScreen } from '../screen.js';

/** A link to a customer's page, from any list or card. */
export function CustomerLink({ id, children }: { id: number; children: ReactNode }) {
  return <PageLink to={`/customers/${id}`}>{children}</PageLink>;
}

/** Customers found by name, email, phone or id (biggest spenders first), or the whole list sorted and filtered by a rule. */
export function CustomersPage() {
  const [found, setFound] = useState<ToolOutput<'search_customers'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const query = String(new FormData(event.currentTarget).get('query') ?? '').trim();
    if (!query) return;
    try {
      setFound(await runTool('search_customers', { query, limit: 20 }));
      setProblem(null);
    } catch (error) {
      setProblem(problemOf(error, 'The search did not work; try again.'));
    }
  }
  return (
    <section aria-labelledby="customers-title">
      <h2 id="customers-title">Customers</h2>
      <form role="search" onSubmit={search} className="search">
        <label>Name, email, phone or customer id<input name="query" type="search" required /></label>
        <button type="submit">Search</button>
      </form>
      {problem && <p role="alert">{problem}</p>}
      {found && (
        <>
          <p role="status">{found.total === 1 ? '1 customer' : `${count(found.total)} customers`} found{found.total > found.customers.length ? `; the ${found.customers.length} biggest spenders shown` : ''}.</p>
          <div className="table-scroll">
            <table>
              <thead><tr><th scope="col">Customer</th><th scope="col">City</th><th scope="col">Total spend</th><th scope="col">Orders</th><th scope="col">Last order</th></tr></thead>
              <tbody>{found.customers.map((c) => (
                <tr key={c.id}>
                  <th scope="row"><CustomerLink id={c.id}>{c.name ?? c.externalId}</CustomerLink>{c.email && <><br /><small>{c.email}</small></>}</th>
                  <td>{c.city ?? '—'}</td><td>{money(c.totalSpend)}</td><td>{count(c.orderCount)}</td><td>{c.lastOrderAt ? dateTime(c.lastOrderAt) : 'never'}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </>
      )}
      {!found && <CustomerList />}
    </section>
  );
}

type Customer = ToolOutput<'get_customer'>;

/** What happened to a customer, newest first: orders, messages and what they did with them, consent given or withdrawn. */
function timelineOf(c: Customer) {
  const events: { at: string; text: string }[] = [
    { at: c.createdAt, text: 'Became a customer of the CRM' },
    ...c.recentOrders.map((o) => ({ at: o.placedAt, text: `Order ${o.externalId}: ${money(o.total)} (${o.status}, ${o.lines.length} ${o.lines.length === 1 ? 'line' : 'lines'})` })),
    ...c.recentMessages.map((m) => ({ at: m.at, text: `${m.channel === 'sms' ? 'Text' : 'Email'} from “${m.campaign}”: ${m.status}${m.clicked ? ', opened and clicked' : m.opened ? ', opened' : ''}` })),
    ...(['email', 'sms'] as const).flatMap((channel) => {
      const k = c.consent[channel];
      return k.status && k.changedAt ? [{ at: k.changedAt, text: `${channel === 'sms' ? 'SMS' : 'Email'} consent ${k.status}${k.source ? ` (${k.source})` : ''}` }] : [];
    }),
  ];
  return events.sort((a, b) => b.at.localeCompare(a.at));
}

const consentWords = (c: { status: string | null; source: string | null }) => (c.status === null ? 'never asked' : `${c.status}${c.source ? ` (${c.source})` : ''}`);

/** One customer: their figures, consent, every recent order with its lines, and the campaign messages they got. */
export function CustomerPage({ customerId }: { customerId: number }) {
  const [customer, setCustomer] = useState<ToolOutput<'get_customer'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    runTool('get_customer', { customerId }).then(setCustomer, (error) => setProblem(problemOf(error, 'The customer could not be loaded.')));
  }, [customerId]);
  useScreen(customer ? { page: `the page of customer ${customer.name ?? customer.externalId} (id ${customerId})` } : null);
  if (problem) return <p role="alert">{problem}</p>;
  if (!customer) return <p aria-busy="true">Loading the customer…</p>;
  const c = customer;
  return (
    <article aria-labelledby="customer-title" className="customer">
      <h2 id="customer-title">{c.name ?? c.externalId}</h2>
      <dl className="figures">
        <div><dt>Total spend</dt><dd>{money(c.totalSpend)}</dd></div>
        <div><dt>Orders</dt><dd>{count(c.orderCount)}</dd></div>
        <div><dt>Average order</dt><dd>{c.averageOrderValue === null ? '—' : money(c.averageOrderValue)}</dd></div>
        <div><dt>First order</dt><dd>{c.firstOrderAt ? dateTime(c.firstOrderAt) : 'never'}</dd></div>
        <div><dt>Last order</dt><dd>{c.lastOrderAt ? dateTime(c.lastOrderAt) : 'never'}</dd></div>
        <div><dt>Email</dt><dd>{c.email ?? '—'}</dd></div>
        <div><dt>Place</dt><dd>{[c.city, c.country].filter(Boolean).join(', ') || '—'}</dd></div>
        <div><dt>Customer id</dt><dd>{c.externalId}</dd></div>
      </dl>
      <h3>Consent</h3>
      <p>Email: {consentWords(c.consent.email)}. SMS: {consentWords(c.consent.sms)}.{c.unsubscribed && ' Unsubscribed from everything.'}
        {c.suppressed.map((s) => ` The ${s.channel} address is suppressed (${s.reason}) since ${dateTime(s.since)}.`)}</p>
      <h3>Latest orders</h3>
      {c.recentOrders.length === 0 ? <p>No orders yet.</p> : (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Total</th><th scope="col">Lines</th></tr></thead>
            <tbody>{c.recentOrders.map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.externalId}</th><td>{dateTime(o.placedAt)}</td><td>{o.status}</td><td>{money(o.total)}</td>
                <td><ul className="lines">{o.lines.map((l, k) => <li key={k}>{l.quantity} × {l.description ?? l.sku ?? 'item'} at {money(l.unitPrice)}</li>)}</ul></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <h3>Campaign messages</h3>
      {c.recentMessages.length === 0 ? <p>No campaign has reached this customer yet.</p> : (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Campaign</th><th scope="col">Channel</th><th scope="col">Status</th><th scope="col">Opened</th><th scope="col">Clicked</th><th scope="col">Sent</th></tr></thead>
            <tbody>{c.recentMessages.map((m, k) => (
              <tr key={k}><th scope="row"><PageLink to={`/campaigns/${m.campaignId}`}>{m.campaign}</PageLink></th><td>{m.channel}</td><td>{m.status}</td>
                <td>{m.opened ? 'yes' : 'no'}</td><td>{m.clicked ? 'yes' : 'no'}</td><td>{dateTime(m.at)}</td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <h3>Segments</h3>
      {c.segments === null ? <p>The segments could not be checked just now.</p> : c.segments.length === 0 ? <p>In no saved segment.</p> : (
        <ul className="plain" data-testid="customer-segments">{c.segments.map((g) => <li key={g.id}><PageLink to={`/segments/${g.id}`}>{g.name}</PageLink></li>)}</ul>
      )}
      <h3>Timeline</h3>
      <ol className="timeline" data-testid="customer-timeline">{timelineOf(c).map((e, k) => <li key={k}><time dateTime={e.at}>{dateTime(e.at)}</time> {e.text}</li>)}</ol>
    </article>
  );
}
