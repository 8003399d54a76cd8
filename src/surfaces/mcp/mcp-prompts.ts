import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { launchCampaign, planCampaign } from '../../tools/campaign-tools.js';
import { suggestMessages } from '../../tools/message-tools.js';
import { previewSegment } from '../../tools/segment-tools.js';
import { z } from 'zod';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

// Prompt arguments arrive as text from the assistant's form; the wording below turns them into one clear request.
const amount = z.string().regex(/^\d[\d,]*(\.\d+)?$/, 'a number such as 10000').optional();

/** Ready-made requests for the jobs marketers do most, phrased so the assistant uses the CRM's tools in order. */
export function servePrompts(mcp: McpServer) {
  mcp.registerPrompt(
    'win_back_campaign',
    {
      title: 'Win-back campaign',
      description: 'Find customers who went quiet and plan a personalised offer for them; nothing is sent without a person\'s approval.',
      argsSchema: {
        quietDays: z.string().regex(/^\d+$/, 'a whole number of days').optional().describe('Days since the last order (default 90)'),
        minSpend: amount.describe('Only customers who spent at least this much (optional)'),
        offer: z.string().max(200).optional().describe('The offer, e.g. "10% off with code COMEBACK10" (default a 10% discount)'),
        channel: z.enum(['email', 'sms']).optional().describe('email or sms (default email)'),
      },
    },
    ({ quietDays, minSpend, offer, channel }) => user([
      `Plan a win-back ${channel ?? 'email'} campaign for customers whose last order was at least ${quietDays ?? 90} days ago${minSpend ? ` and who spent at least ${minSpend} in total` : ''}.`,
      `1. Call ${previewSegment.name} with that rule and tell me how many customers match, with a few examples.`,
      `2. Call ${suggestMessages.name} for a win-back message offering ${offer ?? 'a 10% discount'}, personalised with {{first_name | "there"}}.`,
      `3. Call ${planCampaign.name} with the rule and the best message, then show me the audience, who is left out and why, and two sample messages.`,
      `4. Do not launch. If I say to send it, call ${launchCampaign.name} with the plan's approval id; the CRM will ask me to confirm.`,
    ].join('\n')),
  );

  mcp.registerPrompt(
    'segment_report',
    {
      title: 'Segment report',
      description: 'A short report on one saved segment: who is in it, what they spend, and what to do next.',
      argsSchema: { segmentId: z.string().regex(/^\d+$/, 'the segment\'s id, a whole number').describe('Id of the saved segment (see crm://segments/…)') },
    },
    ({ segmentId }) => user([
      `Write a short report on saved segment ${segmentId}.`,
      `1. Call get_segment with segmentId ${segmentId}: give its rule in words, how many customers match and what they spend.`,
      '2. Call get_insights and list_campaigns: say whether recent campaigns reached this audience and how they did.',
      '3. End with two concrete next steps a marketer could take for this segment. Do not create or send anything.',
    ].join('\n')),
  );
}
