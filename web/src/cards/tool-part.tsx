import type { ToolName } from '../../../src/tools/catalogue.js';
import { OverviewCard } from './overview-card.js';
import { PlanCard, type CampaignPlan } from './plan-card.js';
import { ReportCard } from './report-card.js';
import { SegmentCard } from './segment-card.js';
import { StatsCard } from './stats-card.js';
import { ToolSummary } from './tool-summary.js';

export interface ToolPart {
  type: string; toolCallId: string; state: string; input?: any; output?: any; errorText?: string;
  approval?: { id: string; approved?: boolean; reason?: string; requestReason?: string; isAutomatic?: boolean };
}

// Keyed by the catalogue's tool names: a renamed tool fails the type check here.
const labels: Partial<Record<ToolName, string>> = {
  preview_segment: 'Finding the audience', plan_campaign: 'Planning the campaign', launch_campaign: 'Launching', get_overview: 'Reading the overview',
  list_campaigns: 'Reading campaign history', get_campaign_stats: 'Reading delivery figures', create_segment: 'Saving the segment',
  get_campaign_report: 'Reading what the campaign earned',
};

/** One tool call in the chat, as a card when its result has one, otherwise a short line. */
export interface ToolPartActions { onDecide: (approvalId: string, approved: boolean) => void; onUseRule: (rules: Record<string, any>) => void }

export function ToolPartView({ part, plans, launching, actions }: { part: ToolPart; plans: Map<string, CampaignPlan>; launching: Set<string>; actions: ToolPartActions }) {
  const { onDecide } = actions;
  const name = part.type.slice('tool-'.length) as ToolName;
  if (part.state === 'output-error') return <p className="tool error" role="alert">{labels[name] ?? name}: {part.errorText}</p>;
  if (part.state === 'output-denied') return <p className="tool denied">Not done: {part.approval?.reason ?? 'the request was turned down'}.</p>;
  if (name === 'launch_campaign' && part.state === 'approval-requested' && part.approval && !part.approval.isAutomatic) {
    const plan = plans.get(part.input?.approvalId);
    const decision = (
      <div className="decision" role="group" aria-label="Approve this send?">
        <p>{plan ? 'Nothing is sent until you approve.' : part.approval.requestReason}</p>
        <button type="button" className="approve" onClick={() => onDecide(part.approval!.id, true)}>Approve and send</button>
        <button type="button" className="reject" onClick={() => onDecide(part.approval!.id, false)}>Reject</button>
      </div>
    );
    return plan ? <PlanCard plan={plan} decision={decision} /> : <section className="card">{decision}</section>;
  }
  if (part.state === 'approval-responded') return <p className="tool">{part.approval?.approved ? 'Approved; sending…' : 'Rejected.'}</p>;
  if (part.state !== 'output-available') return <p className="tool" aria-busy="true">{labels[name] ?? name}…</p>;
  switch (name) {
    case 'preview_segment': return <SegmentCard preview={part.output} rules={part.input.rules} onUseRule={actions.onUseRule} />;
    // A plan about to be launched is shown once, with its Approve and Reject buttons.
    case 'plan_campaign': return part.output.approval && launching.has(part.output.approval.id) ? null : <PlanCard plan={part.output} />;
    case 'launch_campaign': return <StatsCard campaignId={part.output.campaignId} />;
    case 'get_campaign_stats': return <StatsCard campaignId={part.output.id} initial={part.output} />;
    case 'get_overview': return <OverviewCard overview={part.output} />;
    case 'get_campaign_report': return <ReportCard campaignId={part.output.campaignId} initial={part.output} />;
    default: return <ToolSummary title={labels[name] ?? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())} output={part.output} />;
  }
}
