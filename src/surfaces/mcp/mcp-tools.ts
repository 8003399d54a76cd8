import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import type { CrmTool, ToolRisk } from '../../tools/crm-tool.js';
import { toolCatalogue, toolsByName } from '../../tools/catalogue.js';
import type { ToolRunner } from '../../tools/tool-runner.js';
import { askPersonToSend, type SendApprovalDeps } from './mcp-send-approval.js';
import { toolFailure } from './tool-failure.js';

// What an assistant may assume about each risk. A send reaches customers and cannot be taken back; repeating one
// with the same approval changes nothing (the approval is single-use).
const annotationsByRisk: Record<ToolRisk, ToolAnnotations> = {
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  send: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};

// MCP wants an object schema at the top; a choice of shapes (plan by segment id, or by rule) is still an object.
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  ({ type: 'object', ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) }) as Tool['inputSchema'];

export const mcpToolOf = (tool: CrmTool): Tool => ({
  name: tool.name,
  title: tool.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
  description: tool.description,
  inputSchema: jsonSchema(tool.input, 'input'),
  outputSchema: jsonSchema(tool.output, 'output') as Tool['outputSchema'],
  annotations: annotationsByRisk[tool.risk],
});

/** A line a person can read at a glance; the full answer is in structuredContent. */
function shortText(name: string, output: Record<string, unknown>): string {
  const figures = Object.entries(output)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .slice(0, 6)
    .map(([k, v]) => `${k}: ${v}`);
  return `${name} done${figures.length ? ` — ${figures.join(', ')}` : ''}.`;
}

/**
 * Serves the tool catalogue on one MCP session: the same definitions, permission checks and answers as every other
 * surface. Tools the caller's role cannot use are not listed; calling one anyway is refused by the runner.
 */
// The schemas are the same for every session: converted once, on the first session.
let listed: { tool: Tool; permission: CrmTool['permission'] }[] | undefined;
const mcpTools = () => (listed ??= toolCatalogue.map((t) => ({ tool: mcpToolOf(t), permission: t.permission })));

/** `caller` answers who is asking now: the role is read on every request, so a demotion takes effect mid-session. */
export function serveTools(server: Server, caller: () => Actor, runner: ToolRunner, sends: SendApprovalDeps) {
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    // What this caller may call: its role, and for a token limited to named tools, only those.
    tools: mcpTools().filter((t) => can(caller(), t.permission) && (!caller().grant?.tools || caller().grant!.tools!.includes(t.tool.name))).map((t) => t.tool),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const started = performance.now();
    const actor = caller();
    try {
      if (toolsByName.get(name)?.risk === 'send') {
        const refused = await askPersonToSend(server, extra, actor, args ?? {}, sends, name);
        if (refused) {
          await runner.noteAnsweredBySurface(actor, name, args ?? {}, 'awaiting_person');
          return refused;
        }
      }
      const output = (await runner.runNamed(actor, name, args ?? {}, extra.signal)) as Record<string, unknown>;
      await server.sendLoggingMessage({ level: 'info', logger: 'crm.tools', data: `${name} answered in ${Math.round(performance.now() - started)} ms` }, extra.sessionId);
      return { content: [{ type: 'text', text: shortText(name, output) }], structuredContent: output };
    } catch (error) {
      return toolFailure(error);
    }
  });
}
