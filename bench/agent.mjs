// npm run bench:agent — server-side time of one chat turn (one tool call, a zero-latency mock model) against the
// tool's own time, and the offline model's time to a first answer, on the demo data (5,000 customers).
import { randomUUID } from 'node:crypto';
import { MockLanguageModelV4 } from 'ai/test';
import { benchDatabase, benchServer, dist, percentile } from './bench-database.mjs';

const TURNS = Number(process.env.TURNS ?? 300);
const rules = { any: [{ all: [{ field: 'total_spend', op: '>', value: 10000 }, { field: 'order_count', op: '<', value: 3 }] }, { field: 'days_since_last_order', op: '>=', value: 90 }] };
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
let ids = 0;
// First step asks for preview_segment; the step after the result answers. No waiting anywhere.
const mock = new MockLanguageModelV4({
  doStream: async ({ prompt }) => {
    const answered = prompt.some((m) => m.role === 'tool');
    const parts = answered
      ? [{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: 'Done.' }, { type: 'text-end', id: 't' }, { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } }]
      : [{ type: 'tool-call', toolCallId: `c${++ids}`, toolName: 'preview_segment', input: JSON.stringify({ rules }) }, { type: 'finish', usage, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } }];
    return { stream: new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } }) };
  },
});

const db = await benchDatabase('crm_bench_agent');
const { seedDemoData } = await dist('src/db/seed/seeder.js');
const { ToolRunner } = await dist('src/tools/tool-runner.js');
const { chooseModel } = await dist('src/agent/model-choice.js');
const { databaseVocabulary } = await dist('src/agent/language/vocabulary.js');
const { contextOf, demoVocabulary } = await dist('src/agent/language/evaluation.js');
const { readRequest } = await dist('src/agent/offline/request-grammar.js');
const seeded = await seedDemoData(db.sql, { seed: 42, customers: 5000 });

const timed = async (work) => { const t = performance.now(); const out = await work(); return [performance.now() - t, out]; };
const stats = (xs) => ({ p50: percentile(xs, 0.5), p95: percentile(xs, 0.95) });
const ms = (x) => `${x.toFixed(1)} ms`;

const mocked = await benchServer(db, { model: { model: mock, name: 'mock', offline: false } });
const { token, actor } = await mocked.person('marketer');
const turn = (url, text) => fetch(`${url}/api/chat`, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ conversationId: randomUUID(), message: { text } }),
});

const runner = mocked.app.get(ToolRunner);
for (let i = 0; i < 30; i++) { await runner.runNamed(actor, 'preview_segment', { rules }); await (await turn(mocked.url, 'warm up')).text(); }
const toolTimes = [];
const turnTimes = [];
for (let i = 0; i < TURNS; i++) {
  toolTimes.push((await timed(() => runner.runNamed(actor, 'preview_segment', { rules })))[0]);
  turnTimes.push((await timed(async () => (await turn(mocked.url, 'how many?')).text()))[0]);
}
const tool = stats(toolTimes);
const chat = stats(turnTimes);

// The offline model on the brief's own request: time until the first word of the answer reaches the client.
const offline = await benchServer(db, { model: (config) => chooseModel(config, () => new Date(), databaseVocabulary(db.sql)) });
const question = "customers who spent over ₹10,000 but ordered fewer than 3 times, or went quiet for 90 days — how many are there?";
const firstAnswer = [];
for (let i = 0; i < 30; i++) {
  const started = performance.now();
  const res = await turn(offline.url, question);
  const reader = res.body.getReader();
  let seen = '';
  let first = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
    if (first === null && seen.includes('"text-delta"')) first = performance.now() - started;
  }
  firstAnswer.push(first);
}
const offlineFirst = stats(firstAnswer.slice(5));

// Reading alone: every request of the dev set, grounded in the demo shop's names, many times over.
const { readFileSync } = await import('node:fs');
const requests = readFileSync(new URL('../eval/nl/dev-set.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((r) => r.data === 'demo').map((r) => r.text);
const ctx = contextOf(demoVocabulary(), '2026-12-04');
for (const r of requests) readRequest(r, ctx);
const readTimes = [];
for (let round = 0; round < 5; round++) for (const r of requests) readTimes.push((await timed(async () => readRequest(r, ctx)))[0]);
const reading = stats(readTimes);

console.log(`machine: ${db.machine}`);
console.log(`data: ${seeded.customers} customers, ${seeded.orders} orders (demo seed 42); ${TURNS} turns`);
console.log(`preview_segment alone:          p50 ${ms(tool.p50)}, p95 ${ms(tool.p95)}`);
console.log(`chat turn (HTTP, mock model):   p50 ${ms(chat.p50)}, p95 ${ms(chat.p95)}`);
console.log(`turn beyond the tool:           p50 ${ms(chat.p50 - tool.p50)} (goal < 30 ms), p95 ${ms(chat.p95 - tool.p95)}`);
console.log(`offline model, first answer:    p50 ${ms(offlineFirst.p50)}, p95 ${ms(offlineFirst.p95)} (request to first word, incl. preview_segment; goal < 50 ms)`);
console.log(`offline model, reading alone:   p50 ${reading.p50.toFixed(2)} ms, p95 ${reading.p95.toFixed(2)} ms (${requests.length} dev-set requests × 5)`);

await mocked.close();
await offline.close();
await db.close();
