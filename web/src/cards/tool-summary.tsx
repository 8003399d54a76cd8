import { CustomerLink } from '../pages/customers-page.js';

type Json = Record<string, unknown>;
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const shown = (v: unknown) => (v === null ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

/**
 * What a tool without a card of its own answered, for a person: its plain figures as a short list, customers as
 * links to their pages, and longer lists by their size — never the raw JSON.
 */
export function ToolSummary({ title, output }: { title: string; output: unknown }) {
  if (!output || typeof output !== 'object') return <p className="tool">{title}: {shown(output)}</p>;
  const o = output as Json;
  const customers = Array.isArray(o.customers) ? (o.customers as Json[]) : null;
  const entries = Object.entries(o).filter(([k]) => k !== 'customers');
  return (
    <section className="card tool-summary" aria-label={title}>
      <h3>{title}</h3>
      {typeof o.id === 'number' && 'externalId' in o && <p><CustomerLink id={o.id}>Open {String(o.name ?? o.externalId)}'s page</CustomerLink></p>}
      <dl>
        {entries.filter(([, v]) => scalar(v)).map(([k, v]) => <div key={k}><dt>{words(k)}</dt><dd>{shown(v)}</dd></div>)}
        {entries.filter(([, v]) => Array.isArray(v)).map(([k, v]) => <div key={k}><dt>{words(k)}</dt><dd>{(v as unknown[]).length}</dd></div>)}
      </dl>
      {customers && (
        <ul>{customers.map((c) => <li key={String(c.id)}><CustomerLink id={Number(c.id)}>{String(c.name ?? c.externalId ?? `Customer ${c.id}`)}</CustomerLink>{c.city ? `, ${String(c.city)}` : ''}</li>)}</ul>
      )}
    </section>
  );
}
