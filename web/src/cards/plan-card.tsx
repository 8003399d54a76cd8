import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { count } from '../api.js';

// The plan_campaign tool's answer itself (a type only: nothing of the server reaches the bundle).
export type CampaignPlan = ToolOutput<'plan_campaign'>;

/** A planned campaign: who receives it, who is left out and why, and sample messages as they will be sent. */
export function PlanCard({ plan, decision }: { plan: CampaignPlan; decision?: React.ReactNode }) {
  const excluded = Object.entries(plan.audience.excluded).filter(([, n]) => n > 0);
  return (
    <section className="card" aria-label={`Campaign plan: ${plan.name}`}>
      <h3>{plan.name} <small>({plan.channel})</small></h3>
      <p className="figure"><strong data-testid="plan-eligible">{count(plan.audience.eligible)}</strong> will receive it, of {count(plan.audience.matching)} matching</p>
      <p>{plan.sentence}</p>
      {excluded.length > 0 && (
        <ul aria-label="Left out">{excluded.map(([why, n]) => <li key={why}>{count(n)} {why.replace(/_/g, ' ')}</li>)}</ul>
      )}
      {plan.warnings.map((w) => <p key={w} className="warning">{w}</p>)}
      <table>
        <caption>Sample messages</caption>
        <thead><tr><th scope="col">To</th><th scope="col">Message</th></tr></thead>
        <tbody>{plan.samples.map((s) => <tr key={s.customerId}><td>{s.name ?? s.address}<br /><small>{s.address}</small></td><td className="message">{s.message}</td></tr>)}</tbody>
      </table>
      {decision}
    </section>
  );
}
