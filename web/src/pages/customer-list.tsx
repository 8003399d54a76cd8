import { useEffect, useState } from 'react';
import type { ToolInput, ToolOutput } from '../../../src/tools/catalogue.js';
import { count, dateTime, money, problemOf, runTool } from '../api.js';
import { RuleForm } from '../cards/rule-form.js';
import { PageLink } from '../routes.js';
import { useScreen } from '../screen.js';

type Ranked = ToolOutput<'rank_customers'>;
type By = NonNullable<ToolInput<'rank_customers'>['by']>;
type Rule = Record<string, any>;
const PAGE = 50;

// Every figure rank_customers sorts by, named for people: a figure added to the tool fails the type check here.
const sortLabels: Record<By, string> = { total_spend: 'Total spend', order_count: 'Orders', average_order_value: 'Average order', last_order_date: 'Last order' };
const sorts = (Object.entries(sortLabels) as [By, string][]).map(([by, label]) => ({ by, label }));

// The list's state lives in the address (?by=…&dir=…&page=…&rule=…), so a filtered, sorted page can be shared.
function readState() {
  const q = new URLSearchParams(location.search);
  let rule: Rule | null = null;
  try { rule = q.get('rule') ? JSON.parse(q.get('rule')!) : null; } catch { rule = null; }
  const by = sorts.find((s) => s.by === q.get('by'))?.by ?? 'total_spend';
  return { by, direction: q.get('dir') === 'asc' ? 'asc' as const : 'desc' as const, page: Math.max(0, Number(q.get('page') ?? 1) - 1) || 0, rule };
}

/**
 * Every customer, a page at a time, sorted on the server by a figure, and narrowed by any segment rule written with
 * the same rule form as segments: how many match, and who, fifty at a time.
 */
export function CustomerList() {
  const [state, setState] = useState(readState);
  // The rows with the page they are (the figures above the table describe the rows shown, not the page asked for).
  const [list, setList] = useState<(Ranked & { page: number }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [filtering, setFiltering] = useState(!!state.rule);
  useScreen({ page: state.rule ? 'the customers list, filtered by a rule' : 'the list of all customers', ...(state.rule ? { rules: state.rule } : {}) });
  useEffect(() => {
    const q = new URLSearchParams();
    if (state.by !== 'total_spend') q.set('by', state.by);
    if (state.direction === 'asc') q.set('dir', 'asc');
    if (state.page) q.set('page', String(state.page + 1));
    if (state.rule) q.set('rule', JSON.stringify(state.rule));
    history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
    let current = true;
    runTool('rank_customers', { by: state.by, direction: state.direction, limit: PAGE, offset: state.page * PAGE, ...(state.rule ? { rules: state.rule } : {}) })
      .then((l) => { if (current) { setList({ ...l, page: state.page }); setProblem(null); } }, (e) => current && setProblem(problemOf(e, 'The customers could not be listed.')));
    return () => { current = false; };
  }, [state]);
  const set = (patch: Partial<typeof state>) => setState((s) => ({ ...s, page: 0, ...patch }));
  const first = (list?.page ?? 0) * PAGE;
  const pages = list ? Math.ceil(list.total / PAGE) : 0;
  return (
    <section aria-labelledby="list-title" className="customer-list">
      <h3 id="list-title">All customers</h3>
      <div className="list-controls">
        <label>Sort by <select aria-label="Sort by" value={state.by} onChange={(e) => set({ by: e.target.value as By })}>{sorts.map((s) => <option key={s.by} value={s.by}>{s.label}</option>)}</select></label>
        <label>Order <select aria-label="Order" value={state.direction} onChange={(e) => set({ direction: e.target.value as 'asc' | 'desc' })}><option value="desc">highest first</option><option value="asc">lowest first</option></select></label>
        <button type="button" className="link" aria-expanded={filtering} onClick={() => { if (filtering) set({ rule: null }); setFiltering(!filtering); }}>{filtering ? 'Show everyone' : 'Filter by a rule'}</button>
      </div>
      {filtering && <RuleForm rules={state.rule ?? { field: 'total_spend', op: 'gt', value: 10000 }} onPreview={(rule) => set({ rule })} action="Filter" />}
      {problem && <p role="alert" className="error">{problem}</p>}
      {list && (
        <>
          <p role="status" data-testid="list-status">{list.total === 0 ? 'No customer matches.' : `${count(first + 1)}–${count(Math.min(first + PAGE, list.total))} of ${count(list.total)} customers`}</p>
          {list.customers.length > 0 && (
            <div className="table-scroll">
              <table>
                <thead><tr><th scope="col">Customer</th><th scope="col">City</th><th scope="col">Total spend</th><th scope="col">Orders</th><th scope="col">Average order</th><th scope="col">Last order</th></tr></thead>
                <tbody>{list.customers.map((c) => (
                  <tr key={c.id}>
                    <th scope="row"><PageLink to={`/customers/${c.id}`}>{c.name ?? c.externalId}</PageLink></th><td>{c.city ?? '—'}</td><td>{money(c.totalSpend)}</td>
                    <td>{count(c.orderCount)}</td><td>{c.averageOrderValue === null ? '—' : money(c.averageOrderValue)}</td><td>{c.lastOrderAt ? dateTime(c.lastOrderAt) : 'never'}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
          {pages > 1 && (
            <nav aria-label="Pages of customers" className="pager">
              <button type="button" disabled={state.page === 0} onClick={() => setState({ ...state, page: state.page - 1 })}>Previous</button>
              <span>Page {count((list?.page ?? 0) + 1)} of {count(pages)}</span>
              <button type="button" disabled={state.page + 1 >= pages || (state.page + 1) * PAGE > 10_000} onClick={() => setState({ ...state, page: state.page + 1 })}>Next</button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
