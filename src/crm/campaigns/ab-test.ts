import { z } from 'zod';
import { abMetrics, type AbMetric } from '../outcomes/ab-decision.js';
import type { SqlParams } from '../segments/rule-compiler.js';

export const MAX_VARIANTS = 4;

/** An A/B test as a person asks for it: the other versions to try against the campaign's own (variant A). */
export const abTestInput = z.object({
  variants: z.array(z.object({
    subject: z.string().max(200).optional(),
    template: z.string().max(5000).optional(),
  }).strict().refine((v) => v.subject !== undefined || v.template !== undefined, 'each variant needs a subject, a template or both'))
    .min(1).max(MAX_VARIANTS - 1).describe('Versions B, C, D to try against the campaign\'s own subject and template (version A); what a version leaves out it takes from A'),
  testPercent: z.number().min(1).max(100).default(20).describe('Share of the audience (after the control group) that gets the test, split evenly between the versions; the rest gets the winner (100: everyone is in the test)'),
  metric: z.enum(abMetrics).default('clicks').describe('What decides the winner: clicks (tracked links in email or SMS) or conversions (orders in the window)'),
  hours: z.number().int().min(1).max(720).default(24).describe('How long the test runs before the winner is chosen and sent to the rest'),
}).strict();
export type AbTestInput = z.output<typeof abTestInput>;

/** The stored test: every version in full (A first), so the decision renders exactly what the plan showed. */
export interface AbTestDefinition { variants: { subject: string | null; template: string }[]; testPercent: number; metric: AbMetric; hours: number }

export function abTestDefinition(input: AbTestInput, base: { subject: string | null; template: string }): AbTestDefinition {
  return {
    variants: [base, ...input.variants.map((v) => ({ subject: v.subject ?? base.subject, template: v.template ?? base.template }))],
    testPercent: input.testPercent, metric: input.metric, hours: input.hours,
  };
}

/**
 * A customer's place in the test: a hash of campaign and customer in 0..9999 (independent of the control group's
 * hash), in the test when under the test share, and then in variant (bucket mod number of variants). Plan and
 * launch compute the same places, so the plan's counts are the launch's.
 */
export function abBucketSql(params: SqlParams, campaignId: number) {
  return `((hashtext(${params.add(String(campaignId))}::text || ':ab:' || c.id::text) & 2147483647) % 10000)`;
}
export const inTestSql = (bucket: string, params: SqlParams, test: AbTestDefinition) => `(${bucket} < ${params.add(Math.round(test.testPercent * 100))})`;
