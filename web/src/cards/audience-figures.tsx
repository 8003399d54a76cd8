import { count, money } from '../api.js';
import { CustomerLink } from '../customers-page.js';

export interface SegmentPreview {
  count: number; totalCustomers: number; sentence: string;
  funnel: { condition: string; alone: number; together: number }[];
  samples: { id: number; name: string | null; city: string | null; totalSpend: string; orderCount: number }[];
}

/** Who matches a rule: the count, a funnel bar per condition, and sample customers who link to their pages. */
export function AudienceFigures({ preview, either }: { preview: SegmentPreview; either: boolean }) {
  const widest = Math.max(preview.totalCustomers, 1);
  return (
    <>
      <p className="figure" aria-live="polite"><strong data-testid="audience-count">{count(preview.count)}</strong> of {count(preview.totalCustomers)} customers</p>
      <p>{preview.sentence}</p>
      {preview.funnel.length > 1 && (
        <ol className="funnel" aria-label={either ? 'How each condition adds to the audience' : 'How each condition narrows the audience'}>
          {preview.funnel.map((f, i) => (
            <li key={f.condition}>
              <span>{f.condition}</span>
              <span className="bar" style={{ width: `${(100 * f.together) / widest}%` }} aria-hidden="true" />
              {/* A condition's own figure, then the running total: "or" adds customers, "and" keeps those in both. */}
              <span data-testid="funnel-step">
                {count(f.alone)} on its own{i > 0 && `; ${count(f.together)} ${either ? 'with this or those above' : 'with this and those above'}`}
              </span>
            </li>
          ))}
        </ol>
      )}
      {preview.samples.length > 0 && (
        <table>
          <caption>Sample customers</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">City</th><th scope="col">Spend</th><th scope="col">Orders</th></tr></thead>
          <tbody>{preview.samples.map((s) => <tr key={s.id}><td><CustomerLink id={s.id}>{s.name ?? `Customer ${s.id}`}</CustomerLink></td><td>{s.city ?? '—'}</td><td>{money(s.totalSpend)}</td><td>{s.orderCount}</td></tr>)}</tbody>
        </table>
      )}
    </>
  );
}
