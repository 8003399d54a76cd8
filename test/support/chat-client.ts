import { randomUUID } from 'node:crypto';

/** One chunk of the AI SDK UI message stream (server-sent events), as the web chat receives it. */
export type Chunk = Record<string, any> & { type: string };

export interface TurnResult { status: number; chunks: Chunk[]; text: string; error?: any }

/** Posts one chat turn and reads the whole streamed answer. */
export async function chatTurn(url: string, token: string, conversationId: string, message: { text: string } | { approvals: { id: string; approved: boolean; reason?: string }[] }, screen?: unknown): Promise<TurnResult> {
  const res = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, message, ...(screen === undefined ? {} : { screen }) }),
  });
  const body = await res.text();
  if (!res.headers.get('content-type')?.includes('text/event-stream')) return { status: res.status, chunks: [], text: '', error: JSON.parse(body) };
  const chunks = body.split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)) as Chunk);
  const text = chunks.filter((c) => c.type === 'text-delta').map((c) => c.delta).join('');
  return { status: res.status, chunks, text };
}

export const newConversation = () => randomUUID();

/** Tool calls the stream announced, with their inputs and outputs, by tool call id. */
export function toolCalls(chunks: Chunk[]) {
  const calls = new Map<string, { toolName: string; input?: any; output?: any; errorText?: string; approvalId?: string; denied?: boolean }>();
  for (const c of chunks) {
    if (c.type === 'tool-input-available') calls.set(c.toolCallId, { ...calls.get(c.toolCallId), toolName: c.toolName, input: c.input });
    if (!calls.has(c.toolCallId) && c.toolCallId) calls.set(c.toolCallId, { toolName: c.toolName });
    if (c.type === 'tool-output-available') calls.get(c.toolCallId)!.output = c.output;
    if (c.type === 'tool-output-error' || c.type === 'tool-input-error') calls.set(c.toolCallId, { ...calls.get(c.toolCallId), toolName: c.toolName ?? calls.get(c.toolCallId)?.toolName, errorText: c.errorText });
    if (c.type === 'tool-approval-request') calls.get(c.toolCallId)!.approvalId = c.approvalId;
    if (c.type === 'tool-output-denied') calls.get(c.toolCallId)!.denied = true;
  }
  return [...calls.values()];
}
