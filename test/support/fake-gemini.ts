import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Gemini's REST request body, as far as the fake reads it. */
export interface GeminiRequest {
  contents: { role: string; parts: Record<string, any>[] }[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations?: { name: string; description: string; parameters?: unknown }[] }[];
}

/** One model turn: text, or function calls. */
export type GeminiReply = { text: string } | { calls: { name: string; args: unknown }[] };

export interface FakeGemini { baseURL: string; requests: { path: string; apiKey: string | undefined; body: GeminiRequest }[]; stop(): Promise<void> }

const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let text = '';
  req.on('data', (c) => (text += c)).on('end', () => resolve(text));
});

/**
 * A stand-in for the Gemini API on loopback, speaking its wire protocol (`models/{id}:generateContent` and
 * `:streamGenerateContent?alt=sse`), so that @ai-sdk/google itself builds the requests and reads the answers.
 */
export async function startFakeGemini(reply: (request: GeminiRequest) => GeminiReply): Promise<FakeGemini> {
  const requests: FakeGemini['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const match = /\/models\/([^:]+):(generateContent|streamGenerateContent)/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: 'not found', status: 'NOT_FOUND' } }));
      return;
    }
    const request = JSON.parse(await body(req)) as GeminiRequest;
    requests.push({ path: req.url!, apiKey: req.headers['x-goog-api-key'] as string | undefined, body: request });
    const answer = reply(request);
    const parts = 'text' in answer ? [{ text: answer.text }] : answer.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
    const response = {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 30, totalTokenCount: 150 },
      modelVersion: match[1],
    };
    if (match[2] === 'generateContent') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify(response)}\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1beta`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The function responses Gemini was sent in the latest request, by function name. */
export const functionResponses = (request: GeminiRequest) =>
  request.contents.flatMap((c) => c.parts.filter((p) => p.functionResponse).map((p) => p.functionResponse as { name: string; response: any }));
