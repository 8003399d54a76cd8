import { z } from 'zod';
import { approveAutomationInput, automationIdInput, automationInput } from '../crm/automations/automation-input.js';
import { defineTool } from './crm-tool.js';
import { groupOutput, liftOutput } from './outcome-schemas.js';

const caps = z.object({ maxPerRun: z.number(), maxPerDay: z.number(), skipDays: z.number() });

export const planAutomation = defineTool({
  name: 'plan_automation',
  description: 'Define (or change) a journey (give journey: entry, steps, exitOnConversion) or a recurring campaign: what each run sends (as plan_campaign, without a name), when it runs (every day/week/month at a time, or cron, in the business time zone), skipDays (leave out customers a run reached recently) and caps (maxPerRun, maxPerDay). Sends nothing: returns who matches now, the next week\'s run times and an approval id for approve_automation. A changed automation stops until approved again.',
  input: automationInput,
  output: z.object({
    automationId: z.number(), kind: z.enum(['recurring', 'journey']), name: z.string(), sentence: z.string(),
    matchingNow: z.number().describe('Customers the rule matches now (before exclusions); for a segment journey, those who will not enter because they are in it already'),
    cron: z.string().nullable(), timeZone: z.string(), nextRuns: z.array(z.string()).describe('Run times within the next seven days'), schedule: z.string(), caps,
    warnings: z.array(z.string()), approval: z.object({ id: z.string(), expiresAt: z.string() }).describe('Pass approval.id to approve_automation once a person has approved'),
  }),
  risk: 'read',
  permission: 'campaigns.plan',
  execute: (input, { actor, services, signal }) => services.automations.plan(actor, input, signal),
});

export const approveAutomation = defineTool({
  name: 'approve_automation',
  description: 'Start a planned recurring campaign: from its next due time it sends on its own, within its caps. Needs a person\'s approval; the approval works once, and not after the automation changed.',
  input: approveAutomationInput,
  output: z.object({ automationId: z.number(), status: z.literal('active'), nextRunAt: z.string().nullable().describe('A recurring campaign\'s next run; null for a journey') }),
  risk: 'send',
  permission: 'campaigns.send',
  execute: ({ approvalId }, { actor, services }) => services.automations.approve(actor, approvalId),
});

export const pauseAutomation = defineTool({
  name: 'pause_automation',
  description: 'Pause a recurring campaign at once (needs no approval: it stops sends). Resume it with resume_automation.',
  input: automationIdInput,
  output: z.object({ automationId: z.number(), status: z.literal('paused') }),
  risk: 'write',
  permission: 'campaigns.launch',
  execute: ({ automationId }, { actor, services }) => services.automations.pause(actor, automationId),
});

export const resumeAutomation = defineTool({
  name: 'resume_automation',
  description: 'Resume a paused recurring campaign from its next due time (missed runs are not caught up). Needs a person\'s approval, since it sends again.',
  input: automationIdInput,
  output: z.object({ automationId: z.number(), status: z.literal('active'), nextRunAt: z.string().nullable() }),
  risk: 'send',
  permission: 'campaigns.send',
  execute: ({ automationId }, { actor, services }) => services.automations.resume(actor, automationId),
});

export const listAutomations = defineTool({
  name: 'list_automations',
  description: 'Recurring campaigns: status (and why, when one stopped itself at a cap), schedule, caps, next run, messages sent, and the latest runs with the campaign each made (ask get_campaign_report for what a run earned).',
  input: z.object({}).strict(),
  output: z.object({
    automations: z.array(z.object({
      automationId: z.number(), kind: z.enum(['recurring', 'journey']), name: z.string(), status: z.enum(['draft', 'active', 'paused']), statusReason: z.string().nullable(), cron: z.string().nullable(), caps,
      approvedBy: z.string().nullable(), nextRunAt: z.string().nullable(), sent: z.number(),
      runs: z.array(z.object({ dueAt: z.string(), status: z.enum(['sent', 'held', 'empty', 'failed']), campaignId: z.number().nullable(), recipients: z.number(), reason: z.string().nullable() })),
      steps: z.array(z.object({ step: z.number(), entered: z.number().describe('Customers who reached this step'), waiting: z.number(), sent: z.number(), skipped: z.number(), exited: z.number() }))
        .describe('A journey: customers at each step (step numbers from 1)'),
      definition: z.record(z.string(), z.unknown()).describe('The definition as plan_automation takes it, to change it'),
    })),
  }),
  risk: 'read',
  permission: 'campaigns.read',
  execute: async (_input, { actor, services }) => ({ automations: await services.automations.list(actor) }),
});


export const getAutomationReport = defineTool({
  name: 'get_automation_report',
  description: 'What all runs of a recurring campaign earned: each run (a campaign) with its groups and verdict, the groups added up over every run, and the lift against the control groups with its 95% interval. Answers "is the Monday win-back worth it?".',
  input: automationIdInput,
  output: z.object({
    automationId: z.number(), name: z.string(), currency: z.string(),
    runs: z.array(z.object({ campaignId: z.number(), sent: groupOutput, holdout: groupOutput, verdict: z.string(), windowOpen: z.boolean() })),
    sent: groupOutput, holdout: groupOutput,
    lift: liftOutput,
  }),
  risk: 'read',
  permission: 'campaigns.read',
  execute: ({ automationId }, { actor, services }) => services.automations.report(actor, automationId),
});
