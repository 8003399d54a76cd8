import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { request } from 'node:http';

/**
 * The SDK's own client over Streamable HTTP, as a desktop assistant would connect. With `answer`, the client
 * declares elicitation and answers each question with it (standing in for the person at the assistant).
 */
export async function mcpClient(url: string, token?: string, answer?: (message: string) => ElicitResult) {
  const client = new Client({ name: 'crm-test', version: '1.0.0' }, { capabilities: answer ? { elicitation: {} } : {} });
  const asked: string[] = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return answer(req.params.message);
    });
  }
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {});
  await client.connect(transport);
  return { client, asked, transport };
}

export const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

/** A raw POST to /mcp with headers fetch will not let a caller set (Host). */
export function rawMcp(url: string, headers: Record<string, string>, body: unknown = initialize): Promise<{ status: number; text: string }> {
  const target = new URL('/mcp', url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
