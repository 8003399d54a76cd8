import { useState } from 'react';
import { count, money } from '../api.js';
import { RuleForm } from './rule-form.js';
import { CustomerLink } from '../customers-page.js';

export interface SegmentPreview {
  count: number; totalCustomers: number; sentence: string;
  funnel: { condition: string; alone: number; together: number }[];
  samples: { id: number; name: string | null; city: string | null; totalSpend: string; orderCount: number }[];
}

/** Who matches a rule: the count, a funnel bar per condition, ten samples, and the rule as an editable form. */
// A corrected rule goes back into the conversation, so what follows ("send them …") uses what the person now sees.
export function SegmentCard({ preview, rules, onUseRule }: { preview: SegmentPreview; rules: Record<string, any>; onUseRule: (rules: Record<string, any>) => void }) {
  const [editing, setEditing] = useState(false);
  const widest = Math.max(preview.totalCustomers, 1);
  const either = Array.isArray(rules.any);
  const rerun = (next: Record<string, any>) => {
    setEditing(false);
    onUseRule(next);
  };

  return (
    <section className="card" aria-label="Audience preview">
      <p className="figure"><strong data-testid="audience-count">{count(preview.count)}</strong> of {count(preview.totalCustomers)} customers</p>
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
      <button type="button" className="link" aria-expanded={editing} onClick={() => setEditing(!editing)}>{editing ? 'Close the rule' : 'Edit the rule'}</button>
      {editing && <RuleForm rules={rules} onPreview={rerun} />}
    </section>
  );
}
