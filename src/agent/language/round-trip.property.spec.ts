import fc from 'fast-check';
import { parseRule } from '../../crm/segments/rule-parser.js';
import { describeRule } from '../../crm/segments/rule-sentence.js';
import { contextOf } from './evaluation.js';
import { explain } from './explain.js';
import { parseAudience } from './audience-parser.js';
import { canonicalRule } from './rule-equivalence.js';
import type { RuleJson } from './rule-json.js';
import { emptyVocabulary } from './vocabulary.js';

// Every rule the sentence writer can express reads back as the same rule: what the CRM says about an audience is
// something the offline model understands when a person says it back.
const vocabulary = {
  ...emptyVocabulary,
  cities: ['Mumbai', 'Pune', 'Bengaluru', 'Kochi', 'New York'], countries: ['India', 'United Kingdom', 'United Arab Emirates'],
  products: ['banarasi silk saree', 'cotton kurta', 'white metal lantern', 'jumbo bag red retrospot', 'masala chai tin 250g'],
  tags: ['newsletter', 'loyalty', 'app-user'], emailDomains: ['gmail.com', 'yahoo.co.in', 'outlook.com'],
};
const ctx = contextOf(vocabulary, '2026-12-04');

const f = (field: string, op: string, value?: unknown): RuleJson => (value === undefined ? { field, op } : { field, op, value });
const day = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const days = fc.tuple(day, day).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [string, string]);
const period = fc.record({ amount: fc.integer({ min: 1, max: 24 }), unit: fc.constantFrom('days', 'weeks', 'months') });
const money = fc.integer({ min: 1, max: 500 }).map((n) => n * 100);
const count = fc.integer({ min: 0, max: 40 });
const numberOps = fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'neq');

const leaf: fc.Arbitrary<RuleJson> = fc.oneof(
  fc.tuple(fc.constantFrom('total_spend', 'average_order_value'), numberOps, money).map(([field, op, v]) => f(field, op, v)),
  fc.tuple(fc.constantFrom('total_spend', 'average_order_value'), money, money).map(([field, a, b]) => f(field, 'between', [Math.min(a, b), Math.max(a, b)])),
  fc.tuple(numberOps, count).map(([op, v]) => f('order_count', op, v)),
  fc.tuple(count, count).map(([a, b]) => f('order_count', 'between', [Math.min(a, b), Math.max(a, b)])),
  fc.tuple(fc.constantFrom('gte', 'gt', 'lt', 'lte'), fc.integer({ min: 1, max: 400 })).map(([op, v]) => f('days_since_last_order', op, v)),
  fc.tuple(fc.constantFrom('first_order_date', 'last_order_date', 'created_at'), fc.constantFrom('before', 'after'), day).map(([field, op, v]) => f(field, op, v)),
  fc.tuple(fc.constantFrom('first_order_date', 'last_order_date', 'created_at'), days).map(([field, v]) => f(field, 'between', v)),
  fc.tuple(fc.constantFrom('first_order_date', 'last_order_date', 'created_at'), fc.constantFrom('within_last', 'more_than_ago'), period).map(([field, op, v]) => f(field, op, v)),
  fc.constantFrom(...vocabulary.cities).map((v) => f('city', 'equals', v)),
  fc.subarray(vocabulary.cities, { minLength: 2, maxLength: 3 }).map((v) => f('city', 'in', v)),
  fc.constantFrom(...vocabulary.countries).map((v) => f('country', 'equals', v)),
  fc.constantFrom(...vocabulary.emailDomains).map((v) => f('email_domain', 'equals', v)),
  fc.constantFrom(...vocabulary.tags).map((v) => f('tags', 'contains', v)),
  fc.subarray(vocabulary.tags, { minLength: 2, maxLength: 3 }).map((v) => f('tags', 'in', v)),
  fc.tuple(fc.constantFrom('name', 'email'), fc.constantFrom('contains', 'starts_with'), fc.constantFrom('khan', 'priya', 'rao')).map(([field, op, v]) => f(field, op, v)),
  fc.tuple(fc.constantFrom('email', 'phone'), fc.constantFrom('is_set', 'is_empty')).map(([field, op]) => f(field, op)),
  fc.boolean().map((v) => f('unsubscribed', 'is', v)),
  fc.record({
    contains: fc.constantFrom('saree', 'silk saree', 'kurta', 'lantern', 'jumbo bag', 'chai'),
    atLeast: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }),
    withinDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: undefined }),
  }).map((b) => ({ bought: Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) })),
  fc.tuple(fc.constantFrom('KUR-001', '85123A', 'SAR-014'), days).map(([sku, [from, to]]) => ({ bought: { sku, from, to } })),
  fc.tuple(days, fc.integer({ min: 1, max: 6 })).map(([[from, to], atLeast]) => ({ ordered: atLeast > 1 ? { from, to, atLeast } : { from, to } })),
  fc.tuple(day, fc.constantFrom('from', 'to')).map(([d, side]) => ({ ordered: { [side]: d } })),
  fc.integer({ min: 1, max: 999 }).map((campaign) => ({ received: { campaign } })),
  fc.option(fc.integer({ min: 1, max: 365 }), { nil: undefined }).map((withinDays) => ({ deliveryFailed: withinDays ? { withinDays } : {} })),
);

const rule: fc.Arbitrary<RuleJson> = fc.letrec<{ node: RuleJson }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'rule' },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('all', 'any'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([kind, rules]) => ({ [kind]: rules })) },
    { weight: 1, arbitrary: tie('node').map((r) => ({ not: r })) },
  ),
})).node;

describe('a rule said in words and read back', () => {
  it('is the same rule, for every rule the sentence writer can say', () => {
    fc.assert(fc.property(rule, (r) => {
      const sentence = describeRule(parseRule(r), 'INR');
      const reading = parseAudience(sentence, ctx);
      const ok = !!reading.rules && !reading.asks.length && !reading.unknown.length && canonicalRule(reading.rules) === canonicalRule(r);
      if (!ok) throw new Error(`${sentence}\n  wanted ${canonicalRule(r)}\n  read   ${reading.rules ? canonicalRule(reading.rules) : 'nothing'}\n  ${explain(sentence, ctx).join('\n  ')}`);
    }), { numRuns: 1500 });
  });
});
