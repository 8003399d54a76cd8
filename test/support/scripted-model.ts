import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import type { ChosenModel } from '../../src/agent/model-choice.js';

export type ScriptStep = { call: string; input: unknown } | { say: string } | { hang: true };

/** Tool results the model has been shown so far in this turn, as JSON text. */
export const toolResultsIn = (options: LanguageModelV4CallOptions) =>
  options.prompt.flatMap((m) => (m.role === 'tool' ? (m.content as any[]).filter((p) => p.type === 'tool-result').map((p) => ({ toolName: p.toolName, output: p.output })) : []));

let ids = 0;

/** A zero-latency AI SDK mock model whose every step is decided by `script` from the prompt it is given. */
export function scriptedModel(script: (options: LanguageModelV4CallOptions) => ScriptStep, tokensPerStep = 10): ChosenModel & { model: MockLanguageModelV4 } {
  const model = new MockLanguageModelV4({
    doStream: async (options) => {
      const step = script(options);
      const usage = { inputTokens: { total: tokensPerStep, noCache: tokensPerStep, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } };
      if ('hang' in step) {
        // A model that never answers: only the turn's time limit ends it.
        return { stream: new ReadableStream<LanguageModelV4StreamPart>({ start(c) { options.abortSignal?.addEventListener('abort', () => c.error(options.abortSignal!.reason)); } }) };
      }
      const parts: LanguageModelV4StreamPart[] = 'say' in step
        ? [{ type: 'text-start', id: 't' }, { type: 'text-delta', id: 't', delta: step.say }, { type: 'text-end', id: 't' }, { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } }]
        : [{ type: 'tool-call', toolCallId: `call-${++ids}`, toolName: step.call, input: JSON.stringify(step.input) }, { type: 'finish', usage, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } }];
      return { stream: new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } }) };
    },
  });
  return { model, name: 'scripted', offline: false };
}
