import type { Sql } from '../../db/sql.js';
import { boundedRows, type ReadLimits } from './bounded-read.js';
import type { RuleContext } from './condition-range.js';
import { compileRule, customerSetOf, SqlParams, topLevelConditions } from './rule-compiler.js';
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

/** The statement that counts a rule's audience and its funnel (its parameters added to `params`). */
export function previewCountSql(rule: RuleNode, params: SqlParams, ctx: RuleContext) {
  const steps = topLevelConditions(rule);
  return rule.kind === 'all' && steps.length > 1 ? allCountSql(steps, params, ctx) : passCountSql(rule, steps, params, ctx);
}

/** Count and funnel in one pass over every customer: each condition a column, the running totals combined from them. */
function passCountSql(rule: RuleNode, steps: RuleNode[], params: SqlParams, ctx: RuleContext) {
  const stepSql = steps.map((step) => compileRule(step, params, ctx));
  const joiner = rule.kind === 'any' ? ' or ' : ' and ';
  const flags = steps.map((_, i) => `s${i}`);
  const together = flags.map((_, i) => flags.slice(0, i + 1).join(joiner));
  const filters = steps.length > 1
    ? flags.map((flag, i) => `, count(*) filter (where ${flag}) as "alone${i}", count(*) filter (where ${together[i]}) as "together${i}"`).join('')
    : '';
  const flagColumns = stepSql.map((sql, i) => `${sql} as s${i}`).join(', ');
  return `select count(*) filter (where ${together[together.length - 1]}) as count, count(*) as "totalCustomers"${filters} from (select ${flagColumns} from customers c offset 0) x`;
}

/**
 * Count and funnel of an "all" rule with behaviour conditions ("bought …", "ordered …", "received …"). Each such
 * condition's set of customers is found once (a materialised CTE); its own figure is the set's size; every running
 * total from the first of them on holds only customers in that set, so those totals are counted over that set's
 * customers, not over every customer. Conditions on the customer's own row are cheap and counted in one pass. (Three
 * "bought … contains" at a million customers: the other sets probed for the 213,000 buyers of the first instead of
 * for all million, and no set built twice.)
 */
function allCountSql(steps: RuleNode[], params: SqlParams, ctx: RuleContext) {
  // (Finding the sets adds parameters only for behaviour conditions: with none, nothing was added.)
  const sets = steps.map((step) => customerSetOf(step, params, ctx));
  const first = sets.findIndex((set) => set !== null);
  if (first < 0) return passCountSql({ kind: 'all', rules: steps }, steps, params, ctx);
  // Each condition compiled once: a parameter a statement does not use is refused, and one used twice is one.
  const cheap = steps.map((_, i) => i).filter((i) => sets[i] === null);
  const cheapSql = new Map(cheap.map((i) => [i, compileRule(steps[i], params, ctx)]));
  const ctes = sets.map((set, i) => (set === null ? null : `set${i} as materialized (select ${set.once ? '' : 'distinct '}x.id from (${set.sql}) as x(id))`)).filter(Boolean);
  const together = (i: number, skip?: number) => steps.slice(0, i + 1).map((_, k) => (k === skip ? 'true' : `s${k}`)).join(' and ');

  const wholeColumns = cheap.map((i) => `${cheapSql.get(i)} as s${i}`).join(', ') || 'true as none';
  const wholeFilters = [
    ...cheap.map((i) => `count(*) filter (where s${i}) as "alone${i}"`),
    ...steps.map((_, i) => i).filter((i) => i < first).map((i) => `count(*) filter (where ${together(i)}) as "together${i}"`),
  ];
  const whole = `(select count(*) as "totalCustomers"${wholeFilters.map((f) => `, ${f}`).join('')} from (select ${wholeColumns} from customers c offset 0) x) whole`;
  const alone = sets.map((set, i) => (set === null ? null : `(select count(*) from set${i}) as "alone${i}"`)).filter(Boolean);
  // The first set's customers, with their row only when a condition reads it.
  const drivenFrom = cheap.length ? `set${first} d join customers c on c.id = d.id` : `set${first} d`;
  const flag = (i: number) => (sets[i] === null ? cheapSql.get(i)! : `((d.id in (select id from set${i})) is true)`);
  const driveColumns = steps.map((_, i) => i).filter((i) => i !== first).map((i) => `${flag(i)} as s${i}`).join(', ') || 'true as none';
  const driveFilters = steps.map((_, i) => i).filter((i) => i >= first).map((i) => `count(*) filter (where ${together(i, first)}) as "together${i}"`).join(', ');
  const drive = `(select ${driveFilters} from (select ${driveColumns} from ${drivenFrom} offset 0) y) drive`;
  return `with ${ctes.join(', ')} select drive."together${steps.length - 1}" as count, whole.*, ${alone.join(', ')}, drive.* from ${whole}, ${drive}`;
}

/**
 * Count, funnel and sample of a rule. The count and every funnel step come from one pass over the customers: each
 * condition is evaluated once per customer into a column (`offset 0` keeps PostgreSQL from folding the columns back
 * into copies of the condition), and the funnel's running totals combine those columns. The sample is a second
 * query that stops at ten rows. Both run under the preview's limits.
 */
export async function previewRule(db: Sql, rule: RuleNode, ctx: RuleContext, currency: string, limits: ReadLimits): Promise<SegmentPreview> {
  const params = new SqlParams();
  const steps = topLevelConditions(rule);
  const countSql = previewCountSql(rule, params, ctx);
  // The sample compiles the rule as a whole, so conditions that combine into one search do (see compileRule); its
  // parameters are its own, since PostgreSQL refuses a parameter a statement does not mention.
  const sampleParams = new SqlParams();
  const sampleSql = `select ${sampleColumns} from customers c where ${compileRule(rule, sampleParams, ctx)} order by c.id limit 10`;
  const counts = await boundedRows(db, countSql, params.values, limits);
  // Read only once the count proved affordable; the sample stops at ten rows, so only the time limit applies.
  const samples = await boundedRows<SampleCustomer & Record<string, unknown>>(db, sampleSql, sampleParams.values, { timeoutMs: limits.timeoutMs, signal: limits.signal });
  const row = counts[0];
  const funnel = steps.map((step, i) => ({
    condition: describeClause(step, currency),
    alone: steps.length > 1 ? row[`alone${i}`] : row.count,
    together: steps.length > 1 ? row[`together${i}`] : row.count,
  }));
  return { count: row.count, totalCustomers: row.totalCustomers, sentence: describeRule(rule, currency), funnel, samples };
}
