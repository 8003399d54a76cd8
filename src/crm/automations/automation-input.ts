import { z } from 'zod';
import { recurringCampaignInput } from '../campaigns/campaign-input.js';
import { recurrenceInput } from './recurrence.js';
import { journeyInput } from './journey-input.js';

/**
 * An automation as a person defines it — a recurring campaign (campaign and schedule) or a journey — with its caps;
 * a change to any of it needs a new approval.
 */
export const automationInput = z.object({
  automationId: z.number().int().positive().optional().describe('Change this automation (it stops until the change is approved) instead of making a new one'),
  name: z.string().trim().min(1).max(160),
  campaign: recurringCampaignInput.optional().describe('A recurring campaign: what each run sends, as plan_campaign takes it (without a name)'),
  schedule: recurrenceInput.optional().describe('A recurring campaign: when it runs, in the business time zone: {"every":"week","on":"monday","at":"10:00"}, {"every":"day","at":"09:30"}, {"every":"month","day":1,"at":"10:00"} or {"cron":"0 10 * * 1"}'),
  journey: journeyInput.optional().describe('A journey instead: who enters, and the steps (send, wait, waitUntil, branch, exit) each customer goes through'),
  skipDays: z.number().int().min(0).max(365).default(7).describe('Leave out customers a run of this automation reached within this many days'),
  maxPerRun: z.number().int().positive().max(10_000_000).describe('Most messages one run may send; a run that would send more stops and asks'),
  maxPerDay: z.number().int().positive().max(10_000_000).describe('Most messages all runs of a day (business time zone) may send'),
}).strict()
  .refine((v) => v.maxPerRun <= v.maxPerDay, { message: 'maxPerRun cannot be more than maxPerDay', path: ['maxPerRun'] })
  .refine((v) => (v.journey === undefined) === (v.campaign !== undefined && v.schedule !== undefined) && (v.journey === undefined || (v.campaign === undefined && v.schedule === undefined)),
    'give a campaign and a schedule (a recurring campaign), or a journey');
export type AutomationInput = z.output<typeof automationInput>;

export const automationIdInput = z.object({ automationId: z.number().int().positive() }).strict();
export const approveAutomationInput = z.object({ approvalId: z.uuid('must be the approval id plan_automation returned') }).strict();
