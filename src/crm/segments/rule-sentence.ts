import { formatCount, formatMoney } from '../format.js';
import { fields } from './rule-fields.js';
import type { FieldCondition, Period, RuleNode } from './rule.js';

const list = (values: string[], joiner = 'or') =>
  values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} ${joiner} ${values[values.length - 1]}`;
const quoted = (v: string) => `"${v}"`;
const period = (p: Period) => `${p.amount} ${p.amount === 1 ? p.unit.slice(0, -1) : p.unit}`;

function numberPhrase(c: FieldCondition, currency: string): string {
  const definition = fields[c.field];
  const show = (v: number) => ('money' in definition && definition.money ? formatMoney(v, currency) : formatCount(v, currency));
  const v = c.value as number;
  switch (c.op) {
    case 'eq': return `is exactly ${show(v)}`;
    case 'neq': return `is not ${show(v)}`;
    case 'gt': return `is more than ${show(v)}`;
    case 'gte': return `is at least ${show(v)}`;
    case 'lt': return `is less than ${show(v)}`;
    case 'lte': return `is at most ${show(v)}`;
    default: {
      const [a, b] = c.value as [number, number];
      return `is between ${show(a)} and ${show(b)}`;
    }
  }
}

function datePhrase(c: FieldCondition): string {
  switch (c.op) {
    case 'before': return `is before ${c.value}`;
    case 'after': return `is after ${c.value}`;
    case 'between': return `is between ${(c.value as string[])[0]} and ${(c.value as string[])[1]}`;
    case 'within_last': return `is within the last ${period(c.value as Period)}`;
    default: return `is more than ${period(c.value as Period)} ago`;
  }
}

/** One condition in plain English, e.g. "total spend is more than ₹10,000". */
export function describeCondition(c: FieldCondition, currency: string): string {
  const definition = fields[c.field];
  const label = definition.label;
  if (c.op === 'is_set') return c.field === 'tags' ? 'has tags' : `${label} is set`;
  if (c.op === 'is_empty') return c.field === 'tags' ? 'has no tags' : `${label} is empty`;
  switch (definition.type) {
    case 'boolean': return c.value ? 'is unsubscribed' : 'is subscribed';
    case 'tags': return c.op === 'in' ? `is tagged ${list((c.value as string[]).map(quoted))}` : `is tagged ${quoted(c.value as string)}`;
    case 'text':
      if (c.op === 'equals') return `${label} is ${quoted(c.value as string)}`;
      if (c.op === 'in') return `${label} is ${list((c.value as string[]).map(quoted))}`;
      return `${label} ${c.op === 'contains' ? 'contains' : 'starts with'} ${quoted(c.value as string)}`;
    case 'date': return `${label} ${datePhrase(c)}`;
    default: return `${label} ${numberPhrase(c, currency)}`;
  }
}

/** When the orders of a behaviour condition were placed, in words ("" when at any time). */
function orderTime(c: { withinDays?: number; from?: string; to?: string }) {
  const recent = c.withinDays ? ` in the last ${c.withinDays} days` : '';
  if (c.from && c.to) return `${recent} ${c.from === c.to ? `on ${c.from}` : `between ${c.from} and ${c.to}`}`;
  if (c.from) return `${recent} on or after ${c.from}`;
  if (c.to) return `${recent} on or before ${c.to}`;
  return recent;
}

function phrase(node: RuleNode, currency: string, nested: boolean): string {
  switch (node.kind) {
    case 'all':
    case 'any': {
      if (node.rules.length === 1) return phrase(node.rules[0], currency, nested);
      const text = list(node.rules.map((r) => phrase(r, currency, true)), node.kind === 'all' ? 'and' : 'or');
      return nested ? `(${text})` : text;
    }
    case 'not': return `not ${phrase(node.rule, currency, true)}`;
    case 'field': return describeCondition(node, currency);
    case 'bought': {
      const what = node.sku !== undefined ? `product ${node.sku}` : `a product described as ${quoted(node.contains!)}`;
      const times = node.atLeast > 1 ? ` at least ${node.atLeast} times` : '';
      return `bought ${what}${times}${orderTime(node)}`;
    }
    case 'ordered':
      return `placed ${node.atLeast > 1 ? `at least ${node.atLeast} orders` : 'an order'}${orderTime(node) || ' at any time'}`;
    case 'received': return `received campaign #${node.campaignId}`;
    case 'delivery_failed': return `had a failed delivery${node.withinDays ? ` in the last ${node.withinDays} days` : ''}`;
  }
}

/** Part of a rule as a clause, e.g. "total spend is more than ₹10,000" (a funnel step's label). */
export function describeClause(node: RuleNode, currency: string): string {
  return phrase(node, currency, false);
}

/** The whole rule as a sentence a marketer can check: "Customers where total spend is more than ₹10,000 and …". */
export function describeRule(node: RuleNode, currency: string): string {
  return `Customers where ${describeClause(node, currency)}.`;
}
