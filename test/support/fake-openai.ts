import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message of a Chat Completions request, as far as the fake reads it. */
export interface OpenAIMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** A Chat Completions request body, as far as the fake reads it. */
export interface OpenAIRequest {
  model: string;
  messages: OpenAIMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
}

/** One model turn: text, or tool calls whose `arguments` are the JSON text exactly as the model would write it. */
export type OpenAIReply = { text: string } | { calls: { name: string; arguments: string }[] };

export interface FakeOpenAI {
  baseURL: string;
  /** The key the server accepts; change it to play a server whose key was rotated. */
  apiKey: string;
  requests: { path: string; authorization: string | undefined; body: OpenAIRequest }[];
  stop(): Promise<void>;
}

const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let text = '';
  req.on('data', (c) => (text += c)).on('end', () => resolve(text));
});

const error = (res: ServerResponse, status: number, message: string, type: string, code: string) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type, param: null, code } }));

// Streamed pieces are cut short on purpose: a client that only reads whole arguments or whole words would fail here.
const pieces = (text: string, size: number) => text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [''];

const usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };
let calls = 0;

/** The server-sent chunks of one streamed answer, in the order OpenAI sends them. */
function streamChunks(answer: OpenAIReply, wantsUsage: boolean) {
  const deltas: Record<string, unknown>[] = [];
  if ('text' in answer) {
    deltas.push({ role: 'assistant', content: '' }, ...pieces(answer.text, 6).map((content) => ({ content })));
  } else {
    deltas.push({ role: 'assistant', content: null });
    answer.calls.forEach((call, index) => {
      deltas.push({ tool_calls: [{ index, id: `call_${++calls}`, type: 'function', function: { name: call.name, arguments: '' } }] });
      for (const part of pieces(call.arguments, 7)) deltas.push({ tool_calls: [{ index, function: { arguments: part } }] });
    });
  }
  const choices = deltas.map((delta) => ({ index: 0, delta, finish_reason: null as string | null }));
  choices.push({ index: 0, delta: {}, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' });
  // With include_usage OpenAI adds `usage: null` to every chunk and one last chunk with no choices and the usage.
  const chunks: { choices: typeof choices; usage?: typeof usage | null }[] = choices.map((c) => ({ choices: [c], ...(wantsUsage ? { usage: null } : {}) }));
  if (wantsUsage) chunks.push({ choices: [], usage });
  return chunks;
}

function completion(answer: OpenAIReply) {
  const message = 'text' in answer
    ? { role: 'assistant', content: answer.text }
    : { role: 'assistant', content: null, tool_calls: answer.calls.map((c) => ({ id: `call_${++calls}`, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
  return { choices: [{ index: 0, message, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }], usage };
}

/**
 * A stand-in for an OpenAI-compatible server on loopback, speaking the Chat Completions wire protocol
 * (`POST {baseURL}/chat/completions`, JSON or server-sent events), so that @ai-sdk/openai-compatible itself builds
 * the requests and reads the answers.
 */
export async function startFakeOpenAI(apiKey: string, reply: (request: OpenAIRequest) => OpenAIReply): Promise<FakeOpenAI> {
  const fake: FakeOpenAI = { baseURL: '', apiKey, requests: [], stop: async () => {} };
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      error(res, 404, `Unknown request URL: ${req.method} ${req.url}.`, 'invalid_request_error', 'unknown_url');
      return;
    }
    const request = JSON.parse(await body(req)) as OpenAIRequest;
    const authorization = req.headers.authorization;
    fake.requests.push({ path: req.url, authorization, body: request });
    if (authorization !== `Bearer ${fake.apiKey}`) {
      // Some servers echo the key they were given; the CRM must not pass that on to the person.
      error(res, 401, `Incorrect API key provided: ${authorization?.replace(/^Bearer /, '') ?? '(none)'}.`, 'invalid_request_error', 'invalid_api_key');
      return;
    }
    const answer = reply(request);
    const head = { id: `chatcmpl-${fake.requests.length}`, created: Math.floor(Date.now() / 1000), model: request.model };
    if (!request.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...head, object: 'chat.completion', ...completion(answer) }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of streamChunks(answer, request.stream_options?.include_usage === true)) {
      res.write(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', ...chunk })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseURL = `http://127.0.0.1:${port}/v1`;
  fake.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** What the CRM sent back to the model as tool messages in one request, in order. */
export const toolMessages = (request: OpenAIRequest) =>
  request.messages.filter((m) => m.role === 'tool').map((m) => ({ toolCallId: m.tool_call_id!, content: m.content ?? '' }));

/** The tool calls the model made earlier in the conversation, as the CRM replays them to it. */
export const replayedCalls = (request: OpenAIRequest) => request.messages.flatMap((m) => m.tool_calls ?? []);
