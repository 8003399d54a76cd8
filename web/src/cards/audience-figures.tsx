import type { ReactNode } from 'react';
import { count, dateTime, money } from '../api.js';
import { CustomerLink } from '../pages/customers-page.js';

export interface SegmentPreview {
  count: number; totalCustomers: number; sentence: string;
  funnel: { condition: string; alone: number; together: number }[];
  samples: { id: number; name: string | null; city: string | null; country: string | null; totalSpend: string; orderCount: number; lastOrderAt: string | null }[];
}
type Sample = SegmentPreview['samples'][number];

// The sample's columns: those of the fields the rule names (why each customer matched), or city, spend and orders.
const columns: { fields: string[]; title: string; cell: (s: Sample) => ReactNode }[] = [
  { fields: ['city'], title: 'City', cell: (s) => s.city ?? '—' },
  { fields: ['country'], title: 'Country', cell: (s) => s.country ?? '—' },
  { fields: ['total_spend', 'average_order_value'], title: 'Spend', cell: (s) => money(s.totalSpend) },
  { fields: ['order_count'], title: 'Orders', cell: (s) => count(s.orderCount) },
  { fields: ['last_order_date', 'days_since_last_order', 'first_order_date'], title: 'Last order', cell: (s) => (s.lastOrderAt ? dateTime(s.lastOrderAt) : 'never') },
];
const fieldsOf = (rule: unknown): string[] => {
  if (!rule || typeof rule !== 'object') return [];
  if (Array.isArray(rule)) return rule.flatMap(fieldsOf);
  const r = rule as Record<string, unknown>;
  return [...(typeof r.field === 'string' ? [r.field] : []), ...Object.values(r).flatMap((v) => (typeof v === 'object' ? fieldsOf(v) : []))];
};
function sampleColumns(rules: unknown) {
  const named = new Set(fieldsOf(rules));
  const chosen = columns.filter((c) => c.fields.some((f) => named.has(f)));
  return chosen.length ? chosen : columns.filter((c) => ['City', 'Spend', 'Orders'].includes(c.title));
}

/** Who matches a rule: the count, a funnel bar per condition, and sample customers who link to their pages. */
export function AudienceFigures({ preview, rules }: { preview: SegmentPreview; rules: Record<string, any> }) {
  const widest = Math.max(preview.totalCustomers, 1);
  const either = Array.isArray(rules.any);
  const shown = sampleColumns(rules);
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
          <thead><tr><th scope="col">Name</th>{shown.map((c) => <th scope="col" key={c.title}>{c.title}</th>)}</tr></thead>
          <tbody>{preview.samples.map((s) => <tr key={s.id}><td><CustomerLink id={s.id}>{s.name ?? `Customer ${s.id}`}</CustomerLink></td>{shown.map((c) => <td key={c.title}>{c.cell(s)}</td>)}</tr>)}</tbody>
        </table>
      )}
    </>
  );
}
