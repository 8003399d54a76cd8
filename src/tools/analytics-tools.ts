import { z } from 'zod';
import { defineTool } from './crm-tool.js';

export const getOverview = defineTool({
  name: 'get_overview',
  description: 'The CRM at a glance: customers, revenue and orders by month (12 months), the top 5 customers, recency-frequency-spend groups and recent campaigns.',
  input: z.object({}),
  output: z.object({
    currency: z.string(), customers: z.record(z.string(), z.unknown()),
    revenueByMonth: z.array(z.object({
      month: z.string().describe('YYYY-MM'), revenue: z.coerce.string(), orders: z.coerce.number(),
      partial: z.string().nullable().describe('"to YYYY-MM-DD" or "from YYYY-MM-DD" when the month has only some days of orders'),
    })),
    topCustomers: z.array(z.unknown()),
    rfmGroups: z.array(z.object({ group: z.string(), customers: z.coerce.number(), averageSpend: z.coerce.string().nullable() })),
    campaignPerformance: z.array(z.unknown()),
    asOf: z.string().nullable().describe('When the figures were computed, if they are a kept copy (a large CRM); null: just now'),
  }),
  risk: 'read',
  permission: 'analytics.read',
  execute: async (_, { actor, services }) => {
    const overview = await services.analytics.overview(actor);
    return { ...overview, topCustomers: overview.topCustomers.slice(0, 5) };
  },
});

export const getInsights = defineTool({
  name: 'get_insights',
  description: 'Churn risk, lifetime value and the best hour to send, each with the figures it is computed from, or a statement that the data is too thin.',
  input: z.object({}),
  output: z.object({
    insights: z.array(z.object({ kind: z.string(), title: z.string(), status: z.enum(['ok', 'not_enough_data']), message: z.string(), figures: z.record(z.string(), z.unknown()) })),
    asOf: z.string().nullable().describe('When these figures were computed, if they are a kept copy (a large CRM); null: just now'),
  }),
  risk: 'read',
  permission: 'analytics.read',
  execute: async (_, { actor, services }) => {
    const { insights, asOf } = await services.analytics.insights(actor);
    // The hour-by-hour counts are for charts; a model needs the best hour, which the figures state.
    return { insights: insights.map((i) => ({ ...i, figures: { ...i.figures, ordersByHour: undefined } })), asOf };
  },
});
