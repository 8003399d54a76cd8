import type { Queryable } from '../../db/sql.js';
import type { RuleContext } from './condition-range.js';
import { compileRule, SqlParams, topLevelConditions } from './rule-compiler.js';
import { describeClause, describeRule } from './rule-sentence.js';
import type { RuleNode } from './rule.js';

export interface SampleCustomer {
  id: number; name: string | null; email: string | null; city: string | null; country: string | null;
  totalSpend: string; orderCount: number; lastOrderAt: string | null;
}

export interface FunnelStep {
  /** The condition in English. */
  condition: string;
  /** Customers matching this condition alone. */
  alone: number;
  /** Customers matching this and every earlier condition (for "any": this or any earlier one). */
  together: number;
}

export interface SegmentPreview { count: number; totalCustomers: number; sentence: string; funnel: FunnelStep[]; samples: SampleCustomer[] }

export const sampleColumns = `c.id, c.name, c.email, c.city, c.country, c.total_spend as "totalSpend", c.order_count as "orderCount", c.last_order_at as "lastOrderAt"`;

/**
 * Count, funnel and sample of a rule. The count and every funnel step come from one pass over the customers (one
 * FILTER per step); the sample is a second query that stops at ten rows.
 */
export async function previewRule(db: Queryable, rule: RuleNode, ctx: RuleContext, currency: string): Promise<SegmentPreview> {
  const params = new SqlParams();
  const steps = topLevelConditions(rule);
  const stepSql = steps.map((step) => compileRule(step, params, ctx));
  const joiner = rule.kind === 'any' ? ' or ' : ' and ';
  const together = stepSql.map((_, i) => stepSql.slice(0, i + 1).join(joiner));
  const whole = together[together.length - 1];
  const filters = steps.length > 1
    ? stepSql.map((s, i) => `, count(*) filter (where ${s}) as "alone${i}", count(*) filter (where ${together[i]}) as "together${i}"`).join('')
    : '';
  const countSql = `select count(*) filter (where ${whole}) as count, count(*) as "totalCustomers"${filters} from customers c`;
  const sampleSql = `select ${sampleColumns} from customers c where ${whole} order by c.id limit 10`;
  const [counts, samples] = await Promise.all([
    db.query(countSql, params.values),
    db.query<SampleCustomer>(sampleSql, params.values),
  ]);
  const row = counts.rows[0];
  const funnel = steps.map((step, i) => ({
    condition: describeClause(step, currency),
    alone: steps.length > 1 ? row[`alone${i}`] : row.count,
    together: steps.length > 1 ? row[`together${i}`] : row.count,
  }));
  return { count: row.count, totalCustomers: row.totalCustomers, sentence: describeRule(rule, currency), funnel, samples: samples.rows };
}
