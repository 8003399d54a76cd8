import type { types } from '@slack/bolt';
import type { CrmEvents } from '../../events/crm-events.js';
import type { ToolOutput } from '../../tools/catalogue.js';
import { formatCount as n, formatMoney } from '../../crm/format.js';

type KnownBlock = types.KnownBlock;

// Block Kit for the CRM's answers in Slack. Slack caps a section's text at 3,000 characters; we stay well under.
const clip = (text: string, max = 2800) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text) } });
export const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, 1900) }] });

/** Markdown from the agent into Slack's mrkdwn: **bold** becomes *bold*, headings become bold lines. */
export const mrkdwn = (markdown: string) => markdown.replace(/\*\*(.+?)\*\*/g, '*$1*').replace(/^#{1,6}\s+(.+)$/gm, '*$1*');

export const textBlocks = (markdown: string): KnownBlock[] => (markdown.trim() ? [section(mrkdwn(markdown.trim()))] : []);

// The tools' own answers, not copies of their shape: a change to a tool's output is checked here too.
export type AudiencePreview = ToolOutput<'preview_segment'>;
export type PlanView = ToolOutput<'plan_campaign'>;
export type ReportView = ToolOutput<'get_campaign_report'>;

export function previewBlocks(preview: AudiencePreview, currency: string): KnownBlock[] {
  const share = preview.totalCustomers ? ` (${((preview.count / preview.totalCustomers) * 100).toFixed(1)}% of ${n(preview.totalCustomers)})` : '';
  const sample = preview.samples.slice(0, 5).map((c) => `• ${c.name ?? 'No name'}${c.city ? `, ${c.city}` : ''}: ${formatMoney(c.totalSpend, currency)} over ${c.orderCount} order${c.orderCount === 1 ? '' : 's'}`);
  return [
    section(`*Audience: ${n(preview.count)} customers*${share}\n${preview.sentence}`),
    ...(sample.length ? [context(sample.join('\n'))] : []),
  ];
}

/** What a person approves: the button's value says which approval (and, for the agent's request, which conversation). */
export interface ApprovalButton { approvalId: string; toolApprovalId?: string; conversationId?: string }

export function planBlocks(plan: PlanView, button: ApprovalButton | null): KnownBlock[] {
  const excluded = Object.entries(plan.audience.excluded).filter(([, v]) => v > 0).map(([k, v]) => `${n(v)} ${k.replace(/_/g, ' ')}`);
  const blocks: KnownBlock[] = [
    section(`*Campaign plan: ${plan.name}*\n${plan.channel === 'sms' ? 'SMS' : 'Email'} to *${n(plan.audience.eligible)} customers*: ${plan.sentence}${excluded.length ? `\nLeft out: ${excluded.join(', ')}` : ''}`),
    ...(plan.schedule ? [section(`*Scheduled:* ${plan.schedule.sentence}`)] : []),
    context(plan.forecast.sentence),
    ...(plan.abTest ? [section(`*A/B test:* ${plan.abTest.schedule}.\n${plan.abTest.variants.map((v, i) => `• ${String.fromCharCode(65 + i)}: ${v.subject ?? v.template.slice(0, 80)}`).join('\n')}`)] : []),
    ...plan.samples.slice(0, 2).map((s) => context(`To ${s.name ?? s.address}: “${s.message}”`)),
  ];
  if (button) {
    const value = JSON.stringify(button);
    blocks.push({
      type: 'actions',
      block_id: 'campaign_approval',
      elements: [
        {
          type: 'button', action_id: 'campaign_approve', style: 'primary', value, text: { type: 'plain_text', text: 'Approve and send' },
          confirm: {
            title: { type: 'plain_text', text: 'Send this campaign?' },
            text: { type: 'mrkdwn', text: `${n(plan.audience.eligible)} customers will get this ${plan.channel}. Messages cannot be recalled.` },
            confirm: { type: 'plain_text', text: 'Send' }, deny: { type: 'plain_text', text: 'Not yet' },
          },
        },
        { type: 'button', action_id: 'campaign_reject', style: 'danger', value, text: { type: 'plain_text', text: 'Reject' } },
      ],
    });
    if (plan.approval) blocks.push(context(`Only a marketer or admin can approve. The approval expires ${plan.approval.expiresAt.replace('T', ' ').slice(0, 16)} UTC.`));
  }
  return blocks;
}

/** The message after a decision: everything it said, the buttons replaced by who decided. */
export const decidedBlocks = (blocks: KnownBlock[], decision: string): KnownBlock[] =>
  [...blocks.filter((b) => b.type !== 'actions' && !(b.type === 'context' && JSON.stringify(b).includes('Only a marketer or admin can approve'))), context(decision)];

export type CampaignFigures = Pick<CrmEvents['campaign.progress'], 'status' | 'audience' | 'sent' | 'failed' | 'pending' | 'unconfirmed' | 'deliveryRate' | 'stalled'>;

export function statsBlocks(name: string, campaignId: number, figures: CampaignFigures): KnownBlock[] {
  const done = figures.sent + figures.failed + figures.unconfirmed;
  const rate = figures.deliveryRate === null ? '—' : `${(figures.deliveryRate * 100).toFixed(1)}%`;
  return [
    section(`*${name}* (campaign ${campaignId}) — ${figures.status}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Audience*\n${n(figures.audience)}` },
        { type: 'mrkdwn', text: `*Sent*\n${n(figures.sent)}` },
        { type: 'mrkdwn', text: `*Failed*\n${n(figures.failed)}` },
        { type: 'mrkdwn', text: `*Pending*\n${n(figures.pending)}` },
        { type: 'mrkdwn', text: `*Delivery rate*\n${rate}` },
        { type: 'mrkdwn', text: `*Progress*\n${figures.audience ? Math.round((done / figures.audience) * 100) : 100}%` },
      ],
    },
    ...(figures.stalled ? [context(`:warning: ${figures.stalled}`)] : []),
  ];
}
