import type { UIMessageChunk } from 'ai';

export interface ToolStep { toolCallId: string; name: string; input: unknown; output?: unknown; error?: string }
export interface ApprovalAsked { approvalId: string; toolCallId: string; name: string; input: unknown }

/** A chat turn read to its end: the agent's words, each tool it called with its result, and what awaits a person. */
export interface TurnRead { text: string; tools: ToolStep[]; approvals: ApprovalAsked[] }

/**
 * Slack shows a finished answer, not a stream: this reads the agent's stream (the same one the web chat renders)
 * and keeps what a message needs.
 */
export async function readTurn(stream: ReadableStream<UIMessageChunk>): Promise<TurnRead> {
  const texts: string[] = [];
  const tools = new Map<string, ToolStep>();
  const approvals: ApprovalAsked[] = [];
  for await (const chunk of stream) {
    switch (chunk.type) {
      case 'text-delta': texts.push(chunk.delta); break;
      case 'text-end': texts.push('\n\n'); break;
      case 'tool-input-available': tools.set(chunk.toolCallId, { toolCallId: chunk.toolCallId, name: chunk.toolName, input: chunk.input }); break;
      case 'tool-output-available': { const t = tools.get(chunk.toolCallId); if (t) t.output = chunk.output; break; }
      case 'tool-output-error': { const t = tools.get(chunk.toolCallId); if (t) t.error = chunk.errorText; break; }
      case 'tool-approval-request': {
        // An automatic answer (a tool the role may not use) asks nobody.
        const t = tools.get(chunk.toolCallId);
        if (t && !chunk.isAutomatic) approvals.push({ approvalId: chunk.approvalId, toolCallId: chunk.toolCallId, name: t.name, input: t.input });
        break;
      }
      case 'error': texts.push(`\n${chunk.errorText}\n`); break;
      default: break;
    }
  }
  return { text: texts.join('').replace(/\n{3,}/g, '\n\n').trim(), tools: [...tools.values()], approvals };
}
