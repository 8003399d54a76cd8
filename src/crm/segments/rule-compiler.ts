import { conditionRange, type Range, type RuleContext } from './condition-range.js';
import { fields, type FieldDefinition } from './rule-fields.js';
import type { BoughtCondition, DeliveryFailedCondition, FieldCondition, RuleNode } from './rule.js';
import { DAY_MS } from '../time/clock.js';

/**
 * Collects the values of a query as numbered parameters; the SQL text only ever holds `$n` and column expressions
 * from the field list, never a value someone typed.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

// Orders that count as a purchase: the same ones that count as visits in the customer's aggregates.
const PURCHASED = `o.status in ('pending', 'completed')`;

function rangeSql(column: string, range: Range, params: SqlParams, asDate: boolean) {
  const value = (v: number) => params.add(asDate ? new Date(v) : String(v));
  const parts: string[] = [];
  if (range.lo !== undefined && range.lo === range.hi && !range.loOpen && !range.hiOpen) return `${column} = ${value(range.lo)}`;
  if (range.lo !== undefined) parts.push(`${column} ${range.loOpen ? '>' : '>='} ${value(range.lo)}`);
  if (range.hi !== undefined) parts.push(`${column} ${range.hiOpen ? '<' : '<='} ${value(range.hi)}`);
  return parts.join(' and ');
}

/** SQL for one field comparison; always true or false, never NULL, so that "not" means exactly "does not match". */
function fieldSql(condition: FieldCondition, params: SqlParams, ctx: RuleContext): string {
  const definition: FieldDefinition = fields[condition.field];
  const column = definition.column;
  const { op, value } = condition;
  if (op === 'is_set' || op === 'is_empty') {
    const set = definition.type === 'text' ? `coalesce(${column}, '') <> ''` : definition.type === 'tags' ? `cardinality(${column}) > 0` : `${column} is not null`;
    return op === 'is_set' ? `(${set})` : `(not (${set}))`;
  }
  let comparison: string;
  switch (definition.type) {
    case 'boolean':
      return value ? `(${column} is not null)` : `(${column} is null)`;
    case 'tags':
      return op === 'in' ? `(${column} && ${params.add(value)}::text[])` : `(${column} @> ${params.add([value])}::text[])`;
    case 'text': {
      // Text compares without regard to case; the expression index on lower(...) serves equals and in.
      const lowered = `lower(${column})`;
      if (op === 'equals') comparison = `${lowered} = ${params.add((value as string).toLowerCase())}`;
      else if (op === 'in') comparison = `${lowered} = any(${params.add((value as string[]).map((v) => v.toLowerCase()))}::text[])`;
      else if (op === 'contains') comparison = `strpos(${lowered}, ${params.add((value as string).toLowerCase())}) > 0`;
      else comparison = `starts_with(${lowered}, ${params.add((value as string).toLowerCase())})`;
      break;
    }
    default: {
      const asDate = definition.type === 'date' || condition.field === 'days_since_last_order';
      if (op === 'neq') {
        comparison = condition.field === 'days_since_last_order'
          ? `not (${rangeSql(column, conditionRange({ ...condition, op: 'eq' }, ctx)!, params, true)})`
          : `${column} <> ${params.add(String(value))}`;
      } else {
        comparison = rangeSql(column, conditionRange(condition, ctx)!, params, asDate);
      }
    }
  }
  return definition.nullable ? `(${column} is not null and ${comparison})` : `(${comparison})`;
}

function boughtSql(condition: BoughtCondition, params: SqlParams, ctx: RuleContext) {
  const product = condition.sku !== undefined
    ? `l.sku = ${params.add(condition.sku)}`
    : `strpos(lower(l.description), ${params.add(condition.contains!.toLowerCase())}) > 0`;
  const since = condition.withinDays ? ` and o.placed_at >= ${params.add(new Date(ctx.now.getTime() - condition.withinDays * DAY_MS))}` : '';
  const from = `from orders o join order_lines l on l.order_id = o.id where o.customer_id = c.id and ${PURCHASED}${since} and ${product}`;
  // "At least K times" counts orders, not lines: two lines of the same product in one basket are one purchase.
  return condition.atLeast > 1
    ? `((select count(distinct o.id) ${from}) >= ${params.add(condition.atLeast)})`
    : `exists (select 1 ${from})`;
}

function failedSql(condition: DeliveryFailedCondition, params: SqlParams, ctx: RuleContext) {
  const since = condition.withinDays ? ` and m.receipt_at >= ${params.add(new Date(ctx.now.getTime() - condition.withinDays * DAY_MS))}` : '';
  return `exists (select 1 from communication_logs m where m.customer_id = c.id and m.status = 'failed'${since})`;
}

/** A boolean SQL expression over the customers row `c` for the rule. */
export function compileRule(node: RuleNode, params: SqlParams, ctx: RuleContext): string {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.rules.length === 1
        ? compileRule(node.rules[0], params, ctx)
        : `(${node.rules.map((r) => compileRule(r, params, ctx)).join(node.kind === 'all' ? ' and ' : ' or ')})`;
    case 'not':
      return `not ${compileRule(node.rule, params, ctx)}`;
    case 'field':
      return fieldSql(node, params, ctx);
    case 'bought':
      return boughtSql(node, params, ctx);
    case 'received':
      return `exists (select 1 from communication_logs m where m.customer_id = c.id and m.campaign_id = ${params.add(node.campaignId)} and m.status in ('sent', 'delivered'))`;
    case 'delivery_failed':
      return failedSql(node, params, ctx);
  }
}

/** The top-level conditions of a rule, each on its own: the steps of the preview's funnel. */
export function topLevelConditions(node: RuleNode): RuleNode[] {
  return node.kind === 'all' || node.kind === 'any' ? node.rules : [node];
}
