import { generateText } from 'ai';
import { chooseModel } from '../src/agent/model-choice.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/crm/time/clock.js';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { chatTurn, newConversation, toolCalls, type Chunk } from './support/chat-client.js';
import { replayedCalls, startFakeOpenAI, toolMessages, type FakeOpenAI, type OpenAIReply, type OpenAIRequest } from './support/fake-openai.js';
import { startTestCrm, type TestCrm } from './support/test-crm.js';

const apiKey = 'sk-openai-compatible-test-0123456789';
const spentOver1000 = { field: 'total_spend', op: '>=', value: 1000 };

// The tool results the CRM sent back since the person last wrote, with the name of the call each answers.
function resultsThisTurn(request: OpenAIRequest) {
  const asked = request.messages.findLastIndex((m) => m.role === 'user');
  const names = new Map(replayedCalls(request).map((c) => [c.id, c.function.name]));
  return request.messages.slice(asked + 1).filter((m) => m.role === 'tool').map((m) => ({ name: names.get(m.tool_call_id!), content: m.content ?? '' }));
}

// What the stand-in model does: preview for a question, plan then launch for "send", broken answers on request.
function modelScript(request: OpenAIRequest): OpenAIReply {
  const asked = request.messages.findLast((m) => m.role === 'user')?.content ?? '';
  const results = resultsThisTurn(request);
  const last = results.at(-1);
  if (asked.includes('broken arguments')) {
    // The arguments stop mid-object, as a model cut off by its output limit writes them.
    if (!last) return { calls: [{ name: 'plan_campaign', arguments: '{"name":"Broken","channel":"email","template":"Hi","rules":{"field":"total_spend"' }] };
    return { text: 'I could not plan that campaign.' };
  }
  if (asked.includes('unknown tool')) {
    if (!last) return { calls: [{ name: 'delete_all_customers', arguments: '{}' }] };
    return { text: 'I could not do that.' };
  }
  if (asked.includes('keep listing')) return { calls: [{ name: 'list_segments', arguments: '{}' }] };
  if (asked.includes('send')) {
    if (!last) return { calls: [{ name: 'plan_campaign', arguments: JSON.stringify({ name: 'Thanks', channel: 'email', subject: 'Thank you', template: 'Thank you {{first_name | "friend"}}', rules: spentOver1000 }) }] };
    if (last.name === 'plan_campaign') return { calls: [{ name: 'launch_campaign', arguments: JSON.stringify({ approvalId: JSON.parse(last.content).approval.id }) }] };
    return { text: `Launch result: ${last.content}` };
  }
  if (!last) return { calls: [{ name: 'preview_segment', arguments: JSON.stringify({ rules: spentOver1000 }) }] };
  return { text: `There are ${JSON.parse(last.content).count} customers who spent 1,000 or more.` };
}

// The web chat shows the first error in the stream; Slack shows every one.
const errorsShown = (chunks: Chunk[]) => chunks.filter((c) => c.type === 'error').map((c) => c.errorText);

describe('the agent on an OpenAI-compatible server (@ai-sdk/openai-compatible against a local stand-in)', () => {
  let server: FakeOpenAI;
  let crm: TestCrm;
  let marketer: { token: string };
  const seen: Chunk[] = [];
  const turn = async (id: string, message: Parameters<typeof chatTurn>[3]) => {
    const result = await chatTurn(crm.url, marketer.token, id, message);
    seen.push(...result.chunks);
    return result;
  };
  const sentMessages = async () => (await crm.db.sql.rows<{ n: number }>(`select count(*) as n from communication_logs`))[0].n;
  const campaignCount = async () => (await crm.db.sql.rows<{ n: number }>(`select count(*) as n from campaigns`))[0].n;

  beforeAll(async () => {
    server = await startFakeOpenAI(apiKey, modelScript);
    const env = { AGENT_MODEL: 'openai-compatible', OPENAI_COMPATIBLE_BASE_URL: server.baseURL, OPENAI_COMPATIBLE_API_KEY: apiKey, OPENAI_COMPATIBLE_MODEL: 'local-test', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20' };
    crm = await startTestCrm(env);
    marketer = await crm.person('marketer');
    await addCustomers(crm, [{ name: 'Asha Rao', email: 'asha@example.com', spend: 1500 }, { name: 'Ben', email: 'ben@example.com', spend: 2500 }, { name: 'Cy', email: 'cy@example.com', spend: 10 }]);
  });
  afterAll(async () => {
    await crm?.stop();
    await server?.stop();
  });

  it('is chosen by AGENT_MODEL=openai-compatible', () => {
    const config = loadConfig({ AGENT_MODEL: 'openai-compatible', OPENAI_COMPATIBLE_BASE_URL: server.baseURL, OPENAI_COMPATIBLE_MODEL: 'local-test' });
    expect(chooseModel(config, systemClock).name).toBe('openai-compatible:local-test');
  });

  it('answers a non-streaming call with one JSON completion too', async () => {
    const { model } = chooseModel(loadConfig({ AGENT_MODEL: 'openai-compatible', OPENAI_COMPATIBLE_BASE_URL: server.baseURL, OPENAI_COMPATIBLE_API_KEY: apiKey, OPENAI_COMPATIBLE_MODEL: 'local-test' }), systemClock);
    const result = await generateText({ model, prompt: 'How many customers?' });
    expect(result.toolCalls.map((c) => [c.toolName, c.input])).toEqual([['preview_segment', { rules: spentOver1000 }]]);
    expect(server.requests.at(-1)!.body.stream).toBeFalsy();
  });

  it('runs a full turn: streamed call in pieces → preview_segment on PostgreSQL → tool message → streamed answer', async () => {
    const before = server.requests.length;
    const result = await turn(newConversation(), { text: 'How many customers spent 1000 or more?' });
    expect(toolCalls(result.chunks).map((c) => [c.toolName, c.input, c.output?.count])).toEqual([['preview_segment', { rules: spentOver1000 }, 2]]);
    expect(result.text).toBe('There are 2 customers who spent 1,000 or more.');
    expect(result.chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(1);
    const [first, second] = server.requests.slice(before).map((r) => r.body);
    expect(first.stream).toBe(true);
    expect(first.tools!.map((t) => t.function.name)).toEqual(expect.arrayContaining(['preview_segment', 'launch_campaign', 'get_overview']));
    expect(first.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('days_since_last_order') });
    expect(JSON.stringify(first)).not.toMatch(/marketer-\d+@example.com/);
    // The model's own call comes back whole, and the CRM's answer to it carries the same id.
    const [call] = replayedCalls(second);
    expect(JSON.parse(call.function.arguments)).toEqual({ rules: spentOver1000 });
    const [answer] = toolMessages(second);
    expect(answer.toolCallId).toBe(call.id);
    expect(JSON.parse(answer.content)).toMatchObject({ count: 2 });
  });

  it('asks a person before launch_campaign, and a refusal sends nothing', async () => {
    const id = newConversation();
    const first = await turn(id, { text: 'send a thank-you email to customers who spent 1000 or more' });
    const plan = toolCalls(first.chunks).find((c) => c.toolName === 'plan_campaign')!;
    const launch = toolCalls(first.chunks).find((c) => c.toolName === 'launch_campaign')!;
    expect(launch.approvalId).toBeTruthy();
    expect(launch.output).toBeUndefined();
    const refused = await turn(id, { approvals: [{ id: launch.approvalId!, approved: false }] });
    expect(refused.chunks.filter((c) => c.type === 'tool-output-denied')).toHaveLength(1);
    expect(refused.text).toBe('Launch result: Tool call execution denied.');
    expect(await sentMessages()).toBe(0);
    expect((await crm.db.sql.rows(`select status from campaigns where id = $1`, [plan.output.campaignId]))[0].status).toBe('draft');
  });

  it('launches exactly once after a person approves', async () => {
    const id = newConversation();
    const first = await turn(id, { text: 'send a thank-you email to customers who spent 1000 or more' });
    const launch = toolCalls(first.chunks).find((c) => c.toolName === 'launch_campaign')!;
    expect(await sentMessages()).toBe(0);
    const approved = await turn(id, { approvals: [{ id: launch.approvalId!, approved: true }] });
    expect(approved.text).toMatch(/Launch result: .*"audience":2/);
    const launched = await crm.db.sql.rows(`select id from campaigns where status <> 'draft'`);
    expect(launched).toHaveLength(1);
    const done = await waitForCampaign(crm, marketer.token, launched[0].id);
    expect(done.sent + done.failed).toBe(2);
  });

  it('a tool call with arguments that are not JSON shows the person an error and plans nothing', async () => {
    const campaigns = await campaignCount();
    const id = newConversation();
    const result = await turn(id, { text: 'plan something with broken arguments' });
    const [call] = toolCalls(result.chunks);
    expect(call.toolName).toBe('plan_campaign');
    expect(call.errorText).toMatch(/Invalid input for tool plan_campaign: .*JSON parsing failed/);
    expect(result.text).toBe('I could not plan that campaign.');
    expect(await campaignCount()).toBe(campaigns);
    // The conversation is not stuck on the bad answer: the next question is answered.
    expect((await turn(id, { text: 'How many customers spent 1000 or more?' })).text).toBe('There are 2 customers who spent 1,000 or more.');
  });

  it('a call to a tool the CRM does not have shows the person an error and changes nothing', async () => {
    const customers = (await crm.db.sql.rows<{ n: number }>(`select count(*) as n from customers`))[0].n;
    const id = newConversation();
    const result = await turn(id, { text: 'use an unknown tool' });
    const [call] = toolCalls(result.chunks);
    expect(call.toolName).toBe('delete_all_customers');
    expect(call.errorText).toMatch(/unavailable tool 'delete_all_customers'/);
    expect(result.text).toBe('I could not do that.');
    expect((await crm.db.sql.rows<{ n: number }>(`select count(*) as n from customers`))[0].n).toBe(customers);
    expect((await turn(id, { text: 'How many customers spent 1000 or more?' })).text).toBe('There are 2 customers who spent 1,000 or more.');
  });

  it('a turn that uses its tokens is stopped with a message, counted from the usage the server reports', async () => {
    // Its own CRM, for a budget the stand-in's 150 tokens an answer reach before the step limit does.
    const small = await startTestCrm({ AGENT_MODEL: 'openai-compatible', OPENAI_COMPATIBLE_BASE_URL: server.baseURL, OPENAI_COMPATIBLE_API_KEY: apiKey, AGENT_MAX_TOKENS: '1000', AGENT_MAX_STEPS: '20' });
    try {
      const result = await chatTurn(small.url, (await small.person('marketer')).token, newConversation(), { text: 'keep listing segments' });
      seen.push(...result.chunks);
      expect(toolCalls(result.chunks)).toHaveLength(7);
      expect(result.text).toMatch(/used its 1,000 tokens/);
    } finally {
      await small.stop();
    }
  });

  it('a key the server refuses gives the person a plain error, not the key', async () => {
    server.apiKey = 'sk-rotated-on-the-server';
    try {
      const result = await turn(newConversation(), { text: 'How many customers spent 1000 or more?' });
      expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${apiKey}`);
      expect(errorsShown(result.chunks)).toEqual(['The model could not answer just now; try again in a moment. Anything it had already done in this turn is shown above.']);
    } finally {
      server.apiKey = apiKey;
    }
  });

  it('sends the key only as the bearer token: never to the model, the person or the stored conversation', async () => {
    expect(server.requests.length).toBeGreaterThan(8);
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${apiKey}`]));
    expect(server.requests.map((r) => r.path)).toEqual(server.requests.map(() => '/v1/chat/completions'));
    expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain(apiKey);
    expect(JSON.stringify(seen)).not.toContain(apiKey);
    const stored = await crm.db.sql.rows(`select parts, metadata from conversation_messages`);
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
  });
});
