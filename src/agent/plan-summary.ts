import type { Actor } from '../auth/actor.js';
import { formatCount as n } from '../crm/format.js';
import type { CampaignPlan, CampaignsService } from '../crm/campaigns/campaigns.service.js';


/** The plan behind an approval in a few lines, for the person deciding: who receives what, and who is left out. */
export async function planSummary(campaigns: CampaignsService, actor: Actor, approvalId: string): Promise<string> {
  const plan = await campaigns.approvalPlan(actor, approvalId).catch(() => null);
  if (!plan) return `Approve ${approvalId}: a launch or a recurring campaign (anything not planned will be refused).`;
  return describePlan(plan);
}

/** Who receives what, who is left out, and one sample message. */
export function describePlan(plan: CampaignPlan): string {
  const excluded = Object.entries(plan.audience.excluded).filter(([, v]) => v > 0).map(([k, v]) => `${n(v)} ${k.replace(/_/g, ' ')}`);
  const sample = plan.samples[0] ? ` Sample to ${plan.samples[0].name ?? plan.samples[0].address}: "${plan.samples[0].message.slice(0, 200)}"` : '';
  const test = plan.abTest ? ` A/B test: ${plan.abTest.schedule}.` : '';
  const forecast = plan.forecast ? ` ${plan.forecast.sentence}` : '';
  const schedule = plan.schedule ? ` ${plan.schedule.sentence}` : '';
  return `Send ${plan.channel} campaign "${plan.name}" to ${n(plan.audience.eligible)} customers (${plan.sentence}).${schedule}${test}${excluded.length ? ` Left out: ${excluded.join(', ')}.` : ''}${forecast}${sample}`;
}
