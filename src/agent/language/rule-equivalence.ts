import { nextDay } from '../../crm/time/time-zone.js';
import { singular } from './grounding.js';
import { dayBefore } from './quantities.js';
import type { RuleJson } from './rule-json.js';

/**
 * One canonical form for rules that mean the same: children of a group in any order, nested groups of the same kind
 * flattened, `gt 2` and `gte 3` on whole numbers, a one-value `in` and `equals`, text in any case, silence in days
 * said on either field, and — given the catalogue — two product words that find the same products. Used to check the
 * parser against the requests of the evaluation sets and in the round-trip property test.
 */
export function canonicalRule(rule: RuleJson, products?: string[]): string {
  return JSON.stringify(canon(rule, products));
}

const whole = new Set(['order_count', 'days_since_last_order']);
const opAlias: Record<string, string> = { '>': 'gt', '>=': 'gte', '≥': 'gte', '<': 'lt', '<=': 'lte', '≤': 'lte', '=': 'eq', '==': 'eq', '!=': 'neq', '≠': 'neq', '<>': 'neq' };
const sortKey = (r: unknown) => JSON.stringify(r);

function canon(rule: RuleJson, products?: string[]): unknown {
  for (const kind of ['all', 'any'] as const) {
    if (Array.isArray(rule[kind])) {
      const children = (rule[kind] as RuleJson[]).map((c) => canon(c, products)).flatMap((c) => (isGroup(c, kind) ? (c as Record<string, unknown[]>)[kind] : [c]));
      const unique = [...new Map(children.map((c) => [sortKey(c), c])).values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      return unique.length === 1 ? unique[0] : { [kind]: unique };
    }
  }
  if (rule.not) {
    const inner = canon(rule.not as RuleJson, products) as Record<string, unknown>;
    if (inner && 'not' in inner) return inner.not;
    // Neither A nor B: not (A or B) is (not A) and (not B).
    if (inner && Array.isArray(inner.any)) return canon({ all: (inner.any as RuleJson[]).map((r) => ({ not: r })) }, products);
    if (inner && Array.isArray(inner.all)) return canon({ any: (inner.all as RuleJson[]).map((r) => ({ not: r })) }, products);
    if (inner?.field === 'unsubscribed' && inner.op === 'is') return { ...inner, value: !inner.value };
    if (inner?.field && (inner.op === 'eq' || inner.op === 'neq')) return { ...inner, op: inner.op === 'eq' ? 'neq' : 'eq' };
    if (inner?.field && (inner.op === 'is_set' || inner.op === 'is_empty')) return { ...inner, op: inner.op === 'is_set' ? 'is_empty' : 'is_set' };
    return { not: inner };
  }
  // One of a list is any of its values ("in Chennai or Kochi"), so "not one of them" is none of them.
  if (rule.field && rule.op === 'in' && Array.isArray(rule.value) && rule.value.length > 1) {
    const op = rule.field === 'tags' ? 'contains' : 'equals';
    return canon({ any: (rule.value as string[]).map((value) => ({ field: rule.field, op, value })) }, products);
  }
  if (rule.field) return field(rule);
  if (rule.bought) {
    const b = { ...(rule.bought as Record<string, unknown>) };
    if (b.atLeast === 1) delete b.atLeast;
    if (typeof b.contains === 'string') b.contains = productKey(b.contains, products);
    if (typeof b.sku === 'string') b.sku = b.sku.toUpperCase();
    return { bought: sorted(b) };
  }
  if (rule.ordered) {
    const o = { ...(rule.ordered as Record<string, unknown>) };
    if (o.atLeast === 1) delete o.atLeast;
    // "Ordered in the last 30 days" said either way.
    if (o.withinDays && !o.from && !o.to && !o.atLeast) return field({ field: 'last_order_date', op: 'within_last', value: { amount: o.withinDays, unit: 'days' } });
    if (!o.withinDays && !o.from && !o.to && !o.atLeast) return field({ field: 'order_count', op: 'gte', value: 1 });
    // An order on or after a day is a last order after the day before; on or before, a first order before the next.
    if (!o.withinDays && !o.atLeast && o.from && !o.to) return field({ field: 'last_order_date', op: 'after', value: dayBefore(o.from as string) });
    if (!o.withinDays && !o.atLeast && o.to && !o.from) return field({ field: 'first_order_date', op: 'before', value: nextDay(o.to as string) });
    return { ordered: sorted(o) };
  }
  if (rule.deliveryFailed) return { deliveryFailed: sorted(rule.deliveryFailed as Record<string, unknown>) };
  return rule;
}

const isGroup = (c: unknown, kind: string) => !!c && typeof c === 'object' && Array.isArray((c as Record<string, unknown>)[kind]);
const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function field(rule: RuleJson): unknown {
  let op = opAlias[rule.op as string] ?? (rule.op as string);
  let value = rule.value;
  let name = rule.field as string;
  const period = value as { amount: number; unit: string } | undefined;
  if (name === 'last_order_date' && op === 'more_than_ago' && (period?.unit === 'days' || period?.unit === 'weeks')) {
    name = 'days_since_last_order';
    op = 'gte';
    value = period.unit === 'weeks' ? period.amount * 7 : period.amount;
  }
  if ((op === 'within_last' || op === 'more_than_ago') && period?.unit === 'weeks') value = { amount: period.amount * 7, unit: 'days' };
  if (whole.has(name) && typeof value === 'number') {
    const n = value;
    if (op === 'gt') { op = 'gte'; value = n + 1; }
    if (op === 'lt') { op = 'lte'; value = n - 1; }
    if (op === 'between' && Array.isArray(value) && value[0] === value[1]) { op = 'eq'; value = value[0]; }
  }
  if (name === 'days_since_last_order' && op === 'lte' && typeof value === 'number') {
    // "Ordered in the last N days" on the days-since figure.
    return field({ field: 'last_order_date', op: 'within_last', value: { amount: value + 1, unit: 'days' } });
  }
  if (op === 'in' && Array.isArray(value) && value.length === 1) { op = 'equals'; value = value[0]; }
  if (typeof value === 'string' && name !== 'tags') value = value.toLowerCase();
  if (name === 'tags' && typeof value === 'string') value = value.toLowerCase();
  if (Array.isArray(value) && op === 'in') value = (value as unknown[]).map((v) => String(v).toLowerCase()).sort();
  return value === undefined ? { field: name, op } : { field: name, op, value };
}

/** A product word by the products it finds, when the catalogue is known; else its singular lower-case words. */
function productKey(contains: string, products?: string[]) {
  const text = contains.toLowerCase().trim();
  if (!products) return text.split(/\s+/).map(singular).join(' ');
  const found = products.filter((p) => p.includes(text)).sort();
  return found.length ? `products:${found.join('|')}` : text;
}
