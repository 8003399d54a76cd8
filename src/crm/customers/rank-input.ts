import { z } from 'zod';
import { ruleJson } from '../segments/rule-parser.js';

/** Figures customers can be ranked by. */
export const rankFigures = ['total_spend', 'order_count', 'average_order_value', 'last_order_date'] as const;

export const rankInput = z.object({
  by: z.enum(rankFigures).default('total_spend').describe('The figure to rank by: total spend, number of orders, average order value, or the last order date (most recent first)'),
  direction: z.enum(['desc', 'asc']).default('desc').describe('desc: highest (or latest) first'),
  limit: z.number().int().min(1).max(100).default(10),
  offset: z.number().int().min(0).max(10_000).default(0).describe('Customers to skip first, for the next page of a list'),
  rules: ruleJson.optional().describe('Only customers this rule matches (docs/rules.md); everyone when not given'),
}).strict();
export type RankInput = z.output<typeof rankInput>;
