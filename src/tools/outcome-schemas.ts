import { z } from 'zod';

/** One group of a campaign's audience as reports give it: customers, those who ordered in the window, orders, revenue. */
export const groupOutput = z.object({ customers: z.number(), converted: z.number().describe('Customers who ordered in the window'), orders: z.number(), revenue: z.number() });

/** Sent against held out, as every report gives it (see crm/outcomes/lift.ts). */
export const liftOutput = z.object({
  conversionRate: z.object({ sent: z.number().nullable(), holdout: z.number().nullable() }),
  revenuePerCustomer: z.object({ sent: z.number().nullable(), holdout: z.number().nullable() }),
  incrementalConversions: z.number().nullable(), incrementalRevenue: z.number().nullable(),
  relativeLift: z.number().nullable(), interval95: z.tuple([z.number(), z.number()]).nullable(), pValue: z.number().nullable(),
  significant: z.boolean(), verdict: z.string(),
});
