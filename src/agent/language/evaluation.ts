import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { generateDemoData } from '../../db/seed/demo-data.js';
import { EVERYONE_RULE, readRequest, type ChatRequest } from '../offline/request-grammar.js';
import type { ParseContext } from './conditions.js';
import { Grounding } from './grounding.js';
import type { RuleJson } from './rule-json.js';
import { canonicalRule } from './rule-equivalence.js';
import type { Vocabulary } from './vocabulary.js';

// The evaluation of the offline model's reading (eval/nl): the vocabularies of the two data sets the requests are
// about, and the verdict on each request. Shared by `npm run eval:nl` and the test that keeps the dev set passing.

export interface EvaluationItem {
  id: string; text: string; data: 'demo' | 'retail'; tags?: string[];
  expect: { kind: 'audience' | 'everyone' | 'rank' | 'customer' | 'ask'; rules?: RuleJson; by?: string; direction?: string; limit?: number; query?: string; about?: string };
}
export type Verdict = 'exact' | 'asked' | 'wrong';

const percentiles = (values: number[]) => {
  const s = values.filter((v) => v > 0).sort((a, b) => a - b);
  return s.length ? Array.from({ length: 101 }, (_, p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]) : [];
};
const distinct = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** The demo shop `npm start` seeds (same generator), as of 2026-12-04. */
export function demoVocabulary(): Vocabulary {
  const data = generateDemoData({ seed: 42, customers: 5000, endDate: new Date('2026-12-04T00:00:00Z') });
  const spend = new Map<string, number>();
  const products = new Set<string>();
  for (const o of data.orders) {
    const total = o.total !== undefined ? Number(o.total) : o.lines.reduce((sum, l) => sum + l.quantity * Number(l.unitPrice), 0);
    spend.set(o.customerExternalId, (spend.get(o.customerExternalId) ?? 0) + total);
    for (const l of o.lines) if (l.description) products.add(l.description.toLowerCase());
  }
  return {
    cities: distinct(data.customers.map((c) => c.city)), countries: distinct(data.customers.map((c) => c.country)), products: [...products],
    tags: distinct(data.customers.flatMap((c) => c.tags)), emailDomains: distinct(data.customers.map((c) => c.email?.split('@')[1])),
    campaigns: [{ id: 1, name: 'Win-back 10%' }], segments: [], spendPercentiles: percentiles([...spend.values()]),
  };
}

/** The UCI retail file: its countries and product descriptions, and its customers' spend. */
export async function retailVocabulary(file: string): Promise<Vocabulary> {
  const countries = new Set<string>();
  const products = new Set<string>();
  const spend = new Map<string, number>();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
    if (header) { header = false; continue; }
    // Descriptions may hold quoted commas.
    const cells = (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    const [, , description, quantity, , price, customer, country] = cells;
    if (description) products.add(description.trim().toLowerCase());
    if (!customer) continue;
    countries.add(country);
    spend.set(customer, (spend.get(customer) ?? 0) + Number(quantity) * Number(price));
  }
  return { cities: [], countries: [...countries], products: [...products], tags: [], emailDomains: [], campaigns: [], segments: [], spendPercentiles: percentiles([...spend.values()]) };
}

export const contextOf = (vocabulary: Vocabulary, today: string): ParseContext => ({ today, grounding: new Grounding(vocabulary), vocabulary, currency: 'INR' });

const EVERYONE = canonicalRule(EVERYONE_RULE);

/**
 * The verdict on one request: exact (the rule, ranking or profile asked for, or a question where one was due),
 * asked (a question where an answer was due: safe, but a miss), or wrong (an answer given that is not the one asked
 * for — silently wrong).
 */
export function judge(item: EvaluationItem, ctx: ParseContext): { verdict: Verdict; got: ChatRequest } {
  const got = readRequest(item.text, ctx);
  const want = item.expect;
  const products = ctx.vocabulary.products;
  const fill = (rule: RuleJson) => JSON.parse(JSON.stringify(rule), (_, v) => (v === '$spend_p90' ? Math.floor(ctx.vocabulary.spendPercentiles[90]) : v)) as RuleJson;
  const same = (a: RuleJson | undefined, b: RuleJson | undefined) => (!a && !b) || (!!a && !!b && canonicalRule(a, products) === canonicalRule(fill(b), products));
  if (got.kind === 'unclear') return { verdict: want.kind === 'ask' ? 'exact' : 'asked', got };
  let exact = false;
  if (want.kind === 'audience') exact = got.kind === 'audience' && same(got.rules, want.rules);
  else if (want.kind === 'everyone') exact = got.kind === 'audience' && canonicalRule(got.rules) === EVERYONE;
  else if (want.kind === 'rank') exact = got.kind === 'rank' && got.by === want.by && got.direction === want.direction && got.limit === want.limit && same(got.rules, want.rules);
  else if (want.kind === 'customer') exact = got.kind === 'customer_search' && got.query.toLowerCase().trim() === want.query?.toLowerCase().trim();
  return { verdict: exact ? 'exact' : 'wrong', got };
}
