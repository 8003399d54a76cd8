import { z } from 'zod';
import { ruleJson } from '../segments/rule-parser.js';

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const journeyEvents = ['first_order', 'any_order', 'imported', 'unsubscribed'] as const;
const HOURS_IN_A_YEAR = 365 * 24;

const send = z.object({
  channel: z.enum(['email', 'sms']),
  subject: z.string().max(200).optional(),
  template: z.string().max(5000),
}).strict()
  .refine((v) => v.channel === 'email' || v.subject === undefined, 'an SMS has no subject')
  .refine((v) => v.channel === 'sms' || v.subject !== undefined, { message: 'an email needs its subject', path: ['subject'] });

/** One step of a journey. Step numbers start at 1; a branch goes only forward, so a journey cannot loop. */
export const journeyStep = z.union([
  z.object({ send }).strict(),
  z.object({ wait: z.object({ days: z.number().int().min(0).default(0), hours: z.number().int().min(0).default(0) }).strict() }).strict(),
  z.object({ waitUntil: z.object({ weekday: z.enum(weekdays), at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as "10:00"') }).strict() }).strict(),
  z.object({
    branch: z.object({
      if: z.union([z.enum(['ordered_since_entry', 'clicked']), z.object({ segment: ruleJson }).strict()]),
      then: z.number().int().min(1).describe('Step number to go to when the condition holds'),
      else: z.number().int().min(1).describe('Step number to go to otherwise'),
    }).strict(),
  }).strict(),
  z.object({ exit: z.object({}).strict() }).strict(),
]);
export type JourneyStep = z.output<typeof journeyStep>;

/** A journey: who enters (on entering a segment, or on an event), the steps each customer goes through, and whether an order ends it. */
export const journeyInput = z.object({
  entry: z.union([z.object({ segment: ruleJson }).strict(), z.object({ event: z.enum(journeyEvents) }).strict()])
    .describe('{"segment": rule} enters customers when they come to match it (not those matching at the start); {"event": "first_order" | "any_order" | "imported" | "unsubscribed"}'),
  steps: z.array(journeyStep).min(1).max(20),
  exitOnConversion: z.boolean().default(true).describe('A customer who orders after entering leaves the journey'),
  holdoutPercent: z.number().min(0).max(50).optional().describe('Share of those entering kept as a control group: they go through the steps but are sent nothing (HOLDOUT_PERCENT when not given)'),
  reentry: z.union([z.literal('never'), z.object({ afterDays: z.number().int().min(1).max(365) }).strict()]).default('never')
    .describe('Whether a customer who went through it may enter again: "never", or {"afterDays": n} after their last entry'),
}).strict().superRefine((journey, ctx) => {
  journey.steps.forEach((step, i) => {
    if ('wait' in step && step.wait.days * 24 + step.wait.hours > HOURS_IN_A_YEAR) ctx.addIssue({ code: 'custom', path: ['steps', i, 'wait'], message: 'a wait can be at most a year' });
    if ('wait' in step && step.wait.days === 0 && step.wait.hours === 0) ctx.addIssue({ code: 'custom', path: ['steps', i, 'wait'], message: 'a wait needs days or hours' });
    if ('branch' in step) {
      for (const target of [step.branch.then, step.branch.else]) {
        if (target <= i + 1) ctx.addIssue({ code: 'custom', path: ['steps', i, 'branch'], message: `step ${i + 1} goes back to step ${target}: a branch may only go forward (a journey cannot loop)` });
        if (target > journey.steps.length) ctx.addIssue({ code: 'custom', path: ['steps', i, 'branch'], message: `step ${i + 1} goes to step ${target}, but there are only ${journey.steps.length}` });
      }
    }
  });
  if (!journey.steps.some((s) => 'send' in s)) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a journey needs at least one send step' });
});
export type Journey = z.output<typeof journeyInput>;
