import { z } from 'zod';
import { cancelInput, planInput, rescheduleInput } from '../crm/campaigns/campaign-input.js';
import { defineTool } from './crm-tool.js';
import { groupOutput, liftOutput } from './outcome-schemas.js';

const counts = {
  audience: z.number(), sent: z.number(), failed: z.number(), pending: z.number(), unconfirmed: z.number(),
  skipped: z.number().describe('Not sent: the customer opted out, or the address was suppressed, after launch'), deliveryRate: z.number().nullable(),
  stalled: z.string().nullable().describe('Why delivery looks stuck (no receipt has come back at all), or null'),
};

const sample = z.object({
  customerId: z.number(), name: z.string().nullable(), address: z.string(), message: z.string(),
  email: z.object({ from: z.string(), subject: z.string(), html: z.string(), text: z.string() }).optional().describe('The email as it would arrive: sender, subject, HTML and plain-text parts'),
  sms: z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number(), segments: z.number() }).optional().describe('How the carrier counts this text'),
});

export const planCampaign = defineTool({
  name: 'plan_campaign',
  description: 'Work out a campaign without sending anything: audience, who is left out and why (unsubscribed, no consent, no address, suppressed, frequency cap), which way it would leave (a real carrier or the simulator), five rendered sample messages and an approval id. Give either segmentId or rules, a channel (email or sms), for email a subject, and a template with placeholders like {{first_name | "there"}}, {{total_spend}}, {{last_order_date}}. For an A/B test give abTest: up to three more versions (subject and/or template), the test share, the metric and the hours; the winner then goes to the rest under the same approval.',
  input: planInput,
  output: z.object({
    campaignId: z.number(), name: z.string(), channel: z.string(), sentence: z.string(),
    audience: z.object({ matching: z.number(), eligible: z.number(), holdout: z.number().describe('Of the eligible, kept as the control group: they receive nothing'), excluded: z.record(z.string(), z.number()) }),
    holdoutPercent: z.number(), attributionDays: z.number(),
    delivery: z.object({ carrier: z.enum(['smtp', 'twilio', 'simulator']), description: z.string(), real: z.boolean() }).describe('Which way the messages would leave; real is false when nothing reaches customers (the simulator)'),
    subject: z.string().nullable(), preheader: z.string().nullable(),
    samples: z.array(sample),
    abTest: z.object({
      variants: z.array(z.object({ subject: z.string().nullable(), template: z.string() })).describe('Every version, A first'),
      testPercent: z.number(), metric: z.enum(['clicks', 'conversions']), hours: z.number(),
      perVariant: z.array(z.number()).describe('Customers each version reaches at launch'), remainder: z.number().describe('Customers who get the winner'),
      samples: z.array(sample.nullable()).describe('Each version rendered for the same customer'), schedule: z.string(),
    }).nullable().describe('The A/B test this approval covers, with its whole schedule'),
    schedule: z.object({ sendAt: z.string().nullable(), bestHour: z.boolean(), sentence: z.string() }).nullable().describe('When it is sent, if not at once'),
    forecast: z.object({
      conversions: z.number().nullable(), revenue: z.number().nullable(), conversionsRange: z.tuple([z.number(), z.number()]).nullable(),
      basis: z.object({
        campaigns: z.number(), recipients: z.number(),
        groups: z.array(z.object({ group: z.string(), audience: z.number(), pastRecipients: z.number(), conversionRate: z.number(), revenuePerRecipient: z.number(), borrowed: z.boolean() })),
      }).nullable().describe('The past campaigns and recipients the forecast stands on, by recency and frequency group'),
      sentence: z.string().describe('The forecast in words, or why there is none yet'),
    }).describe('Expected orders and revenue from those who receive it, judged by earlier campaigns'),
    warnings: z.array(z.string()),
    approval: z.object({ id: z.string(), expiresAt: z.string() }).nullable().describe('Pass approval.id to launch_campaign once a person has approved'),
  }),
  risk: 'read',
  permission: 'campaigns.plan',
  execute: (input, { actor, services, signal }) => services.campaigns.plan(actor, input, signal),
});

export const launchCampaign = defineTool({
  name: 'launch_campaign',
  description: 'Send a planned campaign to its audience. Needs the approval id from plan_campaign and a person\'s approval; the approval works once and expires.',
  input: z.object({ approvalId: z.uuid() }),
  output: z.object({
    campaignId: z.number(), audience: z.number().describe('Messages frozen for sending'), holdout: z.number().describe('Customers kept as the control group'), planned: z.number(), status: z.string(),
    scheduledFor: z.string().nullable().describe('When the first message is due, for a scheduled campaign'),
  }),
  risk: 'send',
  permission: 'campaigns.send',
  waitsAs: ({ approvalId }) => approvalId,
  execute: ({ approvalId }, { actor, services }) => services.campaigns.launch(actor, approvalId),
});

export const cancelCampaign = defineTool({
  name: 'cancel_campaign',
  description: 'Stop a scheduled or sending campaign: every message not yet handed over is not sent (those already handed over cannot be recalled). Needs no approval, since it sends nothing.',
  input: cancelInput,
  output: z.object({ campaignId: z.number(), status: z.literal('cancelled'), notSent: z.number().describe('Messages that will now not be sent') }),
  risk: 'write',
  permission: 'campaigns.launch',
  execute: ({ campaignId }, { actor, services }) => services.campaigns.cancel(actor, campaignId),
});

export const rescheduleCampaign = defineTool({
  name: 'reschedule_campaign',
  description: 'Move a scheduled campaign whose first message has not left to a new time (sendAt), or to each customer\'s best hour, or both. The same customers get the same messages as approved; to change those, cancel it and plan again. A person approves the new time.',
  input: rescheduleInput,
  output: z.object({ campaignId: z.number(), status: z.literal('scheduled'), scheduledFor: z.string().describe('When the first message is now due'), sentence: z.string() }),
  risk: 'send',
  permission: 'campaigns.send',
  execute: (input, { actor, services }) => services.campaigns.reschedule(actor, input),
});

export const listCampaigns = defineTool({
  name: 'list_campaigns',
  description: 'Campaign history, newest first (at most 20): audience, sent, failed, pending, delivery rate, who launched it and when.',
  input: z.object({ limit: z.number().int().min(1).max(20).default(10) }),
  output: z.object({ campaigns: z.array(z.object({ id: z.number(), name: z.string(), channel: z.string(), status: z.string(), launchedBy: z.string().nullable(), launchedAt: z.string().nullable(), scheduledFor: z.string().nullable(), ...counts })) }),
  risk: 'read',
  permission: 'campaigns.read',
  execute: async ({ limit }, { actor, services }) => ({ campaigns: await services.campaigns.history(actor, { limit }) }),
});

export const getCampaignStats = defineTool({
  name: 'get_campaign_stats',
  description: 'Delivery figures of one campaign: audience, sent, failed, pending, unconfirmed, delivery rate and the main failure reasons.',
  input: z.object({ campaignId: z.number().int().positive() }),
  output: z.object({ id: z.number(), name: z.string(), status: z.string(), launchedAt: z.string().nullable(), scheduledFor: z.string().nullable(), ...counts, failures: z.array(z.object({ reason: z.string(), count: z.number() })) }),
  risk: 'read',
  permission: 'campaigns.read',
  execute: (input, { actor, services }) => services.campaigns.stats(actor, input.campaignId),
});


export const getCampaignReport = defineTool({
  name: 'get_campaign_report',
  description: 'What a launched campaign earned: delivered, opened and clicked (machine opens and clicks left out), orders and revenue within the attribution window from those who got it and from the control group that got nothing, the incremental conversions and revenue, the relative lift with its 95% confidence interval, and a sentence saying whether the difference is significant yet. Answers "how much did the win-back campaign make?". For an A/B test: each version\'s results and the winner.',
  input: z.object({ campaignId: z.number().int().positive() }),
  output: z.object({
    campaignId: z.number(), name: z.string(), launchedAt: z.string(), currency: z.string(), attributionDays: z.number(), holdoutPercent: z.number(),
    sent: groupOutput, holdout: groupOutput, windowOpen: z.boolean().describe('Some messages are still inside their window: later orders may still count'),
    engagement: z.object({
      tracking: z.boolean(), delivered: z.number(), opened: z.number().describe('Messages opened by a person (a click counts as an open)'), clicked: z.number(),
      openRate: z.number().nullable(), clickRate: z.number().nullable(),
      machineOpens: z.number().describe('Opens by mail privacy prefetching or scanners, left out of the rates'), machineClicks: z.number(),
    }),
    lift: liftOutput,
    abTest: z.object({
      metric: z.enum(['clicks', 'conversions']), testPercent: z.number(), decideAt: z.string().nullable(), decidedAt: z.string().nullable(),
      variants: z.array(z.object({ label: z.string(), subject: z.string().nullable(), recipients: z.number(), successes: z.number().describe('Recipients who clicked or ordered, by the metric'), rate: z.number().nullable() })),
      winner: z.string().nullable().describe('The version sent to the rest, once decided'), significant: z.boolean().nullable().describe('false: the winner only led, it was not proven better'),
      sentence: z.string(),
    }).nullable().describe('The A/B test of this campaign, if it had one'),
  }),
  risk: 'read',
  permission: 'campaigns.read',
  execute: ({ campaignId }, { actor, services }) => services.campaigns.report(actor, campaignId),
});
