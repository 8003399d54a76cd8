import { z } from 'zod';
import { ruleJson } from '../crm/segments/rule-parser.js';
import { defineTool } from './crm-tool.js';

// The fields a rule most often names, so a sample can show why each customer matched (not their email: the model
// sees samples, and needs no one's address).
const sample = z.object({ id: z.number(), name: z.string().nullable(), city: z.string().nullable(), country: z.string().nullable(), totalSpend: z.string(), orderCount: z.number(), lastOrderAt: z.string().nullable() });
const preview = z.object({
  count: z.number().describe('Customers matching the rule'),
  totalCustomers: z.number(),
  sentence: z.string().describe('The rule in plain English; show it to the person'),
  funnel: z.array(z.object({ condition: z.string(), alone: z.number(), together: z.number() })),
  samples: z.array(sample).describe('Up to ten matching customers'),
});
const rules = ruleJson.describe('The audience rule in the CRM rule language, e.g. {"any":[{"all":[{"field":"total_spend","op":">","value":10000},{"field":"order_count","op":"<","value":3}]},{"field":"days_since_last_order","op":">=","value":90}]}');
const trimSamples = <T extends { samples: unknown[] }>(p: T) => ({ ...p, samples: p.samples.slice(0, 10) });

export const previewSegment = defineTool({
  name: 'preview_segment',
  description: 'Count the customers matching a rule, with a funnel per top-level condition, ten sample customers and the rule in plain English. Changes nothing. Use it before saving a segment or planning a campaign.',
  input: z.object({ rules }),
  output: preview,
  risk: 'read',
  permission: 'segments.preview',
  execute: async ({ rules }, { actor, services, signal }) => trimSamples(await services.segments.preview(actor, rules, signal)),
});

export const createSegment = defineTool({
  name: 'create_segment',
  description: 'Save a rule as a named segment (evaluated each time it is used). Names are unique.',
  input: z.object({ name: z.string().min(1).max(200), description: z.string().max(2000).optional(), rules }),
  output: z.object({ id: z.number(), name: z.string(), version: z.number(), sentence: z.string() }),
  risk: 'write',
  permission: 'segments.write',
  execute: async (input, { actor, services }) => {
    const s = await services.segments.create(actor, input);
    return { id: s.id, name: s.name, version: s.version, sentence: s.sentence };
  },
});

export const listSegments = defineTool({
  name: 'list_segments',
  description: 'Saved segments, most recently changed first (at most 50), each with its rule in plain English.',
  input: z.object({}),
  output: z.object({ total: z.number(), segments: z.array(z.object({ id: z.number(), name: z.string(), description: z.string(), version: z.number(), sentence: z.string() })) }),
  risk: 'read',
  permission: 'segments.read',
  execute: async (_, { actor, services }) => {
    const all = await services.segments.list(actor);
    return { total: all.length, segments: all.slice(0, 50).map((s) => ({ id: s.id, name: s.name, description: s.description, version: s.version, sentence: s.sentence })) };
  },
});

export const getSegment = defineTool({
  name: 'get_segment',
  description: 'One saved segment: its rule, versions, and a fresh preview of who matches it now.',
  input: z.object({ segmentId: z.number().int().positive() }),
  output: z.object({ id: z.number(), name: z.string(), description: z.string(), version: z.number(), rules: z.unknown(), versions: z.number(), preview }),
  risk: 'read',
  permission: 'segments.read',
  execute: async ({ segmentId }, { actor, services, signal }) => {
    const s = await services.segments.get(actor, segmentId);
    return { id: s.id, name: s.name, description: s.description, version: s.version, rules: s.rules, versions: s.versions.length, preview: trimSamples(await services.segments.preview(actor, s.rules, signal)) };
  },
});

const versus = z.object({ group: z.number().nullable(), everyone: z.number().nullable() });
const place = { share: z.number().describe('Share of this group'), everyoneShare: z.number().describe('Share of all customers') };

export const getSegmentInsights = defineTool({
  name: 'get_segment_insights',
  description: 'Who the customers of a rule or saved segment are, against everyone: size and share of revenue, average order value and orders per customer, recency, top cities and countries, the products they buy more than others (with the lift), the share at churn risk, their best hour to send, and how earlier campaigns did with them. Every finding comes with its figures and as a sentence; a group of fewer than 20 is declined. Give rules or segmentId.',
  // One object (not a union): MCP and Gemini both want an object schema for a tool's input.
  input: z.object({ rules: rules.optional(), segmentId: z.number().int().positive().optional() }).strict()
    .refine((v) => (v.rules === undefined) !== (v.segmentId === undefined), 'give either rules or segmentId (one of them)'),
  output: z.object({
    segment: z.string().nullable(), sentence: z.string(), customers: z.number(), totalCustomers: z.number(),
    figures: z.object({
      revenueShare: z.number(), averageOrderValue: versus, ordersPerCustomer: versus, medianDaysSinceLastOrder: versus,
      churnRiskShare: versus.describe('Ordered at least twice, but not in the last 90 days (and within the year)'),
    }).nullable(),
    places: z.array(z.object({ city: z.string(), ...place })), countries: z.array(z.object({ country: z.string(), ...place })),
    products: z.array(z.object({ product: z.string(), ...place, lift: z.number().describe('How many times more often they buy it than everyone does') })),
    bestHour: z.object({ hour: z.number(), from: z.enum(['opens', 'orders']), share: z.number() }).nullable(),
    pastCampaigns: z.object({ messages: z.number(), reached: z.number(), conversionRate: z.number().nullable(), everyoneRate: z.number().nullable() }).nullable(),
    sentences: z.array(z.string()).describe('Each finding in a sentence with its figures'),
  }),
  risk: 'read',
  permission: 'segments.preview',
  execute: ({ rules, segmentId }, { actor, services, signal }) => services.segments.insights(actor, segmentId !== undefined ? { segmentId } : { rules }, signal),
});
