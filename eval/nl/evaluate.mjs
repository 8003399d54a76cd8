// npm run eval:nl [-- --second | --third | --fourth | --fifth | --sixth | --seventh | --held-out] [-- --verbose]
// Reads each request of the evaluation set with the offline model's parser, grounded in the names of its data set
// (the demo shop as `npm start` seeds it, or the UCI retail file), and compares what it understood with the answer
// written beside it. Prints the exact-rule rate and the number of silently wrong answers: an audience, ranking or
// profile given with confidence that is not the one asked for.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { contextOf, demoVocabulary, judge, retailVocabulary } from '../../dist/src/agent/language/evaluation.js';
import { explain } from '../../dist/src/agent/language/explain.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const sets = { '--second': 'dev-set-2.jsonl', '--third': 'dev-set-3.jsonl', '--fourth': 'dev-set-4.jsonl', '--fifth': 'dev-set-5.jsonl', '--sixth': 'dev-set-6.jsonl', '--seventh': 'dev-set-7.jsonl', '--held-out': 'held-out.jsonl' };
const file = Object.entries(sets).find(([flag]) => args.includes(flag))?.[1] ?? 'dev-set.jsonl';
const verbose = args.includes('--verbose');
const retailFile = process.env.RETAIL_FILE ?? join(here, '../../../shared/data/online_retail.csv.gz');
const contexts = { demo: contextOf(demoVocabulary(), '2026-12-04'), retail: contextOf(await retailVocabulary(retailFile), '2011-12-10') };

const items = readFileSync(join(here, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const started = performance.now();
const results = items.map((item) => ({ item, ...judge(item, contexts[item.data]) }));
const ms = performance.now() - started;
const count = (v, rs = results) => rs.filter((r) => r.verdict === v).length;
const pct = (n, d) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

if (verbose) {
  for (const r of results.filter((x) => x.verdict !== 'exact')) {
    console.log(`\n${r.verdict.toUpperCase()} ${r.item.id} [${r.item.data}] ${r.item.text}`);
    console.log(`  want: ${JSON.stringify(r.item.expect.rules ?? r.item.expect)}`);
    console.log(`  got:  ${JSON.stringify(r.got.rules ?? r.got)}`);
    for (const line of explain(r.item.text, contexts[r.item.data])) console.log(`    ${line}`);
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
