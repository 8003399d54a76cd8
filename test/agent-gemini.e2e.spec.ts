import { generateText } from 'ai';
import { chooseModel } from '../src/agent/model-choice.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/crm/time/clock.js';
import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { chatTurn, newConversation, toolCalls } from './support/chat-client.js';
import { functionResponses, startFakeGemini, type FakeGemini, type GeminiRequest } from './support/fake-gemini.js';
import { startTestCrm, type TestCrm } from './support/test-crm.js';

const apiKey = 'gemini-test-key-0123456789';

// What the fake Gemini does: preview for a question, plan then launch for "send", and read back what it was given.
function geminiScript(request: GeminiRequest) {
  const responses = functionResponses(request);
  const asked = request.contents.filter((c) => c.role === 'user').flatMap((c) => c.parts.map((p) => p.text ?? '')).join(' ');
  const last = responses.at(-1);
  const output = (r: { response: any }) => r.response?.content ?? r.response;
  if (asked.includes('send')) {
    if (!responses.length) return { calls: [{ name: 'plan_campaign', args: { name: 'Thanks', channel: 'email', template: 'Thank you {{first_name | "friend"}}', rules: { field: 'total_spend', op: '>=', value: 1000 } } }] };
    if (last!.name === 'plan_campaign') return { calls: [{ name: 'launch_campaign', args: { approvalId: JSON.stringify(output(last!)).match(/"id":"([0-9a-f-]{36})"/)![1] } }] };
    return { text: `Launch result: ${JSON.stringify(output(last!))}` };
  }
  if (!responses.length) return { calls: [{ name: 'preview_segment', args: { rules: { field: 'total_spend', op: '>=', value: 1000 } } }] };
  return { text: `There are ${JSON.stringify(output(last!)).match(/"count":(\d+)/)![1]} customers.` };
}

describe('the agent on Gemini (@ai-sdk/google against a local Gemini stand-in)', () => {
  let gemini: FakeGemini;
  let crm: TestCrm;
  let marketer: { token: string };
  beforeAll(async () => {
    gemini = await startFakeGemini(geminiScript);
    const env = { GOOGLE_GENERATIVE_AI_API_KEY: apiKey, GEMINI_BASE_URL: gemini.baseURL, GEMINI_MODEL: 'gemini-test', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20' };
    crm = await startTestCrm(env);
    marketer = await crm.person('marketer');
    await addCustomers(crm, [{ name: 'Asha Rao', email: 'asha@example.com', spend: 1500 }, { name: 'Ben', email: 'ben@example.com', spend: 2500 }, { name: 'Cy', email: 'cy@example.com', spend: 10 }]);
  });
  afterAll(async () => {
    await crm?.stop();
    await gemini?.stop();
  });

  it('is chosen when a Gemini key is set', () => {
    expect(chooseModel(loadConfig({ GOOGLE_GENERATIVE_AI_API_KEY: apiKey }), systemClock).name).toBe('gemini:gemini-2.5-flash');
    expect(chooseModel(loadConfig({}), systemClock).name).toBe('offline');
  });

  it('answers a non-streaming call through generateContent too', async () => {
    const { model } = chooseModel(loadConfig({ GOOGLE_GENERATIVE_AI_API_KEY: apiKey, GEMINI_BASE_URL: gemini.baseURL, GEMINI_MODEL: 'gemini-test' }), systemClock);
    const result = await generateText({ model, prompt: 'How many customers?' });
    expect(result.toolCalls.map((c) => c.toolName)).toEqual(['preview_segment']);
    expect(gemini.requests.at(-1)!.path).toBe('/v1beta/models/gemini-test:generateContent');
  });

  it('runs a full turn: request → preview_segment → result → answer', async () => {
    const before = gemini.requests.length;
    const turn = await chatTurn(crm.url, marketer.token, newConversation(), { text: 'How many customers spent 1000 or more?' });
    expect(toolCalls(turn.chunks).map((c) => [c.toolName, c.output?.count])).toEqual([['preview_segment', 2]]);
    expect(turn.text).toBe('There are 2 customers.');
    const [first, second] = gemini.requests.slice(before);
    expect(first.path).toBe('/v1beta/models/gemini-test:streamGenerateContent?alt=sse');
    expect(first.apiKey).toBe(apiKey);
    expect(first.body.tools![0].functionDeclarations!.map((f) => f.name)).toEqual(expect.arrayContaining(['preview_segment', 'launch_campaign', 'get_overview']));
    expect(first.body.systemInstruction!.parts[0].text).toContain('days_since_last_order');
    // Neither the key nor who is asking is ever in what the model sees.
    expect(JSON.stringify(first.body)).not.toContain(apiKey);
    expect(JSON.stringify(first.body)).not.toMatch(/marketer-\d+@example.com/);
    expect(functionResponses(second.body)[0].name).toBe('preview_segment');
  });

  it('asks a person before launch_campaign and launches exactly once after approval', async () => {
    const id = newConversation();
    const first = await chatTurn(crm.url, marketer.token, id, { text: 'send a thank-you email to customers who spent 1000 or more' });
    const launch = toolCalls(first.chunks).find((c) => c.toolName === 'launch_campaign')!;
    expect(launch.approvalId).toBeTruthy();
    expect((await crm.db.sql.rows(`select count(*) as n from communication_logs`))[0].n).toBe(0);
    const approved = await chatTurn(crm.url, marketer.token, id, { approvals: [{ id: launch.approvalId!, approved: true }] });
    expect(approved.text).toMatch(/Launch result: .*"audience":2/);
    const campaign = (await crm.db.sql.rows(`select id, status from campaigns where status <> 'draft'`));
    expect(campaign).toHaveLength(1);
    const done = await waitForCampaign(crm, marketer.token, campaign[0].id);
    expect(done.sent + done.failed).toBe(2);
  });
});
