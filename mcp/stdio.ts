// `npm run mcp`: the CRM's MCP server for desktop AI assistants that start their servers as a local process.
// It relays MCP between the assistant (stdin/stdout) and the running CRM's /mcp endpoint, so the CRM checks the
// API token, its user and role, and asks a person before any send exactly as it does over HTTP.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const settings = z.object({
  CRM_API_TOKEN: z.string({ error: 'is not set: create one with `npm run crm -- token create --role marketer`' }).regex(/^crm_\S+$/, 'must be a CRM API token (it starts with crm_)'),
  CRM_URL: z.url('must be the CRM\'s address, e.g. http://localhost:3000').default('http://localhost:3000'),
});

// stdout carries the protocol; people read stderr.
const say = (line: string) => process.stderr.write(`crm mcp: ${line}\n`);

const parsed = settings.safeParse(process.env);
if (!parsed.success) {
  for (const issue of parsed.error.issues) say(`${issue.path.join('.')} ${issue.message}`);
  process.exit(1);
}
const { CRM_API_TOKEN, CRM_URL } = parsed.data;

const crm = new StreamableHTTPClientTransport(new URL('/mcp', CRM_URL), {
  requestInit: { headers: { Authorization: `Bearer ${CRM_API_TOKEN}` } },
});
const assistant = new StdioServerTransport();

const isRequest = (m: JSONRPCMessage): m is JSONRPCMessage & { id: string | number; method: string } => 'method' in m && 'id' in m;

assistant.onmessage = (message) => {
  crm.send(message).catch((error: Error) => {
    say(`could not reach ${CRM_URL}: ${error.message}`);
    // The assistant gets an answer to its request rather than waiting forever.
    if (isRequest(message)) {
      void assistant.send({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: `The CRM at ${CRM_URL} did not accept the request: ${error.message}` } });
    }
  });
};
crm.onmessage = (message) => {
  // Later requests must name the protocol version the CRM agreed to in its answer to initialize.
  const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
  if (typeof version === 'string') crm.setProtocolVersion(version);
  void assistant.send(message);
};
crm.onerror = (error) => say(error.message);
assistant.onclose = () => { void crm.close().finally(() => process.exit(0)); };

await crm.start();
await assistant.start();
