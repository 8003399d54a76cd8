// npm run eval:nl [-- --held-out] [-- --verbose]
// Reads each request of the evaluation set with the offline model's parser, grounded in the names of its data set
// (the demo shop as `npm start` seeds it, or the UCI retail file), and compares what it understood with the answer
// written beside it. Prints the exact-rule rate and the number of silently wrong answers: an audience, ranking or
// profile given with confidence that is not the one asked for.
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readRequest } from '../../dist/src/agent/offline/request-grammar.js';
import { Grounding } from '../../dist/src/agent/language/grounding.js';
import { canonicalRule } from '../../dist/src/agent/language/rule-equivalence.js';
import { explain } from '../../dist/src/agent/language/explain.js';
import { generateDemoData } from '../../dist/src/db/seed/demo-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const file = args.includes('--held-out') ? 'held-out.jsonl' : 'dev-set.jsonl';
const verbose = args.includes('--verbose');
const retailFile = process.env.RETAIL_FILE ?? join(here, '../../../shared/data/online_retail.csv.gz');

const percentiles = (values) => {
  const s = values.filter((v) => v > 0).sort((a, b) => a - b);
  return s.length ? Array.from({ length: 101 }, (_, p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]) : [];
};

function demoVocabulary() {
  const data = generateDemoData({ seed: 42, customers: 5000, endDate: new Date('2026-12-04T00:00:00Z') });
  const spend = new Map();
  const products = new Set();
  for (const o of data.orders) {
    const total = o.total ?? o.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
    spend.set(o.customerExternalId, (spend.get(o.customerExternalId) ?? 0) + total);
    for (const l of o.lines) if (l.description) products.add(l.description.toLowerCase());
  }
  const distinct = (xs) => [...new Set(xs.filter(Boolean))];
  return {
    cities: distinct(data.customers.map((c) => c.city)), countries: distinct(data.customers.map((c) => c.country)), products: [...products],
    tags: distinct(data.customers.flatMap((c) => c.tags)), emailDomains: distinct(data.customers.map((c) => c.email?.split('@')[1])),
    campaigns: [{ id: 1, name: 'Win-back 10%' }], segments: [], spendPercentiles: percentiles([...spend.values()]),
  };
}

async function retailVocabulary() {
  const countries = new Map();
  const products = new Set();
  const spend = new Map();
  const lines = createInterface({ input: createReadStream(retailFile).pipe(createGunzip()) });
  let header = true;
  for await (const line of lines) {
    if (header) { header = false; continue; }
    // Descriptions may hold quoted commas.
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    const [, , description, quantity, , price, customer, country] = cells;
    if (description) products.add(description.trim().toLowerCase());
    if (!customer) continue;
    countries.set(country, (countries.get(country) ?? 0) + 1);
    spend.set(customer, (spend.get(customer) ?? 0) + Number(quantity) * Number(price));
  }
  return { cities: [], countries: [...countries.keys()], products: [...products], tags: [], emailDomains: [], campaigns: [], segments: [], spendPercentiles: percentiles([...spend.values()]) };
}

const sets = {
  demo: { vocabulary: demoVocabulary(), today: '2026-12-04' },
  retail: { vocabulary: await retailVocabulary(), today: '2011-12-10' },
};
for (const s of Object.values(sets)) s.ctx = { today: s.today, grounding: new Grounding(s.vocabulary), vocabulary: s.vocabulary, currency: 'INR' };

const fill = (rule, vocabulary) => JSON.parse(JSON.stringify(rule), (k, v) => (v === '$spend_p90' ? vocabulary.spendPercentiles[90] : v));
const EVERYONE = canonicalRule({ field: 'order_count', op: 'gte', value: 0 });

function judge(item) {
  const set = sets[item.data];
  const got = readRequest(item.text, set.ctx);
  const want = item.expect;
  const same = (a, b) => canonicalRule(a, set.vocabulary.products) === canonicalRule(fill(b, set.vocabulary), set.vocabulary.products);
  const asked = got.kind === 'unclear';
  let verdict;
  if (want.kind === 'ask') verdict = asked ? 'exact' : 'wrong';
  else if (asked) verdict = 'asked';
  else if (want.kind === 'audience') verdict = got.kind === 'audience' && same(got.rules, want.rules) ? 'exact' : 'wrong';
  else if (want.kind === 'everyone') verdict = got.kind === 'audience' && canonicalRule(got.rules) === EVERYONE ? 'exact' : 'wrong';
  else if (want.kind === 'rank') verdict = got.kind === 'rank' && got.by === want.by && got.direction === want.direction && got.limit === want.limit
    && (!want.rules && !got.rules || want.rules && got.rules && same(got.rules, want.rules)) ? 'exact' : 'wrong';
  else if (want.kind === 'customer') verdict = got.kind === 'customer_search' && got.query.toLowerCase().trim() === want.query.toLowerCase().trim() ? 'exact' : 'wrong';
  else verdict = 'wrong';
  return { item, got, verdict };
}

const items = readFileSync(join(here, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const started = performance.now();
const results = items.map(judge);
const ms = performance.now() - started;
const count = (v, rs = results) => rs.filter((r) => r.verdict === v).length;
const pct = (n, d) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

if (verbose) {
  for (const r of results.filter((x) => x.verdict !== 'exact')) {
    const set = sets[r.item.data];
    console.log(`\n${r.verdict.toUpperCase()} ${r.item.id} [${r.item.data}] ${r.item.text}`);
    console.log(`  want: ${JSON.stringify(r.item.expect.rules ?? r.item.expect)}`);
    console.log(`  got:  ${JSON.stringify(r.got.rules ?? r.got)}`);
    for (const line of explain(r.item.text, set.ctx)) console.log(`    ${line}`);
  }
}
const byTag = new Map();
for (const r of results) for (const t of r.item.tags ?? []) byTag.set(t, [...(byTag.get(t) ?? []), r]);
console.log(`\n${file}: ${results.length} requests (${results.filter((r) => r.item.data === 'demo').length} demo, ${results.filter((r) => r.item.data === 'retail').length} retail), read in ${ms.toFixed(0)} ms (${(ms / results.length).toFixed(2)} ms each)`);
console.log(`exact:          ${count('exact')} (${pct(count('exact'), results.length)})`);
console.log(`asked back:     ${count('asked')} (${pct(count('asked'), results.length)})`);
console.log(`silently wrong: ${count('wrong')} (${pct(count('wrong'), results.length)})`);
console.log('\nby tag (exact / asked / wrong of n):');
for (const [tag, rs] of [...byTag].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${tag.padEnd(20)} ${String(count('exact', rs)).padStart(4)} / ${String(count('asked', rs)).padStart(3)} / ${String(count('wrong', rs)).padStart(3)} of ${rs.length}`);
if (args.includes('--check') && count('wrong') > 0) process.exitCode = 1;
