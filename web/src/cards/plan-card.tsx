import type { ToolOutput } from '../../../src/tools/catalogue.js';
import { count } from '../api.js';

// The plan_campaign tool's answer itself (a type only: nothing of the server reaches the bundle).
export type CampaignPlan = ToolOutput<'plan_campaign'>;

/**
 * The first sample email as the customer's mail program would show it: sender, subject, the HTML part in a frame
 * that may run nothing and follow no link (sandbox), and the plain-text part beside it.
 */
function EmailPreview({ email }: { email: NonNullable<CampaignPlan['samples'][number]['email']> }) {
  return (
    <figure className="email-preview" aria-label="Email preview">
      <dl><dt>From</dt><dd>{email.from}</dd><dt>Subject</dt><dd data-testid="plan-subject">{email.subject}</dd></dl>
      <iframe title="The email as it will arrive" sandbox="" srcDoc={email.html} />
      <details><summary>Plain-text part</summary><pre>{email.text}</pre></details>
    </figure>
  );
}

const smsSize = (s: CampaignPlan['samples'][number]['sms']) => (s ? `${s.encoding}, ${s.characters} characters, ${s.segments} segment${s.segments === 1 ? '' : 's'}` : null);

/** A planned campaign: who receives it, who is left out and why, and sample messages as they will be sent. */
export function PlanCard({ plan, decision }: { plan: CampaignPlan; decision?: React.ReactNode }) {
  const excluded = Object.entries(plan.audience.excluded).filter(([, n]) => n > 0);
  const firstEmail = plan.samples.find((s) => s.email)?.email;
  return (
    <section className="card" aria-label={`Campaign plan: ${plan.name}`}>
      <h3>{plan.name} <small>({plan.channel})</small></h3>
      <p className="figure"><strong data-testid="plan-eligible">{count(plan.audience.eligible)}</strong> will receive it, of {count(plan.audience.matching)} matching</p>
      <p>{plan.sentence}</p>
      {excluded.length > 0 && (
        <ul aria-label="Left out">{excluded.map(([why, n]) => <li key={why}>{count(n)} {why.replace(/_/g, ' ')}</li>)}</ul>
      )}
      <p data-testid="plan-delivery">{plan.delivery.real ? `Sent through ${plan.delivery.description}.` : `Simulated: ${plan.delivery.description}.`}</p>
      {plan.audience.holdout > 0 && <p>{count(plan.audience.holdout)} of them are kept as a control group and get nothing, so the report can tell what the campaign added.</p>}
      {plan.schedule && <p className="schedule" data-testid="plan-schedule"><strong>Scheduled:</strong> {plan.schedule.sentence}</p>}
      <p className="forecast" data-testid="plan-forecast">{plan.forecast.sentence}</p>
      {plan.abTest && (
        <div className="ab-test" aria-label="A/B test">
          <p><strong>A/B test:</strong> {plan.abTest.schedule}.</p>
          <table>
            <thead><tr><th scope="col">Version</th><th scope="col">Customers</th><th scope="col">{plan.channel === 'email' ? 'Subject and message' : 'Message'}</th></tr></thead>
            <tbody>{plan.abTest.variants.map((v, i) => (
              <tr key={i}><th scope="row">{String.fromCharCode(65 + i)}</th><td>{count(plan.abTest!.perVariant[i])}</td>
                <td>{plan.abTest!.samples[i]?.email?.subject ?? v.subject}<br /><small className="message">{plan.abTest!.samples[i]?.email?.text ?? plan.abTest!.samples[i]?.message ?? v.template}</small></td></tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {plan.warnings.map((w) => <p key={w} className="warning">{w}</p>)}
      {firstEmail && <EmailPreview email={firstEmail} />}
      <table>
        <caption>Sample messages</caption>
        <thead><tr><th scope="col">To</th><th scope="col">Message</th></tr></thead>
        <tbody>{plan.samples.map((s) => <tr key={s.customerId}><td>{s.name ?? s.address}<br /><small>{s.address}</small></td><td className="message">{s.email ? s.email.text : s.message}{s.sms && <><br /><small>{smsSize(s.sms)}</small></>}</td></tr>)}</tbody>
      </table>
      {decision}
    </section>
  );
}
