import type { types } from '@slack/bolt';
import { formatCount as n, formatMoney } from '../../crm/format.js';
import { context, section, type ReportView } from './slack-blocks.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** What a campaign earned, as posted in its thread when the attribution window closes (or asked for). */
export function reportBlocks(report: ReportView): types.KnownBlock[] {
  const { engagement: e, lift, sent, holdout } = report;
  const incremental = lift.incrementalRevenue === null ? '—' : formatMoney(lift.incrementalRevenue, report.currency);
  return [
    section(`*What "${report.name}" earned* (campaign ${report.campaignId}, orders within ${report.attributionDays} days${report.windowOpen ? ', window still open' : ''})`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Delivered → opened → clicked*\n${n(e.delivered)} → ${e.tracking ? `${n(e.opened)} → ${n(e.clicked)}` : 'not tracked'}` },
        { type: 'mrkdwn', text: `*Converted*\n${n(sent.converted)} (${pct(lift.conversionRate.sent)}), control ${pct(lift.conversionRate.holdout)}` },
        { type: 'mrkdwn', text: `*Revenue*\n${formatMoney(sent.revenue, report.currency)} from ${n(sent.orders)} orders` },
        { type: 'mrkdwn', text: `*Added by the campaign*\n${incremental}${lift.incrementalConversions === null ? '' : `, ${n(Math.round(lift.incrementalConversions))} orders' worth of customers`}` },
      ],
    },
    section(lift.verdict),
    ...(report.abTest ? [section(`*A/B test:* ${report.abTest.sentence}`)] : []),
    context(`${n(sent.customers)} sent, ${n(holdout.customers)} in the control group (${report.holdoutPercent}% held out).`),
  ];
}
